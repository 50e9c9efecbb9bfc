"""Hostile notices and invisible characters (issue 30, part 4): one test per case the attack trial reported.

Each hostile input is built here (zip bombs with zipfile, PDFs written by hand); each test asserts the one
clear message, that nothing was written or lost, and that no traceback was printed. The time and memory
budgets are tested with tiny budgets passed as parameters: no test measures wall-clock time.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import signal
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from qm_site import cli
from qm_site.errors import QmError
from qm_site.importing import import_notice, write
from qm_site.importing.readers import LIMITS, MB, Limits, inflated_size
from qm_site.source import controls, folders
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "tests" / "fixtures" / "notices" / "2022-zhuhai.txt"


@pytest.fixture
def content_dir(tmp_path: Path, monkeypatch) -> Path:
    """An empty content folder with the site settings; the working folder is its parent."""
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy(CONTENT / "site.yaml", folder / "site.yaml")
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.fixture
def site(tmp_path: Path, monkeypatch) -> Path:
    """A project folder holding a copy of the seed content; the working folder for the test."""
    shutil.copytree(CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command line; (exit code, stdout, stderr), with no traceback allowed."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def refused(content_dir: Path, path: Path, limits: Limits = LIMITS, campaign_id: str = "2023-x") -> str:
    """Import `path`, which must fail; the message, after checking nothing was written."""
    with pytest.raises(QmError) as caught:
        import_notice(str(path), campaign_id, content_dir, "en", limits)
    assert sorted(p.name for p in content_dir.iterdir()) == ["site.yaml"]  # no campaign, no staging folder
    return str(caught.value)


def word(paragraphs: list[str]) -> bytes:
    """A real .docx holding these paragraphs."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def with_parts(docx_bytes: bytes, parts: dict[str, int]) -> bytes:
    """A .docx with more parts added, each of that many zero bytes (deflated, so they shrink a thousandfold)."""
    buf = io.BytesIO(docx_bytes)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf:
        for name, size in parts.items():
            with zf.open(name, "w") as member:
                for _ in range(size // MB):
                    member.write(bytes(MB))
                member.write(bytes(size % MB))
    return buf.getvalue()


def pdf(contents: list[bytes], pages: int = 0, flate: bool = False) -> bytes:
    """A PDF written by hand: one page per content stream (already deflated when `flate`), or `pages` pages sharing the first."""
    count = pages or len(contents)
    first_page = 4 + len(contents)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (first_page + k) for k in range(count))
               + b"] /Count %d >>" % count,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for data in contents:
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(data), b" /Filter /FlateDecode" if flate else b"")
                       + data + b"\nendstream")
    for k in range(count):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % (4 + (k if not pages else 0)))
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_page(lines: int = 40) -> bytes:
    """A page's content stream: lines of Latin text."""
    shown = b" ".join(b"(Quality Month line %d of the notice) '" % k for k in range(lines))
    return b"BT /F1 11 Tf 14 TL 60 780 Td " + shown + b" ET"


