"""`build.py serve`: live preview with incremental rebuilds, automatic reload and in-browser errors.

The site is built (drafts included) into a folder served on 127.0.0.1. A watcher thread
(watchfiles: inotify, FSEvents or ReadDirectoryChangesW) watches content/, templates/ and assets/;
the paths a change names are handed to the server's event loop, where the content is reloaded
and only what changed is rendered and written, then every open page is told to reload through
livereload's websocket. While the content is invalid the last good site stays on disk but every
HTML request gets an error page listing the problems.
"""

from __future__ import annotations

import dataclasses
import errno
import gc
import hmac
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import tornado.web
import tornado.websocket
from livereload.handlers import LiveReloadJSHandler
from tornado.http1connection import HTTP1Connection
from tornado.routing import AnyMatches, Matcher, Rule

from .. import headers
from ..errors import Problem, QmError
from ..heap import batch_gc
from ..i18n import N_, Msg, translate, user_lang
from ..printing import fonts
from ..site import admin as admin_mod
from ..site import builder, graph, output
from ..site.render import TEMPLATES
from ..source import content as content_mod
from ..source import look as look_mod
from ..source.content import Content
from ..source.model import TO_FILL
from . import cms as cms_mod
from . import start as start_mod
from .error_page import error_page

HOST = "127.0.0.1"  # a preview of unpublished drafts: never reachable from other machines
# watchfiles hands over a batch once no new change came for STEP_MS: a rebuild starts 20-40 ms after a save,
# and an editor's save in several writes (truncate, write, rename: well under a step) is one batch, one rebuild.
STEP_MS = 20
DEBOUNCE_MS = 500  # a burst of changes that goes on (a checkout, a copied folder tree) is handed over at least this often
READY_MS = 100  # watchfiles yields an empty batch after this long without changes: the first one says the watches are set
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".pyc")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")  # what a browser on this machine calls the server
TIMEOUT = 30  # seconds to send a request's headers, or its body: a browser on this machine needs milliseconds


# --- watching ------------------------------------------------------------------------


def _ignored(name: str) -> bool:
    """Hidden files and editor scratch files are not sources (editors write them on every keystroke)."""
    return name.startswith((".", "#")) or name.endswith(IGNORED_SUFFIXES)


class Watcher:
    """Watches the roots in a thread; hands each batch of changed sources to `changed`, on the thread `call` runs it on.

    watchfiles' `watch` runs in a thread of its own (not `awatch` on the event loop): a rebuild is synchronous
    work on the loop, and `watch` with a threading.Event as stop_event needs nothing of the loop but its one
    thread-safe entry, IOLoop.add_callback (`call`), as the poster font's job thread does. Batches that come while
    a rebuild runs are merged into one set, and one callback takes them all: a slow rebuild is followed by one more,
    not one per batch. Where inotify is missing watchfiles polls by itself (WATCHFILES_FORCE_POLLING forces it).
    """

    def __init__(self, roots: list[Path], changed: Callable[[set[Path]], None],
                 call: Callable[[Callable[[], None]], None]) -> None:
        """Watch `roots`; `call(f)` must run f() on the thread that owns what `changed` touches."""
        self.roots = roots
        self.changed, self.call = changed, call
        # watchfiles names paths absolute; a root given relative (content/, the default) is spelled back as given.
        self.bases = [(root, base) for root in roots for base in dict.fromkeys((Path(os.path.abspath(root)), root.resolve()))]
        self.ready, self.stopping = threading.Event(), threading.Event()
        self.error: BaseException | None = None
        self.pending: set[Path] = set()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._watch, name="qm-site watcher", daemon=True)

    def source(self, path: str) -> Path | None:
        """A changed path as the roots spell it; None for a hidden or editor scratch file (or one inside such a folder)."""
        p = Path(path)
        for root, base in self.bases:
            if p.is_relative_to(base):
                rel = p.relative_to(base)
                return None if any(_ignored(part) for part in rel.parts) else root / rel
        return None

    def start(self, timeout: float = 30) -> None:
        """Start watching; return once the watches are set, so that no change made after this is missed."""
        self.thread.start()
        if not self.ready.wait(timeout):
            raise RuntimeError("the file watcher did not start")
        if self.error is not None:
            raise self.error

    def stop(self, timeout: float = 5) -> None:
        """Stop the thread (watchfiles looks at the event every step)."""
        self.stopping.set()
        self.thread.join(timeout)

    def _watch(self) -> None:
        """The thread: every batch of watchfiles' events, less the ignored files, is added to the pending set."""
        import watchfiles

        force = None  # watchfiles' choice: the system's notifications, or polling where it knows they fail (WSL)
        while True:
            try:
                for changes in watchfiles.watch(*self.roots, watch_filter=None, debounce=DEBOUNCE_MS, step=STEP_MS,
                                                stop_event=self.stopping, rust_timeout=READY_MS, yield_on_timeout=True,
                                                raise_interrupt=False, force_polling=force):
                    self.ready.set()  # the first yield, a batch or a timeout, comes after the watches are set
                    self._add(changes)
                break
            except Exception as exc:
                if force is None and not self.ready.is_set() and all(root.exists() for root in self.roots):
                    # e.g. inotify's watch limit reached (other programs hold watches too): poll rather than fail
                    print(f"cannot watch the sources with the system's notifications ({exc}); polling them instead",
                          flush=True)
                    force = True
                    continue
                self.error = exc  # e.g. a root deleted before the watches were set
                print(f"watching the sources stopped: {exc}", flush=True)
                break
        self.ready.set()

    def _add(self, changes: set) -> None:
        """One batch: its sources join the pending set; the first to find it empty asks for a hand-over."""
        from watchfiles import Change

        # A folder "modified" is a file made or removed in it (polling sees the folder's mtime change),
        # which has an event of its own; a scratch file would otherwise rebuild its folder.
        paths = {p for change, path in changes if (p := self.source(path)) is not None
                 and not (change == Change.modified and p.is_dir())}
        if paths:
            with self.lock:
                first = not self.pending
                self.pending |= paths
            if first:
                self.call(self._hand_over)

    def _hand_over(self) -> None:
        """On the caller's thread: everything changed since the last hand-over, at once."""
        with self.lock:
            paths, self.pending = self.pending, set()
        self.changed(paths)


