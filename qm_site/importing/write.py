"""A draft as files: campaign.yaml (with the report's guesses as `review` entries), notice.md, attachment files.

The YAML is written by hand, in the order and style of the hand-made campaigns; each value is quoted
only where YAML would misread it. What a person must check against the notice is data, not comments:
a `review` list (field, the value as guessed, why) that `check` shows and the web form keeps, and
that `check` will not publish while an entry remains; where the file came from goes into `notes`.
Without comments the draft can be put in the web editor's form as it is written (see import_notice).
The campaign folder appears whole or not at all (written beside, then renamed into place), and an
existing folder is never touched.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import QmError
from ..i18n import N_, translate
from ..source.folders import write_folder
from ..source.model import TO_FILL
from .recognise import Draft

_INDICATORS = tuple("-?:,[]{}#&*!|>'\"%@`")


def scalar(value: Any) -> str:
    """One value as YAML: plain where it reads back the same, else a double-quoted string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value) if isinstance(value, int) else value.isoformat()
    text = str(value)
    plain_ok = (text and text == text.strip() and not text.startswith(_INDICATORS) and ": " not in text
                and " #" not in text and not _ESCAPED.search(text) and not text.endswith(":"))
    if plain_ok:
        try:
            plain_ok = yaml.safe_load(text) == text
        except yaml.YAMLError:
            plain_ok = False
    return text if plain_ok else _ESCAPED.sub(_escape, json.dumps(text, ensure_ascii=False))


# What YAML reads as a line break (\x85, U+2028/9) or refuses (other controls, U+FEFF, U+FFFE/F, lone surrogates),
# what hides text (bidi controls), and the line ends json.dumps escapes already: written as \uXXXX escapes.
_ESCAPED = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
                      "\ud800-\udfff\ufeff\ufffe\uffff]")


def _escape(m: re.Match[str]) -> str:
    """One character as a YAML (and JSON) escape."""
    return f"\\u{ord(m.group()):04x}"


def _emit(key: str, value: Any, pad: str, out: list[str], lead: str | None = None) -> None:
    """`key: value` at indent `pad` (`lead` replaces the indent of the first line, for a list item)."""
    first = pad if lead is None else lead
    if isinstance(value, dict):
        out.append(f"{first}{key}:")
        _mapping(value, pad + "  ", out)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        out.append(f"{first}{key}:")
        for item in value:
            _mapping(item, pad + "    ", out, lead=pad + "  - ")
    elif isinstance(value, list):
        out.append(f"{first}{key}:")
        out.extend(f"{pad}  - {scalar(v)}" for v in value)
    else:
        out.append(f"{first}{key}: {scalar(value)}")


def given(value: Any) -> bool:
    """Whether a value is there: None, blank text and empty lists or mappings are "not given", as `check` reads them."""
    return not (value is None or value == [] or value == {} or (isinstance(value, str) and not value.strip()))


def _mapping(mapping: dict[str, Any], pad: str, out: list[str], lead: str | None = None) -> None:
    """Every key of a mapping with a value; the first line may carry a list dash."""
    for i, (key, value) in enumerate((k, v) for k, v in mapping.items() if given(v)):
        _emit(key, value, pad, out, lead if i == 0 else None)


def campaign_yaml(draft: Draft, year: int, slug: str, source: str, lang: str) -> str:
    """campaign.yaml of an imported draft: its provenance in `notes`, each guess or doubt as a `review` entry."""
    notes = [translate(N_("Imported from %(source)s by `build.py import`.", source=source), lang)]
    out = [f"year: {year}", f"slug: {slug}", "draft: true"]
    for key, value in ((k, v) for k, v in draft.fields.items() if given(v) and k not in ("notes", "review")):
        _emit(key, value, "", out)
    _emit("notes", [*draft.fields.get("notes", []), *notes], "", out)
    _emit("review", review_entries(draft, lang), "", out)
    return "\n".join(out) + "\n"


def review_entries(draft: Draft, lang: str) -> list[dict[str, str]]:
    """The draft's to-do notes as `review` entries (field, the value as guessed, why), each (field, why) once."""
    entries: dict[tuple[str, str], dict[str, str]] = {}
    for note in (n for n in draft.notes if n.todo):
        why = translate(note.message, lang)
        entry = {"field": note.key}
        guess = guessed(draft.fields, note.key)
        if guess:
            entry["guess"] = guess
        entries.setdefault((note.key, why), {**entry, "why": why})
    return list(entries.values())


def guessed(fields: dict[str, Any], key_path: str) -> str | None:
    """The value at a dotted key path as text: a scalar, or a list of texts joined with 、; None for a table or a group."""
    value: Any = fields
    for step in key_path.split("."):
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return None
    if value == TO_FILL:  # not found: nothing was guessed (check lists the 待填写 itself)
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "、".join(value) or None
    if isinstance(value, (str, int, dt.date)) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return None


def write_campaign(content_dir: Path, campaign_id: str, files: dict[str, str]) -> Path:
    """Create content/<id>/ with `files` in one step (as `new` does); refuse when it exists or the content folder does not."""
    if not content_dir.is_dir():
        raise QmError.at(str(content_dir), 0, 0, N_("the content folder does not exist"),
                         N_("run the command in the project folder, or give --content DIR"))
    target = content_dir / campaign_id
    if target.exists() or target.is_symlink():
        raise QmError.at(str(target), 0, 0, N_("the campaign folder already exists; nothing was written"),
                         N_("choose another --id, or move the existing folder away first"))
    return write_folder(content_dir, campaign_id, files)
