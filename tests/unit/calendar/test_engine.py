"""The working-day engine against the real 2025 and 2026 calendars and the derived 2027.

The day tables below were written from chinese-calendar 1.11.0's data and checked by hand against
the State Council notices (国办发明电〔2024〕12号 for 2025; the 2026 notice of November 2025).
"""
from __future__ import annotations

import ast
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from functions.calendar import engine
from functions.calendar.engine import MAX_DAYS_RANGE, SHANGHAI, DayInfo, Deadline, WorkingDayCalendar
from functions.calendar.notices import NoticeHoliday, YearNotice
from functions.shared.errors import ValidationFailed

UTC = timezone.utc


def sh(y: int, m: int, d: int, hh: int = 10, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=SHANGHAI)


def midnight(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=SHANGHAI)


def _span(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# -- every rest day of 2025 and 2026 announced by the notices ---------------------------------------

HOLIDAYS = [
    *[(d, "元旦") for d in _span("2025-01-01", "2025-01-01")],
    *[(d, "春节") for d in _span("2025-01-28", "2025-02-04")],
    *[(d, "清明节") for d in _span("2025-04-04", "2025-04-06")],
    *[(d, "劳动节") for d in _span("2025-05-01", "2025-05-05")],
    *[(d, "端午节") for d in _span("2025-05-31", "2025-06-02")],
    # 2025: 国庆 and 中秋 (10-06) combined into one 8-day break.
    *[(d, "国庆节") for d in _span("2025-10-01", "2025-10-05")],
    (date(2025, 10, 6), "中秋节"),
    *[(d, "国庆节") for d in _span("2025-10-07", "2025-10-08")],
    *[(d, "元旦") for d in _span("2026-01-01", "2026-01-03")],
    *[(d, "春节") for d in _span("2026-02-15", "2026-02-23")],
    *[(d, "清明节") for d in _span("2026-04-04", "2026-04-06")],
    *[(d, "劳动节") for d in _span("2026-05-01", "2026-05-05")],
    *[(d, "端午节") for d in _span("2026-06-19", "2026-06-21")],
    *[(d, "中秋节") for d in _span("2026-09-25", "2026-09-27")],
    *[(d, "国庆节") for d in _span("2026-10-01", "2026-10-07")],
]

SWAPPED_WORKING_WEEKENDS = [
    (date(2025, 1, 26), "春节调休"),  # Sunday
    (date(2025, 2, 8), "春节调休"),  # Saturday
    (date(2025, 4, 27), "劳动节调休"),  # Sunday
    (date(2025, 9, 28), "国庆节调休"),  # Sunday
    (date(2025, 10, 11), "国庆节调休"),  # Saturday
    (date(2026, 1, 4), "元旦调休"),  # Sunday
    (date(2026, 2, 14), "春节调休"),  # Saturday
    (date(2026, 2, 28), "春节调休"),  # Saturday
    (date(2026, 5, 9), "劳动节调休"),  # Saturday
    (date(2026, 9, 20), "国庆节调休"),  # Sunday
    (date(2026, 10, 10), "国庆节调休"),  # Saturday
]


def _day_id(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


@pytest.mark.parametrize(("day", "name"), HOLIDAYS, ids=[f"{d.isoformat()}-{n}" for d, n in HOLIDAYS])
def test_every_2025_2026_holiday_is_a_named_rest_day(calendar: WorkingDayCalendar, day: date, name: str) -> None:
    assert calendar.day(day) == DayInfo(date=day, working=False, holiday_name=name, provisional=False)


@pytest.mark.parametrize(
    ("day", "name"), SWAPPED_WORKING_WEEKENDS, ids=[f"{d.isoformat()}-{n}" for d, n in SWAPPED_WORKING_WEEKENDS]
)
def test_swapped_weekends_are_named_working_days(calendar: WorkingDayCalendar, day: date, name: str) -> None:
    assert day.weekday() >= 5
    assert calendar.day(day) == DayInfo(date=day, working=True, holiday_name=name, provisional=False)


def test_the_tables_hold_every_special_day_of_2025_and_2026(calendar: WorkingDayCalendar) -> None:
    # Anything the package marks beyond our tables would be a day the tables never checked.
    special = {d for d, _ in HOLIDAYS} | {d for d, _ in SWAPPED_WORKING_WEEKENDS}
    two_years = calendar.days(date(2025, 1, 1), date(2025, 12, 31))
    two_years += calendar.days(date(2026, 1, 1), date(2026, 12, 31))
    for info in two_years:
        ordinary = info.working == (info.date.weekday() < 5) and info.holiday_name is None
        assert ordinary or info.date in special, info


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 2), True),  # Thursday after 元旦
        (date(2025, 1, 25), False),  # an ordinary Saturday
        (date(2025, 2, 5), True),  # first day back after 春节
        (date(2025, 10, 9), True),  # first day back after 国庆
        (date(2026, 1, 5), True),
        (date(2026, 12, 31), True),
    ],
    ids=_day_id,
)
def test_ordinary_days_have_no_name(calendar: WorkingDayCalendar, day: date, working: bool) -> None:
    assert calendar.day(day) == DayInfo(date=day, working=working, holiday_name=None, provisional=False)