def needs_full_render(paths: set[Path], content_dir: Path, folders: Collection[Path] = ()) -> bool:
    """True when a change can affect every page: anything but a campaign folder or a file inside one.

    A folder made, moved or deleted may be named only by itself (no event for its files): `folders`, the
    campaign folders of the last load, tell a deleted one from a loose file of content/; a new one is a folder now.
    """
    for path in paths:
        try:
            rel = path.relative_to(content_dir)
        except ValueError:
            return True  # templates/ or assets/
        if not rel.parts or rel.parts[0] == content_mod.ASSETS_DIR:
            return True  # content/ itself, or the site's own assets (a logo on every poster)
        if len(rel.parts) == 1 and not (path in folders or path.is_dir()):
            return True  # site.yaml, or a loose file in content/
    return False


def changed_ids(old: Content, new: Content) -> set[str]:
    """Ids of campaigns added, removed, or whose source files differ (by Entry.digest)."""
    before = {e.id: e.digest for e in old.entries}
    after = {e.id: e.digest for e in new.entries}
    return {i for i in before.keys() | after.keys() if before.get(i) != after.get(i)}


@dataclass
class Outcome:
    """What one refresh did, for the terminal."""

    ids: tuple[str, ...] | None  # campaigns re-rendered; None for everything
    first: bool = False  # the build at start-up
    fixed: bool = False  # the content was invalid before this build
    written: int = 0
    removed: int = 0
    seconds: float = 0.0
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()  # warnings not reported before
    unwritten: output.WriteError | None = None  # the output could not be written: the preview lags behind
    again: bool = False  # `unwritten` is the same trouble as the refresh before (a retry): nothing new to say
    caught_up: bool = False  # written after a refresh that could not write

    @property
    def nothing_new(self) -> bool:
        """Whether there is nothing to say: the same trouble writing as the refresh before, and no problems or warnings."""
        return self.again and not self.problems and not self.warnings

    def summary(self) -> str:
        """One line: what was rebuilt, or how many problems stop the build."""
        if self.problems:
            n = len(self.problems)
            return f"{n} problem{'s' if n != 1 else ''}: the browser shows {'them' if n != 1 else 'it'} until fixed"
        n = self.written + self.removed
        late = self.caught_up and not self.ids  # only what an earlier refresh could not write
        what = ("everything" if self.ids is None else ", ".join(self.ids) or
                ("what could not be written" if late else "the poster font" if n else "nothing"))
        line = f"{'built' if self.first else 'rebuilt'} {what}: {n} file{'s' if n != 1 else ''} in {self.seconds:.2f}s"
        return ("fixed, the site is back; " if self.fixed else "") + line

    def unwritten_line(self, lang: str) -> str:
        """One line, in `lang`, for a refresh that could not write: why, and that the preview catches up by itself."""
        assert self.unwritten is not None
        if self.unwritten.code in FULL:
            return translate(FULL[self.unwritten.code], lang)
        return self.unwritten.problems[0].format(lang)


# Why a write failed that freeing space mends: said in one line, and retried every RETRY_SECONDS until it succeeds.
FULL = {errno.ENOSPC: N_("the disk is full: the preview shows the last site it could write, "
                         "and catches up by itself once space is freed"),
        errno.EDQUOT: N_("your disk quota is used up: the preview shows the last site it could write, "
                         "and catches up by itself once space is freed")}
CAUGHT_UP = N_("the preview is written and up to date again")
RETRY_SECONDS = 2.0  # a retry costs a look at the content folder and the writes that failed


