"""The build command: a failed build leaves the previous output exactly as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qm_site import cli
from qm_site.errors import QmError
from qm_site.site import output
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_failed_build_keeps_the_previous_site(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    out = tmp_path / "public"
    assert cli.main(["build", "--content", str(content), "--out", str(out), "-q"]) == 0
    before = snapshot(out)
    yaml = content / "2022-zhuhai" / "campaign.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("slogans:", "slogan:", 1), encoding="utf-8")
    assert cli.main(["build", "--content", str(content), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "unknown key `slogan`" in err and "Traceback" not in err
    assert snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".public")], "temporary folders left behind"


@pytest.mark.slow
def test_a_template_error_names_the_template_and_keeps_the_site(tmp_path, capsys, monkeypatch):
    out = tmp_path / "public"
    assert cli.main(["build", "--out", str(out), "-q"]) == 0
    before = snapshot(out)
    from qm_site.site import builder

    def broken(env, template, ctx):
        raise builder.template_error(__import__("jinja2").UndefinedError("'nope' is undefined"), template)

    monkeypatch.setattr(builder, "render_page", broken)
    assert cli.main(["build", "--out", str(out)]) == 1
    assert "templates/" in capsys.readouterr().err
    assert snapshot(out) == before


def test_two_writers_of_one_path_are_refused():
    files = output.Files()
    files.add("a/index.html", "one")
    with pytest.raises(QmError, match="two pages would be written"):
        files.add("a/index.html", "two")
    with pytest.raises(QmError, match="outside the site folder"):
        files.add("../escape.html", "x")


@pytest.mark.slow
def test_build_keeps_printed_pdfs(tmp_path):
    out = tmp_path / "public"
    (out / "pdf").mkdir(parents=True)
    (out / output.MARKER).write_bytes(output.MARKER_TEXT)  # a previous build's folder
    (out / "pdf" / "2022-national-a4.pdf").write_bytes(b"%PDF-1.7 test")
    assert cli.main(["build", "--out", str(out), "-q"]) == 0
    assert (out / "pdf" / "2022-national-a4.pdf").read_bytes() == b"%PDF-1.7 test"
    gallery = (out / "2022" / "national" / "posters" / "index.html").read_text(encoding="utf-8")
    assert 'pdf/2022-national-a4.pdf" download' in gallery  # an existing PDF is linked
    assert 'pdf/2022-national-a3.pdf" download' not in gallery  # a missing one is not


def test_no_search_leaves_the_index_out_and_says_so(tmp_path, capsys):
    out = tmp_path / "public"
    assert cli.main(["build", "--content", str(CONTENT), "--out", str(out), "--no-search", "--lang", "en"]) == 0
    assert (out / "search" / "index.html").is_file() and not (out / "pagefind").exists()
    assert "built without the search index (--no-search)" in capsys.readouterr().err
