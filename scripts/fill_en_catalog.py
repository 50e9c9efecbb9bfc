#!/usr/bin/env python3
"""Fill the English catalog: the msgids are English, so every msgstr is its msgid (run by `make i18n`).

    python scripts/fill_en_catalog.py [qm_site/locale/en/LC_MESSAGES/messages.po]
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "qm_site" / "locale" / "en" / "LC_MESSAGES" / "messages.po"


def fill(path: Path) -> int:
    """Set msgstr = msgid (both plural forms) for every message and clear fuzzy flags; returns how many changed."""
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    changed = 0
    catalog.fuzzy = False
    for message in catalog:
        if not message.id:
            continue
        # `pybabel update` marks near-matches fuzzy with the old text; English never needs a guess.
        want = tuple(message.id) if message.pluralizable else message.id
        if message.string != want or message.fuzzy:
            message.string = want
            message.flags.discard("fuzzy")
            changed += 1
    with path.open("wb") as fh:
        write_po(fh, catalog, width=76, ignore_obsolete=True)
    return changed


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else PO
    print(f"{target}: {fill(target)} messages filled")
