"""content/ -> Site and [Entry]: load, validate and cross-check everything, raising once.

`parse_site` and `parse_campaign` work from strings (tests need no files);
`load` is the I/O edge that reads the folder.
"""

from __future__ import annotations

import codecs
import dataclasses
import errno
import hashlib
import os
import posixpath
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import Collector, QmError
from ..headers import SITE_CSP, allows, snippet_loads  # the one header table the hosts are configured from
from ..i18n import N_, Msg
from ..parallel import fork_map
from . import assets as asset_kinds
from . import controls, model, yamlio
from . import look as look_mod
from . import theme as theme_mod
from .look import Look
from .markup import Document, Renderer, cn_number
from .model import Campaign, Period, Site
from .schema import MISSING, Validator
from .theme import Identity
from .when import schedule_warnings

SITE_FILE = "site.yaml"
UNPUBLISHED = ("notes", "review")  # a campaign's lists for its editors only
UNFILLED_KEY = N_("`%(key)s` still says %(marker)s")  # a 待填写 left in campaign.yaml (serve counts these per campaign)
UNFILLED_TEXT = N_("the text still says %(marker)s")  # a 待填写 left in a Markdown file
CAMPAIGN_FILE = "campaign.yaml"
ASSETS_DIR = "assets"  # the site's own files (a poster logo), published under /assets/ beside qm-site's
MAX_FILE_BYTES = 2_000_000  # the longest notice is ~10 KB: this stops /dev/zero-like files before they fill memory
SAVE_AS_UTF8 = N_("open it in Notepad, choose File > Save As, set Encoding to UTF-8 and save "
                  "(VS Code: click the encoding in the status bar, Save with Encoding, UTF-8)")


@dataclass(frozen=True, slots=True)
class Entry:
    """A validated campaign with its Markdown files rendered."""

    id: str  # "<year>-<slug>"
    folder: str  # folder name under content/
    campaign: Campaign
    docs: dict[str, Document] = field(compare=False)  # file name -> rendered document
    digest: str = ""  # hash of every source file of the campaign (for incremental builds)

    @property
    def year(self) -> int:
        """The campaign year."""
        return self.campaign.year

    @property
    def slug(self) -> str:
        """The short name in the URL."""
        return self.campaign.slug


@dataclass(frozen=True)
class Content:
    """Everything loaded from a content folder."""

    site: Site
    entries: tuple[Entry, ...]
    warnings: tuple = ()
    assets: tuple[tuple[str, bytes], ...] = ()  # the site's own files under content/assets/: (name, bytes)
    root: Path | None = None  # the content folder, which no output may replace or hold
    # Every campaign's folder, title and Markdown files, drafts included (the web editor edits those too), with its
    # notice body's file ("" without one) and the number of that file's first section (its preview numbers them as the site).
    sources: tuple[tuple[str, str, tuple[str, ...], str, int], ...] = ()
    look: Look = Look()  # the site's own templates/ and assets/ (source/look.py)
    identity: Identity = theme_mod.PLAIN  # its logo, key visuals and theme colour (source/theme.py)