@dataclass
class Preview:
    """The previewed site: the last good content and files, the output folder, and current problems."""

    content_dir: Path
    out: Path
    content: Content | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # the memo's own after an incremental render: see refresh
    problems: tuple[Problem, ...] = ()
    full_pending: bool = True  # a template/asset/site change (or no good build yet) awaits a full render
    reported: set[Problem] = field(default_factory=set)
    parsed: dict = field(default_factory=dict)  # content.load's memo: unchanged campaign folders are not re-parsed
    # content.load's last listing of content/, reused while only files in campaigns change
    listing: dict = field(default_factory=dict)
    memo: graph.Memo = field(default_factory=graph.Memo)  # render_site's: only outputs whose key changed are made again
    font: tuple | None = None  # (metrics, FontFile or None): the poster font of the last render
    font_chars: str | None = None  # the characters `font` holds
    font_wanted: str | None = None  # the characters of a font subset the last refresh went without
    font_made: tuple | None = None  # (characters, poster_font's answer) of the subset a font job made last
    admin: admin_mod.Admin | None = None  # where /admin/ comes from (with --cms, the local backend's port)
    on_disk: bool = False  # the output holds a whole site (write_site succeeded once)
    unwritten: set[str] = field(default_factory=set)  # paths whose file may differ from `files` (a write failed)
    write_error: output.WriteError | None = None  # why the last refresh could not write; None once it could
    look: tuple = (None, None)  # the --templates and --assets folders (content.load)

    def __post_init__(self) -> None:
        """Without --cms, /admin/ as `build` makes it (so the preview and the build have the same files)."""
        if self.admin is None:
            self.admin = admin_mod.locate(self.content_dir)

    def refresh(self, paths: set[Path] | None = None) -> Outcome:
        """Rebuild after `paths` changed (None: everything), writing only files whose bytes differ."""
        started = time.perf_counter()
        first, fixed = self.content is None, bool(self.problems)
        if paths is None or needs_full_render(paths, self.content_dir, self.parsed):
            self.full_pending = True
        try:
            with batch_gc():
                # The watcher reports every change (a file, or a folder made, moved or deleted as a whole), so
                # campaign folders it did not name need no new signature.
                changed = None if self.full_pending or self.problems else paths
                new = content_mod.load(self.content_dir, drafts=True, memo=self.parsed, changed=changed, listing=self.listing,
                                       look=self.look)
                if self.full_pending:  # the overrides may have changed (nothing else does between full renders)
                    builder.check_look(new.look)
                ids, files = self._render(new)
        except QmError as exc:
            self.problems = tuple(exc.problems)
            return Outcome(None, problems=self.problems)
        if ids is None:
            # What a full render made is mostly kept until the next one (memo, views, pages): moved out of the
            # collector's reach, later refreshes do not scan it again (a young generation holding the whole site
            # took 0.35-0.9 s to collect at 1,000 campaigns). Cycles among it that become garbage stay (a few MB).
            gc.freeze()
        changes = self.memo.take_changes()  # what the executes since the last good refresh changed
        if ids is None:  # a full render starts the memo afresh: compare the whole site
            written = {p: b for p, b in files.items() if self.files.get(p) != b}
            removed = set(self.files) - set(files)
        else:
            written, removed = changes
        self.content, self.files, self.problems, self.full_pending = new, files, (), False
        fresh = tuple(w for w in new.warnings if w not in self.reported)
        self.reported = set(new.warnings)
        before = self.write_error
        try:
            written, removed = self._write(files, written, removed)
        except output.WriteError as exc:
            # The render is kept (the memo has moved on): what it could not write is retried with the next refresh.
            self.unwritten |= written.keys() | removed
            self.write_error = exc
            again = before is not None and before.code == exc.code
            return Outcome(ids, first, fixed, seconds=time.perf_counter() - started, warnings=fresh, unwritten=exc, again=again)
        self.unwritten, self.write_error = set(), None
        return Outcome(ids, first, fixed, len(written), len(removed), time.perf_counter() - started, warnings=fresh,
                       caught_up=before is not None)

    def _write(self, files: dict[str, bytes], written: dict[str, bytes], removed: set[str]) -> tuple[dict[str, bytes], set[str]]:
        """Bring the output up to `files`: these changes, and any a failed write left undone; (written, removed)."""
        if not self.on_disk:  # the first build (or every one since has failed): start from an empty, complete folder
            output.write_site(files, self.out, protect=(self.content_dir,))
            self.on_disk = True
            return files, set()
        if self.unwritten:
            written = {**written, **{p: files[p] for p in self.unwritten if p in files}}
            removed = removed | {p for p in self.unwritten if p not in files}
        output.update_site(written, removed, self.out)
        _prune_empty_dirs(self.out, removed)
        return written, removed

    def _render(self, new: Content) -> tuple[tuple[str, ...] | None, dict[str, bytes]]:
        """Render what changed since the last good build: (re-rendered ids or None for all, the whole site)."""
        if self.full_pending or self.content is None:
            self.memo.clear()  # templates, assets or site.yaml changed: every output depends on them
            return None, render(new, self.memo, self._poster_font(wait=True), self.admin)
        changed = changed_ids(self.content, new)
        if not changed and self.font_wanted is None:
            return (), self.files
        # Outputs whose key is unchanged come from the memo. A new poster font subset (it follows every slogan)
        # needs no page made again: poster pages link the stable fonts/poster-font.css.
        return tuple(sorted(changed)), render(new, self.memo, self._poster_font(wait=False), self.admin)

    def _poster_font(self, wait: bool):
        """render_site's font maker: without `wait`, a subset not made yet is left for font_job and the last one kept."""
        def make(chars: str) -> tuple:
            if not wait and self.font is not None and self.font_chars == chars:  # most edits: the font the site has
                self.font_wanted = None
            elif self.font_made is not None and self.font_made[0] == chars:  # the job's subset (the disk may be read-only)
                self.font, self.font_chars, self.font_wanted = self.font_made[1], chars, None
            elif wait or self.font is None or fonts.subset_ready(chars):
                self.font, self.font_chars, self.font_wanted = fonts.poster_font(chars), chars, None
            else:
                self.font_wanted = chars  # fonttools takes 0.5 s to seconds: the edited pages should not wait for it
            metrics, font = self.font
            return metrics, lambda: font
        return make

    def font_job(self):
        """The slow half of a deferred font subset, to run off the event loop, then refresh(set()) writes it.

        None when no subset is wanted or it is made already (waiting only to be written, by the next good refresh).
        """
        chars = self.font_wanted
        if chars is None or fonts.subset_ready(chars) or (self.font_made is not None and self.font_made[0] == chars):
            return None

        def job() -> None:
            self.font_made = (chars, fonts.poster_font(chars, say=lambda _: None))
        return job

    def finish_font(self) -> Outcome | None:
        """Make and write a deferred poster font subset now (what the server does in the background)."""
        if self.font_wanted is None:
            return None
        job = self.font_job()
        if job is not None:
            job()
        return self.refresh(set())


