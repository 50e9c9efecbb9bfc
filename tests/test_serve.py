"""`serve`: change detection, incremental output identical to a full build, the error page, and live reload in chromium."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from qm_site.authoring import scaffold, serve
from qm_site.authoring.error_page import error_page
from qm_site.errors import Problem, QmError
from qm_site.printing import fonts
from qm_site.site import builder
from qm_site.site.render import TEMPLATES
from qm_site.source import content as content_mod
from sitecheck import CONTENT

ROOT = Path(__file__).resolve().parent.parent
SLOGAN = "高质量 可持续 享未来"  # the first slogan of 2022-zhuhai
WAIT = 30  # the longest any test waits for the server or the watcher: a bound, never a measurement


@pytest.fixture
def content(tmp_path) -> Path:
    """A private copy of the seed content (tests never touch content/)."""
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a file, failing if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path; not the search index, which `build` makes and the dev server does not."""
    return {rel: p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not (rel := p.relative_to(root).as_posix()).startswith("pagefind/")}


def dirs(root: Path) -> set[str]:
    """Every folder under root but the search index's (see tree)."""
    return {rel for p in root.rglob("*") if p.is_dir() and not (rel := p.relative_to(root).as_posix()).startswith("pagefind")}


# --- change detection ------------------------------------------------------------------


class Watching:
    """A serve.Watcher over content/ and a sentinel folder, its batches collected by the watcher's own thread.

    settle() touches the sentinel and waits until the watcher reports it: inotify's events come in order, so every
    change made before is reported by then. It returns every source path reported since the last call.
    """

    def __init__(self, roots: list[Path], sentinel: Path, changed=None) -> None:
        self.sentinel = sentinel
        self.batches: list[set[Path]] = []
        self.seen = threading.Condition()
        self.changed = changed
        sentinel.mkdir(exist_ok=True)
        self.watcher = serve.Watcher([*roots, sentinel], self._batch, lambda f: f())

    def _batch(self, paths: set[Path]) -> None:
        sources = {p for p in paths if not p.is_relative_to(self.sentinel)}
        if sources and self.changed is not None:
            self.changed(sources)
        with self.seen:
            self.batches.append(paths)
            self.seen.notify_all()

    def settle(self) -> set[Path]:
        mark = self.sentinel / f"{time.monotonic_ns()}.txt"
        mark.write_text("")
        with self.seen:
            assert self.seen.wait_for(lambda: any(mark in b for b in self.batches), WAIT), "the watcher reported nothing"
            reported, self.batches = set().union(*self.batches), []
        return {p for p in reported if not p.is_relative_to(self.sentinel)}


@pytest.fixture
def watching(content, tmp_path):
    """Watching over the content folder, started (its watches set) and stopped after the test."""
    w = Watching([content], tmp_path / "sentinel")
    w.watcher.start(WAIT)
    yield w
    w.watcher.stop()


def test_the_watcher_reports_added_modified_and_removed_files(content, watching):
    folder = content / "2022-zhuhai"
    edit(folder / "campaign.yaml", SLOGAN, "可持续 高质量 享未来")
    (folder / "notes.md").write_text("x")
    (content / "2014-national" / "notice.md").unlink()
    assert watching.settle() == {folder / "campaign.yaml", folder / "notes.md", content / "2014-national" / "notice.md"}


def test_the_watcher_ignores_editor_scratch_and_hidden_files(content, watching):
    folder = content / "2022-national"
    for name in (".notice.md.swp", "notice.md~", "#notice.md#", ".hidden", "4913.tmp"):
        (folder / name).write_text("x")
    (folder / ".git").mkdir()
    (folder / ".git" / "index").write_text("x")
    assert watching.settle() == set()


def test_the_watcher_names_a_folder_made_moved_or_deleted(content, watching):
    shutil.rmtree(content / "2020-nanjing")
    assert content / "2020-nanjing" in watching.settle()
    (content / "2022-caq").rename(content / "2022-caq-b")
    assert {content / "2022-caq", content / "2022-caq-b"} <= watching.settle()


