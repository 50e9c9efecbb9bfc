"""Search: a Pagefind index of the written site, made in the staging folder before it is swapped in.

Pagefind's extended build (the pinned `pagefind[extended]` package ships the binary) segments Chinese, so
机械工业 finds the 2014 slogans. It indexes what lies inside `data-pagefind-body` (reader pages only: not the
404 page, the search page or the print sheets) and writes a static, fragment-per-page index that a reader's
browser fetches piece by piece: nothing is sent anywhere but our own host, so the CSP needs only
'wasm-unsafe-eval' for its WebAssembly.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import QmError
from ..i18n import N_
from .output import write_tree

# One index for both languages, segmented as Chinese (English words are still split at spaces): a reader finds
# every campaign from either language's search page, and an English page's untranslated Chinese is searchable.
LANGUAGE = "zh-cn"
FOLDER = "pagefind"  # under the site root: the search page loads pagefind/pagefind-ui.js from there
# Repeated or decorative text that would only add noise to results: hidden labels repeat the slogan beside them.
IGNORED = (".visually-hidden", ".campaign-bar", ".schedule-filter", ".poster-link", ".ics", "svg", ".qr")


# Pages that are not indexed: the 404 and search pages; the posters, print sheets and slogan library, which repeat
# the campaigns' slogans pages, and the 公众号 article, which repeats the notice (each text is indexed once: Pagefind
# segments Chinese at ~0.6 MB/s); the site map (titles only).
SKIPPED = frozenset({"404.html", "search.html", "posters.html", "poster_sheet.html", "library.html", "library_year.html",
                     "gongwen.html", "sitemap.html", "article.html"})


def is_reader(template: str) -> bool:
    """Whether pages of this template go into the index (base.html marks their <main> data-pagefind-body)."""
    return template not in SKIPPED


def reader_files(pages: Iterable) -> list[str]:
    """The files of the reader pages, relative to the site root, in the order the index numbers them (sorted)."""
    return sorted(page.out for page in pages if is_reader(page.template))


def index_site(root: Path, files: Sequence[str] | None = None, mtime: int | None = None) -> None:
    """Index `files` (paths under root; default every .html file) into root/pagefind/, with the installed Pagefind."""
    with Indexer(root) as indexer:
        indexer.index(sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")) if files is None else files,
                      mtime)


class Indexer:
    """One `pagefind --service` run in the site root: started before the pages are rendered, it indexes them after.

    Pagefind numbers pages in the order it meets them, and its command meets them in the order the file system
    lists a folder (tmpfs: newest first; ext4: by a hash seeded per file system), so the same site gave
    different index bytes in different places. The service takes the pages one by one: sent in sorted order,
    the index is the same wherever it is built. The files come back in its answer and are written here, so a
    full disk is the site's own error, and no file is left half written by a process stopped too soon (what
    happened with the package's Python API, which also polls every 0.1 s).

    Its first Chinese page costs 0.18 s (the segmenter's dictionary): a throwaway index of one page, sent at
    start, pays that on the other core while the site renders. The protocol is the Python API's: base64 of a
    JSON message, then a comma, each way. The service reads on a thread of its own into an unbounded queue, so
    every request is written (a page at a time: a large site is never all in memory here) before any answer is
    read without either side blocking; it ends when its input closes, so also when this process (and what it
    forked since) has died.
    """

    WARM_UP = "<html lang=\"zh-CN\"><body><main data-pagefind-body>质量月活动</main></body></html>"

    def __init__(self, root: Path) -> None:
        import subprocess  # ~2.5 ms: only builds with the search index pay for it

        self.root, self.sent = root, 0
        try:
            from pagefind_bin_extended import get_executable

            self.service = subprocess.Popen([str(get_executable()), "--service"], cwd=root, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except (ImportError, OSError) as exc:  # FileNotFoundError: the package without its binary
            raise _failure(root, str(exc)) from None
        self._send([self._new_index(), {"type": "AddFile", "index_id": 0, "file_path": "warm-up.html", "url": None,
                                        "file_contents": self.WARM_UP}])

    def index(self, files: Sequence[str], mtime: int | None = None) -> None:
        """Index `files` (paths under root, in this order) into root/pagefind/; `mtime` as for write_tree."""
        # Index 1: the service numbers indexes as they are made, and the warm-up's is 0.
        pages = ({"type": "AddFile", "index_id": 1, "file_path": rel, "url": None,
                  "file_contents": (self.root / rel).read_text(encoding="utf-8")} for rel in files)
        self._send(itertools.chain([self._new_index()], pages, [{"type": "GetFiles", "index_id": 1}]))
        answers = self._finish()
        failed = next((a.get("message") for a in answers if a.get("type") == "Error"), None)
        made = answers[-1].get("files")
        if failed is not None or answers[2].get("index_id") != 1 or not isinstance(made, list):
            raise _failure(self.root, failed or "Pagefind gave no index")
        write_tree({f"{FOLDER}/{item['path']}": base64.b64decode(item["content"]) for item in made}, self.root, mtime)

    @staticmethod
    def _new_index() -> dict:
        """The request for an index of the site's pages as the search page expects it."""
        return {"type": "NewIndex", "config": {"force_language": LANGUAGE, "exclude_selectors": list(IGNORED)}}

    def _send(self, requests: Iterable[dict]) -> None:
        """Write requests to the service (an early end of the service is found by _finish, as answers missing)."""
        assert self.service.stdin is not None
        try:
            for payload in requests:
                message = json.dumps({"message_id": self.sent, "payload": payload}, ensure_ascii=False)
                self.service.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
                self.sent += 1
            self.service.stdin.flush()
        except BrokenPipeError:  # it ended before reading everything: _finish says why, as answers are missing
            pass

    def _finish(self) -> list[dict]:
        """Every answer, in order; the service ended. A service that ended early is the one problem raised."""
        assert self.service.stdout is not None
        answers = _answers(self.service.stdout, self.sent)
        errors = self.close()
        if len(answers) < self.sent:
            raise _failure(self.root, (errors.strip().splitlines() or [f"exit status {self.service.returncode}"])[-1])
        return answers

    def close(self) -> str:
        """End the service and wait for it; what it said on stderr."""
        assert self.service.stdin is not None and self.service.stderr is not None
        with contextlib.suppress(BrokenPipeError):
            self.service.stdin.close()
        # Killed, not left to see the end of its input: a process forked since it started (the poster font's
        # subset, render workers) holds that input open too, and may itself wait for this process.
        self.service.kill()
        errors = self.service.stderr.read().decode("utf-8", "replace")
        self.service.wait()
        return errors

    def __enter__(self) -> Indexer:
        return self

    def __exit__(self, *exc) -> None:
        if self.service.returncode is None:
            self.close()


def _answers(stream, count: int) -> list[dict]:
    """Up to `count` answers read from the service's output (fewer when it ends early)."""
    answers: list[dict] = []
    message = bytearray()  # the index comes as one message of many megabytes: never copied whole per chunk read
    while len(answers) < count:
        chunk = stream.read1(1 << 20)
        if not chunk:
            break
        start = 0
        while (comma := chunk.find(b",", start)) >= 0:
            message += chunk[start:comma]
            answers.append(json.loads(base64.b64decode(message))["payload"])
            message.clear()
            start = comma + 1
        message += chunk[start:]
    return answers


def _failure(root: Path, error: str) -> QmError:
    """The one problem of an index that could not be made."""
    return QmError.at(str(root), 0, 0, N_("the search index could not be made: %(error)s", error=error),
                      N_("reinstall the locked packages (pagefind[extended] ships the Pagefind binary)"))
