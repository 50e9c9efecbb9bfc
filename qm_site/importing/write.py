"""A draft as files: campaign.yaml (with the report as ⚠ comments), notice.md, attachment files.

The YAML is written by hand, in the order and style of the hand-made campaigns, so that a
person reads it like theirs; each value is quoted only where YAML would misread it. It is not
in the web editor's form (`build.py fmt`) on purpose: each ⚠ comment sits above the line a person
must check against the notice, which the editor's form (no comments) cannot say. `fmt` stops at
those comments, so `fmt --check` names an imported draft until its review is done: the comments
deleted, then `fmt` run. The campaign folder appears whole or not at all (written beside, then
renamed into place), and an existing folder is never touched.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml

from ..authoring.scaffold import write_folder
from ..errors import QmError
from ..i18n import N_, translate
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


def comment(text: str) -> str:
    """text for a `# ...` line: nothing in it may end the comment or hide (a file name may hold a newline)."""
    return _ESCAPED.sub(_escape, text)


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
    """campaign.yaml of an imported draft: the report as ⚠ comments above the lines they concern."""
    out = ["# " + comment(translate(N_("Imported from %(source)s by `build.py import`.", source=source), lang)),
           "# " + translate(N_("Check every line marked ⚠ against the notice and delete its comment; then delete "
                               "`draft: true` to publish and run `build.py fmt`."), lang),
           f"year: {year}", f"slug: {slug}", "draft: true"]
    todo: dict[str, list[str]] = {}
    for note in draft.notes:
        if note.todo:
            todo.setdefault(note.key, []).append(translate(note.message, lang))
    for key, value in ((k, v) for k, v in draft.fields.items() if given(v)):
        out.extend(f"# ⚠ {comment(line)}" for line in dict.fromkeys(todo.pop(key, [])))
        _emit(key, value, "", out)
    rest = [line for lines in todo.values() for line in dict.fromkeys(lines)]
    if rest:
        out.append("# " + translate(N_("Also check:"), lang))
        out.extend(f"# ⚠ {comment(line)}" for line in rest)
    return "\n".join(out) + "\n"


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
