"""The web editor's form (issue 32): as strict as `check`, readable lists, all in Chinese, Markdown kept as typed.

Fast tests read the config.yml made from the model; the rest drive the form in chromium against `serve --cms` on a
copy of the seed content, one server for the module (each test edits its own campaign or leaves the files as they are).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import time
import typing
import urllib.request
from pathlib import Path

import pytest
from test_admin import NODE, NODE_MODULES, SOURCES, _answers, _free_port, _parsed, _wait_for, needs_node

import sitecheck
from qm_site.site import admin
from qm_site.source import content as content_mod
from qm_site.source import model
from qm_site.source.schema import fields, hints
from sitecheck import CONTENT

ROOT = sitecheck.ROOT
LATIN = re.compile(r"[A-Za-z]")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _all_fields(config_fields: list[dict]):
    """Every field of a config, nested ones and list items too."""
    for f in config_fields:
        yield f
        yield from _all_fields(f.get("fields", []))
        if "field" in f:
            yield from _all_fields([f["field"]])


def _campaign_fields() -> list[dict]:
    return list(_all_fields(admin.model_fields(model.Campaign) + admin.model_fields(model.Site)))


# --- the config ---------------------------------------------------------------------------------------------------


def test_labels_hints_and_choices_are_chinese():
    for f in _campaign_fields():
        # ICP备案号 is the filing's own Chinese name (工信部 writes it so)
        assert not LATIN.search(f["label"].replace("ICP备案号", "")) and CJK.search(f["label"]), f
        assert "hint" not in f or CJK.search(f["hint"]), f
        for option in f.get("options", []):
            assert CJK.search(option["label"]) and not LATIN.search(option["label"]), f
    positions = {f["name"]: f for f in admin.model_fields(model.Campaign)}["recipients_position"]["options"]
    assert positions == [{"label": "主送在开头", "value": "top"}, {"label": "在版记", "value": "footer"}]


def test_dates_are_picked_without_utc():
    dates = [f for f in _campaign_fields() if f.get("widget") == "datetime"]
    assert dates and all("picker_utc" not in f and f["time_format"] is False for f in dates)


def test_every_pattern_says_in_chinese_what_is_expected():
    patterned = [f for f in _campaign_fields() if "pattern" in f]
    assert {f["name"] for f in patterned} >= {"slug", "postcode", "phones", "fax", "emails", "website", "base_url", "background"}
    for f in patterned:
        regex, message = f["pattern"]
        assert regex not in message and CJK.search(message), f  # check's hint in Chinese, never the raw expression


def test_phones_fax_and_websites_have_the_patterns_check_enforces():
    contact = {f["name"]: f for f in admin.model_fields(model.Contact)}
    assert contact["phones"]["field"]["pattern"][0] == model.PHONE == contact["fax"]["field"]["pattern"][0]
    assert contact["website"]["pattern"][0] == model.WEB_ADDRESS
    assert contact["phones"]["field"]["label"] == "电话", "Decap's messages name the field: “电话”是必填项"
    for good in ("010-82262033", "（0756）2661370", "13851528648", "400-123-4567", "010-82262033转8012"):
        assert re.search(model.PHONE, good), good
    for bad in ("电话abc", "12345", "0756-abc"):
        assert not re.search(model.PHONE, bad), bad


def test_every_list_of_mappings_has_a_summary_of_its_own_fields():
    def lists(cls):
        for f in fields(cls):
            inner = typing.get_args(hints(cls)[f.name])
            for arg in (hints(cls)[f.name], *inner):
                if typing.get_origin(arg) is list and dataclasses.is_dataclass(typing.get_args(arg)[0]):
                    yield typing.get_args(arg)[0]
                elif dataclasses.is_dataclass(arg) and arg is not model.Loc:
                    yield from lists(arg)
    found = set(lists(model.Campaign)) | set(lists(model.Site))
    assert found == set(admin.SUMMARIES)
    for cls, template in admin.SUMMARIES.items():
        names = {f.name for f in fields(cls)}
        assert {m.split(".")[0] for m in re.findall(r"fields\.([\w.]+)", template)} <= names, cls


def test_single_value_lists_are_summarised_by_their_text():
    for f in _campaign_fields():
        if f.get("widget") == "list" and "field" in f:
            assert f["summary"] == "{{fields." + f["field"]["name"] + "}}", f


def test_row_numbers_are_made_by_the_form():
    rows = {f["name"]: f for f in admin.model_fields(model.Activity)}
    assert rows["no"]["widget"] == "qm-row-number" and rows["no"]["default"] == 0
    widgets = admin.WIDGETS.read_text(encoding="utf-8")
    assert re.search(r'var ROW_NUMBER = "(\w+)"', widgets)[1] == "no"


def test_markdown_is_edited_as_text_and_the_body_knows_its_first_section():
    texts = admin.cms_config("content", SOURCES)["collections"][1]
    by_file = {f["file"]: f["fields"][0] for f in texts["files"]}
    assert by_file["content/2022-national/notice.md"]["qm_first_section"] == 2
    assert "qm_first_section" not in by_file["content/2022-national/attachment-1.md"], "attachments are not numbered"
    assert all(f["widget"] == "qm-markdown" and f["modes"] == ["raw"] for f in by_file.values())


RENUMBER_HARNESS = r"""
// widgets.js's save step on Immutable.js data, as Decap hands it over.
const {fromJS} = require(process.argv[2]);
let handler;
global.window = {CMS: {registerWidget() {}, registerPreviewStyle() {}, registerEventListener: e => { handler = e.handler; }},
                 h: () => null, createClass: s => s};
