"""The data file of a State Council yearly holiday notice (国务院办公厅关于某年部分节假日安排的通知).

Operators load a year's notice before `chinese_calendar` knows that year. The file is JSON:

    {"year": 2027,
     "source": "国务院办公厅关于2027年部分节假日安排的通知",
     "published": "2026-11-10",
     "holidays": [{"name": "元旦", "dates": ["2027-01-01", "2027-01-02", "2027-01-03"]}, ...],
     "working_days": [{"name": "春节调休", "date": "2027-02-07"}, ...]}

A notice describes the whole year: `holidays` are the rest days it announces (a statutory day that
falls on a weekend is listed too), `working_days` are weekend days made working days (调休), and
every day not listed follows Monday–Friday working, Saturday–Sunday rest.

`parse_notice` raises `ValidationFailed` naming every bad field by its path in the file
(`holidays[2].dates[0]`), so an operator can fix the file in one pass.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from functions.shared.errors import FieldError, ValidationFailed

# Years the platform can sensibly describe; lunar-python and chinese-calendar both cover them.
MIN_YEAR = 2000
MAX_YEAR = 2100

# `date.fromisoformat` accepts "20270101" and week dates in Python 3.11; the file format is strictly
# YYYY-MM-DD so that what operators read is what the code reads.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TOP_LEVEL_KEYS = ("year", "source", "published", "holidays", "working_days")


@dataclass(frozen=True)
class NoticeHoliday:
    name: str
    dates: tuple[date, ...]


@dataclass(frozen=True)
class NoticeWorkingDay:
    name: str
    date: date


@dataclass(frozen=True)
class YearNotice:
    year: int
    source: str
    published: date
    holidays: tuple[NoticeHoliday, ...]
    working_days: tuple[NoticeWorkingDay, ...] = ()

    def rest_days(self) -> dict[date, str]:
        """Every holiday date the notice announces, with its holiday's name."""
        return {day: holiday.name for holiday in self.holidays for day in holiday.dates}

    def swapped_working_days(self) -> dict[date, str]:
        """Every weekend day the notice makes a working day, with its name."""
        return {swap.date: swap.name for swap in self.working_days}


# -- parsing ------------------------------------------------------------------------------------


def parse_notice(raw: str | bytes | Mapping[str, Any]) -> YearNotice:
    """Parse and validate a notice file (its text, or the already-decoded JSON object)."""
    if isinstance(raw, (str, bytes)):
        try:
            raw = json.loads(raw)
        except ValueError as error:
            raise ValidationFailed([FieldError(field="notice", message=f"not valid JSON: {error}")]) from None
    if not isinstance(raw, Mapping):
        raise ValidationFailed([FieldError(field="notice", message="a notice is a JSON object")])

    errors: list[FieldError] = []
    for key in raw:
        if key not in _TOP_LEVEL_KEYS:
            errors.append(FieldError(field=str(key), message="unknown field"))

    year = raw.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        errors.append(FieldError(field="year", message="required, a whole number"))
        year = None
    source = _text(raw.get("source"), "source", errors)
    published = _date(raw.get("published"), "published", errors)

    holidays: list[NoticeHoliday] = []
    raw_holidays = raw.get("holidays")
    if not isinstance(raw_holidays, list) or not raw_holidays:
        errors.append(FieldError(field="holidays", message="required, a non-empty list"))
    else:
        for i, item in enumerate(raw_holidays):
            where = f"holidays[{i}]"
            if not isinstance(item, Mapping):
                errors.append(FieldError(field=where, message='an object {"name", "dates"}'))
                continue
            _no_unknown_keys(item, where, ("name", "dates"), errors)
            name = _text(item.get("name"), f"{where}.name", errors)
            raw_dates = item.get("dates")
            dates: list[date] = []
            if not isinstance(raw_dates, list) or not raw_dates:
                errors.append(FieldError(field=f"{where}.dates", message="required, a non-empty list"))
            else:
                for j, value in enumerate(raw_dates):
                    parsed = _date(value, f"{where}.dates[{j}]", errors)
                    if parsed is not None:
                        dates.append(parsed)
            holidays.append(NoticeHoliday(name=name or "", dates=tuple(dates)))

    working_days: list[NoticeWorkingDay] = []
    raw_working = raw.get("working_days")
    if not isinstance(raw_working, list):
        errors.append(FieldError(field="working_days", message="required, a list (empty if the notice swaps no day)"))
    else:
        for i, item in enumerate(raw_working):
            where = f"working_days[{i}]"
            if not isinstance(item, Mapping):
                errors.append(FieldError(field=where, message='an object {"name", "date"}'))
                continue
            _no_unknown_keys(item, where, ("name", "date"), errors)
            name = _text(item.get("name"), f"{where}.name", errors)
            day = _date(item.get("date"), f"{where}.date", errors)
            if day is not None:
                working_days.append(NoticeWorkingDay(name=name or "", date=day))

    # Structural errors first: the rules below index into what was parsed, and paths would drift.
    if errors:
        raise ValidationFailed(errors)
    notice = YearNotice(
        year=year,  # type: ignore[arg-type]  # checked above
        source=source or "",
        published=published,  # type: ignore[arg-type]  # checked above
        holidays=tuple(holidays),
        working_days=tuple(working_days),
    )
    validate_notice(notice)
    return notice