def test_the_watcher_polls_when_the_system_cannot_watch(content, tmp_path, monkeypatch):
    """inotify's watch limit (shared with every other program of the user) must not stop the preview."""
    import watchfiles

    real = watchfiles.watch

    def limited(*paths, force_polling=None, **kwargs):
        if not force_polling:
            raise OSError("OS file watch limit reached")
        return real(*paths, force_polling=force_polling, **kwargs)

    monkeypatch.setattr(watchfiles, "watch", limited)
    monkeypatch.setenv("WATCHFILES_POLL_DELAY_MS", "50")
    w = Watching([content], tmp_path / "sentinel")
    w.watcher.start(WAIT)
    try:
        notice = content / "2022-national" / "notice.md"
        notice.write_text(notice.read_text(encoding="utf-8") + "\n一句话。\n", encoding="utf-8")
        assert notice in w.settle()
    finally:
        w.watcher.stop()
    assert w.watcher.error is None


def test_watched_paths_keep_the_spelling_of_their_root(tmp_path, monkeypatch):
    """`serve` watches content/ by default: the paths it hands on are relative too, as Preview compares them."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    watcher = serve.Watcher([Path("content")], print, print)
    assert watcher.source(str(tmp_path / "content" / "2022-zhuhai" / "notice.md")) == Path("content/2022-zhuhai/notice.md")
    assert watcher.source(str(tmp_path / "content" / ".git" / "index")) is None
    assert watcher.source(str(tmp_path / "content" / "2022-zhuhai" / "notice.md.swp")) is None
    assert watcher.source(str(tmp_path / "elsewhere.md")) is None


@pytest.mark.parametrize("rel, full", [
    ("2022-zhuhai/campaign.yaml", False),
    ("2022-national/attachment-1.md", False),
    ("2023-new/campaign.yaml", False),
    ("site.yaml", True),
    ("README.txt", True),
    ("assets/logo.svg", True),  # the site's own files: a logo is on every poster
])
def test_only_files_inside_campaign_folders_allow_an_incremental_render(content, rel, full):
    assert serve.needs_full_render({content / rel}, content) is full


def test_a_campaign_folder_named_by_itself_allows_an_incremental_render(content):
    """inotify names a folder made, moved or deleted as a whole, not the files in it."""
    known = {content / "2020-nanjing"}
    assert not serve.needs_full_render({content / "2022-zhuhai"}, content)  # a folder now
    shutil.rmtree(content / "2020-nanjing")
    assert not serve.needs_full_render({content / "2020-nanjing"}, content, known)  # the last load's campaign
    assert serve.needs_full_render({content / "2020-nanjing"}, content)  # a loose file of content/, for all we know


def test_templates_and_assets_need_a_full_render(content):
    assert serve.needs_full_render({TEMPLATES / "base.html"}, content)
    assert serve.needs_full_render({builder.ASSETS / "site.css", content / "2022-zhuhai" / "campaign.yaml"}, content)


def test_changed_ids_compares_digests(content):
    old = content_mod.load(content, drafts=True)
    edit(content / "2022-zhuhai" / "campaign.yaml", SLOGAN, "新的口号 测试")
    edit(content / "2022-national" / "notice.md", "质量", "品质")
    shutil.rmtree(content / "2014-national")
    new = content_mod.load(content, drafts=True)
    assert serve.changed_ids(old, new) == {"2022-zhuhai", "2022-national", "2014-national"}
    assert serve.changed_ids(new, new) == set()


# --- incremental output is byte-identical to a full build -------------------------------------


def _slogan(c: Path) -> None:
    edit(c / "2022-zhuhai" / "campaign.yaml", SLOGAN, "可持续 高质量 享未来")  # same characters: same poster font


def _markdown(c: Path) -> None:
    edit(c / "2022-national" / "attachment-1.md", "2022", "2021")


def _theme(c: Path) -> None:
    edit(c / "2022-national" / "campaign.yaml", "推动质量变革创新 促进质量强国建设", "促进质量强国建设 推动质量变革创新")


def _new_year(c: Path) -> None:
    edit(c / "2022-zhuhai" / "campaign.yaml", "year: 2022", "year: 2021")


def _removed(c: Path) -> None:
    shutil.rmtree(c / "2020-nanjing")


def _scaffolded(c: Path) -> None:
    scaffold.new_campaign(c, "2023-zhuhai", "2022-zhuhai")


def _schedule_row_removed(c: Path) -> None:
    text = (c / "2022-zhuhai" / "campaign.yaml").read_text(encoding="utf-8")
    start = text.index("      - no: 6\n")
    end = text.index("\nslogans:")
    (c / "2022-zhuhai" / "campaign.yaml").write_text(text[:start] + text[end + 1:], encoding="utf-8")


def _new_characters(c: Path) -> None:
    edit(c / "2020-nanjing" / "campaign.yaml", "中国质量 共创共享", "龘靐齉 爩麤")


def _title(c: Path) -> None:
    edit(c / "2014-national" / "campaign.yaml", "issuer_label: 质检总局等", "issuer_label: 国家质检总局等")


def _shared_slogan(c: Path) -> None:  # the 2014 and 2022 library pages list it under both years' uses
    edit(c / "2022-zhuhai" / "campaign.yaml", SLOGAN, "人人创造质量 人人享受质量")


def _site(c: Path) -> None:
    edit(c / "site.yaml", "title: 质量月活动", "title: 质量月")


SCENARIOS = {  # edit -> the campaigns an incremental render re-renders (None: a full render; ...: either)
    "slogan": (_slogan, ("2022-zhuhai",)),
    "markdown": (_markdown, ("2022-national",)),
    "featured theme": (_theme, ("2022-national",)),
    "year changed": (_new_year, ("2021-zhuhai", "2022-zhuhai")),
    "campaign removed": (_removed, ...),  # its slogans' characters leave the poster font
    "draft added": (_scaffolded, ...),  # the year 2023 adds characters to the poster font
    "pages vanish": (_schedule_row_removed, ("2022-zhuhai",)),
    "issuer on the home page and in the library": (_title, ("2014-national",)),
    "slogan another year used": (_shared_slogan, ("2022-zhuhai",)),
    "site.yaml": (_site, None),
    # New characters change the poster font subset every poster links: a full render when fonts are installed.
    "poster font": (_new_characters, ...),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", SCENARIOS)
def test_incremental_update_is_byte_identical_to_a_full_build(content, tmp_path, watching, name):
    """With the paths the watcher reports (a new or deleted folder may be named only by itself)."""
    change, expected_ids = SCENARIOS[name]
    preview = serve.Preview(content, tmp_path / "B")
    assert not preview.refresh().problems
    change(content)
    outcome = preview.refresh(watching.settle())
    assert not outcome.problems
    assert outcome.ids == expected_ids or expected_ids is ...
    assert outcome.written + outcome.removed > 0
    preview.finish_font()  # what the server does next, in a thread, when the edit brought new characters
    builder.build(content, tmp_path / "A", drafts=True)
    full, incremental = tree(tmp_path / "A"), tree(tmp_path / "B")
    assert sorted(incremental) == sorted(full)
    assert [p for p in full if full[p] != incremental[p]] == []
    assert dirs(tmp_path / "B") == dirs(tmp_path / "A")


@contextmanager
def watched_preview(content: Path, out: Path, sentinel: Path) -> Iterator[tuple[Watching, list[serve.Outcome]]]:
    """A built preview whose watcher hands every change to Preview.refresh; the outcomes, as they come."""
    preview = serve.Preview(content, out)
    preview.refresh()
    outcomes: list[serve.Outcome] = []
    w = Watching([content], sentinel, lambda paths: outcomes.append(preview.refresh(paths)))
    w.watcher.start(WAIT)
    try:
        yield w, outcomes
    finally:
        w.watcher.stop()


def test_an_edit_to_a_notice_is_rebuilt_through_the_watcher(content, tmp_path):
    """The watcher hands the edited file to Preview.refresh: one campaign is rendered again and its page shows the edit."""
    with watched_preview(content, tmp_path / "B", tmp_path / "sentinel") as (w, outcomes):
        notice = content / "2022-national" / "notice.md"
        notice.write_text(notice.read_text(encoding="utf-8") + "\n编辑后的一句话。\n", encoding="utf-8")
        assert w.settle() == {notice}
    assert outcomes and not any(o.problems for o in outcomes)
    assert {i for o in outcomes for i in o.ids or ("everything",)} == {"2022-national"}
    assert "编辑后的一句话" in (tmp_path / "B" / "2022" / "national" / "notice" / "index.html").read_text(encoding="utf-8")


def test_an_editor_scratch_file_rebuilds_nothing(content, tmp_path):
    with watched_preview(content, tmp_path / "B", tmp_path / "sentinel") as (w, outcomes):
        (content / "2022-national" / ".notice.md.swp").write_text("vim's swap file")
        (content / "2022-national" / "notice.md~").write_text("a backup")
        assert w.settle() == set()
    assert outcomes == []


def test_changes_during_a_rebuild_are_handed_over_together(tmp_path):
    """Batches that come while the loop is busy wait in one set, for one callback."""
    calls: list = []
    got: list[set[Path]] = []
    watcher = serve.Watcher([tmp_path], got.append, calls.append)  # calls are kept, as on a busy event loop
    (tmp_path / "a.md").write_text("")
    watcher.start(WAIT)
    try:
        for name in ("a.md", "b.md"):
            (tmp_path / name).write_text(name)
            deadline = time.monotonic() + WAIT
            while tmp_path / name not in watcher.pending and time.monotonic() < deadline:
                time.sleep(0.01)
    finally:
        watcher.stop()
    assert len(calls) == 1
    calls[0]()
    assert got == [{tmp_path / "a.md", tmp_path / "b.md"}]


def test_an_edit_re_renders_only_the_site_wide_pages_it_changes(content, tmp_path, monkeypatch):
    preview = serve.Preview(content, tmp_path / "B")
    preview.refresh()
    rendered = []
    real = builder.render_page_of
    monkeypatch.setattr(builder, "render_page_of",
                        lambda site, env, page, *a: rendered.append(page.url) or real(site, env, page, *a))
    edit(content / "2022-zhuhai" / "campaign.yaml", SLOGAN, "可持续 高质量 享未来")
    preview.refresh({content / "2022-zhuhai" / "campaign.yaml"})
    shared = {u for u in rendered if not u.removeprefix("en/").startswith("2022/zhuhai/")}
    assert shared == {"slogans/2022/", "en/slogans/2022/"}  # the home page and the other years are as they were


def test_a_slogan_edit_renders_only_the_library_items_it_changes(content, tmp_path, monkeypatch):
    preview = serve.Preview(content, tmp_path / "B")
    preview.refresh()
    items = []
    real = builder.render_page
    monkeypatch.setattr(builder, "render_page",
                        lambda env, template, ctx: (template != "_library_item.html" or items.append(ctx["item"]))
                        and real(env, template, ctx))
    edit(content / "2022-zhuhai" / "campaign.yaml", SLOGAN, "可持续 高质量 享未来")
    preview.refresh({content / "2022-zhuhai" / "campaign.yaml"})
    shown = sum((tmp_path / "B" / lang / "slogans" / "2022" / "index.html").read_text(encoding="utf-8").count('class="slogan-text"')
                for lang in ("", "en"))
    assert 0 < len(items) < shown  # the year's other slogans were kept from the last render
    assert all(any(u["campaign"].id == "2022-zhuhai" for u in item["uses"]) for item in items)


def test_a_notice_edit_re_renders_only_its_campaign(content, tmp_path, monkeypatch):
    """The home page, the slogan library, the feeds and the sitemap do not show a notice's text: none is made again."""
    preview = serve.Preview(content, tmp_path / "B")
    preview.refresh()
    rendered, remade = [], []
    real_page, real_atom, real_sitemap = builder.render_page_of, builder.feeds.atom, builder.feeds.sitemap
    monkeypatch.setattr(builder, "render_page_of",
                        lambda site, env, page, *a: rendered.append(page.url) or real_page(site, env, page, *a))
    monkeypatch.setattr(builder.feeds, "atom", lambda *a: remade.append("feed") or real_atom(*a))
    monkeypatch.setattr(builder.feeds, "sitemap", lambda *a: remade.append("sitemap") or real_sitemap(*a))
    edit(content / "2022-national" / "notice.md", "质量", "品质")
    outcome = preview.refresh({content / "2022-national" / "notice.md"})
    assert outcome.ids == ("2022-national",) and outcome.written > 0
    assert rendered and {u.removeprefix("en/")[:14] for u in rendered} == {"2022/national/"} and remade == []


