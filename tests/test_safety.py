"""Never lose a file, never publish one that is not content (issue 15): one test per reported case.

Each test builds or checks a copy of the seed content in a temporary folder and asserts the one clear
message, the exit code, that no traceback was printed and that nothing that was there before is lost.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sitecheck
from qm_site.errors import QmError
from qm_site.site import output
from qm_site.source import content, yamlio
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes (links not followed)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture
def site(tmp_path: Path, monkeypatch) -> Path:
    """A project folder holding a copy of the seed content; the working folder for the test."""
    shutil.copytree(CONTENT, tmp_path / "content")
    (tmp_path / "notes.txt").write_text("my own notes\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


run = sitecheck.run_cli


# --- the output folder ---------------------------------------------------------------------


@pytest.mark.parametrize("out", ["content", ".", "content/2022-zhuhai", ".."])
def test_an_output_folder_that_would_replace_or_hold_the_content_is_refused(site, capsys, out):
    before = snapshot(site)
    code, err = run(capsys, "build", "--out", out)
    assert code == 1 and "would replace or hold the content folder" in err
    assert snapshot(site) == before


def test_a_folder_qm_site_did_not_make_is_never_replaced(site, capsys):
    mine = site / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"years of work")
    code, err = run(capsys, "build", "--out", "mine")
    assert code == 1 and "was not made by qm-site and is not empty" in err
    assert (mine / "thesis.docx").read_bytes() == b"years of work"


def test_a_file_as_output_or_under_a_file_is_one_clear_error(site, capsys):
    code, err = run(capsys, "build", "--out", "notes.txt")
    assert code == 1 and "is not a folder" in err
    code, err = run(capsys, "build", "--out", "notes.txt/public")
    assert code == 1 and "notes.txt" in err and "a part of this path is a file" in err
    assert (site / "notes.txt").read_text(encoding="utf-8") == "my own notes\n"


@pytest.mark.slow
def test_empty_absent_and_own_folders_are_built_and_marked(site, capsys):
    (site / "empty").mkdir()
    for out in ("empty", "public", "public"):  # the second build replaces the first's folder
        assert run(capsys, "build", "--out", out, "-q")[0] == 0
        assert (site / out / output.MARKER).read_bytes() == output.MARKER_TEXT
        assert (site / out / "index.html").is_file()


@pytest.mark.slow
def test_the_swap_is_one_atomic_exchange_on_linux(site, capsys, monkeypatch):
    assert run(capsys, "build", "--out", "public", "-q")[0] == 0

    def no_rename(*args):
        raise AssertionError("the old site was moved aside: a moment without public/")

    monkeypatch.setattr(output.os, "rename", no_rename)
    assert run(capsys, "build", "--out", "public", "-q")[0] == 0
    assert (site / "public" / "index.html").is_file()


def test_exchange_swaps_two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "x").write_text("new"), (b / "x").write_text("old")
    assert output.exchange(a, b)
    assert (b / "x").read_text() == "new" and (a / "x").read_text() == "old"


@pytest.mark.slow
def test_temporary_folders_of_killed_builds_are_removed(site, capsys):
    dead = site / ".public.new-999999999-abcd1234"  # no process has this id
    legacy = site / ".public.old-k2j4h5g6"  # qm-site 0.1 recorded no process id
    running = site / f".public.new-{os.getpid()}-zzzz9999"  # a build still running: left alone
    for folder in (dead, legacy, running):
        (folder / "site").mkdir(parents=True)
    assert run(capsys, "build", "--out", "public", "-q")[0] == 0
    assert not dead.exists() and not legacy.exists() and running.exists()
    assert not [p for p in site.iterdir() if p.name.startswith(".public.") and p != running]


@pytest.mark.slow
def test_a_full_disk_is_one_line_and_the_old_site_survives(site, capsys, monkeypatch):
    assert run(capsys, "build", "--out", "public", "-q")[0] == 0
    before = snapshot(site / "public")

    def full(files, root, mtime=None):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(root / "index.html"))

    monkeypatch.setattr(output, "write_tree", full)
    code, err = run(capsys, "build", "--out", "public")
    assert code == 1 and "No space left on device" in err and "the disk is full" in err
    assert snapshot(site / "public") == before
    assert not [p for p in site.iterdir() if p.name.startswith(".public.")]


def test_a_read_only_file_system_is_said_with_what_to_do(tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path / "public"))

    monkeypatch.setattr(output.tempfile, "mkdtemp", read_only)
    with pytest.raises(QmError) as caught:
        output.write_site({"a.html": b"x"}, tmp_path / "public")
    problem = caught.value.problems[0]
    assert "Read-only file system" in problem.message and "writable disk" in problem.hint


# --- reading only content -----------------------------------------------------------------


def test_a_notice_linked_to_a_system_file_is_refused_where_the_yaml_names_it(site, capsys):
    notice = site / "content" / "2022-zhuhai" / "notice.md"
    notice.unlink()
    notice.symlink_to("/etc/passwd")
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1
    assert "content/2022-zhuhai/campaign.yaml:" in err and "is a link to /etc/passwd, outside the content folder" in err
    assert run(capsys, "build", "--out", "public")[0] == 1
    assert not (site / "public").exists()


def test_a_campaign_folder_linked_from_outside_is_refused(site, capsys, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "2022-secret"
    shutil.copytree(site / "content" / "2022-zhuhai", elsewhere)
    (elsewhere / "campaign.yaml").write_text((elsewhere / "campaign.yaml").read_text(encoding="utf-8")
                                             .replace("slug: zhuhai", "slug: secret"), encoding="utf-8")
    (site / "content" / "2022-secret").symlink_to(elsewhere)
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1 and "`2022-secret` is a link to a folder outside the content folder" in err


def test_links_inside_the_content_folder_still_work(site, capsys):
    folder = site / "content" / "2022-zhuhai"
    (folder / "notice.md").rename(site / "content" / "shared-notice.md")
    (folder / "notice.md").symlink_to("../shared-notice.md")
    assert run(capsys, "check")[0] == 0


@pytest.mark.parametrize("make, message", [
    (lambda p: p.symlink_to(p.name), "points to itself in a loop"),
    (lambda p: p.mkdir(), "is not a regular file"),
    (lambda p: os.mkfifo(p), "is not a regular file"),
    (lambda p: p.symlink_to("/dev/zero"), "outside the content folder"),
])
def test_loops_folders_pipes_and_devices_are_errors_not_hangs(site, capsys, make, message):
    notice = site / "content" / "2022-zhuhai" / "notice.md"
    notice.unlink()
    make(notice)
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1 and message in err and "campaign.yaml:" in err


def test_a_huge_file_is_refused_before_it_is_read(site, capsys):
    notice = site / "content" / "2022-zhuhai" / "notice.md"
    with notice.open("r+b") as fh:
        fh.truncate(content.MAX_FILE_BYTES + 1)  # sparse: no disk used
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1 and "more than the 2000000 a content file may have" in err


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))


@pytest.mark.slow
def test_a_yaml_alias_bomb_stops_at_once_with_an_error(site, capsys):
    assert len(ALIAS_BOMB.encode()) < 400  # a few hundred bytes that would expand to 9^9 values
    (site / "content" / "2022-zhuhai" / "campaign.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1 and "expands to more than 100000 values" in err


@pytest.mark.slow
@settings(max_examples=60)
@given(width=st.integers(2, 12), depth=st.integers(1, 12))
def test_fuzz_nested_aliases_end_in_a_qmerror_or_a_document(width, depth):
    lines = ["l0: &l0 [x]"] + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, depth + 1)]
    sizes = [2]  # values one line expands to: its list and what the list holds
    for _ in range(depth):
        sizes.append(1 + width * sizes[-1])
    total = 1 + sum(1 + n for n in sizes)  # the document, and each key with its value
    try:
        node = yamlio.load("\n".join(lines))
    except QmError as exc:
        assert "expands to more than" in exc.problems[0].message and total > yamlio.MAX_NODES
    else:
        assert node is not None and total <= yamlio.MAX_NODES


@settings(max_examples=200)
@given(st.binary(max_size=200) | st.text(max_size=60).map(lambda t: t.encode("gb18030")) |
       st.text(max_size=60).map(lambda t: t.encode("utf-16")))
def test_fuzz_any_bytes_decode_to_text_or_one_explained_problem(data):
    try:
        text = content.decode(data)
    except content.Unreadable as exc:
        assert exc.in_file and exc.line >= 1 and exc.column >= 1 and exc.hint == content.SAVE_AS_UTF8
    else:
        assert "\ufeff" not in text[:1]


# --- campaigns that would silently vanish ----------------------------------------------------


def test_a_campaign_yml_is_named_as_the_mistake(site, capsys):
    folder = site / "content" / "2022-zhuhai"
    (folder / "campaign.yaml").rename(folder / "campaign.yml")
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1 and "must be called campaign.yaml, not campaign.yml" in err


def test_a_folder_without_campaign_yaml_is_an_error(site, capsys):
    (site / "content" / "2023-national").mkdir()
    (site / "content" / "2023-national" / "notice.md").write_text("# x\n", encoding="utf-8")
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1 and "`2023-national` has no campaign.yaml" in err


def test_a_hidden_campaign_folder_is_a_warning(site, capsys):
    (site / "content" / "2022-zhuhai").rename(site / "content" / "..2022-zhuhai")
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 0 and "warning: the campaign in `..2022-zhuhai` is not built" in err


def _set_logo(path: Path, logo: str) -> None:
    """Give site.yaml's `posters:` a logo (as its first key)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nposters:\n", f"\nposters:\n  logo: {logo}\n", 1), encoding="utf-8")