@functools.cache
def deflated_zeros(size: int) -> bytes:
    """`size` zero bytes deflated (a few hundred KB for 200 MB), made a megabyte at a time."""
    pack, out = zlib.compressobj(9), []
    for _ in range(size // MB):
        out.append(pack.compress(bytes(MB)))
    out.append(pack.flush())
    return b"".join(out)


# --- size, before anything is read ----------------------------------------------------------------


def test_a_huge_file_is_refused_from_its_size_before_it_is_read(content_dir):
    notice = content_dir.parent / "notice.pdf"
    with notice.open("wb") as fh:
        fh.truncate(8 * 1024 * MB)  # 8 GB, sparse: no disk used, and more memory than a test has
    assert "larger than 50 MB" in refused(content_dir, notice)


class Endless:
    """Standard input that never ends (`yes | import -`): a read without a size would never return."""

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "standard input read without a bound"
        return b"a" * size


def test_standard_input_is_read_only_up_to_the_limit(content_dir, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": Endless()})())
    code, out, err = run(capsys, "import", "-", "--id", "2023-x", "--content", "content", "--lang", "en")
    assert code == 1 and "<stdin>: error: the file is larger than 50 MB" in err
    assert sorted(p.name for p in content_dir.iterdir()) == ["site.yaml"]


# --- .docx: zip bombs are refused from the zip's directory ---------------------------------------


def forbid_python_docx(monkeypatch) -> None:
    """From now on python-docx may not open a file: the zip's directory must have refused it first."""
    import docx

    def opened(*args, **kwargs):
        raise AssertionError("python-docx opened a zip bomb")

    monkeypatch.setattr(docx, "Document", opened)


@pytest.mark.slow
def test_a_docx_that_unzips_to_200_mb_is_refused_before_python_docx_opens_it(content_dir, monkeypatch):
    notice = content_dir.parent / "通知.docx"
    notice.write_bytes(with_parts(word(["关于开展2023年质量月活动的通知"]), {"word/media/padding.bin": 200 * MB}))
    forbid_python_docx(monkeypatch)
    assert notice.stat().st_size < MB
    message = refused(content_dir, notice)
    assert "the Word file unzips to 200 MB, more than the 100 MB a notice could" in message and "pictures" in message


def test_a_docx_part_packed_a_thousandfold_is_a_zip_bomb(content_dir, monkeypatch):
    notice = content_dir.parent / "通知.docx"
    notice.write_bytes(with_parts(word(["通知"]), {"word/document2.xml": 20 * MB}))
    forbid_python_docx(monkeypatch)
    assert "the part word/document2.xml of the Word file unzips to" in refused(content_dir, notice)


def test_a_docx_of_too_many_parts_is_refused(content_dir, monkeypatch):
    notice = content_dir.parent / "通知.docx"
    notice.write_bytes(with_parts(word(["通知"]), {f"word/extra{k}.xml": 1 for k in range(LIMITS.entries)}))
    forbid_python_docx(monkeypatch)
    assert f"more than the {LIMITS.entries} a notice could have" in refused(content_dir, notice)


def test_a_zip_directory_that_understates_a_part_is_found_as_damage(content_dir):
    data = bytearray(with_parts(word(["通知"]), {"word/hidden.xml": 4 * MB}))
    entry = data.rindex(b"PK\x01\x02")  # the last central directory entry: the part just added
    struct.pack_into("<I", data, entry + 24, 1000)  # its unzipped size, said to be 1,000 bytes
    notice = content_dir.parent / "通知.docx"
    notice.write_bytes(bytes(data))
    assert "not a Word document (.docx), or it is damaged" in refused(content_dir, notice)


# --- PDF: pages, streams and time -------------------------------------------------------------------


@pytest.mark.slow
def test_a_pdf_with_a_200_mb_stream_is_refused_before_its_pages_are_read(content_dir):
    notice = content_dir.parent / "notice.pdf"
    notice.write_bytes(pdf([deflated_zeros(200 * MB)], flate=True))
    assert notice.stat().st_size < MB
    message = refused(content_dir, notice)
    assert "a stream in the PDF unpacks to more than 16 MB, far more than a notice needs" in message
    assert "print the notice to a new PDF" in message


def test_a_pdf_of_many_streams_is_refused_at_their_total(content_dir):
    notice = content_dir.parent / "notice.pdf"
    notice.write_bytes(pdf([deflated_zeros(MB)] * 5, flate=True))
    message = refused(content_dir, notice, Limits(stream=2 * MB, streams=4 * MB))
    assert "the streams of the PDF unpack to more than 4 MB together" in message


@pytest.mark.slow
def test_a_cross_reference_stream_bomb_is_held_by_the_memory_budget(content_dir):
    """pdfminer unpacks the cross-reference stream to open the file at all: no check can come first, the budget holds it."""
    body = deflated_zeros(200 * MB)
    head = (b"%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
    notice = content_dir.parent / "notice.pdf"
    notice.write_bytes(head + b"3 0 obj\n<< /Type /XRef /Size 4 /W [1 4 2] /Root 1 0 R /Length %d /Filter /FlateDecode >>\n"
                       b"stream\n" % len(body) + body + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % len(head))
    message = refused(content_dir, notice, Limits(memory=64 * MB))
    assert "reading the file needed more than 64 MB of memory, and was stopped" in message


@pytest.mark.slow
def test_a_pdf_of_20000_pages_is_refused_at_the_page_limit(content_dir):
    notice = content_dir.parent / "notice.pdf"
    notice.write_bytes(pdf([text_page(1)], pages=20_000))
    assert f"the PDF has more than {LIMITS.pages} pages" in refused(content_dir, notice)


def test_a_pdf_within_the_limits_is_still_read(content_dir):
    notice = content_dir.parent / "notice.pdf"
    notice.write_bytes(pdf([text_page(5)] * 3))
    result = import_notice(str(notice), "2023-x", content_dir, "en")
    assert "Quality Month line 4" in (result.folder / "notice.md").read_text(encoding="utf-8")


def test_reading_over_its_time_budget_is_stopped(content_dir):
    notice = content_dir.parent / "notice.pdf"
    notice.write_bytes(pdf([text_page(60)] * 200))
    message = refused(content_dir, notice, Limits(seconds=0.05))
    assert "reading the file took longer than 0.05 seconds, and was stopped" in message


@pytest.mark.slow
def test_reading_over_its_memory_budget_is_stopped(content_dir):
    """In a fresh interpreter: a long-running one (pytest's) has freed heap the reader may reuse without mapping more."""
    notice = content_dir.parent / "notice.docx"
    notice.write_bytes(word([f"第{k}段：关于开展质量月活动的通知" for k in range(3000)]))
    script = ("import sys; from qm_site.errors import QmError; from qm_site.importing import import_notice; "
              "from qm_site.importing.readers import MB, Limits\n"
              "try:\n    import_notice(sys.argv[1], '2023-x', sys.argv[2], 'en', Limits(memory=4 * MB))\n"
              "except QmError as exc:\n    print(exc)")
    import subprocess

    done = subprocess.run([sys.executable, "-c", script, str(notice), str(content_dir)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert "reading the file needed more than 4 MB of memory, and was stopped" in done.stdout, done.stdout + done.stderr
    assert sorted(p.name for p in content_dir.iterdir()) == ["site.yaml"]


def test_inflated_size_stops_counting_past_the_limit_and_at_damage():
    packed = zlib.compress(bytes(10 * MB))
    assert inflated_size(packed, MB) == MB + 1
    assert inflated_size(packed, 20 * MB) == 10 * MB
    assert 0 < inflated_size(packed[:len(packed) // 2] + b"damage" * 100, 20 * MB) < 10 * MB


def test_limit_errors_are_in_chinese_in_chinese(content_dir, capsys):
    notice = content_dir.parent / "notice.pdf"
    notice.write_bytes(pdf([text_page(1)], pages=LIMITS.pages + 1))
    code, out, err = run(capsys, "import", str(notice), "--id", "2023-x", "--content", "content", "--lang", "zh_CN")
    assert code == 1 and "错误" in err and "页" in err and "PDF" in err


# --- staging folders of killed imports -------------------------------------------------------------


def test_the_staging_folder_of_a_killed_import_is_removed_by_the_next(content_dir):
    pid = os.fork()
    if pid == 0:  # an import killed while it writes the campaign's files
        try:
            real = Path.write_text

            def killed(self, *args, **kwargs):
                if self.name == "notice.md":
                    os.kill(os.getpid(), signal.SIGKILL)
                return real(self, *args, **kwargs)

            Path.write_text = killed  # type: ignore[method-assign]
            import_notice(str(NOTICE), "2022-zhuhai", content_dir, "en")
        finally:
            os._exit(1)
    os.waitpid(pid, 0)
    left = [p for p in content_dir.iterdir() if p.name.startswith(".2022-zhuhai.new-")]
    assert len(left) == 1 and (left[0] / folders.STAGING_MARKER).is_file()
    mine = content_dir / ".2022-zhuhai.new-mine"  # named alike, but not made by qm-site: never removed
    (mine / "notes").mkdir(parents=True)
    marker = (left[0] / folders.STAGING_MARKER).read_text(encoding="utf-8")
    running = content_dir / ".2022-zhuhai.new-running"  # a staging folder of a process still running
    running.mkdir()
    (running / folders.STAGING_MARKER).write_text(marker.replace(str(pid), str(os.getpid())), encoding="utf-8")
    elsewhere = content_dir / ".2022-zhuhai.new-elsewhere"  # another machine's, sharing the folder: its pid means nothing
    elsewhere.mkdir()
    (elsewhere / folders.STAGING_MARKER).write_text(f"qm-site staging folder of process {pid} on another-host\n", encoding="utf-8")
    import_notice(str(NOTICE), "2022-zhuhai", content_dir, "en")
    assert not left[0].exists() and (mine / "notes").is_dir() and running.is_dir() and elsewhere.is_dir()
    assert (content_dir / "2022-zhuhai" / "notice.md").is_file()
    assert not (content_dir / "2022-zhuhai" / folders.STAGING_MARKER).exists()


# --- ids, file names, the report ---------------------------------------------------------------------


@pytest.mark.parametrize("campaign_id", ["2023-national\n", "٢٠٢٣-national", "２０２３-national", "2023-national\u202e"])
def test_an_id_with_a_trailing_newline_or_non_ascii_digits_is_refused(content_dir, capsys, campaign_id):
    code, out, err = run(capsys, "import", str(NOTICE), "--id", campaign_id, "--content", "content", "--lang", "en")
    assert code == 1 and "is not a campaign id" in err
    assert not controls.FORBIDDEN.search(err) and err.count("\n") == 3  # error, hint, count: the id is one line
    assert sorted(p.name for p in content_dir.iterdir()) == ["site.yaml"]


def test_a_file_name_with_a_newline_injects_no_yaml_keys(content_dir):
    notice = content_dir.parent / "通知.txt\nslug: evil\ndraft: false\nx: \u2028"
    shutil.copy(NOTICE, notice)
    result = import_notice(str(notice), "2022-zhuhai", content_dir, "en")
    text = (result.folder / "campaign.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["slug"] == "zhuhai" and data["draft"] is True and "x" not in data
    assert data["notes"] == [f"Imported from {notice.name} by `build.py import`."]  # the name is one value, as it is


def test_terminal_escapes_from_a_notice_are_not_printed_raw(content_dir, capsys):
    notice = content_dir.parent / "notice.txt"
    text = NOTICE.read_text(encoding="utf-8")
    notice.write_text("\x1b]0;pwned\x07\x1b[2J" + text.replace("珠海", "珠\x1b[31m海", 1), encoding="utf-8")
    code, out, err = run(capsys, "import", str(notice), "--id", "2022-zhuhai", "--content", "content", "--lang", "en")
    assert code == 0 and "\x1b" not in out + err and "\x07" not in out + err
    assert "U+001B ESCAPE ×3" in out and "U+0007 control ×1" in out
    for path in (content_dir / "2022-zhuhai").iterdir():
        assert not controls.FORBIDDEN.search(path.read_text(encoding="utf-8")), path


def test_a_file_name_with_escapes_is_shown_escaped_in_an_error(content_dir, capsys):
    notice = content_dir.parent / "a\x1b[2Jb.pdf"
    notice.write_bytes(b"not a pdf")
    code, out, err = run(capsys, "import", str(notice), "--id", "2023-x", "--content", "content", "--lang", "en")
    assert code == 1 and "\x1b" not in err and "a\\x1b[2Jb.pdf: error:" in err


@pytest.mark.parametrize("ch", ["\u202e", "\u2066", "\u200f", "\u061c", "\u2028", "\u2029", "\x0b", "\x85"])
def test_import_strips_bidi_controls_and_line_separators_and_says_so(content_dir, ch):
    notice = content_dir.parent / "notice.txt"
    notice.write_text(NOTICE.read_text(encoding="utf-8").replace("质量", f"质{ch}量"), encoding="utf-8")
    result = import_notice(str(notice), "2022-zhuhai", content_dir, "en")
    for path in result.folder.iterdir():
        assert ch not in path.read_text(encoding="utf-8"), path
    assert controls.describe(ch) in result.report("en")


# --- check and build refuse control characters in content files ----------------------------------


@pytest.mark.parametrize("ch", ["\x07", "\x0b", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\u200e", "\u061c", "\u2028", "\u2029"])
@pytest.mark.parametrize("name", ["notice.md", "campaign.yaml"])
def test_check_and_build_refuse_a_control_character_at_its_line_and_column(site, capsys, name, ch):
    path = site / "content" / "2022-zhuhai" / name
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2][:3] + ch + lines[2][3:]
    path.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = run(capsys, "check", "--lang", "en")
    assert code == 1
    assert f"content/2022-zhuhai/{name}:3:4: error: an invisible control character, {controls.describe(ch)}" in err
    assert "retype the words" in err and ch not in err
    code, out, err = run(capsys, "build", "--out", "public", "-q")
    assert code == 1 and not (site / "public").exists()  # no feed.xml made of it


def test_the_control_character_error_is_chinese_in_chinese(site, capsys):
    path = site / "content" / "2022-zhuhai" / "notice.md"
    path.write_text("\u202e" + path.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run(capsys, "check", "--lang", "zh_CN")
    assert code == 1 and "notice.md:1:1:" in err and "U+202E" in err and "控制字符" in err


def test_tabs_and_windows_line_ends_are_still_content(site, capsys):
    path = site / "content" / "2022-zhuhai" / "notice.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n").replace(b"# ", b"#\t", 1))
    assert run(capsys, "check", "--lang", "en")[0] == 0


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fuzz_any_text_is_written_to_yaml_as_itself_and_strips_clean(text):
    assert yaml.safe_load(f"key: {write.scalar(text)}\n")["key"] == text
    assert len(write.scalar(text).splitlines()) <= 1  # a file name with a line break stays on its `notes` line
    removed: dict[str, int] = {}
    assert controls.first(controls.strip(text, removed)) is None
    assert sum(removed.values()) == len(controls.FORBIDDEN.findall(text))
    assert not controls.FORBIDDEN.search(controls.visible(text))


@pytest.mark.slow
def test_a_notice_too_long_for_a_content_file_is_refused_before_anything_is_written(content_dir):
    notice = content_dir.parent / "notice.txt"
    head, body = NOTICE.read_text(encoding="utf-8").split("\n\n", 1)
    notice.write_text(head + "\n\n" + "质量月活动要求各单位认真组织实施。\n\n" * 45_000 + body, encoding="utf-8")
    message = refused(content_dir, notice)
    assert "notice.md of" in message and "more than the 2000000 a content file may have" in message


@pytest.mark.parametrize("argv", [["2023-national\n", "--from", "2022-zhuhai"], ["2023-national", "--from", "2022-zhuhai\x1b[2J"]])
def test_new_refuses_the_same_ids_and_shows_them_escaped(site, capsys, argv):
    code, out, err = run(capsys, "new", *argv, "--lang", "en")
    assert code == 1 and not controls.FORBIDDEN.search(err) and ("\\x0a" in err or "\\x1b" in err)
    assert not (site / "content" / "2023-national").exists()