def test_an_edit_with_the_same_characters_keeps_the_poster_font(content, tmp_path, monkeypatch):
    """The font the site has is kept: not read from the cache again, nor announced, on every edit."""
    preview = serve.Preview(content, tmp_path / "B")
    preview.refresh()
    asked = []
    monkeypatch.setattr(fonts, "poster_font", lambda *a, **k: asked.append(a))
    edit(content / "2022-national" / "notice.md", "质量", "品质")
    outcome = preview.refresh({content / "2022-national" / "notice.md"})
    assert outcome.ids == ("2022-national",) and not outcome.problems and asked == []


@pytest.mark.slow
def test_new_characters_update_the_pages_first_and_the_font_after(content, tmp_path, monkeypatch):
    if fonts.find_face() is None:
        pytest.skip("no Noto Sans CJK installed: posters use the fallback metrics and no subset")
    monkeypatch.setenv("QM_SITE_CACHE", str(tmp_path / "cache"))  # no subset for the new characters made yet
    preview = serve.Preview(content, tmp_path / "B")
    preview.refresh()
    css = tmp_path / "B" / "fonts" / "poster-font.css"
    before = css.read_text()
    _new_characters(content)
    outcome = preview.refresh({content / "2020-nanjing" / "campaign.yaml"})
    assert outcome.ids == ("2020-nanjing",) and preview.font_wanted
    assert "龘靐齉" in (tmp_path / "B" / "2020" / "nanjing" / "slogans" / "index.html").read_text(encoding="utf-8")
    assert css.read_text() == before  # the pages did not wait for fonttools
    font = preview.finish_font()
    assert font is not None and font.written == 2 and font.removed == 1  # the stylesheet, the new subset; the old one
    assert "the poster font" in font.summary() and preview.font_wanted is None and preview.finish_font() is None
    assert css.read_text() != before
    builder.build(content, tmp_path / "A", drafts=True)
    assert tree(tmp_path / "B") == tree(tmp_path / "A")


