"""Derivation of statutory holidays from 《全国年节及纪念日放假办法》 (2024 revision)."""
from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from lunar_python import Solar

from functions.calendar import statutory
from functions.calendar.engine import WorkingDayCalendar

PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_derived_statutory_days_are_holidays_in_the_package(year: int) -> None:
    derived = statutory.statutory_days(year)
    assert len(derived) == 13  # Art. 2: 1 + 4 + 1 + 2 + 1 + 1 + 3, no overlap in these years
    for day, name in derived.items():
        assert not chinese_calendar.is_workday(day), day
        is_holiday, package_name = chinese_calendar.get_holiday_detail(day)
        assert is_holiday and PACKAGE_NAMES[package_name] == name, (day, name, package_name)


@pytest.mark.parametrize("year", [2025, 2026])
def test_derived_make_up_days_are_holidays_in_the_package(year: int) -> None:
    # Our guess for Art. 6 (first free weekday after the festival) is what the notices did.
    made_up = statutory.make_up_days(year)
    assert made_up  # both years have weekend holidays: 端午 2025-05-31; 清明/劳动/国庆 2026
    for day, name in made_up.items():
        assert day.weekday() < 5
        is_holiday, package_name = chinese_calendar.get_holiday_detail(day)
        assert is_holiday and PACKAGE_NAMES[package_name] == name, (day, name, package_name)


@pytest.mark.parametrize("year", range(2014, 2025))
def test_lunar_and_solar_term_days_match_the_package_for_earlier_years(year: int) -> None:
    # Before 2025 the 2013 text applied: no 除夕 and no May 2. Every other day must be a holiday,
    # which checks the lunar and solar-term arithmetic over eleven more years.
    eve = statutory.chinese_new_years_eve(year)
    for day in statutory.statutory_days(year):
        if day in (eve, date(year, 5, 2)):
            continue
        assert not chinese_calendar.is_workday(day), day


@pytest.mark.parametrize(
    ("year", "eve", "first_day"),
    [
        (2024, date(2024, 2, 9), date(2024, 2, 10)),  # 除夕 on 腊月三十
        (2025, date(2025, 1, 28), date(2025, 1, 29)),  # 除夕 on 腊月廿九
        (2026, date(2026, 2, 16), date(2026, 2, 17)),
        (2027, date(2027, 2, 5), date(2027, 2, 6)),
        (2028, date(2028, 1, 25), date(2028, 1, 26)),
    ],
    ids=lambda v: v.isoformat() if isinstance(v, date) else str(v),
)
def test_spring_festival_and_new_years_eve(year: int, eve: date, first_day: date) -> None:
    assert statutory.spring_festival(year) == first_day
    assert statutory.chinese_new_years_eve(year) == eve
    lunar = Solar.fromYmd(eve.year, eve.month, eve.day).getLunar()
    assert lunar.getMonth() == 12 and lunar.getDay() in (29, 30)
    spring = [day for day, name in statutory.statutory_days(year).items() if name == "春节"]
    assert spring == [eve + timedelta(days=i) for i in range(4)]


def test_new_years_eve_can_be_the_29th_or_the_30th() -> None:
    days = {Solar.fromYmd(y.year, y.month, y.day).getLunar().getDay() for y in (
        statutory.chinese_new_years_eve(2024), statutory.chinese_new_years_eve(2025))}
    assert days == {29, 30}


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2025, date(2025, 4, 4)), (2026, date(2026, 4, 5)), (2027, date(2027, 4, 5)), (2028, date(2028, 4, 4))],
    ids=str,
)
def test_qingming(year: int, expected: date) -> None:
    assert statutory.qingming(year) == expected


@pytest.mark.parametrize("year", range(2025, 2041))
def test_qingming_agrees_with_the_packages_solar_terms(year: int) -> None:
    terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
    package_qingming = [day for day, term in terms if "清明" in str(term)]
    assert package_qingming == [statutory.qingming(year)]


def test_2027_derived_year() -> None:
    assert statutory.statutory_days(2027) == {
        date(2027, 1, 1): "元旦",
        date(2027, 2, 5): "春节",
        date(2027, 2, 6): "春节",
        date(2027, 2, 7): "春节",
        date(2027, 2, 8): "春节",
        date(2027, 4, 5): "清明节",
        date(2027, 5, 1): "劳动节",
        date(2027, 5, 2): "劳动节",
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        date(2027, 10, 1): "国庆节",
        date(2027, 10, 2): "国庆节",
        date(2027, 10, 3): "国庆节",
    }
    # Art. 6 make-up days for the weekend ones: 春节 Sat+Sun, 劳动节 Sat+Sun, 国庆 Sat+Sun.
    assert statutory.make_up_days(2027) == {
        date(2027, 2, 9): "春节",
        date(2027, 2, 10): "春节",
        date(2027, 5, 3): "劳动节",
        date(2027, 5, 4): "劳动节",
        date(2027, 10, 4): "国庆节",
        date(2027, 10, 5): "国庆节",
    }


def test_2028_中秋_on_国庆_is_one_day_named_国庆() -> None:
    days = statutory.statutory_days(2028)
    assert statutory.mid_autumn(2028) == date(2028, 10, 3)
    assert days[date(2028, 10, 3)] == "国庆节"
    assert len(days) == 12
    assert "中秋节" not in days.values()
    # 2028-01-01 is a Saturday (make-up Monday 01-03), 端午 2028-05-28 a Sunday, 国庆 10-01 a Sunday.
    assert statutory.make_up_days(2028) == {
        date(2028, 1, 3): "元旦",
        date(2028, 5, 29): "端午节",
        date(2028, 10, 4): "国庆节",
    }


def test_derived_days_in_the_calendar_are_provisional_rest_days() -> None:
    calendar = WorkingDayCalendar()
    for day, name in statutory.derived_rest_days(2027).items():
        info = calendar.day(day)
        assert (info.working, info.holiday_name, info.provisional) == (False, name, True)
    # A derived year has no swapped working weekends.
    saturdays = [calendar.day(date(2027, 1, 2) + timedelta(weeks=week)) for week in range(52)]
    assert all(not d.working and d.provisional for d in saturdays)


def test_results_cannot_be_changed_by_a_caller() -> None:
    statutory.statutory_days(2027).clear()
    statutory.make_up_days(2027).clear()
    assert len(statutory.statutory_days(2027)) == 13
    assert len(statutory.make_up_days(2027)) == 6
