"""`build.py import NOTICE --id YEAR-SLUG`: a received notice (Word, PDF, text) -> a draft campaign.

The recipe: read the file into blocks (readers), recognise the 公文's parts in them (recognise,
attachments, facts), write campaign.yaml, notice.md and attachment files as a draft (write),
and print what was found and what a person must still check.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, QmError
from ..i18n import N_, translate
from .readers import read_notice
from .recognise import Draft, recognise
from .write import campaign_yaml, write_campaign

__all__ = ["Imported", "import_notice", "draft_files"]


@dataclass
class Imported:
    """The result of an import: where it went, and the draft with its report."""

    folder: Path
    draft: Draft
    problems: list[Problem]
    content_dir: str = "content"

    def report(self, lang: str) -> str:
        """What was recognised, then what a person must check (the ⚠ lines of campaign.yaml)."""
        tr = lambda m: translate(m, lang)  # noqa: E731
        fields = self.draft.fields
        lines = [tr(N_("Imported into %(folder)s (draft: true, so it is not published yet).", folder=self.folder))]
        for key in ("title", "doc_number", "issuer", "theme"):
            lines.append(f"  {label(key, lang)}: {fields.get(key)}")
        for key in ("co_issuers", "recipients", "copies"):
            if fields.get(key):
                lines.append(f"  {label(key, lang)}: {'、'.join(fields[key])}")
        for contact in fields.get("contacts", []):
            lines.append(f"  {label('contacts', lang)}: " + "；".join(
                f"{label(k, lang, 'Contact')} {'、'.join(v) if isinstance(v, list) else v}" for k, v in contact.items()))
        lines.extend(f"  {tr(n.message)}" for n in self.draft.notes if not n.todo)
        todo = list(dict.fromkeys(f"  ⚠ {label(n.key, lang)}: {tr(n.message)}" for n in self.draft.notes if n.todo))
        if todo:
            lines.append(tr(N_("To check (also marked ⚠ in campaign.yaml; `check` lists what still says 待填写):")))
            lines.extend(todo)
        if self.problems:
            lines.append(tr(N_("`check` will report these; fix them in the files:")))
            lines.extend("  " + p.format(lang) for p in self.problems)
        serve = "python3 build.py serve" + ("" if self.content_dir == "content" else f" --content {self.content_dir}")
        lines.append(tr(N_("Next: open the preview with `%(command)s` and compare it with the notice.", command=serve)))
        return "\n".join(lines)


def label(key: str, lang: str, cls: str = "Campaign") -> str:
    """A campaign.yaml key as the report names it: `文号 doc_number` in Chinese (as `new`'s to-do list), the key in English."""
    from ..authoring.scaffold import field_label
    from ..source import model

    return field_label(getattr(model, cls), key) if lang == "zh_CN" else key


def draft_files(draft: Draft, year: int, slug: str, source: str, lang: str) -> dict[str, str]:
    """Every file of the new campaign folder, by name (pure)."""
    files = {"campaign.yaml": campaign_yaml(draft, year, slug, source, lang)}
    if draft.notice:
        files["notice.md"] = draft.notice
    files.update(draft.files)
    return files


def import_notice(source: str, campaign_id: str, content_dir: str | Path, lang: str) -> Imported:
    """Read `source` (a path, or - for standard input), recognise it, and write content/<id>/."""
    from ..authoring.scaffold import ID

    m = ID.match(campaign_id)
    if not m:
        hint = (N_("did you mean `%(id)s`? Use lower case", id=campaign_id.lower()) if ID.match(campaign_id.lower())
                else N_("write the year, a hyphen and a short Latin name, e.g. 2023-national"))
        raise QmError.at(campaign_id, 0, 0, N_("`%(id)s` is not a campaign id", id=campaign_id), hint)
    name = "<stdin>" if source == "-" else source
    data = sys.stdin.buffer.read() if source == "-" else _read_source(Path(source))
    year = int(m["year"])
    draft = recognise(read_notice(data, name), year)
    files = draft_files(draft, year, m["slug"], Path(name).name, lang)
    problems = validate(files, f"{content_dir}/{campaign_id}")
    folder = write_campaign(Path(content_dir), campaign_id, files)
    return Imported(folder, draft, problems, str(content_dir))


def validate(files: dict[str, str], shown: str) -> list[Problem]:
    """What `check` will say about the new campaign (its errors; the draft is written anyway, to be fixed there)."""
    from ..authoring.scaffold import campaign_errors

    def read(name: str) -> str:
        if name not in files:
            raise FileNotFoundError(name)
        return files[name]

    return campaign_errors(files["campaign.yaml"], f"{shown}/campaign.yaml", read)


def _read_source(path: Path) -> bytes:
    """The received file's bytes; a clear error when it is missing or not a file."""
    if path.is_dir():
        raise QmError.at(str(path), 0, 0, N_("this is a folder, not a file"),
                         N_("give the path of the .docx, .pdf or .txt file you received, or - to paste text"))
    if not path.is_file():
        raise QmError.at(str(path), 0, 0, N_("there is no file here"),
                         N_("give the path of the .docx, .pdf or .txt file you received, or - to paste text"))
    return path.read_bytes()