@pytest.mark.slow
def test_a_deferred_font_is_written_even_when_nothing_can_be_cached(content, tmp_path, monkeypatch):
    if fonts.find_face() is None:
        pytest.skip("no Noto Sans CJK installed")
    (tmp_path / "in-the-way").write_text("")
    monkeypatch.setenv("QM_SITE_CACHE", str(tmp_path / "in-the-way" / "cache"))  # a read-only checkout, say
    preview = serve.Preview(content, tmp_path / "B")
    preview.refresh()
    _new_characters(content)
    preview.refresh({content / "2020-nanjing" / "campaign.yaml"})
    assert preview.font_wanted
    assert preview.finish_font() is not None  # the preview remembers the subset its job made
    assert preview.font_wanted is None and preview.font_job() is None and preview.finish_font() is None
    builder.build(content, tmp_path / "A", drafts=True)
    assert tree(tmp_path / "B") == tree(tmp_path / "A")


@pytest.mark.slow
def test_a_deferred_font_waits_for_valid_content_without_retrying(content, tmp_path, monkeypatch):
    if fonts.find_face() is None:
        pytest.skip("no Noto Sans CJK installed")
    monkeypatch.setenv("QM_SITE_CACHE", str(tmp_path / "cache"))
    preview = serve.Preview(content, tmp_path / "B")
    preview.refresh()
    _new_characters(content)
    yaml = content / "2020-nanjing" / "campaign.yaml"
    preview.refresh({yaml})
    good = yaml.read_text(encoding="utf-8")
    yaml.write_text(good.replace("slug: nanjing", "slug: [nanjing"), encoding="utf-8")
    assert preview.refresh({yaml}).problems
    assert preview.finish_font().problems  # the subset is made, but not written into a site that cannot build
    assert preview.font_job() is None  # so the server does not start another job (nor loop)
    yaml.write_text(good, encoding="utf-8")
    assert not preview.refresh({yaml}).problems and preview.font_wanted is None
    builder.build(content, tmp_path / "A", drafts=True)
    assert tree(tmp_path / "B") == tree(tmp_path / "A")