def test_check_finds_a_logo_outside_the_content_folder(site, capsys):
    _set_logo(site / "content" / "site.yaml", "../../../etc/passwd")
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1 and "content/site.yaml:" in err and "the poster logo `../../../etc/passwd` is not in assets/" in err


def test_a_site_logo_in_content_assets_is_published(site, capsys):
    (site / "content" / "assets").mkdir()
    (site / "content" / "assets" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>')
    _set_logo(site / "content" / "site.yaml", "logo.svg")
    assert run(capsys, "build", "--out", "public", "-q")[0] == 0
    assert list((site / "public" / "assets").glob("logo.*.svg"))


# --- encodings --------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_byte_order_mark_never_reaches_the_page(site, capsys):
    notice = site / "content" / "2022-zhuhai" / "notice.md"
    notice.write_bytes(b"\xef\xbb\xbf## First heading\n\n" + notice.read_bytes())
    assert run(capsys, "build", "--out", "public", "-q")[0] == 0
    page = (site / "public" / "2022" / "zhuhai" / "notice" / "index.html").read_text(encoding="utf-8")
    assert "\ufeff" not in page and "First heading</h2>" in page


@pytest.mark.parametrize("name, encode, what", [
    ("notice.md", lambda t: t.encode("gbk"), "Chinese Windows encoding (GBK/GB18030)"),
    ("campaign.yaml", lambda t: t.encode("gb18030"), "Chinese Windows encoding (GBK/GB18030)"),
    ("notice.md", lambda t: t.encode("utf-16"), "saved as UTF-16"),
    ("campaign.yaml", lambda t: t.encode("utf-16"), "saved as UTF-16"),
])
def test_a_file_in_another_encoding_is_one_error_at_that_file(site, capsys, name, encode, what):
    path = site / "content" / "2022-zhuhai" / name
    path.write_bytes(encode(path.read_text(encoding="utf-8")))
    code, err = run(capsys, "check", "--lang", "en")
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert code == 1 and len(errors) == 1, err
    assert errors[0].startswith(f"content/2022-zhuhai/{name}:") and what in errors[0]
    assert "Save As" in err and "empty" not in err


def test_the_encoding_hint_is_chinese_in_chinese(site, capsys):
    path = site / "content" / "2022-zhuhai" / "notice.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    code, err = run(capsys, "check", "--lang", "zh_CN")
    assert code == 1 and "记事本" in err and "UTF-8" in err


def test_an_unreadable_file_is_one_line_with_what_to_do(site, capsys, monkeypatch):
    real_open = Path.open

    def denied(self, *args, **kwargs):  # root reads everything, so the refusal is simulated
        if self.name == "notice.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    code, err = run(capsys, "check", "--lang", "en")
    assert code == 1 and "`notice.md` cannot be read: permission denied" in err and "chmod a+r" in err


def test_any_other_os_error_is_one_line_not_a_traceback(site, capsys, monkeypatch):
    from qm_site.source import folders

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(site / "content" / ".2023-zhuhai.new-x"))

    monkeypatch.setattr(folders.tempfile, "mkdtemp", read_only)
    code, err = run(capsys, "new", "2023-zhuhai", "--from", "2022-zhuhai")
    assert code == 1 and "the operating system refused: Read-only file system" in err
    assert not (site / "content" / "2023-zhuhai").exists()


