"""Search: a Pagefind index of the written site, made in the staging folder before it is swapped in.

Pagefind's extended build (the pinned `pagefind[extended]` package ships the binary) segments Chinese, so
机械工业 finds the 2014 slogans. It indexes what lies inside `data-pagefind-body` (reader pages only: not the
404 page, the search page or the print sheets) and writes a static, fragment-per-page index that a reader's
browser fetches piece by piece: nothing is sent anywhere but our own host, so the CSP needs only
'wasm-unsafe-eval' for its WebAssembly.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import QmError
from ..i18n import N_

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


def reader_glob(pages: Iterable) -> str:
    """A Pagefind --glob of the reader pages' files, e.g. {index.html,*/*/notice/index.html,…}.

    Pagefind reads every file its glob matches, and parsing the poster sheets (pages of SVG, never indexed) took
    as long as indexing everything else. Per template, language and depth, a path segment the pages share is kept
    and one that differs (year, campaign) becomes *.
    """
    groups: dict[tuple[str, str, int], list[list[str]]] = {}
    for page in pages:
        if is_reader(page.template):
            groups.setdefault((page.template, page.lang, page.out.count("/")), []).append(page.out.split("/"))
    patterns = {"/".join(seg[0] if len(set(seg)) == 1 else "*" for seg in zip(*outs)) for outs in groups.values()}
    return "{" + ",".join(sorted(patterns)) + "}"


def index_site(root: Path, glob: str = "**/*.html") -> None:
    """Index the pages under root that `glob` matches into root/pagefind/, with the Pagefind of the installed package.

    The command, not the package's asynchronous Python API: that API stops its service as soon as the service
    answers "written", and under load the last file (pagefind-entry.json) was sometimes left empty. The binary
    itself, as pagefind_bin_extended.get_executable names it: `python -m pagefind` cost 0.1 s of start-up a build.
    """
    import subprocess  # ~2.5 ms: only builds with the search index pay for it

    args = ["--site", str(root), "--glob", glob, "--output-subdir", FOLDER, "--force-language", LANGUAGE,
            "--exclude-selectors", ", ".join(IGNORED), "--silent"]
    try:
        from pagefind_bin_extended import get_executable

        command = [str(get_executable()), *args]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except (ImportError, OSError) as exc:  # FileNotFoundError: the package without its binary
        done = subprocess.CompletedProcess(args, 1, "", str(exc))
    entry = root / FOLDER / "pagefind-entry.json"  # written last: present and not empty when the index is whole
    if done.returncode != 0 or not entry.is_file() or not entry.stat().st_size:
        error = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise QmError.at(str(root), 0, 0, N_("the search index could not be made: %(error)s", error=error[0]),
                         N_("reinstall the locked packages (pagefind[extended] ships the Pagefind binary)"))