def render(content: Content, memo: graph.Memo, poster_font, admin: admin_mod.Admin | None = None) -> dict[str, bytes]:
    """The site's files as `build` renders them (SOURCE_DATE_EPOCH included), so the preview matches it."""
    # One process: the server has threads (the watcher, the font job), and forking a threaded process can
    # deadlock; the memo keeps an edit's rebuild to the edited campaign and the pages that list it anyway.
    return builder.render_site(content, epoch=builder.source_date_epoch(), memo=memo, poster_font=poster_font,
                               admin=admin)[0]


def _prune_empty_dirs(out: Path, removed: set[str]) -> None:
    """Delete folders emptied by removed files, so the output matches a full build."""
    for rel in sorted(removed, key=lambda r: -r.count("/")):
        parent = (out / rel).parent
        while parent != out and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


# --- the server ---------------------------------------------------------------------------


def _is_html_request(path: str) -> bool:
    """Whether a URL path asks for a site page (folder, .html, or no extension) rather than a data file or the editor."""
    if path.startswith(admin_mod.ADMIN):  # the web editor stays open: it is where the problem can be fixed
        return False
    last = path.rsplit("/", 1)[-1]
    return last == "" or last.endswith(".html") or "." not in last


def loopback_hosts(port: int) -> frozenset[str]:
    """The Host headers a browser sends to this server: a loopback name with the port, bare only for http's 80."""
    hosts = {f"{name}:{port}" for name in LOOPBACK_NAMES}
    return frozenset(hosts | set(LOOPBACK_NAMES) if port == 80 else hosts)


def refusal(host: str, port: int) -> str:
    """The plain-text answer to a request for another host name, in Chinese then English."""
    message = N_("This preview answers only at http://127.0.0.1:%(port)s/ and http://localhost:%(port)s/; "
                 "a request for %(host)s is refused, so that no other web page can read the drafts.",
                 port=port, host=host or "?")
    # Bilingual on purpose, like the error page: whoever opened the address reads it, whatever the server's locale.
    return f"{translate(message, 'zh_CN')}\n{translate(message, 'en')}\n"


class Browsers:
    """The preview's pages open in browsers, by their live-reload websockets: all are told to reload after a rebuild."""

    HELLO = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"], "serverName": "qm-site"}
    # Always the whole page: fingerprinted CSS gets a new file name, so live CSS swapping cannot find it.
    RELOAD = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}

    def __init__(self) -> None:
        self.sockets: set = set()

    def reload(self) -> None:
        """Ask every connected page to reload itself."""
        for socket in list(self.sockets):
            socket.write_message(json.dumps(self.RELOAD))