@pytest.mark.slow
def test_incremental_update_matches_a_reproducible_build(content, tmp_path, watching, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1661126400")
    test_incremental_update_is_byte_identical_to_a_full_build(content, tmp_path, watching, "slogan")


@pytest.mark.slow
def test_after_invalid_content_the_fix_updates_incrementally(content, tmp_path):
    preview = serve.Preview(content, tmp_path / "B")
    preview.refresh()
    yaml = content / "2022-zhuhai" / "campaign.yaml"
    good = yaml.read_text(encoding="utf-8")
    yaml.write_text(good.replace("slug: zhuhai", "slug: [zhuhai"), encoding="utf-8")
    broken = preview.refresh({yaml})
    assert broken.problems and preview.problems
    assert tree(tmp_path / "B")  # the last good site stays on disk
    yaml.write_text(good.replace(SLOGAN, "可持续 高质量 享未来"), encoding="utf-8")
    fixed = preview.refresh({yaml})
    assert not fixed.problems and not preview.problems
    assert fixed.ids == ("2022-zhuhai",)
    builder.build(content, tmp_path / "A", drafts=True)
    assert tree(tmp_path / "B") == tree(tmp_path / "A")


@pytest.mark.slow
def test_a_site_change_made_while_content_is_invalid_is_not_lost(content, tmp_path):
    preview = serve.Preview(content, tmp_path / "B")
    preview.refresh()
    yaml = content / "2022-zhuhai" / "campaign.yaml"
    good = yaml.read_text(encoding="utf-8")
    yaml.write_text(good + "\nyear: [\n", encoding="utf-8")
    assert preview.refresh({yaml}).problems
    _site(content)
    assert preview.refresh({content / "site.yaml"}).problems
    yaml.write_text(good, encoding="utf-8")
    assert preview.refresh({yaml}).ids is None  # the pending site.yaml change forces a full render
    builder.build(content, tmp_path / "A", drafts=True)
    assert tree(tmp_path / "B") == tree(tmp_path / "A")


# --- the error page --------------------------------------------------------------------------


def test_error_page_lists_place_message_and_hint_escaped(tmp_path):
    yaml = tmp_path / "campaign.yaml"
    yaml.write_text("year: 2022\nslug: <b>\n", encoding="utf-8")
    page = error_page((Problem(str(yaml), 2, 7, "bad <slug> & more", "use `a-z` <only>"),
                       Problem("content/site.yaml", 0, 0, "site.yaml is missing")))
    assert f"{yaml}:2:7" in page and "content/site.yaml</code>" in page
    assert "bad &lt;slug&gt; &amp; more" in page and "use `a-z` &lt;only&gt;" in page
    assert "<b>" not in page and "slug: &lt;b&gt;" in page  # the source line, escaped
    assert "错误" in page and "Error" in page and "提示" in page and "Hint" in page
    assert "</head>" in page  # where the livereload script is injected


@pytest.mark.parametrize("path, is_html", [("", True), ("2022/zhuhai/", True), ("2022/zhuhai", True),
                                           ("404.html", True), ("assets/site.abc.css", False), ("2022/zhuhai/campaign.json", False),
                                           ("admin/", False), ("admin/index.html", False)])
def test_which_requests_get_the_error_page(path, is_html):
    assert serve._is_html_request(path) is is_html


# --- only this machine's browser: Host, Origin, timeouts ------------------------------------------


TIMEOUT = 0.5  # the server's request timeout in these tests (30 s in `serve`)
DRAFT = "未发布的草稿 unpublished draft"  # the one page of the `server` fixture
WEBSOCKET = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
             "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


@pytest.fixture
def server(tmp_path):
    """serve.make_server over a one-page site, on a free port, its event loop in a thread: (port, preview)."""
    from tornado.netutil import bind_sockets

    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text(f"<!DOCTYPE html><html><head></head><body>{DRAFT}</body></html>", encoding="utf-8")
    preview = serve.Preview(tmp_path / "content", out)
    sockets = bind_sockets(0, serve.HOST)
    port = sockets[0].getsockname()[1]
    running, stop = threading.Event(), []

    async def main() -> None:
        http_server = serve.make_server(preview, port, serve.Browsers(), timeout=TIMEOUT)
        http_server.add_sockets(sockets)
        done = asyncio.Event()
        stop.append((asyncio.get_running_loop(), done))
        running.set()
        await done.wait()
        http_server.stop()
        await http_server.close_all_connections()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert running.wait(WAIT)
    yield port, preview
    loop, done = stop[0]
    loop.call_soon_threadsafe(done.set)
    thread.join(WAIT)


def request(port: int, path: str = "/", headers: dict | None = None, method: str = "GET") -> tuple[int, str]:
    """(status, body) of one request; the Host is the server's own unless `headers` names another."""
    conn = http.client.HTTPConnection(serve.HOST, port, timeout=WAIT)
    try:
        conn.request(method, path, headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def test_loopback_hosts_carry_the_port_as_browsers_send_it():
    assert serve.loopback_hosts(8000) == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert {"127.0.0.1", "localhost", "[::1]"} <= serve.loopback_hosts(80)  # http's own port is left out of Host


def test_a_page_and_livereload_are_served_to_this_machine(server):
    port, _ = server
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        status, body = request(port, headers={"Host": host})
        assert status == 200 and DRAFT in body and f"/livereload.js?port={port}" in body
    assert request(port, "/livereload.js")[0] == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1", "localhost",
                                  "127.0.0.1:{other}", "localhost.:{port}", "127.0.0.1.evil.example:{port}"])
