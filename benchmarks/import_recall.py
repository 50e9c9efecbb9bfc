#!/usr/bin/env python3
"""Import recall: real notices and the seeds, imported as `build.py import` does, compared fact by fact.

Usage: python3 benchmarks/import_recall.py [--corpus real|seeds|all] [--formats txt docx pdf] [--faults] [--json [FILE]]
       python3 benchmarks/import_recall.py --by-field [--formats txt docx pdf pdf-unruled]

The real corpus is tests/fixtures/notices/real/<id>/: source.txt as a web page copies the notice (and source.docx /
source.pdf made from some of them by scripts/make_notice_copies.py), with the hand-checked facts in expected.yaml.
Each file present is imported in-process with qm_site.importing.import_notice into a temporary content folder, the
draft campaign.yaml it wrote is read back, and every fact is judged: right (equal after whitespace normalisation),
wrong (a different value, stated silently: the worst outcome), missing (absent, 待填写, or a different value the
draft marks ⚠ for a person to check), invented (a value the notice does not state) or guessed (the same, marked ⚠).
The seeds (tests/fixtures/notices/<id>.txt, the expectation being content/<id>/campaign.yaml, made by hand from the
same text) are scored the same way, as text and as Word and PDF files made from the text; a single fact of a
hand-made campaign that is not in its source text (the 2022 national notice lost its first page) is left out.

--by-field prints the older per-field recall of the seeds (tests/test_import.py holds that one to the issue's bar,
through run() and totals()). This is a benchmark, not a test: it always exits 0.
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
from qm_site.source.model import TO_FILL  # noqa: E402
from synth import CONTENT  # noqa: E402  (the seed campaigns the fixture notices were published as)

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
        _, entry = read_campaign(CONTENT / cid)
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


# --- fact by fact: right / wrong / missing / invented (the real corpus, and the seeds) ------------

REAL = NOTICES / "real"
SCALARS = ("title", "doc_number", "issuer", "issue_date", "theme")
SEQUENCES = ("co_issuers", "recipients", "copies", "slogans")
CONTACT_LISTS = ("people", "phones", "fax", "emails", "wechat")
CONTACT_SCALARS = ("organization", "address", "postcode", "website")
OUTCOMES = ("right", "wrong", "missing", "invented", "guessed")


@dataclasses.dataclass
class Fact:
    """One compared fact: where it is, what the notice says, what the draft says, and the verdict."""

    field: str
    want: object
    got: object
    outcome: str  # one of OUTCOMES
    flagged: bool = False  # the draft marks the line ⚠ (a person must check it)


def norm(value) -> str | None:
    """A value compared as text with only whitespace normalised: all of it removed, full-width spaces included.

    Removed rather than collapsed, because a PDF's text puts a space where two scripts meet (比赛 (协办) that the
    notice does not print, and a theme's two halves are the same words with one space or two.
    """
    if value is None or value == "" or value == TO_FILL:
        return None
    return re.sub(r"[\s\u3000]+", "", str(value)) or None


def load_draft(folder: Path) -> tuple[dict, set[str]]:
    """The draft campaign.yaml `import` wrote (read with the project's YAML 1.2 loader) and its ⚠-marked keys."""
    from qm_site.source import yamlio

    text = (folder / "campaign.yaml").read_text(encoding="utf-8")
    node = yamlio.load(text, str(folder / "campaign.yaml"))
    data = node.plain() if node else {}
    # A key is marked ⚠ when an entry of the draft's `review` list names it (or a path under it: schedules.0.rows…).
    flagged = {str(entry.get("field", "")).split(".")[0] for entry in data.get("review") or [] if isinstance(entry, dict)}
    return data, flagged


def import_file(path: Path, campaign_id: str) -> tuple[dict, set[str], str | None]:
    """Run `build.py import` in-process on one file into a fresh content folder; the draft, its ⚠ keys, or the error."""
    import tempfile

    from qm_site.errors import QmError
    from qm_site.importing import import_notice

    with tempfile.TemporaryDirectory(prefix="qm-recall-") as tmp:
        try:
            imported = import_notice(str(path), campaign_id, tmp, "en")
            fields, flagged = load_draft(imported.folder)
        except QmError as exc:
            return {}, set(), "; ".join(p.format("en") for p in exc.problems)
    return fields, flagged, None


def _align(want: list, got: list, key=norm):
    """Pairs of (expected, imported) in order, by difflib: equal, replaced (both), expected only, imported only."""
    import difflib

    a, b = [key(w) for w in want], [key(g) for g in got]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            yield from ((want[i], got[j]) for i, j in zip(range(i1, i2), range(j1, j2)))
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        yield from ((want[i1 + k], got[j1 + k]) for k in range(pairs))
        yield from ((want[i], None) for i in range(i1 + pairs, i2))
        yield from ((None, got[j]) for j in range(j1 + pairs, j2))


def judge(field: str, want, got, flagged: bool) -> Fact:
    """One fact's verdict. A wrong value under ⚠ is not silent: it counts as missing; an unstated one under ⚠ as guessed."""
    w, g = norm(want), norm(got)
    if w is not None and g == w:
        outcome = "right"
    elif w is None:
        outcome = "guessed" if flagged else "invented"
    elif g is None:
        outcome = "missing"
    else:
        outcome = "missing" if flagged else "wrong"
    return Fact(field, want, got, outcome, flagged)


def _row_facts(want_rows: list[dict], got_rows: list[dict], flagged: bool) -> list[Fact]:
    """Schedule rows matched by name; then 序号, time and place; lead/协办 (no field in the model) looked for in details."""
    out = []
    for w, g in _align(want_rows, got_rows, key=lambda r: norm(r.get("name"))):
        if w is None:
            out.append(judge("rows.name", None, g.get("name"), flagged))
            continue
        g = g or {}
        for key in ("name", "no", "time", "place"):
            if key in w:
                out.append(judge(f"rows.{key}", w[key], g.get(key), flagged))
        details = g.get("details")
        text = norm(" ".join(details) if isinstance(details, list) else details) or ""
        for key in ("lead", "assist"):
            if key in w:
                found = norm(w[key]) in text
                out.append(Fact(f"rows.{key}", w[key], w[key] if found else None, "right" if found else "missing", flagged))
        for key in ("time", "place"):  # a value the notice gives no row, e.g. a place, is invented
            if key not in w and g.get(key) not in (None, ""):
                out.append(judge(f"rows.{key}", None, g.get(key), flagged))
    return out


def _contact_facts(want: list[dict], got: list[dict], flagged: bool) -> list[Fact]:
    """Contacts as (field, value) facts over all contact blocks: lists aligned in order, single values compared."""
    out = []
    for key in CONTACT_LISTS:
        w = [v for c in want for v in c.get(key, [])]
        g = [v for c in got for v in c.get(key, [])]
        out.extend(judge(f"contacts.{key}", a, b, flagged) for a, b in _align(w, g))
    for key in CONTACT_SCALARS:
        w = [c[key] for c in want if c.get(key)]
        g = [c[key] for c in got if c.get(key)]
        out.extend(judge(f"contacts.{key}", a, b, flagged) for a, b in _align(w, g))
    return out


def compare(expected: dict, draft: dict, flagged: set[str]) -> list[Fact]:
    """Every fact of expected.yaml set against the draft, plus what the draft states that the notice does not."""
    facts = []
    for key in SCALARS:
        facts.append(judge(key, expected.get(key), draft.get(key), key in flagged))
    for key in SEQUENCES:
        got = draft.get(key, [])
        if key == "slogans":
            got = [s if isinstance(s, str) else s.get("text") for grp in got for s in grp.get("items", [])]
        facts.extend(judge(key, a, b, key in flagged) for a, b in _align(expected.get(key, []), got))
    if "recipients_text" in expected:  # the 主送 line as the site prints it: recipients_printed, or the list joined with ，
        printed = draft.get("recipients_printed") or "，".join(draft.get("recipients", []))
        facts.append(judge("recipients_text", expected["recipients_text"], printed, "recipients" in flagged))
    rows = [r for s in draft.get("schedules", []) for r in s.get("rows", [])]
    facts.extend(_row_facts(expected.get("rows", []), rows, "schedules" in flagged))
    facts.extend(_contact_facts(expected.get("contacts", []), draft.get("contacts", []), "contacts" in flagged))
    atts = [(a.get("number"), a.get("title"), a.get("numbered", True)) for a in draft.get("attachments", [])]
    want = [(a.get("number"), a.get("title"), a.get("numbered")) for a in expected.get("attachments", [])]
    for a, b in _align(want, atts, key=lambda t: norm(t[1])):
        fa = judge("attachments.title", a and a[1], b and b[1], "attachments" in flagged)
        facts.append(fa)
        if a and a[0] is not None and b:
            facts.append(judge("attachments.number", a[0], b[0], "attachments" in flagged))
        if a and a[2] is not None and b:  # printed as 附件 alone (numbered: false), or as 附件1
            facts.append(judge("attachments.numbered", a[2], b[2], "attachments" in flagged))
    return [f for f in facts if not (f.want is None and norm(f.got) is None)]


def counts(facts: list[Fact]) -> dict:
    """How many facts of each outcome, and the share right of the facts the notice states."""
    c = {o: sum(f.outcome == o for f in facts) for o in OUTCOMES}
    stated = c["right"] + c["wrong"] + c["missing"]
    c["stated"] = stated
    c["right_pct"] = round(100 * c["right"] / stated, 1) if stated else None
    return c


# --- the real corpus ------------------------------------------------------------------------

def real_notices() -> list[Path]:
    """The folders of tests/fixtures/notices/real/ that hold a notice."""
    return sorted(p for p in REAL.iterdir() if (p / "expected.yaml").is_file()) if REAL.is_dir() else []


def real_expected(folder: Path) -> dict:
    """expected.yaml of one real notice, as plain data."""
    from qm_site.source import yamlio

    node = yamlio.load((folder / "expected.yaml").read_text(encoding="utf-8"), str(folder / "expected.yaml"))
    return node.plain() if node else {}


def run_real(formats: list[str]) -> dict:
    """{notice id: {format: {"facts": [...], "counts": {...}, "error": ...}}} over the formats each notice has."""
    results: dict = {}
    for folder in real_notices():
        expected = real_expected(folder)
        year = int(folder.name[:4])
        for fmt in formats:
            source = folder / f"source.{fmt}"
            if not source.is_file():
                continue
            draft, flagged, error = import_file(source, f"{year}-recall")
            facts = compare(expected, draft, flagged)  # a failed import has an empty draft: all missing
            results.setdefault(folder.name, {})[fmt] = {"facts": facts, "counts": counts(facts), "error": error}
    return results


# --- the seeds, with their hand-made campaigns as the expectation ------------------------------

def seed_expected(campaign, source: str) -> dict:
    """A hand-made campaign as expected facts; a single fact that is not in the source text at all is left out."""
    flat = _flat(source)
    out: dict = {}
    for key in SCALARS:
        value = getattr(campaign, key)
        # a date is printed 2022年8月22日, never as stored; other values are looked for in the text as they are
        if value is not None and (key == "issue_date" or _flat(str(value)) in flat):
            out[key] = str(value)
    for key in ("co_issuers", "recipients", "copies"):
        out[key] = list(getattr(campaign, key))
    out["slogans"] = [s if isinstance(s, str) else s.text for g in campaign.slogans for s in g.items]
    out["rows"] = [{k: v for k, v in (("name", r.name), ("no", r.no), ("time", r.time), ("place", r.place)) if v is not None}
                   for s in campaign.schedules for r in s.rows]
    out["contacts"] = [{k: v for k, v in _fields(c).items() if k in CONTACT_LISTS + CONTACT_SCALARS and v}
                       for c in campaign.contacts]
    out["attachments"] = [{"number": a.number, "title": a.title} for a in campaign.attachments]
    return out


def run_seeds(formats: list[str]) -> dict:
    """The five seeds as text (and as Word and PDF made from the text, when asked), scored fact by fact."""
    import tempfile

    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(NOTICES.glob("*.txt"))}
    pdfs = as_pdfs(texts) if "pdf" in formats else {}
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="qm-seed-") as tmp:
        for cid, text in texts.items():
            _, entry = read_campaign(CONTENT / cid)
            expected = seed_expected(entry.campaign, text)
            for fmt in formats:
                data = text.encode() if fmt == "txt" else as_docx(text) if fmt == "docx" else pdfs[cid]
                path = Path(tmp) / f"{cid}.{fmt}"
                path.write_bytes(data)
                draft, flagged, error = import_file(path, f"{entry.campaign.year}-recall")
                facts = compare(expected, draft, flagged)  # a failed import has an empty draft: all missing
                results.setdefault(cid, {})[fmt] = {"facts": facts, "counts": counts(facts), "error": error}
    return results