class SiteHandler(tornado.web.StaticFileHandler):
    """Serves the built site; while the content is invalid, pages get the error page instead."""

    # tornado passes the route's own kwargs to initialize; its stub types StaticFileHandler's (path, ...) as the only form
    def initialize(self, preview: Preview) -> None:  # type: ignore[override]
        """Serve from the preview's output folder."""
        self.preview = preview
        super().initialize(path=str(preview.out), default_filename="index.html")

    async def get(self, path: str, include_body: bool = True) -> None:
        """A file of the site, or the error page."""
        failed = self.preview.write_error
        if (self.preview.problems or failed) and _is_html_request(path):
            # Content problems: 200, not 500: the server works and the page is the answer (what the web editor saved is
            # shown as a problem list, never as a server failure). A disk it cannot write to is the server's: 503.
            self.set_status(200 if self.preview.problems else 503)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            # Content problems first: fixing them is the user's next step; then the pages on disk are partly stale.
            self.finish(error_page(self.preview.problems) if self.preview.problems or failed is None else
                        error_page(tuple(failed.problems), unwritten=True))
            return
        await super().get(path, include_body)

    def should_return_304(self) -> bool:
        """Never: a rebuilt page must not be answered from the browser cache."""
        return False

    def compute_etag(self) -> None:
        """No ETag: Tornado caches file hashes per path, which would go stale after a rebuild."""
        return None

    def get_content_type(self) -> str:
        """As Netlify sends it (netlify.toml): the web editor's config.yml is YAML, which Python's mimetypes does not know."""
        if (self.absolute_path or "").endswith(".yml"):  # set by get() before it asks
            return "text/yaml; charset=utf-8"
        return super().get_content_type()

    def set_extra_headers(self, path: str) -> None:
        """The deployed site's security headers (its CSP too); and no keeping of pages that change on every save."""
        for name, value in headers.preview_headers(self.request.path).items():
            self.set_header(name, value)
        self.set_header("Cache-Control", "no-store")

    def write_error(self, status_code: int, **kwargs) -> None:
        """The site's own 404 page, as a static host would serve it."""
        page = self.preview.out / ("en/404.html" if self.request.path.startswith("/en/") else "404.html")
        if status_code == 404 and page.is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page.read_bytes())
            return
        super().write_error(status_code, **kwargs)


class EditorRequest(tornado.web.RequestHandler):
    """A request of the web editor's pages to the preview: from this very preview, with this run's secret.

    The Host was checked by the router (a DNS-rebinding page is refused there). Here: the run's secret (from this
    preview's config.yml) and an Origin that is this very server (a page of another site, or of another local server,
    may not write into content/). Every answer is JSON, its errors in Chinese.
    """

    def initialize(self, backend: cms_mod.Backend) -> None:  # tornado passes the route's kwargs
        """The running backend."""
        self.backend = backend

    def set_default_headers(self) -> None:
        """Answers are the editor's data: never cached, never sniffed."""
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Content-Type", "application/json; charset=utf-8")

    def check_caller(self, secret: str) -> None:
        """A Refusal unless the secret is this run's and the request comes from a page of this preview."""
        if not hmac.compare_digest(secret.encode(), self.backend.secret.encode()):
            raise cms_mod.Refusal(403, N_("this address of the web editor is from an earlier run; reload /admin/"))
        origin = self.request.headers.get("Origin", "")
        if origin.lower() != f"http://{self.request.headers.get('Host', '')}".lower() or \
                self.request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
            raise cms_mod.Refusal(403, N_("only the web editor of this preview may save into the content folder"))

    def refuse(self, refusal: cms_mod.Refusal) -> None:
        """Answer with the refusal's status and its message in Chinese."""
        self.set_status(refusal.status)
        self.finish(cms_mod.refusal_body(refusal))


class BackendProxy(EditorRequest):
    """/admin/api/<secret>/v1: the web editor's requests, checked, then handed to the backend on its Unix socket.

    Beyond EditorRequest's checks: JSON of at most one upload's size, and `cms.vet` on the action and every path.
    """

    async def post(self, secret: str) -> None:
        """Vet the request; forward it off the event loop; relay the answer."""
        from tornado.ioloop import IOLoop

        try:
            request = self._vetted(secret)
        except cms_mod.Refusal as refusal:
            self.refuse(refusal)
            return
        status, body = await IOLoop.current().run_in_executor(None, cms_mod.forward, self.backend,
                                                              json.dumps(request).encode())
        self.set_status(status)
        self.finish(body)

    def _vetted(self, secret: str) -> dict:
        """The parsed request, once the secret, the Origin, the kind and every path are right."""
        self.check_caller(secret)
        request = cms_mod.json_request(self.request.headers.get("Content-Type", ""), self.request.body)
        return cms_mod.vet(request, self.backend.root, self.backend.uploaded)


class NewCampaign(EditorRequest):
    """/admin/api/<secret>/new: 新建活动, `build.py new` from the form: JSON {id, from?} -> {id} or {error}."""

    async def post(self, secret: str) -> None:
        """Check the caller and the ids, then scaffold the campaign off the event loop (it runs node for `fmt`)."""
        from tornado.ioloop import IOLoop

        try:
            self.check_caller(secret)
            campaign_id, source_id = start_mod.new_request(self.request.headers.get("Content-Type", ""), self.request.body,
                                                           self.backend.root)
            await IOLoop.current().run_in_executor(None, start_mod.new, self.backend.root, campaign_id, source_id)
        except cms_mod.Refusal as refusal:
            self.refuse(refusal)
            return
        self.finish({"id": campaign_id})


