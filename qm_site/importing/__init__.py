"""`build.py import NOTICE --id YEAR-SLUG`: a received notice (Word, PDF, text) -> a draft campaign.

The recipe: read the file into blocks (readers), recognise the 公文's parts in them (recognise,
attachments, facts), write campaign.yaml, notice.md and attachment files as a draft (write),
and print what was found and what a person must still check.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, QmError
from ..i18n import N_, translate
from ..source import controls
from . import guard
from .blocks import Block, Para, Table, clean
from .readers import LIMITS, Limits, load_libraries, read_notice, too_large
from .recognise import Draft, recognise
from .write import campaign_yaml, review_entries, write_campaign

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
        todo = review_entries(self.draft, lang)
        if todo:
            lines.append(tr(N_("To check against the notice (the `review` list of campaign.yaml; `check` will not publish "
                               "while an entry remains: remove each once checked):")))
            lines.extend(f"  ⚠ {label(e['field'], lang)}: {e['why']}" + (f" ({e['guess']})" if "guess" in e else "")
                         for e in todo)
        if self.problems:
            lines.append(tr(N_("`check` will report these; fix them in the files:")))
            lines.extend("  " + p.format(lang) for p in self.problems)
        serve = "python3 build.py serve" + ("" if self.content_dir == "content" else f" --content {self.content_dir}")
        lines.append(tr(N_("Next: open the preview with `%(command)s` and compare it with the notice.", command=serve)))
        return controls.visible("\n".join(lines))  # nothing from the file may drive the terminal


def label(key: str, lang: str, cls: str = "Campaign") -> str:
    """A campaign.yaml key as the report names it: `文号 doc_number` in Chinese (as `new`'s to-do list), the key in English."""
    from ..source import model
    from ..source.folders import field_label

    return field_label(getattr(model, cls), key) if lang == "zh_CN" else key


def draft_files(draft: Draft, year: int, slug: str, source: str, lang: str) -> dict[str, str]:
    """Every file of the new campaign folder, by name (pure)."""
    files = {"campaign.yaml": in_editor_form(campaign_yaml(draft, year, slug, source, lang))}
    if draft.notice:
        files["notice.md"] = draft.notice
    files.update(draft.files)
    return files


def in_editor_form(text: str) -> str:
    """campaign.yaml as the web editor saves it where its writer can run (as `new` does), so its first save changes only
    what was edited; as written (already canonical in content, `fmt` puts it in form) without node."""
    from ..source import editor_form, model

    return editor_form.in_editor_form(text, model.Campaign, "campaign.yaml") if editor_form.available() else text


def import_notice(source: str, campaign_id: str, content_dir: str | Path, lang: str, limits: Limits = LIMITS) -> Imported:
    """Read `source` (a path, or - for standard input), recognise it, and write content/<id>/.

    The file is read and recognised in a child process held to `limits` (see guard)."""
    from ..source.folders import ID

    m = ID.fullmatch(campaign_id)
    if not m:
        shown = controls.visible(campaign_id, one_line=True)
        hint = (N_("did you mean `%(id)s`? Use lower case", id=shown.lower()) if ID.fullmatch(campaign_id.lower())
                else N_("write the year, a hyphen and a short Latin name in ASCII letters and digits, e.g. 2023-national"))
        raise QmError.at(shown, 0, 0, N_("`%(id)s` is not a campaign id", id=shown), hint)
    name = "<stdin>" if source == "-" else controls.visible(source, one_line=True)
    data = _read_stdin(limits) if source == "-" else _read_source(Path(source), name, limits)
    year = int(m["year"])
    load_libraries(data)
    draft = guard.run(read_draft, (data, name, year, limits), name, limits)
    files = draft_files(draft, year, m["slug"], Path(source).name if source != "-" else name, lang)
    _check_sizes(files, name)
    problems = validate(files, f"{content_dir}/{campaign_id}")
    folder = write_campaign(Path(content_dir), campaign_id, files)
    return Imported(folder, draft, problems, str(content_dir))


def read_draft(data: bytes, name: str, year: int, limits: Limits = LIMITS) -> Draft:
    """The draft of one received file: read, cleared of invisible control characters (and that noted), recognised."""
    removed: dict[str, int] = {}
    blocks = [b for b in (_scrub(b, removed) for b in read_notice(data, name, limits)) if not isinstance(b, Para) or b.text]
    draft = recognise(blocks, year)
    if removed:
        found = "; ".join(f"{controls.describe(ch)} ×{n}" for ch, n in sorted(removed.items()))
        draft.note("notice", N_("invisible control characters were removed from the notice: %(found)s", found=found), todo=True)
    return draft


def _scrub(block: Block, removed: dict[str, int]) -> Block:
    """A block without control, bidirectional and line-separator characters (see controls); counts them in `removed`."""
    if isinstance(block, Para):
        return Para(clean(controls.strip(block.text, removed)), block.line)
    rows = [[clean(controls.strip(cell, removed)) for cell in row] for row in block.rows]
    return Table(rows, block.line, [clean(controls.strip(note, removed)) for note in block.notes])


def _check_sizes(files: dict[str, str], name: str) -> None:
    """Refuse a draft with a file `check` would refuse as too large (and that would take long to validate here)."""
    from ..source.content import MAX_FILE_BYTES

    for file, text in files.items():
        size = len(text.encode())
        if size > MAX_FILE_BYTES:
            raise QmError.at(name, 0, 0, N_("the notice would make %(file)s of %(size)d bytes, more than the %(max)d "
                                            "a content file may have", file=file, size=size, max=MAX_FILE_BYTES),
                             N_("check that this is the notice you received; import it without its long attachments "
                                "and put those under content/assets/"))


def validate(files: dict[str, str], shown: str) -> list[Problem]:
    """What `check` will say about the new campaign (its errors; the draft is written anyway, to be fixed there)."""
    from ..source.folders import campaign_errors

    def read(name: str) -> str:
        if name not in files:
            raise FileNotFoundError(name)
        return files[name]

    return campaign_errors(files["campaign.yaml"], f"{shown}/campaign.yaml", read)


def _read_source(path: Path, name: str, limits: Limits) -> bytes:
    """The received file's bytes; a clear error when it is missing, not a file, or over limits.file_bytes (told before reading)."""
    if path.is_dir():
        raise QmError.at(name, 0, 0, N_("this is a folder, not a file"),
                         N_("give the path of the .docx, .pdf or .txt file you received, or - to paste text"))
    if not path.is_file():
        raise QmError.at(name, 0, 0, N_("there is no file here"),
                         N_("give the path of the .docx, .pdf or .txt file you received, or - to paste text"))
    with path.open("rb") as fh:
        if os.fstat(fh.fileno()).st_size > limits.file_bytes:
            raise too_large(name, limits)
        data = fh.read(limits.file_bytes + 1)  # a file that grows meanwhile is read no further than the limit
    if len(data) > limits.file_bytes:
        raise too_large(name, limits)
    return data


def _read_stdin(limits: Limits) -> bytes:
    """Pasted text from standard input, read no further than limits.file_bytes + 1."""
    data = sys.stdin.buffer.read(limits.file_bytes + 1)
    if len(data) > limits.file_bytes:
        raise too_large("<stdin>", limits)
    return data