class Unreadable(Exception):
    """A file that cannot be content. `in_file`: the fault is in the file's own bytes (its encoding), at line/column."""

    def __init__(self, message: str, hint: str, in_file: bool = False, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.hint, self.in_file, self.line, self.column = message, hint, in_file, line, column


def read_bytes(path: Path, root: Path, limit: int = MAX_FILE_BYTES,
               check_size: Callable[[int], None] | None = None) -> bytes:
    """The bytes of a regular file inside root (links are followed only while they stay inside it).

    FileNotFoundError when it does not exist; Unreadable for a link leaving root or looping, a folder
    or device, a file over `limit` bytes, or any error of the operating system. `check_size`, given the
    size before anything is read, may refuse the file in its own words.
    """
    name = path.name
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise
    except (RuntimeError, OSError) as exc:  # a link loop: RuntimeError up to Python 3.12, OSError(ELOOP) after
        if isinstance(exc, OSError) and exc.errno not in (None, errno.ELOOP):
            raise _os_problem(name, path, exc) from None
        raise Unreadable(N_("`%(name)s` is a symbolic link that points to itself in a loop", name=name),
                         N_("replace the link with the file itself")) from None
    if not real.is_relative_to(root.resolve()):
        raise Unreadable(N_("`%(name)s` is a link to %(target)s, outside the content folder", name=name, target=str(real)),
                         N_("only files inside the content folder are published: copy the file in instead of linking to it"))
    try:
        st = real.stat()
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable(N_("`%(name)s` is not a regular file", name=name),
                             N_("name a text file here, not a folder, device or pipe"))
        if check_size:
            check_size(st.st_size)
        if st.st_size > limit:
            raise Unreadable(N_("`%(name)s` is %(size)s bytes, more than the %(max)s a content file may have",
                                name=name, size=st.st_size, max=limit),
                             N_("content files are short text; put large documents under content/assets/ or split the text"))
        with real.open("rb") as fh:
            return fh.read(limit + 1)
    except OSError as exc:
        raise _os_problem(name, path, exc) from None


def _os_problem(name: str, path: Path, exc: OSError) -> Unreadable:
    """An operating-system error while reading, said in one line with what to do."""
    if isinstance(exc, PermissionError):
        return Unreadable(N_("`%(name)s` cannot be read: permission denied", name=name),
                          N_("let your user read it, e.g. chmod a+r %(path)s", path=str(path)))
    return Unreadable(N_("`%(name)s` cannot be read: %(reason)s", name=name, reason=exc.strerror or str(exc)),
                      N_("check the disk and the file, then run the command again"))


def decode(data: bytes) -> str:
    """UTF-8 text with a leading byte-order mark dropped; Unreadable (in_file) that names GBK or UTF-16 when saved so."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Unreadable(N_("the file is saved as UTF-16, not UTF-8"), SAVE_AS_UTF8, in_file=True)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]  # Windows Notepad's "UTF-8 with BOM": the mark is not text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[data.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8", "replace")) + 1
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            message = N_("the file is not UTF-8 text (an invalid byte at this place)")
        else:
            message = N_("the file is saved in the Chinese Windows encoding (GBK/GB18030), not UTF-8")
        raise Unreadable(message, SAVE_AS_UTF8, in_file=True, line=line, column=column) from None


def read_text(path: Path, root: Path) -> str:
    """read_bytes, decoded; Unreadable (in_file) at the first invisible control character (see controls)."""
    text = decode(read_bytes(path, root))
    found = controls.first(text)
    if found:
        line, column, ch = found
        raise Unreadable(N_("an invisible control character, %(char)s, is in the text here", char=controls.describe(ch)),
                         N_("retype the words around this place without it: it does not show, but it changes how the text "
                            "reads or breaks the site's feed"),
                         in_file=True, line=line, column=column)
    return text


def _node(text: str, path: str, errors: Collector, empty: str, hint: str):
    """The YAML document's root node, or None with the syntax error (or emptiness) recorded."""
    try:
        node = yamlio.load(text, path)
    except QmError as exc:
        errors.extend(exc.problems)
        return None
    if node is None:
        errors.add(path, 1, 1, empty, hint)
    return node


def parse_site(text: str, path: str, errors: Collector) -> Site | None:
    """Validate site.yaml text; None (with problems recorded) when invalid."""
    node = _node(text, path, errors, N_("site.yaml is empty"), N_("copy the example from the README"))
    if node is None:
        return None
    site = Validator(errors).build(Site, node, "site.yaml")
    if site is MISSING:
        return None
    check_snippets(site, node, errors)
    return site


def check_snippets(site: Site, node: yamlio.Node, errors: Collector) -> None:
    """Every resource a `gov` snippet loads must be one the site's headers let browsers load (headers.py says why)."""
    if site.gov is None:
        return
    gov = node.value["gov"]
    for key in model.SNIPPETS:
        html = getattr(site.gov, key)
        if not html:
            continue
        at = gov.value[key]
        for directive, url in snippet_loads(html):
            if allows(SITE_CSP, directive, url):
                continue
            if url == "inline":
                errors.add(at.path, at.line, at.column,
                           N_("`gov.%(key)s` runs code written in the page, which the site's Content-Security-Policy blocks",
                              key=key),
                           N_("ask the platform for its code as a <script src=\"https://…\"></script> tag: "
                              "code between <script> and </script>, and on…= attributes, do not run"))
            elif url.startswith("http:"):
                errors.add(at.path, at.line, at.column,
                           N_("`gov.%(key)s` loads %(url)s over plain http, which browsers block on an https site",
                              key=key, url=url),
                           N_("write the address with https://"))
            else:
                errors.add(at.path, at.line, at.column,
                           N_("`gov.%(key)s` loads %(url)s, which the site's Content-Security-Policy (%(directive)s) "
                              "does not allow", key=key, url=url, directive=directive),
                           N_("ask the site's developers to add its origin to %(directive)s in qm_site/headers.py and "
                              "netlify.toml (one table; `build.py nginx` prints it for nginx), or remove the snippet",
                              directive=directive))


def parse_campaign(text: str, path: str, read: Callable[[str], str], renderer: Renderer, errors: Collector,
                   folder: str = "") -> Entry | None:
    """Validate one campaign.yaml and render its Markdown files; `read(name)` returns a file beside it."""
    node = _node(text, path, errors, N_("campaign.yaml is empty"), N_("copy last year's campaign.yaml and edit it"))
    if node is None:
        return None
    before = len(errors.errors)
    campaign = Validator(errors).build(Campaign, node, N_("the campaign"))
    if campaign is MISSING:
        return None
    _cross_check(campaign, path, errors)
    _check_review(campaign, path, errors)
    errors.extend(schedule_warnings(campaign))
    digest = hashlib.sha256(text.encode()).hexdigest()
    docs: dict[str, Document] = {}
    for name, loc in _file_refs(campaign):
        problem = _bad_file_name(name)
        if problem:
            errors.add(loc.path, loc.line, loc.column, N_("`%(name)s` %(problem)s", name=name, problem=problem),
                       N_("name a Markdown file in the campaign's own folder, e.g. notice.md"))
            continue
        shown = posixpath.join(posixpath.dirname(path), name)
        try:
            source = read(name)
        except FileNotFoundError:
            errors.add(loc.path, loc.line, loc.column, N_("the file `%(name)s` does not exist", name=name),
                       N_("create %(path)s or fix the name", path=shown))
            continue
        except Unreadable as exc:  # an encoding fault is shown in the file itself, anything else where the YAML names it
            where = (shown, exc.line, exc.column) if exc.in_file else (loc.path, loc.line, loc.column)
            errors.add(*where, exc.message, exc.hint)
            continue
        digest = hashlib.sha256((digest + name + source).encode()).hexdigest()
        docs[name] = renderer.document(source)
        if name == campaign.body:
            _check_typed_numbers(campaign, docs[name], shown, errors)
    # To publish, nothing may still say 待填写; a draft gets the same list as warnings, its to-do list.
    _check_unfilled(node, docs, path, errors, "warning" if campaign.draft else "error")
    if len(errors.errors) > before:
        return None
    return Entry(f"{campaign.year}-{campaign.slug}", folder, campaign, docs, digest)


def _in_order(items: list[str], printed: str) -> bool:
    """Whether each item appears in the printed line, one after another (the list and the line say the same)."""
    at = 0
    for item in items:
        at = printed.find(item, at)
        if at < 0:
            return False
        at += len(item)
    return bool(items)


def _check_review(c: Campaign, path: str, errors: Collector) -> None:
    """Each open `review` entry: it must name a real key path; a warning on a draft (its to-do list), else an error."""
    severity = "warning" if c.draft else "error"
    hint = (N_("check it against the notice, then remove the entry; `draft: true` keeps the campaign unpublished until then")
            if c.draft else N_("remove each `review` entry once checked against the notice, then publish"))
    for r in c.review:
        where = (r.loc.path or path, r.loc.line, r.loc.column)
        if not _key_path_exists(c, r.field):
            errors.add(*where, N_("`review` names `%(field)s`, which is not a key of this campaign", field=r.field),
                       N_("write a key path such as issuer, schedules.0.rows.3.time, or notice for notice.md"))
            continue
        guess = N_(" (imported as: %(guess)s)", guess=r.guess) if r.guess else ""
        errors.add(*where, N_("this campaign still has %(num)d import guesses to confirm; this one: `%(field)s`%(row)s%(guess)s — "
                              "%(why)s", num=len(c.review), field=r.field, row=_row_in_words(c, r.field), guess=guess,
                              why=r.why), hint, severity)


def _row_in_words(c: Campaign, key_path: str) -> Msg | str:
    """The row a review entry's key path names, in words (its path alone says schedules.0.rows.3); "" for another key."""
    steps = key_path.split(".")
    if len(steps) >= 4 and steps[0] == "schedules" and steps[2] == "rows":
        schedule = c.schedules[int(steps[1])]
        row = int(steps[3])
        return N_(" (schedule `%(id)s`, row %(n)d: %(name)s)", id=schedule.id, n=row + 1, name=schedule.rows[row].name)
    if len(steps) >= 2 and steps[0] == "contacts":
        contact = c.contacts[int(steps[1])]
        who = contact.organization or "、".join(contact.people) or "、".join(contact.phones)
        return N_(" (contact %(n)d: %(who)s)", n=int(steps[1]) + 1, who=who)
    return ""


def _key_path_exists(c: Campaign, key_path: str) -> bool:
    """Whether a dotted path (schedules.0.rows.3.time) names a field of the campaign; `notice` is its notice.md."""
    if key_path == "notice":
        return True
    node: object = c
    for step in key_path.split("."):
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            names = {f.name for f in dataclasses.fields(node) if not f.metadata.get("internal")}
            if step not in names:
                return False
            node = getattr(node, step)
        elif isinstance(node, list) and step.isascii() and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return False
    return True


def _check_unfilled(node: yamlio.Node, docs: dict[str, Document], path: str, errors: Collector, severity: str) -> None:
    """Every 待填写 left (by `new` or `import` where a fact goes), in YAML or Markdown: errors unless a draft."""
    hint = N_("fill it in with this year's text, or keep `draft: true` until it is done")
    for where, key in _marked(node):
        errors.add(where.path, where.line, where.column, N_(UNFILLED_KEY, key=key, marker=model.TO_FILL), hint,
                   severity)
    for name, doc in docs.items():
        at = doc.text.find(model.TO_FILL)
        if at >= 0:
            line = doc.text.count("\n", 0, at) + 1
            column = at - doc.text.rfind("\n", 0, at)
            errors.add(posixpath.join(posixpath.dirname(path), name), line, column,
                       N_(UNFILLED_TEXT, marker=model.TO_FILL), hint, severity)


def _marked(node: yamlio.Node, key: str = "") -> list[tuple[yamlio.Node, str]]:
    """Every scalar under node that holds the to-fill marker, with the key it is under."""
    if node.kind == "mapping":  # the editors' own lists are never published: a 待填写 quoted there is no gap in the text
        return [found for k, v in node.value.items() if not (key == "" and k in UNPUBLISHED) for found in _marked(v, k)]
    if node.kind == "sequence":
        return [found for v in node.value for found in _marked(v, key)]
    return [(node, key)] if isinstance(node.value, str) and model.TO_FILL in node.value else []


def leading_sections(c: Campaign) -> tuple[str, ...]:
    """The fields the site shows as the notice's first sections, before the body's own: the guiding ideology, the theme."""
    return tuple(name for name in ("guiding_ideology", "theme") if getattr(c, name))


def first_section(c: Campaign) -> int:
    """The number of the notice body's first `## ` section (leading_sections come before it on the page)."""
    return 1 + len(leading_sections(c))


def _check_typed_numbers(c: Campaign, doc: Document, path: str, errors: Collector) -> None:
    """A section number typed by hand is dropped (the site numbers sections); say so when it is not the number it gets."""
    first = first_section(c)
    for i, s in enumerate(doc.sections):
        if not s.typed:
            continue
        n = first + i
        if s.typed.rstrip("、.．").strip("（()）") not in (cn_number(n), str(n)):
            errors.add(path, s.line, 4, N_("the heading is numbered %(typed)s by hand, but it is section %(number)s of the notice",
                                           typed=s.typed, number=cn_number(n) + "、"),
                       N_("the site numbers sections itself (the guiding ideology and the theme come first): remove %(typed)s",
                          typed=s.typed), "warning")


def _bad_file_name(name: str) -> str:
    """Why a referenced file name is not allowed, or '' when it is fine."""
    if name.startswith("/") or "\\" in name or ":" in name:
        return N_("must be a relative path")
    norm = posixpath.normpath(name)
    if norm.startswith("..") or norm == ".":
        return N_("points outside the campaign folder")
    if not name.endswith(".md"):
        return N_("is not a Markdown (.md) file")
    return ""


def _file_refs(c: Campaign) -> list[tuple[str, model.Loc]]:
    """Every Markdown file a campaign refers to, with where it was named."""
    refs = [(c.body, c.loc), (c.body_en, c.loc)] + [(a.file, a.loc) for a in c.attachments]
    return [(name, loc) for name, loc in refs if name]


def _cross_check(c: Campaign, path: str, errors: Collector) -> None:
    """Checks that span fields: unique ids, references, date order, one kind per attachment."""
    def add(loc, msg, hint=""):
        errors.add(loc.path or path, loc.line, loc.column, msg, hint)

    for twice, items in ((N_("two schedules have the id `%(id)s` (the first is at line %(line)s)"), c.schedules),
                         (N_("two slogan groups have the id `%(id)s` (the first is at line %(line)s)"), c.slogans)):
        seen: dict[str, model.Loc] = {}
        for item in items:
            if item.id in seen:
                add(item.loc, N_(twice, id=item.id, line=seen[item.id].line), N_("give each a different id"))
            seen.setdefault(item.id, item.loc)
    schedule_ids = {s.id for s in c.schedules}
    group_ids = {g.id for g in c.slogans}
    for a in c.attachments:
        if not a.numbered and len(c.attachments) > 1:  # GB/T 9704: only a notice's one attachment goes without a number
            add(a.loc, N_("attachment `%(title)s` has `numbered: false`, but the notice has %(num)d attachments",
                          title=a.title, num=len(c.attachments)),
                N_("only a notice's single attachment is printed as 附件 without a number: delete `numbered: false`"))
        kinds = [k for k in ("schedule", "slogans", "file") if getattr(a, k)]
        if len(kinds) != 1:
            add(a.loc, N_("attachment `%(title)s` must have exactly one of schedule, slogans or file (found %(found)s)",
                          title=a.title, found=len(kinds) or N_("none")),
                N_("use `schedule: <id>` for a table, `slogans: [<id>]` for slogans, `file: name.md` for text"))
        if a.schedule and a.schedule not in schedule_ids:
            add(a.loc, N_("attachment `%(title)s` refers to schedule `%(id)s`, which does not exist", title=a.title, id=a.schedule),
                _choices(schedule_ids))
        for g in a.slogans or []:
            if g not in group_ids:
                add(a.loc, N_("attachment `%(title)s` refers to slogan group `%(id)s`, which does not exist", title=a.title, id=g),
                    _choices(group_ids))
    for key, printed, bodies in (("recipients", c.recipients_printed, c.recipients), ("copies", c.copies_printed, c.copies)):
        if printed and not _in_order(bodies, printed):
            add(c.loc, N_("`%(key)s_printed` does not hold every entry of `%(key)s` in order", key=key),
                N_("copy the line from the notice as printed, and keep `%(key)s` listing the same bodies", key=key))
    if isinstance(c.period, Period) and c.period.start > c.period.end:  # text periods were read into a Period, or reported
        add(c.period.loc, N_("the period ends (%(end)s) before it starts (%(start)s)", end=c.period.end, start=c.period.start),
            N_("swap start and end"))
    for s in c.schedules:
        for row in s.rows:
            if row.start and row.end and row.start > row.end:
                add(row.loc, N_("activity `%(name)s` ends (%(end)s) before it starts (%(start)s)", name=row.name, end=row.end,
                                start=row.start), N_("swap start and end"))
    if c.issue_date and c.issue_date.year not in (c.year - 1, c.year):
        add(c.loc, N_("issue_date %(date)s is not in %(year)s or the year before", date=c.issue_date, year=c.year),
            N_("check the year of the issue date"))


def _choices(ids) -> str:
    return N_("existing ids: %(ids)s", ids=", ".join(sorted(ids))) if ids else N_("define it first")


def load(content_dir: str | Path, drafts: bool = False, workers: int = 1, memo: dict | None = None,
         changed: set[Path] | None = None, listing: dict | None = None, look: tuple = (None, None)) -> Content:
    """Read and validate site.yaml and every campaign under content_dir; raise QmError listing all problems.

    `workers` > 1 parses campaigns in forked processes when there are many (same result, same order).
    `memo`, a dict the caller keeps between calls (the dev server does), skips re-parsing campaign
    folders whose files are unchanged (same names, sizes and modification times). A caller that knows
    every path changed since its last call (the dev server's watcher) passes them as `changed`, and the
    other folders in the memo are taken as they were without reading their signatures; with `listing`, another
    dict it keeps, content/ itself is not listed again when each changed path is a file of a campaign folder.
    `look`: the --templates and --assets folders (None: those beside content/, if any).
    """
    start = begin(content_dir, memo, changed, listing, look)
    root = start.root
    touched = None if changed is None else {root / p.relative_to(root).parts[0] for p in changed if p.is_relative_to(root)}
    return assemble(start, _load_campaigns(start.folders, workers, memo, touched), drafts)


@dataclass
class Start:
    """What load reads before the campaigns: site.yaml, the campaign folders, the site's assets, and their problems."""

    root: Path
    site: Site | None
    folders: list[Path]
    assets: tuple[tuple[str, bytes], ...]  # the files of content/assets/ that may be published
    errors: Collector
    asset_names: frozenset[str] = frozenset()  # every file found there, refused ones too (already reported)
    look: Look = Look()


def begin(content_dir: str | Path, memo: dict | None = None, changed: set[Path] | None = None,
          listing: dict | None = None, look: tuple = (None, None)) -> Start:
    """The first stage of load: site.yaml parsed, campaign folders listed (not read), assets read."""
    root = Path(content_dir)
    errors = Collector()
    if not root.is_dir():
        raise QmError.at(str(root), 0, 0, N_("the content folder does not exist"),
                         N_("pass --content with the folder that holds site.yaml"))
    site_path = root / SITE_FILE
    site = None
    if site_path.exists() or site_path.is_symlink():
        text = _read_text(site_path, root, errors)
        if text is not None:
            site = parse_site(text, _show(site_path), errors)
    else:
        errors.add(_show(site_path), 0, 0, N_("site.yaml is missing"), N_("create it with title, description and base_url"))
    folders = _listed(root, errors, memo, changed, listing)
    published, names = _read_assets(root / ASSETS_DIR, root, errors)
    return Start(root, site, folders, published, errors, names, look_mod.read(root, errors, *look))


def assemble(start: Start, loaded: list[tuple[Entry | None, list]], drafts: bool = False) -> Content:
    """The last stage of load: each folder's (entry, problems) checked against the others; QmError with every problem.

    The entries may be summaries (see `summary`): nothing here reads a document but to compare texts.
    """
    errors, site = start.errors, start.site
    entries: list[Entry] = []
    for entry, problems in loaded:
        errors.extend(problems)
        if entry:
            entries.append(entry)
    seen: dict[str, Entry] = {}
    for e in entries:
        if e.id in seen:
            first = seen[e.id].campaign.loc
            errors.add(e.campaign.loc.path, e.campaign.loc.line, e.campaign.loc.column,
                       N_("campaign id `%(id)s` is already used by %(path)s", id=e.id, path=first.path),
                       N_("change `slug` (or `year`) so each campaign has its own URL"))
        seen.setdefault(e.id, e)
    identity = theme_mod.PLAIN
    if site is not None:
        _check_logos(site, entries, start.asset_names, errors)
        identity = _check_theme(site, entries, start, errors)
        _check_fonts(site, start.root, errors)
    _check_copies(entries, errors)
    errors.raise_if_any()
    assert site is not None
    _note_incomplete(entries, errors)
    kept = tuple(sorted((e for e in entries if published(e, drafts)), key=lambda e: (-e.year, e.id)))
    sources = tuple(sorted((e.folder, e.campaign.title, tuple(sorted(e.docs)), e.campaign.body or "", first_section(e.campaign))
                           for e in entries))
    return Content(site, kept, tuple(errors.warnings), start.assets, start.root, sources, start.look, identity)


def published(e: Entry, drafts: bool) -> bool:
    """Whether a campaign is on the site: always with --drafts, else when it is neither a draft nor incomplete."""
    return drafts or not (e.campaign.draft or e.campaign.incomplete)


def summary(e: Entry) -> Entry:
    """The entry as a build's parent holds it while workers that loaded the campaign render it: what site-wide pages
    show and assemble checks.

    Its documents keep only a digest of their text (what _check_copies compares), its schedules no rows (three
    quarters of a campaign's data, shown on its own pages only): at 5,000 campaigns 120 MB less in the parent.
    """
    docs = {name: Document("", (), hashlib.sha256(d.text.encode()).hexdigest()) for name, d in e.docs.items()}
    schedules = [dataclasses.replace(s, rows=[]) for s in e.campaign.schedules]
    return dataclasses.replace(e, docs=docs, campaign=dataclasses.replace(e.campaign, schedules=schedules))


def _listed(root: Path, errors: Collector, memo: dict | None, changed: set[Path] | None, listing: dict | None) -> list[Path]:
    """campaign_folders; the last listing (with its problems) when no changed path can alter it (see _listed_as_before)."""
    if listing and memo is not None and changed is not None and all(_listed_as_before(p, root, memo) for p in changed):
        folders, problems = listing["folders"]
        errors.extend(problems)
        return folders
    found = Collector()
    # The memo's own Path objects: a new one per folder on every save would be parsed and hashed again (pathlib).
    folders = campaign_folders(root, found, None if memo is None else {str(f): f for f in memo})
    errors.extend(found.problems)
    if listing is not None:
        listing["folders"] = (folders, found.problems)
    return folders


def _listed_as_before(path: Path, root: Path, memo: dict) -> bool:
    """Whether a changed path leaves content/'s listing as it was: a file inside a campaign folder that still has its
    campaign.yaml (a folder made, moved or deleted is named by itself, which is not inside one)."""
    if not path.is_relative_to(root):
        return False
    parts = path.relative_to(root).parts
    folder = root / parts[0] if parts else root
    return len(parts) > 1 and folder in memo and os.path.lexists(os.path.join(folder, CAMPAIGN_FILE)) and folder.is_dir()


def _note_incomplete(entries: list[Entry], errors: Collector) -> None:
    """A warning for each campaign that would be published but is marked incomplete (so it is not)."""
    for e in entries:
        c = e.campaign
        if c.incomplete and not c.draft:
            errors.add(c.loc.path, c.loc.line, c.loc.column,
                       N_("`%(id)s` is marked incomplete (%(reason)s) and is left off the public site", id=e.id,
                          reason=c.incomplete),
                       N_("when everything is entered, delete the line `incomplete: …`"), "warning")


# What a copy may not publish unchanged without saying so, and how messages name it.
COMPARED = {"slogans": N_("the slogans"), "attachments": N_("the attachments (titles or texts)"), "contacts": N_("the contacts")}


def _check_copies(entries: list[Entry], errors: Collector) -> None:
    """A campaign to publish that `new` started from another may not repeat its slogans, attachments or contacts unconfirmed."""
    by_id = {e.id: e for e in entries}
    for e in entries:
        c, source = e.campaign, by_id.get(e.campaign.copied_from or "")
        if c.draft or source is None:
            continue
        for part in COMPARED:
            if part in c.confirmed_same or not getattr(c, part) or not _same(e, source, part):
                continue
            at = getattr(c, part)[0].loc  # the first group, attachment or contact: where the copy starts
            errors.add(at.path or c.loc.path, at.line, at.column,
                       N_("%(what)s are the same as in %(source)s, the campaign this one was copied from",
                          what=COMPARED[part], source=source.id),
                       N_("enter this year's; if last year's are right, add `confirmed_same: [%(part)s]` under `draft:`",
                          part=part))


def _same(a: Entry, b: Entry, part: str) -> bool:
    """Whether a campaign repeats another's slogans (the same list), contacts, or attachments (titles and texts)."""
    x, y = a.campaign, b.campaign
    if part == "slogans":
        return _slogan_texts(x) == _slogan_texts(y)
    if part == "attachments":
        return [t.title for t in x.attachments] == [t.title for t in y.attachments] or any(
            p.file and q.file and a.docs[p.file].text == b.docs[q.file].text for p, q in zip(x.attachments, y.attachments))
    return x.contacts == y.contacts


def _slogan_texts(c: Campaign) -> list[str]:
    """Every slogan of a campaign, in order."""
    return [s if isinstance(s, str) else s.text for g in c.slogans for s in g.items]


def campaign_folders(root: Path, errors: Collector, known: dict[str, Path] | None = None) -> list[Path]:
    """The campaign folders of content/, sorted; a folder that looks meant as one but would not be built is reported.

    `known` (str(path) -> path) gives the Path objects of folders listed before, whose hashes are made already.
    """
    folders = []
    with os.scandir(root) as it:
        found = sorted(it, key=lambda d: d.name)
    known = known or {}
    for d in found:
        path = known.get(d.path) or Path(d.path)
        if d.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
            errors.add(_show(path), 0, 0, N_("`%(name)s` is a link to a folder outside the content folder", name=d.name),
                       N_("only files inside the content folder are published: move the folder in instead of linking to it"))
            continue
        if not d.is_dir() or d.name == ASSETS_DIR:
            continue
        # os.path, not pathlib: the dev server lists content/ on every save (a stat per folder either way)
        has_yaml = os.path.lexists(os.path.join(d.path, CAMPAIGN_FILE))
        if d.name.startswith((".", "_")):
            if has_yaml:  # hidden on purpose (.git, _drafts) is fine, but say so when it holds a campaign
                errors.add(_show(path), 0, 0,
                           N_("the campaign in `%(name)s` is not built: folders starting with . or _ are skipped",
                                                 name=d.name), N_("rename the folder to YEAR-NAME, e.g. 2023-national"), "warning")
            continue
        if has_yaml:
            folders.append(path)
        elif (path / "campaign.yml").exists():
            errors.add(_show(path / "campaign.yml"), 0, 0, N_("the campaign file must be called campaign.yaml, not campaign.yml"),
                       N_("rename it to campaign.yaml"))
        else:
            errors.add(_show(path), 0, 0, N_("the folder `%(name)s` has no campaign.yaml, so it is not a campaign", name=d.name),
                       N_("add its campaign.yaml, or move the folder out of content/ (or start its name with _ to skip it)"))
    return folders


def _read_assets(folder: Path, root: Path, errors: Collector) -> tuple[tuple[tuple[str, bytes], ...], frozenset[str]]:
    """The files under content/assets/ that may be published, by name relative to that folder; and every name found.

    content/assets/ is published on the web editor's origin, so each file must be a kind `asset_kind` accepts, or
    check and build name it and stop. Sub-folders are published as they are (assets/icons/a.png), each file checked
    the same way; hidden files and folders (.DS_Store, .git, an editor's .swp) are skipped and never published, as
    everywhere in content/.
    """
    if not folder.is_dir():
        return (), frozenset()
    found, names = [], set()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(n for n in filenames if not n.startswith(".")):
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            names.add(rel)
            try:
                data = _read_asset(path, root)
            except QmError as exc:
                errors.extend(exc.problems)
            except Unreadable as exc:
                errors.add(_show(path), 0, 0, exc.message, exc.hint)
            except FileNotFoundError:
                errors.add(_show(path), 0, 0, N_("`%(name)s` is a broken link", name=name), N_("remove it or point it at a file"))
            else:
                found.append((rel, data))
    return tuple(found), frozenset(names)


def _read_asset(path: Path, root: Path) -> bytes:
    """The bytes of one file of content/assets/ if it may be published; QmError naming it if not."""
    shown = _show(path)
    # the size is checked before reading: a huge upload is refused unread
    data = read_bytes(path, root, asset_kinds.MAX_BYTES, lambda size: asset_kinds.check_size(shown, size))
    asset_kinds.asset_kind(shown, data)
    return data


def _check_logos(site: Site, entries: list[Entry], assets: frozenset[str], errors: Collector) -> None:
    """Every poster logo named in site.yaml or a campaign must be a picture under content/assets/ (check finds what build would)."""
    for style in [site.posters] + [e.campaign.posters for e in entries if e.campaign.posters]:
        if not style.logo:
            continue
        loc = style.loc
        if style.logo not in assets:
            errors.add(loc.path or SITE_FILE, loc.line, loc.column,
                       N_("the poster logo `%(name)s` is not in %(folder)s/", name=style.logo, folder=ASSETS_DIR),
                       N_("put the SVG or PNG into content/assets/ and give its name relative to that folder, e.g. logo.svg"))
        elif asset_kinds.EXTENSIONS.get(PurePosixPath(style.logo).suffix.lower()) not in asset_kinds.PICTURES:
            errors.add(loc.path or SITE_FILE, loc.line, loc.column,
                       N_("the poster logo `%(name)s` is not a picture", name=style.logo),
                       N_("give an SVG, PNG, JPEG or WebP file of content/assets/ as the logo"))


def _check_theme(site: Site, entries: list[Entry], start: Start, errors: Collector) -> Identity:
    """site.yaml's theme (colours against the site.css in force) and every key visual checked; the site's Identity."""
    base = theme_mod.defaults(look_mod.stylesheet(start.look))
    theme_mod.check_colours(site.theme, base, site.theme.loc.path or SITE_FILE, errors)
    visuals = [(e.id, (e.campaign.key_visual, e.campaign.loc)) for e in entries if e.campaign.key_visual]
    return theme_mod.check_pictures(site, visuals, dict(start.assets), base, errors)


def _check_fonts(site: Site, root: Path, errors: Collector) -> None:
    """Every 公文 font named in site.yaml must be a font file inside the content folder, outside the published assets/."""
    fonts = site.gongwen.fonts
    loc = fonts.loc
    for key in ("fangsong", "xiaobiaosong", "heiti", "kaiti"):
        name = getattr(fonts, key)
        if name is None:
            continue
        problem = _font_file_problem(root, name)
        if problem is not None:
            errors.add(loc.path or SITE_FILE, loc.line, loc.column, problem[0], problem[1])


def _font_file_problem(root: Path, name: str) -> tuple[str, str] | None:
    """Why `name` (relative to the content folder) cannot be a 公文 font, as (problem, hint); None when it can."""
    path = (root / name).resolve()
    inside = root.resolve()
    if PurePosixPath(name).is_absolute() or not path.is_relative_to(inside):
        return (N_("the font `%(name)s` is not inside the content folder", name=name),
                N_("copy the font file into the content folder (e.g. content/_fonts/) and give its path relative to it"))
    if path.is_relative_to(inside / ASSETS_DIR):
        return (N_("the font `%(name)s` is in %(folder)s/, which is published on the site", name=name, folder=ASSETS_DIR),
                N_("move it to another folder of the content folder, e.g. content/_fonts/: a licensed font must not be published"))
    if not path.is_file():
        return (N_("the font file `%(name)s` does not exist", name=name),
                N_("check the path: it is relative to the content folder, e.g. _fonts/fangsong_gb2312.ttf"))
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), fontNumber=0, lazy=True) as font:
            font["cmap"]
    except Exception:  # fontTools raises many kinds on a file that is not a font
        return (N_("`%(name)s` is not a font file fontTools can read", name=name),
                N_("give a TrueType or OpenType font (.ttf, .otf or .ttc)"))
    return None