@pytest.mark.parametrize("path, headers", [("/", {}), ("/livereload.js", {}), ("/livereload", WEBSOCKET)])
def test_another_host_name_is_refused(server, host, path, headers):
    """A DNS-rebinding page (its name resolved to 127.0.0.1) sends its own name as Host: it must read nothing."""
    port, _ = server
    host = host.format(port=port, other=port + 1)
    status, body = request(port, path, {**headers, "Host": host})
    assert status == 403
    assert DRAFT not in body and f"a request for {host} is refused" in body and "其他网页" in body


def test_the_error_page_is_refused_to_another_host_too(server):
    port, preview = server
    preview.problems = (Problem("content/2022-zhuhai/campaign.yaml", 1, 1, "secret draft problem"),)
    status, body = request(port)
    assert status == 200 and "secret draft problem" in body, "the error page, not a server error"
    status, body = request(port, headers={"Host": "evil.example"})
    assert status == 403 and "secret" not in body


def test_a_missing_host_is_refused(server):
    port, _ = server
    with socket.create_connection((serve.HOST, port), timeout=WAIT) as s:
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")  # HTTP/1.1 requires a Host; Tornado answers 1.0 without one
        assert s.makefile("rb").readline().split()[1] == b"403"


@pytest.mark.parametrize("origin", ["http://evil.example", "http://evil.example:{port}", "http://127.0.0.1:{other}",
                                    "http://127.0.0.1", "null"])
