"""Statutory holidays of a year, derived from the national holiday regulation.

Used only for a year that neither `chinese_calendar` nor a loaded notice knows (in 2026 that is
2027 onwards): every result that depends on such a day is marked provisional.

《全国年节及纪念日放假办法》 as revised on 2024-11-10, in force from 2025-01-01:

Art. 2, holidays of all citizens (13 days):
    元旦 Jan 1 · 春节 农历除夕 and 正月初一–初三 · 清明节 the day of the 清明 solar term ·
    劳动节 May 1–2 · 端午节 lunar 5/5 · 中秋节 lunar 8/15 · 国庆节 Oct 1–3
Art. 6: a holiday of all citizens that falls on a Saturday or Sunday is made up (补假) on a
    working day.

The regulation says a make-up day is given, not which day; the yearly notice fixes it. We assume
the first Monday–Friday after that festival's last day that is not already a rest day, which is
what the 2025 and 2026 notices did for every weekend holiday (e.g. 端午 2025-05-31 Sat →
2025-06-02 Mon; 国庆 2026-10-03 Sat → 2026-10-05 Mon). The notice's longer breaks and swapped
working weekends (调休) cannot be derived at all: a derived year has none.

When two festivals fall on the same day (中秋 on Oct 1–3, e.g. 2028-10-03) the day is one rest day,
named after the fixed-date festival (as chinese-calendar names 2020-10-01 国庆); the regulation gives
no extra day for the overlap, so neither do we.

The rule is applied to any year asked for; before 2025 the 2013 text (11 days) applied, but those
years are all in chinese-calendar, so the derivation is never used for them.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar

NEW_YEAR = "元旦"
SPRING_FESTIVAL = "春节"
QINGMING = "清明节"
LABOUR_DAY = "劳动节"
DRAGON_BOAT = "端午节"
MID_AUTUMN = "中秋节"
NATIONAL_DAY = "国庆节"

# The order of Art. 2, for listing.
FESTIVALS = (NEW_YEAR, SPRING_FESTIVAL, QINGMING, LABOUR_DAY, DRAGON_BOAT, MID_AUTUMN, NATIONAL_DAY)


def spring_festival(year: int) -> date:
    """正月初一 of the lunar year that begins in `year`."""
    return _solar(Lunar.fromYmd(year, 1, 1))


def chinese_new_years_eve(year: int) -> date:
    """农历除夕: the last day of lunar month 12, the 29th or the 30th, so always the day before 初一."""
    return spring_festival(year) - timedelta(days=1)


def qingming(year: int) -> date:
    """The day (Beijing time) of the 清明 solar term, April 4, 5 or 6."""
    # The lunar year starting in `year` holds that year's April, so its table has the right 清明.
    day = _solar(Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"])
    if (day.year, day.month) != (year, 4):  # the table also holds neighbouring years' terms
        raise AssertionError(f"清明 of {year} computed as {day}")
    return day


def dragon_boat(year: int) -> date:
    return _solar(Lunar.fromYmd(year, 5, 5))


def mid_autumn(year: int) -> date:
    return _solar(Lunar.fromYmd(year, 8, 15))


@lru_cache(maxsize=64)
def statutory_festivals(year: int) -> tuple[tuple[str, tuple[date, ...]], ...]:
    """Art. 2: each festival with its statutory days in `year`, in the regulation's order."""
    eve = chinese_new_years_eve(year)
    return (
        (NEW_YEAR, (date(year, 1, 1),)),
        (SPRING_FESTIVAL, tuple(eve + timedelta(days=i) for i in range(4))),
        (QINGMING, (qingming(year),)),
        (LABOUR_DAY, (date(year, 5, 1), date(year, 5, 2))),
        (DRAGON_BOAT, (dragon_boat(year),)),
        (MID_AUTUMN, (mid_autumn(year),)),
        (NATIONAL_DAY, (date(year, 10, 1), date(year, 10, 2), date(year, 10, 3))),
    )


def statutory_days(year: int) -> dict[date, str]:
    """Art. 2: every statutory holiday date of `year` with its festival's name."""
    return dict(_statutory_days(year))


def make_up_days(year: int) -> dict[date, str]:
    """Art. 6: one working day off for every statutory day on a weekend (see the module docstring)."""
    return dict(_make_up_days(year))


def derived_rest_days(year: int) -> dict[date, str]:
    """Every rest day of a derived year other than ordinary weekends: statutory days and make-up days."""
    return dict(sorted((*_statutory_days(year), *_make_up_days(year))))


# The cached forms are tuples so no caller can change what the next caller gets.
@lru_cache(maxsize=64)
def _statutory_days(year: int) -> tuple[tuple[date, str], ...]:
    days: dict[date, str] = {}
    # Fixed-date festivals claim their days first, so an overlapping lunar festival yields the name.
    fixed_first = sorted(
        statutory_festivals(year), key=lambda item: item[0] not in (NEW_YEAR, LABOUR_DAY, NATIONAL_DAY)
    )
    for name, dates in fixed_first:
        for day in dates:
            days.setdefault(day, name)
    return tuple(sorted(days.items()))


@lru_cache(maxsize=64)
def _make_up_days(year: int) -> tuple[tuple[date, str], ...]:
    statutory = dict(_statutory_days(year))
    made_up: dict[date, str] = {}
    for name in FESTIVALS:
        own_days = sorted(day for day, owner in statutory.items() if owner == name)
        if not own_days:  # wholly overlapped by another festival
            continue
        candidate = own_days[-1]
        for day in own_days:
            if day.weekday() < 5:
                continue
            candidate += timedelta(days=1)
            while candidate.weekday() >= 5 or candidate in statutory or candidate in made_up:
                candidate += timedelta(days=1)
            made_up[candidate] = name
    return tuple(sorted(made_up.items()))


def _solar(lunar_or_solar) -> date:
    solar = lunar_or_solar.getSolar() if hasattr(lunar_or_solar, "getSolar") else lunar_or_solar
    return date(solar.getYear(), solar.getMonth(), solar.getDay())