# -- add_working_days -----------------------------------------------------------------------------

WORKING_DAY_CASES = [
    # id, start, n, due (exclusive 00:00 +08:00), provisional
    ("2025-元旦", sh(2024, 12, 31), 1, midnight(2025, 1, 3), False),
    ("2025-春节-sunday-swap-counts", sh(2025, 1, 24), 1, midnight(2025, 1, 27), False),
    ("2025-春节-before-break", sh(2025, 1, 24), 2, midnight(2025, 1, 28), False),
    ("2025-春节-whole-break-skipped", sh(2025, 1, 24), 3, midnight(2025, 2, 6), False),
    ("2025-春节-saturday-swap-counts", sh(2025, 2, 7), 1, midnight(2025, 2, 9), False),
    ("2025-清明", sh(2025, 4, 3), 1, midnight(2025, 4, 8), False),
    ("2025-劳动节-sunday-swap", sh(2025, 4, 25), 1, midnight(2025, 4, 28), False),
    ("2025-劳动节", sh(2025, 4, 30), 1, midnight(2025, 5, 7), False),
    ("2025-端午", sh(2025, 5, 30), 1, midnight(2025, 6, 4), False),
    ("2025-国庆-sunday-swap", sh(2025, 9, 26), 1, midnight(2025, 9, 29), False),
    ("2025-国庆中秋-8-day-break", sh(2025, 9, 30), 1, midnight(2025, 10, 10), False),
    ("2025-国庆-saturday-swap-after", sh(2025, 9, 30), 3, midnight(2025, 10, 12), False),
    ("2025-15-days-across-国庆", sh(2025, 9, 20), 15, midnight(2025, 10, 17), False),
    ("start-on-saturday", sh(2025, 3, 15), 1, midnight(2025, 3, 18), False),
    ("start-in-middle-of-国庆", sh(2025, 10, 4), 1, midnight(2025, 10, 10), False),
    ("start-on-last-holiday-day", sh(2025, 10, 8), 1, midnight(2025, 10, 10), False),
    ("start-on-swapped-working-sunday", sh(2025, 9, 28), 1, midnight(2025, 9, 30), False),
    ("year-end-2025-元旦-2026-sunday-swap", sh(2025, 12, 31), 1, midnight(2026, 1, 5), False),
    ("year-end-2025-into-2026", sh(2025, 12, 31), 2, midnight(2026, 1, 6), False),
    ("2026-春节-saturday-swap-before", sh(2026, 2, 13), 1, midnight(2026, 2, 15), False),
    ("2026-春节-9-day-break", sh(2026, 2, 13), 2, midnight(2026, 2, 25), False),
    ("2026-春节-saturday-swap-after", sh(2026, 2, 27), 1, midnight(2026, 3, 1), False),
    ("2026-清明", sh(2026, 4, 3), 1, midnight(2026, 4, 8), False),
    ("2026-劳动节", sh(2026, 4, 30), 1, midnight(2026, 5, 7), False),
    ("2026-劳动节-saturday-swap", sh(2026, 5, 8), 1, midnight(2026, 5, 10), False),
    ("2026-端午", sh(2026, 6, 18), 1, midnight(2026, 6, 23), False),
    ("2026-中秋", sh(2026, 9, 24), 1, midnight(2026, 9, 29), False),
    ("2026-国庆-sunday-swap", sh(2026, 9, 18), 1, midnight(2026, 9, 21), False),
    ("2026-国庆", sh(2026, 9, 30), 1, midnight(2026, 10, 9), False),
    ("2026-国庆-saturday-swap", sh(2026, 10, 9), 1, midnight(2026, 10, 11), False),
    # Into the derived 2027: 元旦 2027-01-01 (Friday) and the weekend are skipped, provisionally.
    ("2026-12-20-15-days-into-2027", sh(2026, 12, 20), 15, midnight(2027, 1, 12), True),
    ("ends-2026-12-31-due-in-2027-but-no-2027-day-counted", sh(2026, 12, 30), 1, midnight(2027, 1, 1), False),
    ("2026-12-30-2-days-skips-元旦-2027", sh(2026, 12, 30), 2, midnight(2027, 1, 5), True),
]