PARALLEL_MIN_CAMPAIGNS = 200  # below this, starting processes costs more than parsing


def _load_campaigns(folders: list[Path], workers: int, memo: dict | None,
                    touched: set[Path] | None = None) -> list[tuple[Entry | None, list]]:
    """(entry or None, problems) for each campaign folder, in folder order; unchanged folders come from memo.

    With `touched` (the folders that hold every changed path), other folders in the memo are not signed again.
    """
    if memo is None:
        signatures = {}
    elif touched is None:
        signatures = {f: _signature(f) for f in folders}
    else:
        signatures = {f: memo[f][0] if f in memo and f not in touched else _signature(f) for f in folders}
    todo = [f for f in folders if memo is None or memo.get(f, (None,))[0] != signatures[f]]
    parsed = dict(zip(todo, _parse_folders(todo, workers)))
    if memo is not None:
        for f in list(memo):
            if f not in signatures:
                del memo[f]  # a campaign folder was removed
        for f, result in parsed.items():
            memo[f] = (signatures[f], result)
        return [memo[f][1] for f in folders]
    return [parsed[f] for f in folders]


def _signature(folder: Path, rel: str = "") -> tuple:
    """What identifies a campaign folder's state cheaply: every file's name, size and modification time."""
    found: list[tuple] = []
    with os.scandir(folder) as it:  # scandir, not rglob: the dev server signs every folder on each save
        for d in sorted(it, key=lambda d: d.name):
            st = d.stat()
            found.append((rel + d.name, st.st_size, st.st_mtime_ns))
            if d.is_dir():
                found.extend(_signature(Path(d.path), rel + d.name + "/"))
    return tuple(found)