require(process.argv[1]);
const rows = JSON.parse(process.argv[3]);
console.log(JSON.stringify(handler({entry: fromJS({data: {schedules: [{rows}], attachments: [{number: 7}]}})}).toJS()));
"""


@pytest.mark.skipif(NODE is None or not (NODE_MODULES / "immutable").is_dir(), reason="needs Node.js and `npm ci`")
def test_the_save_numbers_rows_by_their_place_and_leaves_unnumbered_rows():
    rows = [{"no": 3, "name": "c"}, {"name": "no number"}, {"no": 1, "name": "a"}, {"no": 0, "name": "new"},
            {"no": None, "name": "x"}]
    run = subprocess.run([NODE, "-e", RENUMBER_HARNESS, str(admin.WIDGETS), str(NODE_MODULES / "immutable"), json.dumps(rows)],
                         capture_output=True, text=True, timeout=60, check=True)
    data = json.loads(run.stdout)
    assert [r.get("no") for r in data["schedules"][0]["rows"]] == [1, None, 2, 3, None]
    assert data["attachments"] == [{"number": 7}], "only row numbers"


# --- the form in chromium -----------------------------------------------------------------------------------------

MARKDOWN = ("开头一段。<!-- fixed: 原文此处多一个空格 -->\n\n## 活动内容\n\n1. 第一项；\n\n2. 第二项；\n\n"
            "<!-- 下面一节待补充 -->\n\n## 活动要求\n\n请按时报送。\n")


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """`serve --cms` on a copy of the seed content, whose 2020-nanjing notice.md holds comments and numbered items."""
    tmp = tmp_path_factory.mktemp("form")
    content = tmp / "content"
    shutil.copytree(CONTENT, content)
    (content / "2020-nanjing" / "notice.md").write_text(MARKDOWN, encoding="utf-8")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "build.py", "serve", "--cms", "--content", str(content), "--port", str(port),
                             "--out", str(tmp / "out")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(lambda: _answers(base + "admin/config.yml"), 60, "serve --cms")
        yield base, content
    finally:
        proc.send_signal(subprocess.signal.SIGINT)
        printed, _ = proc.communicate(timeout=20)
    assert "Traceback" not in printed, printed


@pytest.fixture
def form(editor, browser, tmp_path):
    """A function opening one file of the web editor at 1280 px: form(entry label) -> page; screenshots in tmp_path."""
    base, _ = editor
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")

    def open_(label: str, collection: str | None = None):
        page = context.new_page()
        page.goto(base + "admin/")
        page.get_by_role("button", name="登录").click()
        if collection:
            page.get_by_role("link", name=collection).click()
        page.get_by_text(label).click()
        return page

    yield open_
    context.close()


def publish(page) -> None:
    """Decap's 发布 → 立即发布."""
    page.get_by_role("button", name="发布").click()
    page.get_by_text("立即发布").click()


