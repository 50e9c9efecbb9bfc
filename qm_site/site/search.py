"""Search: a Pagefind index of the written site, made in the staging folder before it is swapped in.

Pagefind's extended build (the pinned `pagefind[extended]` package ships the binary) segments Chinese, so
机械工业 finds the 2014 slogans. It indexes what lies inside `data-pagefind-body` (reader pages only: not the
404 page, the search page or the print sheets) and writes a static, fragment-per-page index that a reader's
browser fetches piece by piece: nothing is sent anywhere but our own host, so the CSP needs only
'wasm-unsafe-eval' for its WebAssembly.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from ..errors import QmError
from ..i18n import N_

# One index for both languages, segmented as Chinese (English words are still split at spaces): a reader finds
# every campaign from either language's search page, and an English page's untranslated Chinese is searchable.
LANGUAGE = "zh-cn"
FOLDER = "pagefind"  # under the site root: the search page loads pagefind/pagefind-ui.js from there
# Repeated or decorative text that would only add noise to results: hidden labels repeat the slogan beside them.
IGNORED = (".visually-hidden", ".campaign-bar", ".schedule-filter", ".poster-link", ".ics", "svg", ".qr")


def index_site(root: Path) -> int:
    """Index the site written under root into root/pagefind/; returns how many pages were indexed."""
    try:
        return asyncio.run(_index(root))
    except (OSError, AssertionError, RuntimeError) as exc:  # the binary missing or failing: say so, once
        raise QmError.at(str(root), 0, 0, N_("the search index could not be made: %(error)s", error=str(exc) or type(exc).__name__),
                         N_("reinstall the locked packages (pagefind[extended] ships the Pagefind binary)")) from None


async def _index(root: Path) -> int:
    """Pagefind's own directory indexing, through its Python API."""
    config = IndexConfig(exclude_selectors=list(IGNORED), output_path=str(root / FOLDER), force_language=LANGUAGE)
    async with PagefindIndex(config) as index:  # leaving the block writes the files
        result = await index.add_directory(str(root))
    return int(result["page_count"])
