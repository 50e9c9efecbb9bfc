#!/usr/bin/env python3
"""Import recall: each seed notice, as text, Word and PDF, imported and compared with our hand-made campaign.

Usage: python3 benchmarks/import_recall.py [--formats txt docx pdf pdf-unruled] [--json FILE]

For every notice in tests/fixtures/notices/<id>.txt (the five seeds) and every format, the notice is
turned into that format (python-docx writes the .docx with real tables; Chromium prints the PDF, once
with ruled tables and once with tables without rules, which a PDF holds only as positioned words),
imported in memory, and its facts compared with content/<id>/campaign.yaml, which people made by
hand from the same text. Printed per field: recall (hand-made facts the import found exactly) and,
for lists, precision (imported facts that are right). A hand-made fact that is not in the source
at all (the 2022 national notice lost its first page; its title was reconstructed) cannot be found
and is counted apart as "not in source". tests/test_import.py holds the figures to the issue's bar.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOTICES = ROOT / "tests" / "fixtures" / "notices"
sys.path.insert(0, str(ROOT))

from qm_site.importing.blocks import Para, from_text  # noqa: E402
from qm_site.importing.readers import read_notice  # noqa: E402
from qm_site.importing.recognise import recognise  # noqa: E402
from qm_site.source.content import read_campaign  # noqa: E402

EXACT = ("title", "doc_number", "theme", "issuer")
LISTS = ("slogans", "rows", "contacts", "recipients", "co_issuers", "copies", "attachments")


def _flat(text: str) -> str:
    """Text without any whitespace, to ask whether a fact is in the source at all."""
    return re.sub(r"\s+", "", text)


def _fields(obj) -> dict:
    """A model object's fields by name (the model's dataclasses have slots, no __dict__)."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def expected_facts(campaign) -> dict:
    """The facts of a hand-made campaign, as comparable values."""
    return {
        "title": campaign.title, "doc_number": campaign.doc_number, "theme": campaign.theme, "issuer": campaign.issuer,
        "slogans": [s if isinstance(s, str) else s.text for g in campaign.slogans for s in g.items],
        "rows": [_row(_fields(r)) for s in campaign.schedules for r in s.rows],
        "contacts": [(k, v) for c in campaign.contacts for k, v in _contact(_fields(c))],
        "recipients": list(campaign.recipients), "co_issuers": list(campaign.co_issuers), "copies": list(campaign.copies),
        "attachments": [(a.number, a.title) for a in campaign.attachments],
    }


def imported_facts(fields: dict) -> dict:
    """The same facts from an import's campaign.yaml fields."""
    return {
        "title": fields.get("title"), "doc_number": fields.get("doc_number"), "theme": fields.get("theme"),
        "issuer": fields.get("issuer"),
        "slogans": [s for g in fields.get("slogans", []) for s in g["items"]],
        "rows": [_row(r) for s in fields.get("schedules", []) for r in s["rows"]],
        "contacts": [(k, v) for c in fields.get("contacts", []) for k, v in _contact(c)],
        "recipients": fields.get("recipients", []), "co_issuers": fields.get("co_issuers", []),
        "copies": fields.get("copies", []), "attachments": [(a["number"], a["title"]) for a in fields.get("attachments", [])],
    }


def _row(row: dict) -> tuple:
    """An activity as (no, name, time, place, details)."""
    details = row.get("details")
    return (row.get("no"), row.get("name"), row.get("time"), row.get("place"),
            tuple(details) if isinstance(details, list) else details)


def _contact(c: dict) -> list[tuple[str, str]]:
    """A contact as (field, value) facts."""
    out = []
    for key in ("organization", "people", "phones", "fax", "emails", "address", "postcode", "website", "wechat"):
        value = c.get(key)
        for v in (value if isinstance(value, list) else [value] if value else []):
            out.append((key, v))
    return out


def score(expected: dict, got: dict, source: str) -> dict:
    """Per field: found, total, not-in-source (and wrong, for lists)."""
    flat = _flat(source)
    result = {}
    for key in EXACT:
        want = expected[key]
        if not want:
            continue
        if _flat(str(want)) not in flat and key != "title":
            result[key] = {"found": 0, "total": 0, "not_in_source": 1}
        elif key == "title" and _flat(want) not in flat:
            result[key] = {"found": 0, "total": 0, "not_in_source": 1}
        else:
            result[key] = {"found": int(got[key] == want), "total": 1, "not_in_source": 0}
    for key in LISTS:
        want, have = list(expected[key]), list(got[key])
        if not want and not have:
            continue
        found = sum(1 for w in want if w in have)
        result[key] = {"found": found, "total": len(want), "wrong": sum(1 for h in have if h not in want),
                       "imported": len(have), "not_in_source": 0}
    return result


# --- the notice in each format -------------------------------------------------------------

