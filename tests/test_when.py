"""Tests of qm_site.when: Chinese schedule dates, activity dates and modes, warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qm_site.source import model
from qm_site.source.when import When, activity_mode, activity_when, parse_when, schedule_warnings

D = dt.date
T = dt.time

# Every time expression of the schedule tables in /work/shared/seeds (000, 001, 003), as printed.
SEED_TIMES = [
    # 000: 2022 珠海市质量协会
    ("8 月 23 日", D(2022, 8, 23), D(2022, 8, 23)),
    ("9 月 1 日", D(2022, 9, 1), D(2022, 9, 1)),
    ("9 月上旬", D(2022, 9, 1), D(2022, 9, 10)),
    ("9 月中旬", D(2022, 9, 11), D(2022, 9, 20)),
    ("9 月", D(2022, 9, 1), D(2022, 9, 30)),
    ("9 月 29 日", D(2022, 9, 29), D(2022, 9, 29)),
    # 001: 2020 南京质量协会 (read with the 2022 year of the other cases; leap years differ only in February)
    ("9 月-10 月", D(2022, 9, 1), D(2022, 10, 31)),
    ("9 月 10 日-11 日", D(2022, 9, 10), D(2022, 9, 11)),
    ("9 月 11 日", D(2022, 9, 11), D(2022, 9, 11)),
    ("9 月 17 日-18 日", D(2022, 9, 17), D(2022, 9, 18)),
    ("9 月 27 日", D(2022, 9, 27), D(2022, 9, 27)),
    ("9月全月", D(2022, 9, 1), D(2022, 9, 30)),
    ("9月底截止", D(2022, 9, 30), D(2022, 9, 30)),
    ("9月-10月", D(2022, 9, 1), D(2022, 10, 31)),
    # 003: 2022 中国质量协会
    ("9月1日-11月30日", D(2022, 9, 1), D(2022, 11, 30)),
    ("7月-10月", D(2022, 7, 1), D(2022, 10, 31)),
    ("8月下旬", D(2022, 8, 21), D(2022, 8, 31)),
    ("8月-9月", D(2022, 8, 1), D(2022, 9, 30)),
    ("8月中旬-9月中旬", D(2022, 8, 11), D(2022, 9, 20)),
    ("8月-10月", D(2022, 8, 1), D(2022, 10, 31)),
    ("8月-11月", D(2022, 8, 1), D(2022, 11, 30)),
    ("9月7日-9日", D(2022, 9, 7), D(2022, 9, 9)),
    ("9月16日-18日", D(2022, 9, 16), D(2022, 9, 18)),
    ("9月中下旬", D(2022, 9, 11), D(2022, 9, 30)),
    ("9月中旬", D(2022, 9, 11), D(2022, 9, 20)),
    ("9月下旬", D(2022, 9, 21), D(2022, 9, 30)),
    ("9月", D(2022, 9, 1), D(2022, 9, 30)),
    ("9月-12月", D(2022, 9, 1), D(2022, 12, 31)),
]

# Deadlines written in the notices' text (报送…前).
SEED_DEADLINES = [
    ("8月30日前", D(2022, 8, 30)),
    ("9 月 20 日前", D(2022, 9, 20)),
    ("2020 年 10 月 15 日前", D(2020, 10, 15)),
    ("10月15日前", D(2022, 10, 15)),
    ("10月底前", D(2022, 10, 31)),
]

MORE_TIMES = [
    ("9月1日至30日", D(2022, 9, 1), D(2022, 9, 30)),
    ("9月10日-11日", D(2022, 9, 10), D(2022, 9, 11)),
    ("9月上旬", D(2022, 9, 1), D(2022, 9, 10)),
    ("9月份", D(2022, 9, 1), D(2022, 9, 30)),
    ("9月上中旬", D(2022, 9, 1), D(2022, 9, 20)),
    ("2月下旬", D(2022, 2, 21), D(2022, 2, 28)),
    ("2月下旬", D(2024, 2, 21), D(2024, 2, 29)),
    ("9月上旬-中旬", D(2022, 9, 1), D(2022, 9, 20)),
    ("9月1日-9月中旬", D(2022, 9, 1), D(2022, 9, 20)),
    ("9-10月", D(2022, 9, 1), D(2022, 10, 31)),
    ("9月1-3日", D(2022, 9, 1), D(2022, 9, 3)),
    ("9月1号-3号", D(2022, 9, 1), D(2022, 9, 3)),
    ("2022年9月1日", D(2022, 9, 1), D(2022, 9, 1)),
    ("2021年9月1日", D(2021, 9, 1), D(2021, 9, 1)),
    ("2022 年 9 月 1 日-2023 年 1 月 31 日", D(2022, 9, 1), D(2023, 1, 31)),
    ("2022年9月1日至10月8日", D(2022, 9, 1), D(2022, 10, 8)),
    ("９月１日－３０日", D(2022, 9, 1), D(2022, 9, 30)),
    ("９月", D(2022, 9, 1), D(2022, 9, 30)),
    ("9\u3000月\u30001\u3000日", D(2022, 9, 1), D(2022, 9, 1)),
    ("  9月1日  ", D(2022, 9, 1), D(2022, 9, 1)),
    ("9月1日（周四）", D(2022, 9, 1), D(2022, 9, 1)),
    ("9月4日(星期日)", D(2022, 9, 4), D(2022, 9, 4)),
]

SEPARATORS = ["至", "到", "-", "—", "–", "~", "～", "－", "‐", "−", "〜", "——"]


def when(text: str, year: int = 2022) -> When | None:
    """parse_when with the year of most seeds."""
    return parse_when(text, year)


@pytest.mark.parametrize("text, start, end", SEED_TIMES + MORE_TIMES)
def test_dates(text, start, end):
    result = when(text, start.year)
    assert result is not None, text
    assert (result.start, result.end) == (start, end)
    assert (result.start_time, result.end_time) == (None, None)
    assert result.deadline == ("截止" in text)


@pytest.mark.parametrize("text, day", SEED_DEADLINES + [("9月底截止", D(2022, 9, 30)), ("9月30日截止", D(2022, 9, 30))])
def test_deadlines_are_the_last_day(text, day):
    result = when(text, day.year)
    assert result == When(day, day, deadline=True)


def test_deadline_at_month_end_follows_the_month():
    assert when("2月底截止", 2024) == When(D(2024, 2, 29), D(2024, 2, 29), deadline=True)
    assert when("11月底截止") == When(D(2022, 11, 30), D(2022, 11, 30), deadline=True)


@pytest.mark.parametrize("sep", SEPARATORS)
def test_range_separators(sep):
    assert when(f"9月1日{sep}11月30日") == When(D(2022, 9, 1), D(2022, 11, 30))
    assert when(f"9 月 10 日 {sep} 11 日") == When(D(2022, 9, 10), D(2022, 9, 11))
    assert when(f"9月{sep}10月") == When(D(2022, 9, 1), D(2022, 10, 31))


@pytest.mark.parametrize(
    "text, start, end, start_time, end_time",
    [
        ("9月1日 9:30", D(2022, 9, 1), D(2022, 9, 1), T(9, 30), None),
        ("9月1日9:30-11:30", D(2022, 9, 1), D(2022, 9, 1), T(9, 30), T(11, 30)),
        ("9 月 1 日 9:30 - 11:30", D(2022, 9, 1), D(2022, 9, 1), T(9, 30), T(11, 30)),
        ("9月1日 14:00", D(2022, 9, 1), D(2022, 9, 1), T(14, 0), None),
        ("9月1日 14：00～17：30", D(2022, 9, 1), D(2022, 9, 1), T(14, 0), T(17, 30)),
        ("9月1日（周四）14:00", D(2022, 9, 1), D(2022, 9, 1), T(14, 0), None),
        ("2022年9月10日9:00-11日17:00", D(2022, 9, 10), D(2022, 9, 11), T(9, 0), T(17, 0)),
        ("9月10日 9:00 至 9月11日 12:00", D(2022, 9, 10), D(2022, 9, 11), T(9, 0), T(12, 0)),
    ],
)
def test_times_of_day(text, start, end, start_time, end_time):
    assert when(text) == When(start, end, start_time, end_time)


@pytest.mark.parametrize(
    "text",
    [
        "全年",
        "全年，按企业报名预约时间安排",
        "按企业报名预约时间安排",
        "待定",
        "",
        "   ",
        "9月中旬，地点待定",
        "9 月 11 日 (线上线下相结合)",  # 001 prints a note in the time column: it belongs in place/mode
        "9 月-10 月 (线上答题)",
        "8 月 23 日 2000 年酒店",  # 000 prints the place after the date: it belongs in place
        "9月1日-11月30日，在线答题",  # 003 merges time and place: split them in the YAML
        "14:00",  # a time needs a day
        "9:30-11:30",
        "2月30日",
        "2月29日",  # 2022 is no leap year
        "9月31日",
        "13月",
        "0月",
        "9月0日",
        "9月32日",
        "10月1日-9月1日",
        "9月20日-10日",
        "10月-9月",
        "9月下旬-中旬",
        "11月-2月",
        "9月底",  # vague without 截止
        "9月初",
        "9月前",  # 8月31日 or 9月1日?
        "9月中旬 9:30",  # a time needs a day
        "9月1日 25:00",
        "9月1日 9:60",
        "9月1日 11:30-9:30",
        "9月10日9:00-11日",  # one end with a time, the other without
        "9月10日-11日 9:00",
        "9月1日（周五）",  # 2022-09-01 was a Thursday
        "9月1日起",
        "1日",
        "9",
        "9-10",
        "9-10日",
        "9月-",
        "9月1 9:30",
        "22年9月",
        "99999年9月",
        "9月1日-11月30日-12月1日",
        "九月一日",
    ],
)
def test_none_when_not_exact(text):
    assert when(text) is None


def test_none_for_non_text():
    assert parse_when(None, 2022) is None  # type: ignore[arg-type]


def test_the_year_argument_is_used_unless_printed():
    assert when("9月1日", 2020) == When(D(2020, 9, 1), D(2020, 9, 1))
    assert when("2021年9月1日-30日", 2020) == When(D(2021, 9, 1), D(2021, 9, 30))


def test_label():
    assert when("9月1日").label == "2022-09-01"
    assert when("9月1日-11月30日").label == "2022-09-01/2022-11-30"
    assert when("9月1日 9:30").label == "2022-09-01T09:30"
    assert when("9月1日9:30-11:30").label == "2022-09-01T09:30/2022-09-01T11:30"


@settings(max_examples=400)
@given(st.text())
def test_never_raises_on_any_text(text):
    result = parse_when(text, 2022)
    assert result is None or result.start <= result.end


DATE_ALPHABET = "0123456789０１２３年月日号旬上中下全份底截止前至到-—–~～:：() 　周四"


@settings(max_examples=600)
@given(st.text(alphabet=DATE_ALPHABET, max_size=24), st.integers(min_value=1978, max_value=2100))
def test_never_raises_on_date_like_text(text, year):
    result = parse_when(text, year)
    if result is not None:
        assert result.start <= result.end
        if result.start == result.end and result.start_time and result.end_time:
            assert result.start_time <= result.end_time
        assert result.end_time is None or result.start_time is not None


# --- activities -----------------------------------------------------------------------


def activity(**fields) -> model.Activity:
    """A row named 现场管理诊断评价服务 unless told otherwise."""
    fields.setdefault("name", "现场管理诊断评价服务")
    return model.Activity(**fields)


def test_activity_when_parses_time():
    assert activity_when(activity(time="9月7日-9日"), 2022) == When(D(2022, 9, 7), D(2022, 9, 9))
    assert activity_when(activity(), 2022) is None
    assert activity_when(activity(time="全年"), 2022) is None


def test_explicit_dates_override_the_time():
    row = activity(time="全年", start=D(2022, 1, 1), end=D(2022, 12, 31))
    assert activity_when(row, 2022) == When(D(2022, 1, 1), D(2022, 12, 31))
    row = activity(time="9月中旬", start=D(2022, 9, 15), end=D(2022, 9, 16))
    assert activity_when(row, 2022) == When(D(2022, 9, 15), D(2022, 9, 16))


def test_explicit_start_only_is_one_day():
    assert activity_when(activity(time="9月中旬", start=D(2022, 9, 15)), 2022) == When(D(2022, 9, 15), D(2022, 9, 15))
    assert activity_when(activity(start=D(2022, 9, 15)), 2022) == When(D(2022, 9, 15), D(2022, 9, 15))


def test_explicit_dates_keep_the_times_of_the_same_day():
    row = activity(time="9月1日9:30-11:30", start=D(2022, 9, 1))
    assert activity_when(row, 2022) == When(D(2022, 9, 1), D(2022, 9, 1), T(9, 30), T(11, 30))


def test_explicit_end_only_needs_a_parsed_start():
    assert activity_when(activity(end=D(2022, 9, 30)), 2022) is None
    assert activity_when(activity(time="全年", end=D(2022, 9, 30)), 2022) is None
    assert activity_when(activity(time="9月中旬", end=D(2022, 9, 30)), 2022) == When(D(2022, 9, 11), D(2022, 9, 30))
    assert activity_when(activity(time="9月中旬", end=D(2022, 9, 1)), 2022) is None


def test_explicit_end_before_start_is_none():
    assert activity_when(activity(start=D(2022, 9, 2), end=D(2022, 9, 1)), 2022) is None


@pytest.mark.parametrize(
    "fields, mode",
    [
        ({"place": "在线答题"}, "online"),
        ({"place": "在线"}, "online"),
        ({"place": "在线观看"}, "online"),
        ({"place": "在线申报"}, "online"),
        ({"place": "线上"}, "online"),
        ({"place": "网上报名"}, "online"),
        ({"place": "Online"}, "online"),
        ({"time": "9 月-10 月 (线上答题)"}, "online"),
        ({"place": "线上线下相结合"}, "mixed"),
        ({"time": "9 月 11 日 (线上线下相结合)"}, "mixed"),
        ({"place": "线上＋线下"}, "mixed"),
        ({"place": "合肥"}, "offline"),
        ({"place": "全国问卷调查"}, "offline"),
        ({"place": "组织专家评审"}, "offline"),
        ({"place": "公开征集"}, "offline"),
        ({"place": "济南（拟定）"}, "offline"),
        ({}, "offline"),
        ({"place": "合肥", "mode": "online"}, "online"),
        ({"place": "在线", "mode": "offline"}, "offline"),
        ({"place": "在线", "mode": "mixed"}, "mixed"),
    ],
)
def test_activity_mode(fields, mode):
    assert activity_mode(activity(**fields)) == mode


# --- warnings -------------------------------------------------------------------------


def campaign(*rows: model.Activity, year: int = 2022) -> model.Campaign:
    """A campaign with one schedule of the given rows."""
    schedule = model.Schedule(id="activities", caption="活动安排", rows=list(rows))
    return model.Campaign(year=year, slug="x", title="t", issuer="i", schedules=[schedule])


def test_schedule_warnings_for_unreadable_times():
    loc = model.Loc("content/2022-caq/campaign.yaml", 40, 7)
    rows = [
        activity(time="9月1日-11月30日"),
        activity(time="全年，按企业报名预约时间安排", loc=loc),
        activity(time="全年", start=D(2022, 1, 1), end=D(2022, 12, 31)),
        activity(),  # no time at all: nothing to read
        activity(time="  "),
    ]
    problems = schedule_warnings(campaign(*rows))
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.path, problem.line, problem.column, problem.severity) == (loc.path, 40, 7, "warning")
    assert problem.message == (
        'cannot read the date "全年，按企业报名预约时间安排" of activity "现场管理诊断评价服务"; '
        "it is shown as text and left out of calendars"
    )
    assert problem.hint == "add start: YYYY-MM-DD and end: YYYY-MM-DD to the row to put it in calendars"
    assert problem.format().startswith("content/2022-caq/campaign.yaml:40:7: warning: cannot read the date")


def test_schedule_warning_message_for_seed_row():
    problems = schedule_warnings(campaign(activity(time="全年")))
    assert [p.message for p in problems] == [
        'cannot read the date "全年" of activity "现场管理诊断评价服务"; it is shown as text and left out of calendars'
    ]


def test_schedule_warning_falls_back_to_the_campaign_location():
    loc = model.Loc("content/2022-caq/campaign.yaml", 1, 1)
    schedule = model.Schedule(id="activities", caption="活动安排", rows=[activity(time="待定")])
    c = model.Campaign(year=2022, slug="x", title="t", issuer="i", schedules=[schedule], loc=loc)
    assert [(p.path, p.line, p.column) for p in schedule_warnings(c)] == [(loc.path, 1, 1)]


def test_schedule_warning_for_end_before_parsed_start():
    problems = schedule_warnings(campaign(activity(time="9月中旬", end=D(2022, 9, 1))))
    assert len(problems) == 1
    assert problems[0].severity == "warning"
    assert "is before the start 2022-09-11" in problems[0].message


def test_no_warnings_for_the_seed_schedules():
    rows = [activity(time=text) for text, _, _ in SEED_TIMES]
    assert schedule_warnings(campaign(*rows)) == []
