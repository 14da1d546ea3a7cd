"""Working days and deadlines: the one engine every platform clock uses. Pure domain, no I/O.

Where a day's status comes from, per year (first that applies):
1. a loaded State Council notice for that year (it replaces the package for the whole year);
2. the `chinese_calendar` package (authoritative for the years it ships, 2004–2026 in 1.11.0);
3. derivation from the national holiday regulation (`statutory.py`): provisional.

A result is `provisional` when any day it had to look at comes from (3). `known_year(y)` tells
whether a year is authoritative.

Deadlines follow PRC Civil Code Arts. 201–203: the day a period starts is not counted, a period ends
at 24:00 of its last day (we return the exclusive end: 00:00 of the next day, Asia/Shanghai), and
a calendar-day period whose last day is a rest day runs to the end of the first working day after.

Names: rest days carry the festival's Chinese name (元旦, 春节, 清明节, 劳动节, 端午节, 中秋节,
国庆节, or a notice's own name); a weekend made a working day (调休) carries "<festival>调休",
e.g. "春节调休" (a notice's own name for it when the notice says one); ordinary days carry None.

The engine never reads a clock: callers pass every instant. Naive datetimes are a programming
error (ValueError), as is a period of less than one unit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from types import MappingProxyType
from typing import Mapping
from zoneinfo import ZoneInfo

import chinese_calendar

from functions.calendar import statutory
from functions.calendar.notices import YearNotice
from functions.shared.errors import FieldError, ValidationFailed

SHANGHAI = ZoneInfo("Asia/Shanghai")

# A leap year: enough for any calendar view, small enough to answer from one request.
MAX_DAYS_RANGE = 366

# chinese_calendar names its holidays in English and abbreviates some Chinese names (清明, 端午,
# 中秋); the platform shows the regulation's names.
_SHORT_TO_FULL = {"清明": statutory.QINGMING, "端午": statutory.DRAGON_BOAT, "中秋": statutory.MID_AUTUMN}
_PACKAGE_NAMES = {
    holiday.value: _SHORT_TO_FULL.get(holiday.chinese, holiday.chinese) for holiday in chinese_calendar.Holiday
}
# The package raises NotImplementedError outside the years it has data for; we ask once, up front.
PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)

SWAP_SUFFIX = "调休"


@dataclass(frozen=True)
class DayInfo:
    date: date
    working: bool
    holiday_name: str | None
    provisional: bool


@dataclass(frozen=True)
class Deadline:
    """When a period ends (exclusive, Asia/Shanghai) and whether it rests on a derived year.

    `provisional_years` are the derived years the computation looked at (empty when not
    provisional): loading the notice of the first of them is what can change this deadline.
    """

    due: datetime
    provisional: bool = False
    provisional_years: tuple[int, ...] = ()


class WorkingDayCalendar:
    """The calendar of working days, with the operator-loaded notices that override the package."""

    def __init__(self, notices: Mapping[int, YearNotice] = MappingProxyType({})):
        for year, notice in notices.items():
            if notice.year != year:
                raise ValueError(f"the notice under {year} is for {notice.year}")
        self._notices = dict(notices)
        self._years: dict[int, _Year] = {}

    @property
    def notices(self) -> Mapping[int, YearNotice]:
        return MappingProxyType(self._notices)

    # -- days -------------------------------------------------------------------------------

    def known_year(self, year: int) -> bool:
        """True when `year` is authoritative: a loaded notice or the package's data."""
        return year in self._notices or year in PACKAGE_YEARS

    def day(self, day: date) -> DayInfo:
        if isinstance(day, datetime):
            raise ValueError("pass a date, not a datetime: which day an instant falls on depends on the zone")
        return self._year(day.year).day(day)

    def is_working_day(self, day: date) -> bool:
        return self.day(day).working

    def days(self, from_date: date, to_date: date) -> list[DayInfo]:
        """Every day from `from_date` to `to_date`, both included; at most MAX_DAYS_RANGE days."""
        if to_date < from_date:
            raise ValidationFailed([FieldError(field="to", message="must not be before from")])
        if (to_date - from_date).days + 1 > MAX_DAYS_RANGE:
            raise ValidationFailed([FieldError(field="to", message=f"a range covers at most {MAX_DAYS_RANGE} days")])
        return [self.day(from_date + timedelta(days=i)) for i in range((to_date - from_date).days + 1)]

    # -- deadlines --------------------------------------------------------------------------

    def add_hours(self, start: datetime, hours: float) -> Deadline:
        """Wall-clock period: `start + hours`, holidays ignored; never provisional."""
        _require_aware(start)
        if isinstance(hours, bool) or not hours > 0:
            raise ValueError(f"hours must be positive, got {hours!r}")
        # Through UTC, so the arithmetic is elapsed time even in a zone that once had DST (1986–91).
        due = (start.astimezone(timezone.utc) + timedelta(hours=hours)).astimezone(SHANGHAI)
        return Deadline(due=due)

    def add_working_days(self, start: datetime, n: int) -> Deadline:
        """Ends at 24:00 of the n-th working day after the day of `start` (its date in Shanghai)."""
        _require_aware(start)
        _require_count(n)
        day = start.astimezone(SHANGHAI).date()
        counted = 0
        derived: set[int] = set()
        while counted < n:
            day += timedelta(days=1)
            info = self.day(day)
            if info.provisional:
                derived.add(day.year)
            if info.working:
                counted += 1
        return _deadline(day, derived)

    def add_days(self, start: datetime, n: int) -> Deadline:
        """Calendar-day period: ends at 24:00 of the n-th day after the day of `start`, moved to the
        end of the first working day after it when that day is a rest day (Art. 203).

        Only the last day and the days it moves over are looked at, so only they can make the result
        provisional: which weekday the n-th day is does not depend on any notice.
        """
        _require_aware(start)
        _require_count(n)
        day = start.astimezone(SHANGHAI).date() + timedelta(days=n)
        derived: set[int] = set()
        while True:
            info = self.day(day)
            if info.provisional:
                derived.add(day.year)
            if info.working:
                break
            day += timedelta(days=1)
        return _deadline(day, derived)

    # -- internals --------------------------------------------------------------------------

    def _year(self, year: int) -> "_Year":
        table = self._years.get(year)
        if table is None:
            table = self._years[year] = self._build_year(year)
        return table

    def _build_year(self, year: int) -> "_Year":
        notice = self._notices.get(year)
        if notice is not None:
            return _Year(rest=notice.rest_days(), working=notice.swapped_working_days(), provisional=False)
        if year in PACKAGE_YEARS:
            return _PackageYear()
        return _Year(rest=statutory.derived_rest_days(year), working={}, provisional=True)