@tornado.web.stream_request_body
class ImportNotice(EditorRequest):
    """/admin/api/<secret>/import?id=…&name=…: 导入通知, `build.py import` from the form; the body is the file.

    The body is streamed into a private temporary file: its size is checked from Content-Length before any of it is
    read (the import's own limit, above the server's usual one), and no more than that is ever written.
    """

    upload: start_mod.Upload | None = None
    receiving = True  # the body is still coming: a closed connection leaves a half file to remove

    def prepare(self) -> None:
        """Check the caller, the id and the announced size before the body comes; open the temporary file."""
        try:
            self.check_caller(self.path_args[0])
            campaign_id = start_mod.checked_id(self.get_query_argument("id", ""), self.backend.root)
            size = start_mod.announced_size(self.request.headers.get("Content-Length"))
            self.upload = start_mod.Upload(campaign_id, self.get_query_argument("name", ""))
        except cms_mod.Refusal as refusal:
            self.refuse(refusal)
            return
        connection = self.request.connection
        assert isinstance(connection, HTTP1Connection)  # tornado's HTTPServer speaks HTTP/1.1 only
        connection.set_max_body_size(size)

    def data_received(self, chunk: bytes) -> None:
        """Write each piece of the file as it comes."""
        if self.upload is not None:
            self.upload.write(chunk)

    async def post(self, secret: str) -> None:
        """Import the received file off the event loop (the reading runs in its guarded child); answer {id} or {error}."""
        from tornado.ioloop import IOLoop

        assert self.upload is not None  # prepare refused and finished otherwise
        self.receiving = False
        try:
            await IOLoop.current().run_in_executor(None, self.upload.import_into, self.backend.root)
        except cms_mod.Refusal as refusal:
            self.refuse(refusal)
            return
        finally:
            self.upload.discard()
        self.finish({"id": self.upload.campaign_id})

    def on_connection_close(self) -> None:
        """A browser that gave up while sending: its half-received file goes (once received, post discards it)."""
        if self.upload is not None and self.receiving:
            self.upload.discard()


class ReloadSocket(tornado.websocket.WebSocketHandler):
    """The livereload protocol's websocket (hello, then reloads), open only to this preview's pages."""

    def initialize(self, browsers: Browsers, origins: frozenset[str]) -> None:
        """The preview's open pages, and the Origins its own pages send."""
        self.browsers, self.origins = browsers, origins

    def check_origin(self, origin: str) -> bool:
        """A page of another site must not connect (a client without Origin is no browser: Tornado lets it in)."""
        return origin.lower() in self.origins

    def on_message(self, message) -> None:
        """Answer the client's hello; from then on the page is told to reload after every rebuild."""
        try:
            command = json.loads(message).get("command")
        except (ValueError, AttributeError):
            return
        if command == "hello":
            self.write_message(json.dumps(Browsers.HELLO))
            self.browsers.sockets.add(self)

    def on_close(self) -> None:
        """A closed page needs no more reloads."""
        self.browsers.sockets.discard(self)


class LoopbackHost(Matcher):
    """Matches requests whose Host names this server on the loopback interface."""

    def __init__(self, hosts: frozenset[str]) -> None:
        self.hosts = hosts

    def match(self, request) -> dict | None:
        """Everything is served only under a loopback name: a missing or other Host matches nothing."""
        return {} if request.headers.get("Host", "").lower() in self.hosts else None


class Refused(tornado.web.RequestHandler):
    """Any request for another host name gets a 403 with a short explanation."""

    def initialize(self, port: int) -> None:
        """The port the refusal names."""
        self.port = port

    def prepare(self) -> None:
        """Refuse before any handler runs: a DNS-rebinding page (evil.example resolved to 127.0.0.1) sends its own Host."""
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("X-Content-Type-Options", "nosniff")  # the body repeats the Host it was sent
        self.set_header("Cache-Control", "no-store")
        self.finish(refusal(self.request.headers.get("Host", ""), self.port))


def script_injector(port: int) -> type[tornado.web.OutputTransform]:
    """An OutputTransform adding the livereload client (livereload's own script) to every HTML page, before </head>.

    Not to the web editor's (/admin/): a reload there after each save would throw away what is being typed.
    """
    script = f'<script src="/livereload.js?port={port}" async></script>'.encode()

    class Injector(tornado.web.OutputTransform):
        def __init__(self, request) -> None:
            """Remember which page is asked for."""
            super().__init__(request)
            self.editor = request.path.startswith("/" + admin_mod.ADMIN)

        def transform_first_chunk(self, status_code, headers, chunk, finishing):
            """The page with the script; its Content-Length grown to match."""
            if not self.editor and "html" in headers.get("Content-Type", "") and b"</head>" in chunk:
                chunk = chunk.replace(b"</head>", script + b"</head>", 1)
                if "Content-Length" in headers:
                    headers["Content-Length"] = str(int(headers["Content-Length"]) + len(script))
            return status_code, headers, chunk

    return Injector


