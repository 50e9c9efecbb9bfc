"""Search: a Pagefind index of the written site, made in the staging folder before it is swapped in.

Pagefind's extended build (the pinned `pagefind[extended]` package ships the binary) segments Chinese, so
机械工业 finds the 2014 slogans. It indexes what lies inside `data-pagefind-body` (reader pages only: not the
404 page, the search page or the print sheets) and writes a static, fragment-per-page index that a reader's
browser fetches piece by piece: nothing is sent anywhere but our own host, so the CSP needs only
'wasm-unsafe-eval' for its WebAssembly.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..errors import QmError
from ..i18n import N_

# One index for both languages, segmented as Chinese (English words are still split at spaces): a reader finds
# every campaign from either language's search page, and an English page's untranslated Chinese is searchable.
LANGUAGE = "zh-cn"
FOLDER = "pagefind"  # under the site root: the search page loads pagefind/pagefind-ui.js from there
# Repeated or decorative text that would only add noise to results: hidden labels repeat the slogan beside them.
IGNORED = (".visually-hidden", ".campaign-bar", ".schedule-filter", ".poster-link", ".ics", "svg", ".qr")


def index_site(root: Path) -> None:
    """Index the site written under root into root/pagefind/ with the Pagefind command of the installed package.

    The command, not the package's asynchronous Python API: that API stops its service as soon as the service
    answers "written", and under load the last file (pagefind-entry.json) was sometimes left empty.
    """
    command = [sys.executable, "-m", "pagefind", "--site", str(root), "--output-subdir", FOLDER, "--force-language", LANGUAGE,
               "--exclude-selectors", ", ".join(IGNORED), "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        done = subprocess.CompletedProcess(command, 1, "", str(exc))
    entry = root / FOLDER / "pagefind-entry.json"  # written last: present and not empty when the index is whole
    if done.returncode != 0 or not entry.is_file() or not entry.stat().st_size:
        error = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise QmError.at(str(root), 0, 0, N_("the search index could not be made: %(error)s", error=error[0]),
                         N_("reinstall the locked packages (pagefind[extended] ships the Pagefind binary)"))