def test_a_foreign_page_cannot_open_the_livereload_socket(server, origin):
    port, _ = server
    origin = origin.format(port=port, other=port + 1)
    assert request(port, "/livereload", {**WEBSOCKET, "Origin": origin})[0] == 403
    # Browsers also say whether the page is another site: a same-looking Host does not let it in.
    headers = {**WEBSOCKET, "Origin": origin, "Sec-Fetch-Site": "cross-site"}
    assert request(port, "/livereload", headers)[0] == 403


@pytest.mark.parametrize("origin", ["http://127.0.0.1:{port}", "http://localhost:{port}", None])
def test_this_previews_pages_and_non_browsers_open_the_livereload_socket(server, origin):
    port, _ = server
    headers = WEBSOCKET if origin is None else {**WEBSOCKET, "Origin": origin.format(port=port)}
    assert request(port, "/livereload", headers)[0] == 101


def test_a_half_sent_request_is_dropped_after_the_timeout(server):
    """Without a timeout each idle connection would hold a socket (Tornado waits an hour for headers)."""
    port, _ = server
    with socket.create_connection((serve.HOST, port), timeout=WAIT) as s:
        s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())  # no blank line: headers unfinished
        try:
            assert s.recv(1024) == b""  # closed by the server; socket.timeout after WAIT s would fail the test
        except ConnectionResetError:
            pass  # closed too


