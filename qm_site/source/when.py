"""Read the Chinese date expressions of schedule tables (9月1日-11月30日, 9月中旬) as date ranges.

The parser never guesses: an expression is either read exactly or gives None, and
the site then shows the text as printed and leaves the row out of calendars.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from ..errors import Problem
from ..i18n import N_
from .model import TO_FILL, Activity, Campaign

Mode = Literal["online", "offline", "mixed"]


@dataclass(frozen=True)
class When:
    """A date range, both ends included, with optional times of day (Asia/Shanghai)."""

    start: dt.date
    end: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    deadline: bool = False  # "9月底截止": start and end are the last day something is accepted

    @property
    def label(self) -> str:
        """ISO 8601 text: 2022-09-01, 2022-09-01/2022-09-30 or 2022-09-01T09:30/2022-09-01T11:30."""
        first = _iso(self.start, self.start_time)
        last = _iso(self.end, self.end_time)
        return first if (self.start, self.end_time) == (self.end, None) else f"{first}/{last}"


def _iso(day: dt.date, time: dt.time | None) -> str:
    """One end of a label."""
    return day.isoformat() if time is None else f"{day.isoformat()}T{time.strftime('%H:%M')}"


# --- the grammar ----------------------------------------------------------------------

# Parts of a month as printed; the end None means the month's last day.
_PARTS: dict[str, tuple[int, int | None]] = {
    "上旬": (1, 10),
    "中旬": (11, 20),
    "下旬": (21, None),
    "上中旬": (1, 20),
    "中下旬": (11, None),
    "全月": (1, None),
    "份": (1, None),
}
_PART = "|".join(sorted(_PARTS, key=len, reverse=True)) + "|底"
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212~\u301c"
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

_POINT = re.compile(
    r"(?:(?P<year>[0-9]+)年)?"
    r"(?:(?P<month>[0-9]+)月)?"
    r"(?:(?P<day>[0-9]+)[日号]|(?P<part>" + _PART + r")|(?P<bare>[0-9]+)(?=[" + _DASHES + r"至到]))?"
    r"(?:\((?:周|星期|礼拜)(?P<weekday>[" + "".join(_WEEKDAYS) + r"])\))?"
)
_TIME = re.compile(r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})")
_SEP = re.compile(r"至|到|[" + _DASHES + r"]{1,2}")
_DEADLINE = re.compile(r"前截止|之前|截止|前")


@dataclass(frozen=True)
class _Point:
    """One side of a range as written; missing parts come from the other side or the year."""

    year: int | None
    month: int | None
    day: int | None
    part: str | None
    bare: int | None  # "9-10月", "9月1-30日": the unit is printed after the end only
    weekday: str | None
    time: dt.time | None

    @property
    def empty(self) -> bool:
        """Nothing was read."""
        return self.month is None and self.day is None and self.part is None and self.bare is None


class _Fail(Exception):
    """The text is not an exact date expression."""


def _normalize(text: str) -> str:
    """Fold full-width forms and drop spaces, keeping digits that spaces separate apart."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"(?<=[0-9])\s+(?=[0-9])", "|", text)  # "9月1 9:30" must not read as 9月19:30
    return re.sub(r"\s+", "", text)


def _number(digits: str | None, low: int, high: int) -> int | None:
    """An int within [low, high], None when absent; fails when out of range."""
    if digits is None:
        return None
    if len(digits) > 4 or not low <= int(digits) <= high:
        raise _Fail
    return int(digits)


def _read_time(text: str, pos: int) -> tuple[dt.time | None, int]:
    """A time of day (9:30, 14:00) at pos, or None."""
    m = _TIME.match(text, pos)
    if not m:
        return None, pos
    hour, minute = int(m["hour"]), int(m["minute"])
    if hour > 23 or minute > 59:
        raise _Fail
    return dt.time(hour, minute), m.end()


def _read_point(text: str, pos: int) -> tuple[_Point, int]:
    """A date, or part of one, with an optional weekday and time of day."""
    m = _POINT.match(text, pos)
    assert m is not None  # every part of the pattern is optional: it matches, if only the empty string
    time, end = _read_time(text, m.end())
    point = _Point(
        year=_number(m["year"], 1000, 9998),  # 9998: an all-day end + 1 day must still be a date
        month=_number(m["month"], 1, 12),
        day=_number(m["day"], 1, 31),
        part=m["part"],
        bare=_number(m["bare"], 1, 31),
        weekday=m["weekday"],
        time=time,
    )
    return point, end


def _last_day(year: int, month: int) -> int:
    """The number of days in the month."""
    return calendar.monthrange(year, month)[1]