def as_docx(text: str) -> bytes:
    """The notice as a Word file: one paragraph per line, tab-separated rows as a real table."""
    import io

    import docx

    document = docx.Document()
    for block in from_text(text):
        if isinstance(block, Para):
            document.add_paragraph(block.text)
            continue
        width = max(len(r) for r in block.rows)
        table = document.add_table(rows=len(block.rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row):
                _fill_cell(table.cell(r, c), cell)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _fill_cell(cell, text: str) -> None:
    """A cell's text; an HTML list pasted in a cell becomes one paragraph per item, as Word has it."""
    items = re.findall(r"<li[^>]*>(.*?)</li>", text, re.S)
    lines = [re.sub(r"<[^>]+>", "", i).strip() for i in items] if items else [text]
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def as_html(text: str, ruled: bool = True) -> str:
    """The notice as a printable page: indented paragraphs, ruled tables or tables without rules."""
    import html

    parts = []
    for block in from_text(text):
        if isinstance(block, Para):
            parts.append(f"<p>{html.escape(block.text)}</p>")
        else:
            rows = "".join("<tr>" + "".join(f"<td>{_cell_html(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            parts.append(f"<table>{rows}</table>")
    style = ("body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;font-size:16pt;line-height:1.6}"
             "p{text-indent:2em;margin:0}table{border-collapse:collapse;width:100%;margin:1em 0}"
             "td{border:1px solid #000;padding:4px;font-size:12pt;vertical-align:top}")
    if not ruled:
        style = style.replace("border:1px solid #000;", "border:none;")
    return f"<!doctype html><meta charset=utf-8><style>{style}</style>{''.join(parts)}"


def _cell_html(text: str) -> str:
    """A table cell's HTML: list items as lines."""
    import html

    items = re.findall(r"<li[^>]*>(.*?)</li>", text, re.S)
    if items:
        return "<br>".join(html.escape(re.sub(r"<[^>]+>", "", i).strip()) for i in items)
    return html.escape(text)


def as_pdfs(texts: dict[str, str], ruled: bool = True) -> dict[str, bytes]:
    """Every notice printed to A4 PDF by Chromium, in one browser session."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        for name, text in texts.items():
            page.set_content(as_html(text, ruled))
            out[name] = page.pdf(format="A4", margin={"top": "37mm", "bottom": "35mm", "left": "28mm", "right": "26mm"})
        browser.close()
    return out


def import_bytes(data: bytes, name: str, year: int) -> dict:
    """An in-memory import: the draft's campaign.yaml fields."""
    return recognise(read_notice(data, name), year).fields


def _as(fmt: str, text: str, pdf: bytes | None, unruled: bytes | None) -> bytes:
    """The notice's bytes in one format."""
    if fmt == "txt":
        return text.encode()
    if fmt == "docx":
        return as_docx(text)
    data = pdf if fmt == "pdf" else unruled
    assert data is not None, fmt
    return data


def run(formats: list[str]) -> dict:
    """Scores for every notice and format: {format: {campaign id: {field: counts}}}."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(NOTICES.glob("*.txt"))}
    pdfs = as_pdfs(texts) if "pdf" in formats else {}
    plain = as_pdfs(texts, ruled=False) if "pdf-unruled" in formats else {}
    results: dict = {}
    for cid, text in texts.items():
        _, entry = read_campaign(ROOT / "content" / cid)
        expected = expected_facts(entry.campaign)
        for fmt in formats:
            data = _as(fmt, text, pdfs.get(cid), plain.get(cid))
            fields = import_bytes(data, f"{cid}.{fmt}", entry.campaign.year)
            results.setdefault(fmt, {})[cid] = score(expected, imported_facts(fields), text)
    return results


def totals(per_notice: dict) -> dict:
    """Sum the scores of all notices of one format, per field."""
    out: dict = {}
    for fields in per_notice.values():
        for key, s in fields.items():
            t = out.setdefault(key, {"found": 0, "total": 0, "wrong": 0, "imported": 0, "not_in_source": 0})
            for k, v in s.items():
                t[k] += v
    return out


def main() -> int:
    """Print the recall table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--formats", nargs="+", default=["txt", "docx", "pdf", "pdf-unruled"])
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    results = run(args.formats)
    print(f"{'field':<12}" + "".join(f"{fmt:>22}" for fmt in args.formats))
    sums = {fmt: totals(results[fmt]) for fmt in args.formats}
    for key in EXACT + LISTS:
        cells = []
        for fmt in args.formats:
            t = sums[fmt].get(key)
            if not t:
                cells.append(f"{'-':>22}")
                continue
            rate = f"{100 * t['found'] / t['total']:.0f}%" if t["total"] else "n/a"
            extra = f" +{t['wrong']}" if t.get("wrong") else ""
            cells.append(f"{t['found']}/{t['total']} {rate}{extra}".rjust(22))
        print(f"{key:<12}" + "".join(cells))
    print("(found/total recall; +N = imported values not in the hand-made campaign; "
          "facts not in the source text are left out of the totals)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