def expand(page, summary: str) -> None:
    """Open a collapsed list item by its summary (the first button of its bar)."""
    page.get_by_text(summary, exact=True).first.locator("xpath=..").locator("button").first.click()


def refused(page, path: Path, before: bytes, message: str) -> None:
    """The form shows `message` and the file stays as it was."""
    page.get_by_text(message).first.wait_for(timeout=10000)
    time.sleep(1)  # a save, had there been one, would have reached the disk by now
    assert path.read_bytes() == before


@needs_node
@pytest.mark.browser
@pytest.mark.slow
def test_an_impossible_period_is_refused_in_the_form_naming_the_field(editor, form, tmp_path):
    _, content = editor
    path = content / "2022-zhuhai" / "campaign.yaml"
    before = path.read_bytes()
    page = form("2022-zhuhai · ")
    period = page.get_by_label("活动时间")
    period.fill("2020-02-30 至 2020-09-31")
    publish(page)
    refused(page, path, before, "“活动时间”中的 2020-02-30、2020-09-31 不是日历上的日期")
    period.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "period.png"))
    period.fill("2023-09-30 至 2023-09-01")
    publish(page)
    refused(page, path, before, "“活动时间”的开始日期 2023-09-30 晚于结束日期 2023-09-01")
    period.fill("9月32日-10月5日")
    publish(page)
    refused(page, path, before, "“活动时间”中的 9月32日 不是日历上的日期")


@needs_node
@pytest.mark.browser
@pytest.mark.slow
def test_a_phone_with_words_is_refused_naming_the_field(editor, form, tmp_path):
    _, content = editor
    path = content / "2022-zhuhai" / "campaign.yaml"
    before = path.read_bytes()
    page = form("2022-zhuhai · ")
    page.get_by_label("活动主题").wait_for(timeout=30000)
    expand(page, "权双双 邓霓虹 （0756）2661370")
    page.get_by_label("电话", exact=True).first.fill("电话abc")
    publish(page)
    refused(page, path, before, "“电话”不满足模式（电话号码由数字组成")
    page.screenshot(path=str(tmp_path / "phone.png"))


@needs_node
@pytest.mark.browser
@pytest.mark.slow
def test_collapsed_items_show_their_summaries(editor, form, tmp_path):
    _, content = editor
    campaign = _parsed(content / "2022-zhuhai", (content / "2022-zhuhai" / "campaign.yaml").read_text(encoding="utf-8"))
    page = form("2022-zhuhai · ")
    page.get_by_label("活动主题").wait_for(timeout=30000)
    contact = campaign.contacts[0]
    page.get_by_text(f"{' '.join(contact.people)} {contact.phones[0]}", exact=True).wait_for()
    schedule, group = campaign.schedules[0], campaign.slogans[0]
    expand(page, schedule.caption)
    for row in schedule.rows:
        page.get_by_text(f"{row.name} · {row.time or '时间未填'}", exact=True).wait_for()
    expand(page, group.title)
    for slogan in group.items[:3]:
        page.get_by_text(str(slogan), exact=True).wait_for()
    page.get_by_text(f"附件1 {campaign.attachments[0].title}", exact=True).wait_for()
    page.screenshot(path=str(tmp_path / "summaries.png"))


