"""The calendar service tests use the root conftest's moto (`aws`) and its no-Scan guard."""
from pathlib import Path

import pytest

EXAMPLE_NOTICE_2027 = Path(__file__).parents[2] / "unit" / "calendar" / "example_notice_2027.json"


@pytest.fixture
def tables(aws):
    """Every table of the platform (the root conftest's `aws`): a notice load also writes audit and outbox."""
    from functions.calendar.models import CalendarNotice, SlaClock

    yield (CalendarNotice, SlaClock)


@pytest.fixture
def example_notice_text() -> str:
    return EXAMPLE_NOTICE_2027.read_text(encoding="utf-8")