def _date(year: int, month: int, day: int) -> dt.date:
    """A real date, or fail (2月30日)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _Fail from None


def _span(point: _Point, year: int, month: int | None) -> tuple[dt.date, dt.date]:
    """First and last day a point covers."""
    if month is None or point.part == "底":
        raise _Fail
    if point.day is not None:
        day = _date(year, month, point.day)
        if point.weekday is not None and _WEEKDAYS[point.weekday] != day.weekday():
            raise _Fail  # the printed weekday contradicts the date
        return day, day
    if point.weekday is not None:
        raise _Fail
    first, last = _PARTS[point.part or "全月"]
    return _date(year, month, first), _date(year, month, last or _last_day(year, month))


def _resolve_bare(start: _Point, end: _Point) -> _Point:
    """Give "9" in "9-10月" or "1" in "9月1-30日" the unit printed after the end."""
    if start.bare is None:
        return start
    if start.month is None and end.month is not None and end.day is None and end.part is None:
        return replace(start, month=start.bare, bare=None)
    if start.month is not None and end.month is None and end.day is not None:
        return replace(start, day=start.bare, bare=None)
    raise _Fail


def _single(point: _Point, rest: str, year: int) -> When:
    """One point: a day, part of a month or a whole month, perhaps a deadline."""
    deadline = _DEADLINE.fullmatch(rest) is not None
    if (rest and not deadline) or point.bare is not None:
        raise _Fail
    if point.time is not None and point.day is None:
        raise _Fail  # a time of day needs a day
    year = point.year or year
    if point.part == "底":
        if not deadline or point.month is None:
            raise _Fail  # "9月底" alone is vague; only "9月底截止" names a day
        last = _date(year, point.month, _last_day(year, point.month))
        return When(last, last, deadline=True)
    if deadline and point.day is None:
        raise _Fail  # "9月前" could mean 8月31日 or 9月1日
    first, last = _span(point, year, point.month)
    return When(first, last, point.time, None, deadline)


def _range(start: _Point, end: _Point, year: int) -> When:
    """Two points: the first day of the one to the last day of the other."""
    if end.bare is not None or end.empty:
        raise _Fail
    start = _resolve_bare(start, end)
    first_year = start.year or year
    if end.month is None and end.year is not None:
        raise _Fail
    first, _ = _span(start, first_year, start.month)
    _, last = _span(end, end.year or first_year, end.month or start.month)
    if (start.time is None) != (end.time is None):
        raise _Fail  # "9月10日9:00-11日": the end time is missing, not all-day
    if start.time is not None and (start.day is None or end.day is None):
        raise _Fail
    if last < first or (last == first and start.time and end.time and end.time < start.time):
        raise _Fail
    return When(first, last, start.time, end.time)


def _parse(text: str, year: int) -> When:
    """The whole expression, or fail."""
    start, pos = _read_point(text, 0)
    if start.empty:
        raise _Fail
    sep = _SEP.match(text, pos)
    if sep is None:
        return _single(start, text[pos:], year)
    after = sep.end()
    time, stop = _read_time(text, after)
    if time is not None and stop == len(text):
        # "9月1日9:30-11:30": a time range within the day
        when = _single(start, "", year)
        if start.time is None or start.day is None or time < start.time:
            raise _Fail
        return When(when.start, when.end, start.time, time)
    end, stop = _read_point(text, after)
    if stop != len(text):
        raise _Fail
    return _range(start, end, year)


@lru_cache(maxsize=8192)  # schedules repeat the same few expressions (9月中旬, 9月-10月) everywhere
def parse_when(text: str, year: int) -> When | None:
    """Read a date expression as printed in a schedule; None unless it is read exactly."""
    if not isinstance(text, str):
        return None
    try:
        return _parse(_normalize(text), year)
    except (_Fail, ValueError, OverflowError):
        return None


# --- activities -----------------------------------------------------------------------


def activity_when(activity: Activity, year: int) -> When | None:
    """The dates of a row: explicit start/end override the printed time."""
    parsed = parse_when(activity.time, year) if activity.time else None
    start, end = activity.start, activity.end
    if start is None and end is None:
        return parsed
    if start is None:
        # end only: the printed time must still give the first day
        assert end is not None
        if parsed is None or parsed.start > end:
            return None
        return parsed if parsed.end == end else When(parsed.start, end)
    end = end or start
    if end < start:
        return None
    if parsed is not None and (parsed.start, parsed.end) == (start, end):
        return parsed  # keep the times of day the text gives for the same days
    return When(start, end)


_MIXED = ("线上线下", "线下线上", "线上+线下", "线上/线下", "online/offline", "hybrid")
_ONLINE = ("在线", "线上", "网上", "云端", "online", "webinar")
_OFFLINE = ("线下", "现场", "offline")


def activity_mode(activity: Activity) -> Mode:
    """online, offline or mixed: the row's `mode`, else read from its place and time."""
    if activity.mode:
        return activity.mode
    text = unicodedata.normalize("NFKC", f"{activity.place or ''} {activity.time or ''}").lower()
    text = re.sub(r"\s+", "", text)
    online = any(word in text for word in _ONLINE)
    if any(word in text for word in _MIXED) or (online and any(word in text for word in _OFFLINE)):
        return "mixed"
    return "online" if online else "offline"


def schedule_warnings(campaign: Campaign) -> list[Problem]:
    """A warning for each row whose printed time cannot be read and has no explicit start."""
    problems = []
    for schedule in campaign.schedules:
        for activity in schedule.rows:
            if activity.time and TO_FILL in activity.time:
                continue  # not written yet: check says so when the campaign is to be published
            problem = _row_warning(activity, campaign)
            if problem is not None:
                problems.append(problem)
    return problems


def _row_warning(activity: Activity, campaign: Campaign) -> Problem | None:
    """The warning for one row, if it has one."""
    loc = activity.loc if activity.loc.path else campaign.loc  # rows built in code have no location
    time = (activity.time or "").strip()
    if activity.start is not None or not time:
        return None
    parsed = parse_when(time, campaign.year)
    if parsed is None:
        return Problem(
            loc.path,
            loc.line,
            loc.column,
            N_('cannot read the date "%(time)s" of activity "%(name)s"; it is shown as text and left out of calendars',
               time=time, name=activity.name),
            N_("add start: YYYY-MM-DD and end: YYYY-MM-DD to the row to put it in calendars"),
            "warning",
        )
    if activity.end is not None and activity.end < parsed.start:
        return Problem(
            loc.path,
            loc.line,
            loc.column,
            N_('the end %(end)s of activity "%(name)s" is before the start %(start)s read from "%(time)s"; '
               "it is left out of calendars",
               end=activity.end.isoformat(), name=activity.name, start=parsed.start.isoformat(), time=time),
            N_("correct end:, or add start: YYYY-MM-DD to the row"),
            "warning",
        )
    return None