@needs_node
@pytest.mark.browser
@pytest.mark.slow
def test_a_moved_row_and_a_new_row_are_numbered_by_their_place(editor, form, tmp_path):
    _, content = editor
    folder = content / "2022-caq"
    rows = _parsed(folder, (folder / "campaign.yaml").read_text(encoding="utf-8")).schedules[0].rows
    page = form("2022-caq · ")
    page.get_by_label("活动主题").wait_for(timeout=30000)
    expand(page, _parsed(folder, (folder / "campaign.yaml").read_text(encoding="utf-8")).schedules[0].caption)
    page.screenshot(path=str(tmp_path / "rows.png"))
    first = page.get_by_text(f"{rows[0].name} · {rows[0].time}", exact=True).locator("xpath=..")
    below = page.get_by_text(f"{rows[1].name} · {rows[1].time}", exact=True)
    first.scroll_into_view_if_needed()
    handle, item, target = (first.locator("[aria-roledescription=sortable]").bounding_box(), first.bounding_box(),
                            below.locator("xpath=..").bounding_box())
    assert handle and item and target
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    down = (target["y"] + target["height"] / 2) - (item["y"] + item["height"] / 2) + 5  # its middle just past the next one's
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):  # Decap's list sorts with the mouse only (dnd-kit's MouseSensor), after 4 px
        page.mouse.move(x, y + down * step / 10)
    page.mouse.up()
    page.get_by_role("button", name="新增活动", exact=True).click()
    page.get_by_label("活动名称", exact=True).last.fill("网页表单新加的一行")
    publish(page)
    path = folder / "campaign.yaml"
    _wait_for(lambda: "网页表单新加的一行" in path.read_text(encoding="utf-8"), 30, "the YAML on disk")
    saved = _parsed(folder, path.read_text(encoding="utf-8")).schedules[0].rows
    assert [r.name for r in saved] == [rows[1].name, rows[0].name, *(r.name for r in rows[2:]), "网页表单新加的一行"]
    assert [r.no for r in saved] == list(range(1, len(rows) + 2)), "1, 2, 3 in the order shown"
    page.screenshot(path=str(tmp_path / "renumbered.png"))


@needs_node
@pytest.mark.browser
@pytest.mark.slow
def test_the_form_speaks_chinese(editor, form, tmp_path):
    page = form("2022-zhuhai · ")
    page.get_by_label("活动主题").wait_for(timeout=30000)
    page.get_by_text("海报设置", exact=True).first.locator("xpath=..").locator("button").first.click()
    page.get_by_label("底色（屏幕）").wait_for()
    expand(page, _parsed(editor[1] / "2022-zhuhai", (editor[1] / "2022-zhuhai" / "campaign.yaml").read_text(encoding="utf-8"))
           .schedules[0].caption)
    labels = [t.strip() for t in page.locator("label").all_inner_texts() if t.strip()]
    assert labels and [t for t in labels if LATIN.search(t)] == []
    assert "UTC" not in page.locator("body").inner_text()
    page.get_by_label("主送位置").click()  # react-select: its menu lists the options
    assert page.get_by_role("option").all_inner_texts() == ["主送在开头", "在版记"]
    page.get_by_label("印发日期").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "chinese.png"))


@needs_node
@pytest.mark.browser
@pytest.mark.slow
def test_markdown_with_comments_and_numbered_items_round_trips_through_a_save(editor, form, tmp_path):
    _, content = editor
    path = content / "2020-nanjing" / "notice.md"
    page = form("2020-nanjing · notice.md", collection="正文与附件")
    page.locator("[data-slate-editor]").wait_for(timeout=30000)
    page.get_by_text("请按时报送。").click()
    page.wait_for_timeout(500)  # Slate takes the caret from the browser's selection after the click
    page.keyboard.press("End")
    page.wait_for_timeout(200)
    page.keyboard.insert_text("谢谢。")
    publish(page)
    _wait_for(lambda: "谢谢。" in path.read_text(encoding="utf-8"), 30, "the Markdown on disk")
    expected = MARKDOWN.replace("请按时报送。", "请按时报送。谢谢。")
    assert path.read_text(encoding="utf-8") == expected, "comments and blank lines kept"
    frame = page.frame_locator("#preview-pane")
    first = content_mod.first_section(_parsed(content / "2020-nanjing",
                                              (content / "2020-nanjing" / "campaign.yaml").read_text(encoding="utf-8")))
    frame.get_by_role("heading", level=2).first.wait_for()
    # The numbers are CSS generated content (a counter in Chinese numerals), which no DOM text or accessibility name
    # shows (Chromium leaves counters out of both): read the counter's start and style instead.
    numbering = frame.locator("h2").evaluate_all("""hs => hs.map(h => [
        getComputedStyle(h.closest('.qm-text')).counterReset, getComputedStyle(h).counterIncrement,
        getComputedStyle(h, '::before').content, h.textContent])""")
    before = 'counter(qm-section, simp-chinese-informal) "、"'
    assert numbering == [[f"qm-section {first - 1}", "qm-section 1", before, "活动内容"],
                         [f"qm-section {first - 1}", "qm-section 1", before, "活动要求"]], "一、二、 from the site's number"
    text = frame.locator("body").inner_text()
    assert "<!--" not in text and "下面一节待补充" not in text and "第二项" in text
    page.screenshot(path=str(tmp_path / "markdown.png"))