def test_a_half_sent_body_is_dropped_after_the_timeout(server):
    port, _ = server
    with socket.create_connection((serve.HOST, port), timeout=WAIT) as s:
        s.sendall(f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 100\r\n\r\nabc".encode())
        try:
            assert s.recv(1024) == b""
        except ConnectionResetError:
            pass


@pytest.mark.slow
def test_an_open_livereload_socket_outlives_the_timeout(server):
    """The timeout is for unfinished requests: a page listening for reloads stays connected."""
    from tornado.websocket import websocket_connect

    port, _ = server

    async def hello_after_idling() -> dict:
        ws = await asyncio.wait_for(websocket_connect(f"ws://127.0.0.1:{port}/livereload"), WAIT)
        try:
            await asyncio.sleep(TIMEOUT * 4)
            await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
            return json.loads(await asyncio.wait_for(ws.read_message(), WAIT))
        finally:
            ws.close()

    # In a thread of its own: this module's Chromium (Playwright's sync API) may hold a running loop in this one,
    # depending on the random order of the tests.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, hello_after_idling()).result()["command"] == "hello"


# --- the live server in chromium --------------------------------------------------------------


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    """Poll the server until it answers (or fail with its output)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server exited:\n{proc.stdout.read()}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:  # not listening yet, or still building: try again
            time.sleep(0.1)
    pytest.fail("the server did not start")


def start_server(content: Path, out: Path, preexec_fn=None) -> tuple[subprocess.Popen, str]:
    """`python build.py serve` on a free port, as a user would run it (`preexec_fn`: set up its process first)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "build.py", "serve", "--content", str(content), "--port", str(port),
                             "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=preexec_fn)
    url = f"http://127.0.0.1:{port}/"
    wait_until_up(url, proc)
    return proc, url


def stop_server(proc: subprocess.Popen) -> str:
    """Ctrl-C, as a user would; returns everything it printed."""
    proc.send_signal(subprocess.signal.SIGINT)
    out, _ = proc.communicate(timeout=15)
    return out


@pytest.mark.slow
def test_ctrl_c_stops_a_server_started_with_sigint_ignored(content, tmp_path):
    """A shell starts background commands with SIGINT ignored (and Python keeps it so): Ctrl-C must still stop serve."""
    import signal

    proc, _url = start_server(content, tmp_path / "out", preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        printed = stop_server(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0 and "stopped" in printed


def wait_for_livereload(page) -> None:
    """Until livereload.js has finished its handshake, a reload message would reach nobody."""
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol > 0", timeout=15_000)


@pytest.mark.browser
def test_edit_break_and_fix_reload_the_open_page(content, tmp_path, browser):
    """The session's chromium (tests/conftest.py): one Playwright instance per process."""
    from playwright.sync_api import expect

    yaml = content / "2022-zhuhai" / "campaign.yaml"
    proc, url = start_server(content, tmp_path / "out")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + "2022/zhuhai/slogans/")
        expect(page.locator("main")).to_contain_text(SLOGAN)
        wait_for_livereload(page)

        edit(yaml, SLOGAN, "高质量 可持续 赢未来")
        expect(page.locator("main")).to_contain_text("高质量 可持续 赢未来", timeout=15_000)
        wait_for_livereload(page)

        good = yaml.read_text(encoding="utf-8")
        yaml.write_text(good.replace("slug: zhuhai", "slug: [zhuhai"), encoding="utf-8")
        with pytest.raises(QmError) as info:
            content_mod.load(content, drafts=True)
        problem = info.value.problems[0]
        expect(page.locator("h1")).to_contain_text("内容有误", timeout=15_000)
        expect(page.locator("main")).to_contain_text(f"{problem.path}:{problem.line}:{problem.column}")
        expect(page.locator("main")).to_contain_text(problem.message)
        expect(page.locator("main")).to_contain_text(problem.hint)
        wait_for_livereload(page)

        yaml.write_text(good, encoding="utf-8")
        expect(page.locator("main")).to_contain_text("高质量 可持续 赢未来", timeout=15_000)
        expect(page.locator("h1")).not_to_contain_text("内容有误")
    finally:
        context.close()
        printed = stop_server(proc)
    assert "rebuilt " in printed
    assert f"campaign.yaml:{problem.line}:{problem.column}:" in printed
    assert "Traceback" not in printed
    assert proc.returncode == 0
    assert "stopped" in printed


def test_serve_refuses_a_busy_port(content, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        run = subprocess.run([sys.executable, "build.py", "serve", "--content", str(content), "--port", str(port)],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert f"port {port} is already in use" in run.stderr
    assert "Traceback" not in run.stderr


def test_while_the_preview_cannot_be_written_pages_say_so(server):
    """A full disk: HTML requests get the bilingual 'cannot be written' page (the pages on disk are partly stale)."""
    import errno

    from qm_site.site import output

    port, preview = server
    preview.write_error = output.WriteError(Problem(str(preview.out), 0, 0, "cannot write the site: No space left on device"),
                                            errno.ENOSPC)
    status, body = request(port, "/")
    assert status == 503 and "预览暂时无法写入" in body and "The preview cannot be written for now" in body
    assert "No space left on device" in body
    preview.write_error = None
    status, body = request(port, "/")
    assert status == 200 and DRAFT in body


def test_the_terminal_gets_one_line_per_campaign_for_its_to_fill_gaps(content: Path) -> None:
    """serve prints each draft's 待填写 as one line (where the first is), other warnings in full."""
    from qm_site.authoring.serve import todo_summary
    from qm_site.i18n import translate

    root = content
    scaffold.new_campaign(root, "2030-national", "2022-national")
    loaded = content_mod.load(root, drafts=True)
    gaps = [w for w in loaded.warnings if "2030-national" in w.path]
    kept, lines = todo_summary(tuple(loaded.warnings))
    assert len(gaps) > 5 and len(lines) == 1 and not any("2030-national" in w.path for w in kept)
    assert len(kept) == len(loaded.warnings) - len(gaps), "other warnings are still printed in full"
    first = f"{gaps[0].path}:{gaps[0].line}:{gaps[0].column}"
    assert translate(lines[0], "en").startswith(f"2030-national: {len(gaps)} places still say 待填写 (the first at {first})")
    assert translate(lines[0], "zh_CN").startswith(f"2030-national：{len(gaps)} 处")