def _make_app(preview: Preview, port: int, browsers: Browsers, backend: cms_mod.Backend | None = None) -> tornado.web.Application:
    """The Tornado application: the live-reload websocket and script, the editor's backend, and the site with errors
    and 404s, for loopback hosts only."""
    hosts = loopback_hosts(port)
    origins = frozenset(f"http://{host}" for host in hosts)  # an Origin is scheme://host[:port], as in Host
    # livereload.js opens a websocket to /livereload; Reloads sends the reloads.
    site: list = [(r"/livereload", ReloadSocket, {"browsers": browsers, "origins": origins}),
                  (r"/livereload.js", LiveReloadJSHandler)]
    if backend is not None:
        api = rf"/{admin_mod.ADMIN}api/([A-Za-z0-9_-]+)"
        site += [(api + "/v1", BackendProxy, {"backend": backend}), (api + "/new", NewCampaign, {"backend": backend}),
                 (api + "/import", ImportNotice, {"backend": backend})]
    site.append((r"/(.*)", SiteHandler, {"preview": preview}))
    rules = [Rule(LoopbackHost(hosts), site), Rule(AnyMatches(), Refused, {"port": port})]  # the Host is checked once, first
    return tornado.web.Application(rules, transforms=[script_injector(port)], static_hash_cache=False, log_function=_no_log)


def make_server(preview: Preview, port: int, browsers: Browsers, timeout: float = TIMEOUT,
                backend: cms_mod.Backend | None = None):
    """The preview's HTTP server for port `port`; a connection that sends no complete request within `timeout` s is closed."""
    from tornado.httpserver import HTTPServer

    # Tornado's defaults wait an hour for headers and forever for a body: each half-sent request would hold a socket.
    # An open websocket is no longer an HTTP request, so live reload is not cut off. No request body is larger than
    # one upload to the web editor (Tornado's default allows 100 MB).
    return HTTPServer(_make_app(preview, port, browsers, backend), idle_connection_timeout=timeout, body_timeout=timeout,
                      max_body_size=cms_mod.MAX_BODY)


def _no_log(handler) -> None:
    """Requests are not logged: the terminal is kept for rebuilds and problems."""


class Reloads:
    """Rebuilds after each batch of changes on the event loop, reports, and reloads the browsers."""

    def __init__(self, preview: Preview, browsers: Browsers):
        """The preview to refresh and the pages to reload."""
        self.preview = preview
        self.browsers = browsers
        self.font_busy = False  # a font subset is being made in a thread
        self.retrying = False  # a retry of a failed write is due

    def changed(self, paths: set[Path]) -> None:
        """The watcher's batch: rebuild what the paths touch."""
        self.done(self.preview.refresh(paths))

    def done(self, outcome: Outcome) -> None:
        """Report a refresh and reload the browsers; then make a deferred font subset in a thread, one at a time.

        A refresh that could not write (a full disk) is retried every RETRY_SECONDS until it can: nothing else
        would write the pages once space is freed, as no source changes.
        """
        from tornado.ioloop import IOLoop

        report(outcome)
        self.browsers.reload()
        if outcome.unwritten is not None and not self.retrying:
            self.retrying = True
            IOLoop.current().call_later(RETRY_SECONDS, self._retry)
        job = None if self.font_busy else self.preview.font_job()
        if job is None:
            return
        loop = IOLoop.current()
        self.font_busy = True
        loop.add_future(loop.run_in_executor(None, job), self._font_made)

    def _retry(self) -> None:
        """On the event loop: write what a refresh could not; quiet while the trouble is the same (the disk still full)."""
        self.retrying = False
        if self.preview.write_error is None:
            return  # a refresh since then wrote everything
        outcome = self.preview.refresh(set())
        if outcome.nothing_new:
            from tornado.ioloop import IOLoop

            self.retrying = True
            IOLoop.current().call_later(RETRY_SECONDS, self._retry)
            return
        self.done(outcome)

    def _font_made(self, future) -> None:
        """Back on the event loop: write the new subset (the pages already link it by its stable name)."""
        self.font_busy = False
        if future.exception() is not None:
            self.preview.font_wanted = None  # keep the last subset rather than retry after every edit
            print(f"poster font subset failed: {future.exception()}", flush=True)
            return
        outcome = self.preview.refresh(set())
        if outcome.nothing_new:
            return  # the same trouble as the refresh before (the disk still full): said once; the retries write it
        self.done(outcome)


TODO_LINE = N_("%(campaign)s: %(num)d places still say %(marker)s (the first at %(where)s); "
               "`python3 build.py check` lists each")


def todo_summary(warnings: tuple[Problem, ...]) -> tuple[tuple[Problem, ...], list[Msg]]:
    """The warnings to print in full, and one line per campaign for its 待填写 (a new draft has dozens)."""
    kept: list[Problem] = []
    todo: dict[str, list[Problem]] = {}
    for p in warnings:
        if isinstance(p.message, Msg) and p.message.template in (content_mod.UNFILLED_KEY, content_mod.UNFILLED_TEXT):
            todo.setdefault(PurePosixPath(p.path).parent.name, []).append(p)  # the campaign folder holds the file
        else:
            kept.append(p)
    lines = [N_(TODO_LINE, campaign=cid, num=len(found), marker=TO_FILL,
                where=f"{found[0].path}:{found[0].line}:{found[0].column}") for cid, found in todo.items()]
    return tuple(kept), lines


