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
# the campaigns' slogans pages (each text is indexed once: Pagefind segments Chinese at ~0.6 MB/s).
SKIPPED = frozenset({"404.html", "search.html", "posters.html", "poster_sheet.html", "library.html", "library_year.html",
                     "gongwen.html"})


def is_reader(template: str) -> bool:
    """Whether pages of this template go into the index (base.html marks their <main> data-pagefind-body)."""
    return template not in SKIPPED


def reader_files(pages: Iterable) -> list[str]:
    """The files of the reader pages, relative to the site root, in the order the index numbers them (sorted)."""
    return sorted(page.out for page in pages if is_reader(page.template))


def index_site(root: Path, files: Sequence[str] | None = None, mtime: int | None = None) -> None:
    """Index `files` (paths under root; default every .html file) into root/pagefind/, with the installed Pagefind.

    Pagefind numbers pages in the order it meets them, and its command meets them in the order the file system
    lists a folder (tmpfs: newest first; ext4: by a hash seeded per file system), so the same site gave
    different index bytes in different places. Its service mode takes the pages one by one: sent in sorted
    order, the index is the same wherever it is built. The files come back in the answer and are written here
    (`mtime` as for write_tree), so a full disk is the site's own error and no file is left half written by a
    process that was stopped too soon (what happened with the package's Python API, which also polls every 0.1 s).
    """
    if files is None:
        files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))
    pages = ({"type": "AddFile", "index_id": 0, "file_path": rel, "url": None,
              "file_contents": (root / rel).read_text(encoding="utf-8")} for rel in files)
    answers = _ask_service(root, itertools.chain(
        [{"type": "NewIndex", "config": {"force_language": LANGUAGE, "exclude_selectors": list(IGNORED)}}],
        pages, [{"type": "GetFiles", "index_id": 0}]))
    failed = next((a.get("message") for a in answers if a.get("type") == "Error"), None)
    made = answers[-1].get("files")
    if failed is not None or not isinstance(made, list):
        raise _failure(root, failed or "Pagefind gave no index")
    index = {f"{FOLDER}/{item['path']}": base64.b64decode(item["content"]) for item in made}
    write_tree(index, root, mtime)


def _ask_service(root: Path, requests: Iterable[dict]) -> list[dict]:
    """Pagefind's answers (payloads) to `requests`, sent to one `pagefind --service` run in root, in order.

    The protocol is the Python API's: base64 of a JSON message, then a comma, each way. The service reads its
    input on a thread of its own into an unbounded queue, so every request is written (one page at a time:
    a large site's pages are never all in memory here) before any answer is read without either side blocking;
    it ends when its input closes, so also when this process dies.
    """
    import subprocess  # ~2.5 ms: only builds with the search index pay for it

    try:
        from pagefind_bin_extended import get_executable

        service = subprocess.Popen([str(get_executable()), "--service"], cwd=root, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except (ImportError, OSError) as exc:  # FileNotFoundError: the package without its binary
        raise _failure(root, str(exc)) from None
    assert service.stdin is not None and service.stdout is not None and service.stderr is not None
    sent, answers = 0, []
    try:
        for payload in requests:
            message = json.dumps({"message_id": sent, "payload": payload}, ensure_ascii=False)
            service.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            sent += 1
        service.stdin.flush()
        answers = _answers(service.stdout, sent)
    except BrokenPipeError:  # it ended before reading everything: raised below with its last words, as answers are missing
        pass
    finally:
        with contextlib.suppress(BrokenPipeError):
            service.stdin.close()
        errors = service.stderr.read().decode("utf-8", "replace")
        service.wait()
    if not sent or len(answers) < sent:
        raise _failure(root, (errors.strip().splitlines() or [f"exit status {service.returncode}"])[-1])
    return answers


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