# --- output -----------------------------------------------------------------------------------

def print_table(title: str, results: dict, show_faults: bool) -> None:
    """One line per notice and format, the totals per format, and (when asked) every fact that is not right."""
    print(f"\n{title}")
    print(f"{'notice':<24}{'fmt':<6}{'right':>7}{'wrong':>7}{'missing':>9}{'invented':>10}{'guessed':>9}{'right %':>9}")
    totals: dict = {}
    for cid, per_fmt in results.items():
        for fmt, r in per_fmt.items():
            c = r["counts"]
            pct = "error" if r["error"] else ("-" if c["right_pct"] is None else f"{c['right_pct']:.1f}")
            print(f"{cid:<24}{fmt:<6}{c['right']:>7}{c['wrong']:>7}{c['missing']:>9}{c['invented']:>10}{c['guessed']:>9}{pct:>9}")
            t = totals.setdefault(fmt, dict.fromkeys(OUTCOMES + ("stated",), 0))
            for k in t:
                t[k] += c[k]
    for fmt, t in totals.items():
        pct = f"{100 * t['right'] / t['stated']:.1f}" if t["stated"] else "-"
        print(f"{'TOTAL':<24}{fmt:<6}{t['right']:>7}{t['wrong']:>7}{t['missing']:>9}{t['invented']:>10}{t['guessed']:>9}{pct:>9}")
    if show_faults:
        for cid, per_fmt in results.items():
            for fmt, r in per_fmt.items():
                if r["error"]:
                    print(f"  {cid} {fmt}: import failed: {r['error']}")
                for f in r["facts"]:
                    if f.outcome != "right":
                        mark = " ⚠" if f.flagged else ""
                        print(f"  {cid} {fmt} {f.outcome:<8} {f.field}: notice {f.want!r} / draft {f.got!r}{mark}")