@pytest.mark.parametrize(
    ("start", "n", "due", "provisional"),
    [case[1:] for case in WORKING_DAY_CASES],
    ids=[case[0] for case in WORKING_DAY_CASES],
)
def test_add_working_days(
    calendar: WorkingDayCalendar, start: datetime, n: int, due: datetime, provisional: bool
) -> None:
    deadline = calendar.add_working_days(start, n)
    assert deadline.due == due
    assert deadline.provisional is provisional
    assert deadline.due.utcoffset() == timedelta(hours=8)


def test_provisional_deadline_names_the_derived_year(calendar: WorkingDayCalendar) -> None:
    assert calendar.add_working_days(sh(2026, 12, 20), 15).provisional_years == (2027,)
    assert calendar.add_working_days(sh(2025, 12, 20), 15).provisional_years == ()


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (sh(2025, 1, 6, 23, 59, 59), midnight(2025, 1, 8)),  # last second of Monday: Monday is day 0
        (sh(2025, 1, 7, 0, 0, 0), midnight(2025, 1, 9)),  # first instant of Tuesday: Tuesday is day 0
        (datetime(2025, 1, 6, 15, 59, 59, tzinfo=UTC), midnight(2025, 1, 8)),  # = Mon 23:59:59 in Shanghai
        (datetime(2025, 1, 6, 16, 30, 0, tzinfo=UTC), midnight(2025, 1, 9)),  # UTC Monday, Shanghai Tuesday
        # 00:30 at UTC-5 is Tuesday 13:30 in Shanghai
        (datetime(2025, 1, 7, 0, 30, tzinfo=timezone(timedelta(hours=-5))), midnight(2025, 1, 9)),
    ],
    ids=["23:59:59+08", "00:00+08", "utc-same-day", "utc-monday-is-shanghai-tuesday", "other-zone"],
)
def test_the_day_of_start_is_its_shanghai_date(calendar: WorkingDayCalendar, start: datetime, due: datetime) -> None:
    assert calendar.add_working_days(start, 1).due == due


def test_due_is_returned_in_shanghai_time(calendar: WorkingDayCalendar) -> None:
    due = calendar.add_working_days(datetime(2025, 1, 6, 16, 30, tzinfo=UTC), 1).due
    assert due.tzinfo == SHANGHAI
    assert due.astimezone(UTC) == datetime(2025, 1, 8, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize("n", [0, -1, True, 1.5], ids=["zero", "negative", "bool", "float"])
def test_a_period_is_at_least_one_whole_day(calendar: WorkingDayCalendar, n: object) -> None:
    with pytest.raises(ValueError):
        calendar.add_working_days(sh(2025, 1, 6), n)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        calendar.add_days(sh(2025, 1, 6), n)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["add_working_days", "add_days", "add_hours"])