@needs_node
@pytest.mark.browser
@pytest.mark.slow
def test_whatever_was_saved_the_preview_answers_with_the_error_page(editor):
    """A date the form would refuse, written by hand: the site answers 200 with the problem list, never a 500."""
    base, content = editor
    path = content / "2022-zhuhai" / "campaign.yaml"
    before = path.read_text(encoding="utf-8")
    try:
        path.write_text(before + "period: {start: 2020-02-30, end: 2020-09-31}\n", encoding="utf-8")
        page = lambda: urllib.request.urlopen(base + "2022/zhuhai/", timeout=5)  # noqa: E731
        _wait_for(lambda: "2020-02-30" in page().read().decode(), 30, "the error page")
        with page() as answer:
            assert answer.status == 200
    finally:
        path.write_text(before, encoding="utf-8")


@needs_node
@pytest.mark.browser
@pytest.mark.slow
def test_a_review_entry_naming_a_row_is_in_the_form(browser, tmp_path):
    """An imported draft's guesses inside a schedule row: the form lists them in 审核清单 by their key path, with why."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(CONTENT / "site.yaml", content / "site.yaml")
    subprocess.run([sys.executable, "build.py", "import", str(ROOT / "tests" / "fixtures" / "notices" / "2022-zhuhai.txt"),
                    "--id", "2022-zhuhai", "--content", str(content), "--lang", "zh_CN"], cwd=ROOT, check=True,
                   capture_output=True)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "build.py", "serve", "--cms", "--content", str(content), "--port", str(port),
                             "--out", str(tmp_path / "out")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    base = f"http://127.0.0.1:{port}/"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        _wait_for(lambda: _answers(base + "admin/config.yml"), 60, "serve --cms")
        page = context.new_page()
        page.goto(base + "admin/")
        page.get_by_role("button", name="登录").click()
        page.get_by_text("2022-zhuhai · ").click()
        page.get_by_label("通知标题").wait_for(timeout=30000)
        summary = page.get_by_text("schedules.0.rows.0.place", exact=True)  # the collapsed entry's summary: its key path
        page.mouse.move(640, 500)
        for _ in range(60):  # the form scrolls in its own pane: the wheel takes it down to the last list, 审核清单
            if summary.is_visible():
                break
            page.mouse.wheel(0, 2000)
            page.wait_for_timeout(100)
        expand(page, "schedules.0.rows.0.place")
        why = page.get_by_label("原因").nth(1)  # the entries: title, schedules.0.rows.0.place, schedules.0.rows.1.place
        why.scroll_into_view_if_needed()
        assert why.input_value().startswith("第 1 行（珠海市优秀质量管理小组成果发表赛）：地点是在空格处从时间中分出的")
        assert page.get_by_label("导入时的猜测").nth(1).input_value() == "2000 年酒店"
        page.screenshot(path=str(tmp_path / "review.png"))
    finally:
        context.close()
        proc.send_signal(subprocess.signal.SIGINT)
        printed, _ = proc.communicate(timeout=20)
    assert "Traceback" not in printed, printed