def validate_notice(notice: YearNotice) -> None:
    """The rules of a notice, for one parsed from a file or built in code; raises ValidationFailed."""
    errors: list[FieldError] = []
    if not MIN_YEAR <= notice.year <= MAX_YEAR:
        # Every date would be "not in <year>" too; the year is the one thing to fix.
        raise ValidationFailed([FieldError(field="year", message=f"must be between {MIN_YEAR} and {MAX_YEAR}")])
    if not notice.source.strip():
        errors.append(FieldError(field="source", message="must not be empty"))
    if not notice.holidays:
        errors.append(FieldError(field="holidays", message="a notice announces at least one holiday"))

    seen: dict[date, str] = {}
    for i, holiday in enumerate(notice.holidays):
        if not holiday.name.strip():
            errors.append(FieldError(field=f"holidays[{i}].name", message="must not be empty"))
        if not holiday.dates:
            errors.append(FieldError(field=f"holidays[{i}].dates", message="must not be empty"))
        for j, day in enumerate(holiday.dates):
            _check_day(notice.year, day, f"holidays[{i}].dates[{j}]", seen, errors)

    for i, swap in enumerate(notice.working_days):
        where = f"working_days[{i}]"
        if not swap.name.strip():
            errors.append(FieldError(field=f"{where}.name", message="must not be empty"))
        if swap.date.weekday() < 5:
            # A swap day is a weekend made a working day; a weekday is a working day already.
            errors.append(
                FieldError(field=f"{where}.date", message=f"{swap.date.isoformat()} is not a Saturday or Sunday")
            )
        _check_day(notice.year, swap.date, f"{where}.date", seen, errors)

    if errors:
        raise ValidationFailed(errors)


def _check_day(year: int, day: date, where: str, seen: dict[date, str], errors: list[FieldError]) -> None:
    if day.year != year:
        errors.append(FieldError(field=where, message=f"{day.isoformat()} is not in {year}"))
    if day in seen:
        errors.append(FieldError(field=where, message=f"{day.isoformat()} is already listed at {seen[day]}"))
    else:
        seen[day] = where


def _text(value: Any, where: str, errors: list[FieldError]) -> str | None:
    if not isinstance(value, str) or not value.strip():
        errors.append(FieldError(field=where, message="required, a non-empty string"))
        return None
    return value.strip()


def _date(value: Any, where: str, errors: list[FieldError]) -> date | None:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        errors.append(FieldError(field=where, message="required, a date written YYYY-MM-DD"))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(field=where, message=f"{value} is not a calendar date"))
        return None


def _no_unknown_keys(item: Mapping[str, Any], where: str, allowed: tuple[str, ...], errors: list[FieldError]) -> None:
    for key in item:
        if key not in allowed:
            errors.append(FieldError(field=f"{where}.{key}", message="unknown field"))


# -- serialising --------------------------------------------------------------------------------


def notice_to_dict(notice: YearNotice) -> dict[str, Any]:
    return {
        "year": notice.year,
        "source": notice.source,
        "published": notice.published.isoformat(),
        "holidays": [
            {"name": holiday.name, "dates": [day.isoformat() for day in holiday.dates]} for holiday in notice.holidays
        ],
        "working_days": [{"name": swap.name, "date": swap.date.isoformat()} for swap in notice.working_days],
    }


def dump_notice(notice: YearNotice, *, indent: int | None = 2) -> str:
    """The notice as file text (Chinese kept readable); `parse_notice(dump_notice(n)) == n`."""
    return json.dumps(notice_to_dict(notice), ensure_ascii=False, indent=indent)