def test_naive_datetimes_are_refused(calendar: WorkingDayCalendar, method: str) -> None:
    with pytest.raises(ValueError, match="naive"):
        getattr(calendar, method)(datetime(2025, 1, 6, 10, 0), 1)


# -- add_hours --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (sh(2025, 1, 6, 23, 0), 2, sh(2025, 1, 7, 1, 0)),
        (sh(2025, 9, 30, 20, 0), 48, sh(2025, 10, 2, 20, 0)),  # holidays do not stop a wall clock
        (sh(2025, 1, 24, 17, 30), 72, sh(2025, 1, 27, 17, 30)),  # nor weekends
        (sh(2026, 12, 31, 23, 0), 2, sh(2027, 1, 1, 1, 0)),  # into the derived year: still not provisional
        (datetime(2025, 1, 6, 15, 0, tzinfo=UTC), 2, sh(2025, 1, 7, 1, 0)),
        (sh(2025, 1, 6, 10, 0), 0.5, sh(2025, 1, 6, 10, 30)),
    ],
    ids=["across-midnight", "across-国庆", "across-weekend", "into-2027", "utc-start", "half-hour"],
)
def test_add_hours_is_wall_clock(calendar: WorkingDayCalendar, start: datetime, hours: float, due: datetime) -> None:
    deadline = calendar.add_hours(start, hours)
    assert deadline == Deadline(due=due, provisional=False)
    assert deadline.due.tzinfo == SHANGHAI


@pytest.mark.parametrize("hours", [0, -2], ids=["zero", "negative"])
def test_add_hours_needs_a_positive_period(calendar: WorkingDayCalendar, hours: int) -> None:
    with pytest.raises(ValueError):
        calendar.add_hours(sh(2025, 1, 6), hours)


# -- add_days (Art. 203: a last day that is a rest day moves to the next working day) ---------------

CALENDAR_DAY_CASES = [
    ("7-days-ends-on-a-monday", sh(2025, 3, 3), 7, midnight(2025, 3, 11), False),
    ("last-day-saturday-moves-to-monday", sh(2025, 3, 1), 7, midnight(2025, 3, 11), False),
    ("last-day-in-国庆-moves-past-the-break", sh(2025, 9, 25), 7, midnight(2025, 10, 10), False),
    ("last-day-is-a-swapped-working-saturday", sh(2025, 10, 4), 7, midnight(2025, 10, 12), False),
    ("last-day-sunday-in-2026-stays-2026", sh(2026, 12, 20), 7, midnight(2026, 12, 29), False),
    ("last-day-2026-12-31", sh(2026, 12, 24), 7, midnight(2027, 1, 1), False),
    ("last-day-derived-2027-weekend", sh(2026, 12, 26), 7, midnight(2027, 1, 5), True),
    ("start-utc-previous-day", datetime(2025, 3, 2, 16, 0, tzinfo=UTC), 7, midnight(2025, 3, 11), False),
]


@pytest.mark.parametrize(
    ("start", "n", "due", "provisional"),
    [case[1:] for case in CALENDAR_DAY_CASES],
    ids=[case[0] for case in CALENDAR_DAY_CASES],
)
def test_add_days(calendar: WorkingDayCalendar, start: datetime, n: int, due: datetime, provisional: bool) -> None:
    deadline = calendar.add_days(start, n)
    assert deadline.due == due
    assert deadline.provisional is provisional


# -- days() and known_year() -------------------------------------------------------------------------


def test_days_is_inclusive_and_flags_derived_days(calendar: WorkingDayCalendar) -> None:
    days = calendar.days(date(2026, 12, 30), date(2027, 1, 4))
    assert [d.date for d in days] == _span("2026-12-30", "2027-01-04")
    assert [d.provisional for d in days] == [False, False, True, True, True, True]
    assert days[2] == DayInfo(date(2027, 1, 1), working=False, holiday_name="元旦", provisional=True)
    assert [d.working for d in days] == [True, True, False, False, False, True]


