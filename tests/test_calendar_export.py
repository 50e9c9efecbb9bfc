"""Tests of qm_site.calendar_export: .ics files read back with icalendar."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from qm_site.site.calendar_export import PRODID, activity_anchor, activity_ics, campaign_ics
from qm_site.source import model
from sitecheck import CONTENT

URL = "https://example.org/2022/x/"


def make_campaign(**fields) -> model.Campaign:
    """A 2022 campaign with two schedules: readable, timed, unreadable and overridden rows."""
    first = model.Schedule(
        id="a",
        caption="c",
        rows=[
            model.Activity(name="n", time="9月1日-11月30日", place="在线答题", details=["第一点", "第二点"]),
            model.Activity(name="现场管理诊断评价服务", time="全年，按企业报名预约时间安排"),
            model.Activity(name="满意中国大会", time="9月7日 9:30-11:30", place="合肥", details="主旨发言"),
            model.Activity(name="全年服务", time="全年", start=dt.date(2022, 3, 1), end=dt.date(2022, 12, 31)),
        ],
    )
    second = model.Schedule(
        id="b",
        caption="d",
        rows=[
            model.Activity(name="论文征集", time="9月底截止"),
            model.Activity(name="待定活动", time="待定"),
        ],
    )
    fields = {"year": 2022, "slug": "x", "title": "t", "issuer": "i", "schedules": [first, second], **fields}
    return model.Campaign(**fields)


def events(data: bytes) -> dict[str, object]:
    """The VEVENTs of an .ics file by UID."""
    cal = Calendar.from_ical(data)
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


def test_calendar_properties():
    cal = Calendar.from_ical(campaign_ics(make_campaign(title="2022年质量月"), "2022-x", URL))
    assert str(cal["PRODID"]) == PRODID
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["X-WR-CALNAME"]) == "2022年质量月"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Asia/Shanghai"]
    standard = zones[0].walk("STANDARD")[0]
    assert standard["TZOFFSETTO"].td == dt.timedelta(hours=8)
    assert standard["TZOFFSETFROM"].td == dt.timedelta(hours=8)


def test_one_event_per_readable_row_with_stable_uids():
    found = events(campaign_ics(make_campaign(), "2022-x", URL))
    assert sorted(found) == ["2022-x-a-1@qm-site", "2022-x-a-3@qm-site", "2022-x-a-4@qm-site", "2022-x-b-1@qm-site"]


def test_all_day_event_has_exclusive_end():
    event = events(campaign_ics(make_campaign(), "2022-x", URL))["2022-x-a-1@qm-site"]
    assert event["DTSTART"].dt == dt.date(2022, 9, 1)
    assert not isinstance(event["DTSTART"].dt, dt.datetime)
    assert event["DTEND"].dt == dt.date(2022, 12, 1)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event["DTEND"].params["VALUE"] == "DATE"
    assert str(event["SUMMARY"]) == "n"
    assert str(event["LOCATION"]) == "在线答题"
    assert str(event["DESCRIPTION"]) == "第一点\n第二点"
    assert str(event["URL"]) == URL + "#a-1"


def test_deadline_is_one_day():
    event = events(campaign_ics(make_campaign(), "2022-x", URL))["2022-x-b-1@qm-site"]
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (dt.date(2022, 9, 30), dt.date(2022, 10, 1))
    assert "LOCATION" not in event
    assert "DESCRIPTION" not in event
    assert str(event["URL"]) == URL + "#b-1"


def test_explicit_dates_override_the_printed_time():
    event = events(campaign_ics(make_campaign(), "2022-x", URL))["2022-x-a-4@qm-site"]
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (dt.date(2022, 3, 1), dt.date(2023, 1, 1))


def test_timed_event_uses_shanghai_time():
    data = campaign_ics(make_campaign(), "2022-x", URL)
    event = events(data)["2022-x-a-3@qm-site"]
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event["DTEND"].params["TZID"] == "Asia/Shanghai"
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == (
        dt.datetime(2022, 9, 7, 9, 30),
        dt.datetime(2022, 9, 7, 11, 30),
    )
    assert start.utcoffset() == dt.timedelta(hours=8)
    assert b"DTSTART;TZID=Asia/Shanghai:20220907T093000\r\n" in data
    assert str(event["DESCRIPTION"]) == "主旨发言"


def test_timed_event_without_end_time_has_no_dtend():
    schedule = model.Schedule(id="a", caption="c", rows=[model.Activity(name="启动会", time="9月1日 14:00")])
    campaign = make_campaign(schedules=[schedule])
    event = events(campaign_ics(campaign, "2022-x", URL))["2022-x-a-1@qm-site"]
    assert event["DTSTART"].dt.replace(tzinfo=None) == dt.datetime(2022, 9, 1, 14, 0)
    assert "DTEND" not in event


def test_dtstamp_is_deterministic():
    stamp = lambda c: {e["DTSTAMP"].dt for e in events(campaign_ics(c, "2022-x", URL)).values()}  # noqa: E731
    assert stamp(make_campaign()) == {dt.datetime(2022, 1, 1, tzinfo=dt.UTC)}
    issued = make_campaign(issue_date=dt.date(2022, 8, 22))
    assert stamp(issued) == {dt.datetime(2022, 8, 22, tzinfo=dt.UTC)}
    assert b"DTSTAMP:20220822T000000Z" in campaign_ics(issued, "2022-x", URL)


def test_two_exports_are_byte_identical():
    first = campaign_ics(make_campaign(), "2022-x", URL)
    second = campaign_ics(make_campaign(), "2022-x", URL)
    assert first == second
    one = activity_ics(make_campaign(), "2022-x", make_campaign().schedules[0], 2, URL)
    assert one == activity_ics(make_campaign(), "2022-x", make_campaign().schedules[0], 2, URL)


def test_calendar_without_readable_rows_is_still_valid():
    schedule = model.Schedule(id="a", caption="c", rows=[model.Activity(name="n", time="全年")])
    data = campaign_ics(make_campaign(schedules=[schedule]), "2022-x", URL)
    cal = Calendar.from_ical(data)
    assert cal.walk("VEVENT") == []
    assert len(cal.walk("VTIMEZONE")) == 1
    assert campaign_ics(make_campaign(schedules=[]), "2022-x", URL).startswith(b"BEGIN:VCALENDAR\r\n")


def test_activity_ics():
    campaign = make_campaign()
    schedule = campaign.schedules[0]
    found = events(activity_ics(campaign, "2022-x", schedule, 0, URL))
    assert list(found) == ["2022-x-a-1@qm-site"]
    whole = events(campaign_ics(campaign, "2022-x", URL))
    assert found["2022-x-a-1@qm-site"].to_ical() == whole["2022-x-a-1@qm-site"].to_ical()
    assert activity_ics(campaign, "2022-x", schedule, 1, URL) is None
    assert activity_ics(campaign, "2022-x", campaign.schedules[1], 1, URL) is None


@pytest.mark.parametrize("index, anchor", [(0, "a-1"), (3, "a-4")])
def test_activity_anchor(index, anchor):
    assert activity_anchor(make_campaign().schedules[0], index) == anchor


def test_long_text_is_folded_and_round_trips():
    details = "为会员企业提供免费的现场诊断评价服务，" * 10
    schedule = model.Schedule(id="a", caption="c", rows=[model.Activity(name="n", time="9月", details=details)])
    data = campaign_ics(make_campaign(schedules=[schedule]), "2022-x", URL)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert str(events(data)["2022-x-a-1@qm-site"]["DESCRIPTION"]) == details.strip()


def test_calendars_matches_the_single_exports():
    """The builder's one-pass export gives the same bytes as campaign_ics and activity_ics."""

    from qm_site.site.calendar_export import activity_anchor, activity_ics, calendars, campaign_ics
    from qm_site.source import content

    entry = next(e for e in content.load(CONTENT).entries if e.id == "2022-caq")
    c = entry.campaign
    whole, rows = calendars(c, entry.id, "https://example.org/x/")
    assert whole == campaign_ics(c, entry.id, "https://example.org/x/")
    schedule = c.schedules[0]
    expected = {activity_anchor(schedule, i): activity_ics(c, entry.id, schedule, i, "https://example.org/x/")
                for i in range(len(schedule.rows))}
    assert rows == {k: v for k, v in expected.items() if v is not None}
    assert len(rows) == 21  # 22 rows, one of them 全年