def test_pdf_says_how_to_install_its_extra(monkeypatch):
    from qm_site.printing import pdf

    real = pdf.importlib.util.find_spec
    monkeypatch.setattr(pdf.importlib.util, "find_spec", lambda name: None if name == "playwright" else real(name))
    with pytest.raises(QmError) as caught:
        pdf.require_extra()
    assert "pip install 'qm-site[pdf]'" in caught.value.problems[0].hint


def test_cache_keys_change_with_the_library_version(monkeypatch, tmp_path):
    from importlib import metadata

    from qm_site import cache

    assert cache.installed_version("segno") == metadata.version("segno")  # what importlib.metadata says, cheaper
    assert cache.installed_version("Brotli") == metadata.version("brotli") and cache.installed_version("no-such-dist") is None
    before = cache.versions("segno")
    cache.versions.cache_clear()
    (tmp_path / "segno-999.0.dist-info").mkdir()  # an upgrade installed ahead of the current one on sys.path
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cache.versions("segno") == "segno=999.0" != before
    cache.versions.cache_clear()


@pytest.mark.parametrize("folders", [3, output.REMOVE_IN_PARALLEL + 6])
def test_removing_a_previous_site_removes_it_all_and_never_follows_a_link(tmp_path, folders):
    """remove_tree, in this process or shared among forked ones, leaves nothing of the tree and what links point to alone."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine", encoding="utf-8")
    old = tmp_path / "old"
    for k in range(folders):
        (old / "en" / str(k)).mkdir(parents=True)
        (old / "en" / str(k) / "index.html").write_text("x", encoding="utf-8")
    (old / "robots.txt").write_text("x", encoding="utf-8")
    (old / "en" / "linked").symlink_to(outside, target_is_directory=True)
    (old / "link").symlink_to(outside, target_is_directory=True)
    output.remove_tree(old)
    assert not old.exists() and (outside / "keep.txt").read_text(encoding="utf-8") == "mine"