class _Year:
    """A year given by its exceptions to Monday–Friday working, Saturday–Sunday rest."""

    def __init__(self, rest: Mapping[date, str], working: Mapping[date, str], provisional: bool):
        self._rest = dict(rest)
        self._working = dict(working)
        self._provisional = provisional

    def day(self, day: date) -> DayInfo:
        if day in self._working:
            return DayInfo(day, True, self._working[day], self._provisional)
        if day in self._rest:
            return DayInfo(day, False, self._rest[day], self._provisional)
        return DayInfo(day, day.weekday() < 5, None, self._provisional)


class _PackageYear:
    """A year chinese_calendar knows, asked through its public functions."""

    def day(self, day: date) -> DayInfo:
        working = chinese_calendar.is_workday(day)
        _, package_name = chinese_calendar.get_holiday_detail(day)
        name = _PACKAGE_NAMES.get(package_name, package_name) if package_name else None
        if name and working:
            # The package names a swapped working weekend after the festival it serves.
            name += SWAP_SUFFIX
        return DayInfo(day, working, name, False)


def _deadline(last_day: date, derived_years: set[int]) -> Deadline:
    due = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=SHANGHAI)
    return Deadline(due=due, provisional=bool(derived_years), provisional_years=tuple(sorted(derived_years)))


def _require_aware(moment: datetime) -> None:
    if not isinstance(moment, datetime):
        raise ValueError(f"expected a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: every instant must carry its UTC offset")


def _require_count(n: int) -> None:
    # A period of zero days has no last day; rules are validated before they get here.
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"a period is at least 1 day, got {n!r}")
