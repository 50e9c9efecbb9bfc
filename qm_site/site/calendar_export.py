"""iCalendar (.ics) files of a campaign's schedule, one event per row whose dates can be read.

Builds must be byte-identical, so nothing here reads the clock: DTSTAMP comes from
the campaign, UIDs from the campaign id, schedule id and row number.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # icalendar costs 40-60 ms to import; a warm build takes its calendars from the cache
    from icalendar import Calendar, Event, Timezone

from ..source.model import Activity, Campaign, Schedule
from ..source.when import When, activity_when

PRODID = "-//qm-site//Quality Month//ZH"
TZID = "Asia/Shanghai"


def activity_anchor(schedule: Schedule, row_index: int) -> str:
    """The HTML id of a row on the schedule page: <schedule id>-<row number>."""
    return f"{schedule.id}-{row_index + 1}"


def activity_uid(campaign_id: str, schedule: Schedule, row_index: int) -> str:
    """A UID that stays the same across builds, so importing again updates the event."""
    return f"{campaign_id}-{activity_anchor(schedule, row_index)}@qm-site"


def campaign_ics(campaign: Campaign, campaign_id: str, page_url: str) -> bytes:
    """One calendar with an event for every readable row of every schedule."""
    cal = _calendar(campaign)
    for schedule in campaign.schedules:
        for index in range(len(schedule.rows)):
            event = _event(campaign, campaign_id, schedule, index, page_url)
            if event is not None:
                cal.add_component(event)
    return cal.to_ical()


def activity_ics(
    campaign: Campaign, campaign_id: str, schedule: Schedule, row_index: int, page_url: str
) -> bytes | None:
    """A calendar with the event of one row; None when its dates cannot be read."""
    event = _event(campaign, campaign_id, schedule, row_index, page_url)
    if event is None:
        return None
    cal = _calendar(campaign)
    cal.add_component(event)
    return cal.to_ical()


def calendars(campaign: Campaign, campaign_id: str, page_url: str) -> tuple[bytes, dict[str, bytes]]:
    """The campaign calendar and one calendar per readable row ({anchor: bytes}), each event serialised once.

    Byte-identical to campaign_ics/activity_ics: a calendar is its header, its components, then END.
    """
    head = _calendar(campaign).to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    head = head[: -len(end)]
    events: dict[str, bytes] = {}
    for schedule in campaign.schedules:
        for index in range(len(schedule.rows)):
            event = _event(campaign, campaign_id, schedule, index, page_url)
            if event is not None:
                events[activity_anchor(schedule, index)] = event.to_ical()
    whole = head + b"".join(events.values()) + end
    return whole, {anchor: head + data + end for anchor, data in events.items()}


def _calendar(campaign: Campaign) -> Calendar:
    """An empty calendar named after the campaign, with the China Standard Time zone."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", campaign.title)
    cal.add("x-wr-timezone", TZID)
    # Always present: a calendar needs one component even when no row is readable.
    cal.add_component(_shanghai())
    return cal


def _shanghai() -> Timezone:
    """VTIMEZONE for Asia/Shanghai, written out so no time zone database is needed: UTC+8, no DST since 1991."""
    from icalendar import Timezone, TimezoneStandard

    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(hours=8))
    standard.add("tzoffsetto", dt.timedelta(hours=8))
    standard.add("tzname", "CST")
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add_component(standard)
    return zone


def _dtstamp(campaign: Campaign) -> dt.datetime:
    """A fixed DTSTAMP: the issue date, else 1 January of the campaign year, at 00:00 UTC."""
    day = campaign.issue_date or dt.date(campaign.year, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _event(campaign: Campaign, campaign_id: str, schedule: Schedule, index: int, page_url: str) -> Event | None:
    """The VEVENT of one row, or None when its dates cannot be read."""
    activity = schedule.rows[index]
    when = activity_when(activity, campaign.year)
    if when is None:
        return None
    from icalendar import Event

    event = Event()
    event.add("uid", activity_uid(campaign_id, schedule, index))
    event.add("dtstamp", _dtstamp(campaign))
    _add_dates(event, when)
    event.add("summary", activity.name)
    if activity.place:
        event.add("location", activity.place)
    description = _description(activity)
    if description:
        event.add("description", description)
    event.add("url", f"{page_url}#{activity_anchor(schedule, index)}")
    return event


def _add_dates(event: Event, when: When) -> None:
    """DTSTART/DTEND: local times in Asia/Shanghai, or whole days with an exclusive end."""
    # A start time alone across several days is no event time: those are whole days too.
    if when.start_time is None or (when.end_time is None and when.start != when.end):
        event.add("dtstart", when.start)
        event.add("dtend", when.end + dt.timedelta(days=1))
        return
    zone = {"TZID": TZID}
    event.add("dtstart", dt.datetime.combine(when.start, when.start_time), parameters=zone)
    if when.end_time is not None:
        event.add("dtend", dt.datetime.combine(when.end, when.end_time), parameters=zone)


def _description(activity: Activity) -> str:
    """The row's details as plain text, one point per line."""
    details = activity.details
    if isinstance(details, list):
        return "\n".join(str(point).strip() for point in details)
    return (details or "").strip()