def _parse_folders(folders: list[Path], workers: int) -> list[tuple[Entry | None, list]]:
    """Parse campaign folders, in forked processes when there are many; results in folder order."""
    return fork_map(load_folders, folders, workers, PARALLEL_MIN_CAMPAIGNS)


def load_folders(folders: Sequence[Path]) -> list[tuple[Entry | None, list]]:
    """Parse some campaign folders (in a worker or in-process); problems are returned, not raised."""
    renderer = Renderer()
    out = []
    for folder in folders:
        errors = Collector()
        _, entry = _parse_folder(folder, renderer, errors)
        out.append((entry, errors.problems))
    return out


def _parse_folder(folder: Path, renderer: Renderer, errors: Collector) -> tuple[str | None, Entry | None]:
    """A campaign folder's campaign.yaml text and Entry, read only from regular files inside the content folder."""
    yaml_path = folder / CAMPAIGN_FILE
    text = _read_text(yaml_path, folder.parent, errors)
    entry = None if text is None else parse_campaign(text, _show(yaml_path), _reader(folder), renderer, errors, folder.name)
    return text, entry


def read_campaign(folder: Path) -> tuple[str, Entry]:
    """One campaign folder, as `check` reads it: its campaign.yaml text and Entry; QmError listing every problem."""
    errors = Collector()
    text, entry = _parse_folder(folder, Renderer(), errors)
    errors.raise_if_any()
    assert text is not None and entry is not None  # no errors: both were read
    return text, entry


def _show(path: Path) -> str:
    """A path as printed in messages: relative to the working folder when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read_text(path: Path, root: Path, errors: Collector) -> str | None:
    """A YAML file's text, or None with the one problem that stops it recorded at the file."""
    try:
        return read_text(path, root)
    except FileNotFoundError:
        errors.add(_show(path), 0, 0, N_("`%(name)s` is a broken link", name=path.name), N_("remove it or point it at a file"))
    except Unreadable as exc:
        errors.add(_show(path), exc.line if exc.in_file else 0, exc.column if exc.in_file else 0, exc.message, exc.hint)
    return None


def _reader(folder: Path) -> Callable[[str], str]:
    """A `read(name)` for files of one campaign folder: regular files inside the content folder only."""
    def read(name: str) -> str:
        return read_text(folder / name, folder.parent)
    return read