def test_days_allows_a_leap_year_range(calendar: WorkingDayCalendar) -> None:
    assert len(calendar.days(date(2028, 1, 1), date(2028, 12, 31))) == MAX_DAYS_RANGE == 366


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2025, 1, 1), date(2026, 1, 2)), (date(2025, 1, 2), date(2025, 1, 1))],
    ids=["367-days", "to-before-from"],
)
def test_days_refuses_bad_ranges_naming_to(calendar: WorkingDayCalendar, start: date, end: date) -> None:
    with pytest.raises(ValidationFailed) as raised:
        calendar.days(start, end)
    assert [e.field for e in raised.value.errors] == ["to"]


def test_day_refuses_a_datetime(calendar: WorkingDayCalendar) -> None:
    with pytest.raises(ValueError):
        calendar.day(sh(2025, 1, 1))


def test_known_year(calendar: WorkingDayCalendar, notice_2027: YearNotice) -> None:
    assert calendar.known_year(2025) and calendar.known_year(2026)
    assert not calendar.known_year(2027)
    assert WorkingDayCalendar({2027: notice_2027}).known_year(2027)


# -- loaded notices ---------------------------------------------------------------------------------


def test_a_loaded_notice_makes_2027_authoritative_and_moves_the_deadline(notice_2027: YearNotice) -> None:
    # The example notice extends 元旦 2027 to Monday 01-04, so the 15th working day moves one day on.
    deadline = WorkingDayCalendar({2027: notice_2027}).add_working_days(sh(2026, 12, 20), 15)
    assert deadline == Deadline(due=midnight(2027, 1, 13), provisional=False)


def test_a_loaded_notice_gives_its_swapped_days_and_names(notice_2027: YearNotice) -> None:
    calendar = WorkingDayCalendar({2027: notice_2027})
    assert calendar.day(date(2027, 1, 4)) == DayInfo(date(2027, 1, 4), False, "元旦", False)
    assert calendar.day(date(2027, 2, 20)) == DayInfo(date(2027, 2, 20), True, "春节调休", False)
    assert calendar.day(date(2027, 2, 21)) == DayInfo(date(2027, 2, 21), False, None, False)  # unlisted Sunday
    assert calendar.day(date(2027, 2, 22)) == DayInfo(date(2027, 2, 22), True, None, False)  # unlisted Monday
    # Saturday 01-30 is listed nowhere, so it is an ordinary rest day; the period runs on to
    # Sunday 01-31, which the notice makes a working day, and ends with it.
    assert calendar.add_days(sh(2027, 1, 23), 7) == Deadline(due=midnight(2027, 2, 1), provisional=False)


def test_a_notice_replaces_the_package_for_its_whole_year() -> None:
    only_new_year = YearNotice(
        year=2026,
        source="a correction",
        published=date(2025, 11, 1),
        holidays=(NoticeHoliday("元旦", (date(2026, 1, 1),)),),
    )
    calendar = WorkingDayCalendar({2026: only_new_year})
    assert calendar.day(date(2026, 2, 23)).working  # a 春节 Monday in the package, ordinary here
    assert not calendar.day(date(2026, 1, 4)).working  # the package's swapped Sunday, ordinary here
    assert calendar.day(date(2025, 10, 1)).holiday_name == "国庆节"  # other years still from the package


def test_a_notice_must_be_filed_under_its_own_year(notice_2027: YearNotice) -> None:
    with pytest.raises(ValueError):
        WorkingDayCalendar({2028: notice_2027})


def test_the_calendar_is_not_changed_by_its_callers_mapping(notice_2027: YearNotice) -> None:
    notices = {2027: notice_2027}
    calendar = WorkingDayCalendar(notices)
    notices.clear()
    assert calendar.known_year(2027)


# -- the engine stays pure ----------------------------------------------------------------------


def test_engine_imports_no_framework_or_storage_and_reads_no_clock() -> None:
    source = Path(engine.__file__).read_text(encoding="utf-8")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"chalice", "boto3", "botocore", "pynamodb", "time"}
    for clock_read in ("now(", "today(", "utcnow("):
        assert clock_read not in source
