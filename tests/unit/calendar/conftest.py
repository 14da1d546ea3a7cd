from __future__ import annotations

from pathlib import Path

import pytest

from functions.calendar.engine import WorkingDayCalendar
from functions.calendar.notices import YearNotice, parse_notice

EXAMPLE_NOTICE_2027 = Path(__file__).with_name("example_notice_2027.json")


@pytest.fixture
def calendar() -> WorkingDayCalendar:
    """The calendar as it ships: chinese_calendar's years, everything else derived."""
    return WorkingDayCalendar()


@pytest.fixture
def notice_2027() -> YearNotice:
    """A made-up 2027 notice whose 元旦 break runs to Monday 2027-01-04."""
    return parse_notice(EXAMPLE_NOTICE_2027.read_text(encoding="utf-8"))


@pytest.fixture
def example_notice_text() -> str:
    return EXAMPLE_NOTICE_2027.read_text(encoding="utf-8")