def as_json(results: dict) -> dict:
    """The results as JSON-ready data."""
    return {cid: {fmt: {"counts": r["counts"], "error": r["error"],
                        "facts": [dataclasses.asdict(f) for f in r["facts"]]} for fmt, r in per.items()}
            for cid, per in results.items()}


def main() -> int:
    """Print the tables (a benchmark: always exits 0)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=["real", "seeds", "all"], default="all")
    ap.add_argument("--formats", nargs="+", default=["txt", "docx", "pdf"],
                    help="real corpus: the source.<fmt> files present; seeds: made from the text (pdf needs Chromium)")
    ap.add_argument("--faults", action="store_true", help="list every fact that is not right")
    ap.add_argument("--json", nargs="?", const="-", default=None, help="write the results as JSON (to FILE, or stdout)")
    ap.add_argument("--by-field", action="store_true", help="the older per-field recall table of the seeds instead")
    args = ap.parse_args()
    if args.by_field:
        return by_field(args.formats)
    out = {}
    if args.corpus in ("real", "all"):
        out["real"] = run_real(args.formats)
    if args.corpus in ("seeds", "all"):
        out["seeds"] = run_seeds(args.formats)
    if args.json == "-":
        print(json.dumps({k: as_json(v) for k, v in out.items()}, ensure_ascii=False, indent=1, default=str))
        return 0
    for name, results in out.items():
        print_table(f"{name}: facts per notice and format", results, args.faults)
    print("\nright: equal once whitespace is removed; wrong: a different value stated silently; missing: absent, "
          "待填写, or a different value marked ⚠; invented: a value the notice does not state; guessed: the same, marked ⚠. "
          "right % = right / (right + wrong + missing).")
    if args.json:
        Path(args.json).write_text(json.dumps({k: as_json(v) for k, v in out.items()}, ensure_ascii=False, indent=1, default=str))
    return 0


def by_field(formats: list[str]) -> int:
    """The per-field recall table of the seeds (found/total per field, + imported values not in the campaign)."""
    formats = [f for f in formats if f in ("txt", "docx", "pdf", "pdf-unruled")]
    results = run(formats)
    print(f"{'field':<12}" + "".join(f"{fmt:>22}" for fmt in formats))
    sums = {fmt: totals(results[fmt]) for fmt in formats}
    for key in EXACT + LISTS:
        cells = []
        for fmt in formats:
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