def report(outcome: Outcome) -> None:
    """Print an outcome: the problems in full, each campaign's 待填写 as one line, the other new warnings in full."""
    lang = user_lang()
    warnings, todo = todo_summary(outcome.warnings)
    for p in outcome.problems + warnings:
        print(p.format(lang), flush=True)
    for line in todo:
        print(translate(line, lang), flush=True)
    if outcome.unwritten is not None:
        print(outcome.unwritten_line(lang), flush=True)
        return
    if outcome.caught_up:
        print(translate(CAUGHT_UP, lang), flush=True)
    print(outcome.summary(), flush=True)


def _bind(port: int) -> list:
    """Listening sockets on 127.0.0.1; a clear error when the port is taken."""
    from tornado.netutil import bind_sockets

    try:
        return bind_sockets(port, HOST)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise QmError.at(f"{HOST}:{port}", 0, 0, N_("port %(port)s is already in use", port=port),
                         N_("stop the other server, or pick another port: python build.py serve --port %(port)s",
                            port=port + 1)) from None


def _check_out(out: Path, watched: list[Path]) -> None:
    """Refuse an output folder inside a watched folder: every write would trigger another rebuild."""
    for root in watched:
        if out.resolve() == root.resolve() or root.resolve() in out.resolve().parents:
            raise QmError.at(str(out), 0, 0, N_("the output folder is inside %(folder)s", folder=root),
                             N_("pass --out with a folder outside content/, templates/ and assets/"))


def watched(content_dir: Path, look: tuple = (None, None)) -> list[Path]:
    """The folders the server watches: the content, qm-site's templates and assets, and the site's own if any."""
    return [content_dir, TEMPLATES, builder.ASSETS, *(p for p in look_mod.folders(content_dir, *look) if p is not None)]


def serve(content_dir: str | Path, port: int = 8000, out: str | Path | None = None, cms: bool = False,
          look: tuple = (None, None)) -> int:
    """Build with drafts, serve on 127.0.0.1:port with live reload, rebuild on every save; Ctrl-C stops.

    `cms`: also run Decap's local backend, so that /admin/ edits the files of content_dir. `look`: the --templates
    and --assets folders (None: those beside content_dir, if any), watched as well.
    """
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        raise QmError.at(str(content_dir), 0, 0, N_("the content folder does not exist"),
                         N_("pass --content with the folder that holds site.yaml"))
    roots = watched(content_dir, look)
    if out is not None:
        output.check_target(Path(out), (content_dir,))  # before the port is taken: never replace somebody's folder
        _check_out(Path(out), roots)
    admin = admin_mod.locate(content_dir)
    needs = cms_mod.requirements(admin) if cms else None  # said before anything starts
    sockets = _bind(port)
    # Closing the terminal or `kill` also removes the temporary folder; and Ctrl-C stops the server even when it was
    # started with SIGINT ignored (a shell starts background commands so, and Python then leaves it ignored).
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.default_int_handler)
    out_dir = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="qm-site-preview-"))
    backend = None
    try:  # a backend that fails to start still leaves no temporary folder behind
        backend = cms_mod.start(content_dir, *needs) if needs else None
        if backend is not None:
            # Decap wants an absolute URL: the editor works at this address (a page at localhost: is another Origin).
            bound = sockets[0].getsockname()[1]
            admin = dataclasses.replace(admin, local_api=f"http://{HOST}:{bound}/{admin_mod.ADMIN}api/{backend.secret}/v1")
        _run(Preview(content_dir, out_dir, admin=admin, look=look), roots, sockets, backend)
    finally:
        if backend is not None:
            cms_mod.stop(backend)
        if out is None:
            shutil.rmtree(out_dir, ignore_errors=True)
    return 0


def _run(preview: Preview, roots: list[Path], sockets: list, backend: cms_mod.Backend | None) -> None:
    """The watcher, the first build, then the server until Ctrl-C."""
    from tornado.ioloop import IOLoop

    browsers = Browsers()
    reloads = Reloads(preview, browsers)
    loop = IOLoop.current()
    watcher = Watcher(roots, reloads.changed, loop.add_callback)
    port = sockets[0].getsockname()[1]
    server = make_server(preview, port, browsers, backend=backend)
    try:
        watcher.start()  # before the first build: a save made while it runs is rebuilt after it
        reloads.done(preview.refresh())  # through Reloads: a first build that cannot be written is retried
        server.add_sockets(sockets)
        print(f"serving http://{HOST}:{port}/ (drafts included; Ctrl-C to stop)", flush=True)
        if backend is not None:
            print(f"web editor: http://{HOST}:{port}/admin/ (saves into {preview.content_dir}/)", flush=True)
        loop.start()
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        watcher.stop()
        server.stop()
