"""The calendar service on moto: storing notices, recomputing provisional clocks, rules and clocks."""
from __future__ import annotations

import json

from datetime import date, datetime, timedelta, timezone

import pytest
from pynamodb.connection.base import Connection

from functions.calendar import service
from functions.calendar.engine import SHANGHAI, Deadline, WorkingDayCalendar
from functions.calendar.models import (
    NOTICE_KIND,
    CalendarNotice,
    SlaClock,
    due_shard_for,
    due_shards,
    utc_stamp,
)
from functions.calendar.notices import NoticeHoliday, YearNotice, dump_notice, parse_notice
from functions.shared.errors import Conflict, ValidationFailed

UTC = timezone.utc
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def sh(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


@pytest.fixture
def notice_2027(example_notice_text: str) -> YearNotice:
    """The made-up 2027 notice: its 元旦 break runs to Monday 2027-01-04."""
    return parse_notice(example_notice_text)


def _save_clock(owner: str, name: str, rule: str, started_at: datetime) -> SlaClock:
    clock = service.new_clock(service.get_calendar(NOW), owner, name, rule, started_at)
    clock.save()
    return clock


def _reload(clock: SlaClock) -> SlaClock:
    return SlaClock.get(clock.owner, clock.name, consistent_read=True)


# -- notices and the calendar ---------------------------------------------------------------------


def test_a_loaded_notice_is_in_the_calendar(tables, notice_2027: YearNotice) -> None:
    assert not service.get_calendar(NOW).known_year(2027)
    assert service.load_notice(notice_2027, loaded_by="ops@qingdao", now=NOW) == 0
    calendar = service.get_calendar(NOW)
    assert calendar.known_year(2027)
    assert calendar.notices[2027] == notice_2027
    stored = CalendarNotice.get(NOTICE_KIND, 2027)
    assert (stored.loaded_by, stored.loaded_at, stored.version) == ("ops@qingdao", "2026-11-20T09:00:00Z", 1)
    assert parse_notice(stored.notice) == notice_2027


def test_loading_a_year_again_replaces_it(tables, notice_2027: YearNotice) -> None:
    service.load_notice(notice_2027, loaded_by="ops", now=NOW)
    corrected = YearNotice(
        year=2027,
        source="corrected",
        published=date(2026, 11, 12),
        holidays=(NoticeHoliday("元旦", (date(2027, 1, 1),)),),
    )
    service.load_notice(corrected, loaded_by="ops2", now=NOW + timedelta(days=1))
    assert CalendarNotice.get(NOTICE_KIND, 2027).version == 2
    assert service.get_calendar(NOW + timedelta(days=1)).notices[2027].source == "corrected"
    assert service.stored_notices() == {2027: corrected}


def test_a_concurrent_load_of_the_same_year_is_a_conflict(tables, notice_2027: YearNotice) -> None:
    # Another process stores the year between our read (stage) and our write (commit).
    from functions.shared.audit import AuditRecord, UnitOfWork

    uow = UnitOfWork("ops", "admin", "platform", "req-1", NOW)
    service.stage_notice(uow, notice_2027, loaded_by="ops")
    CalendarNotice(year=2027, notice=dump_notice(notice_2027), loaded_at="x", loaded_by="rival").save()
    with pytest.raises(Conflict):
        uow.commit()
    assert service.get_stored_notice(2027).loaded_by == "rival"
    assert list(AuditRecord.query("calendar-notice#2027")) == []


def test_a_loaded_notice_is_audited_with_what_it_replaced(tables, notice_2027: YearNotice) -> None:
    from functions.shared.audit import AuditRecord

    service.load_notice(notice_2027, loaded_by="ops", now=NOW)
    service.load_notice(notice_2027, loaded_by="ops2", now=NOW + timedelta(minutes=1))
    first, second = AuditRecord.query("calendar-notice#2027")
    assert first.before is None and json.loads(second.before)["year"] == 2027
    assert second.actor_sub == "ops2"


def test_a_bad_notice_is_refused_before_anything_is_stored(tables) -> None:
    new_years_day_2026 = (NoticeHoliday("元旦", (date(2026, 1, 1),)),)
    bad = YearNotice(year=2027, source="x", published=date(2026, 11, 1), holidays=new_years_day_2026)
    with pytest.raises(ValidationFailed) as raised:
        service.load_notice(bad, loaded_by="ops", now=NOW)
    assert raised.value.errors[0].field == "holidays[0].dates[0]"
    assert service.stored_notices() == {}


def test_the_calendar_is_cached_for_a_short_time(tables, notice_2027: YearNotice) -> None:
    assert not service.get_calendar(NOW).known_year(2027)
    # Stored by another process: this one sees it once its cached calendar has expired.
    CalendarNotice(year=2027, notice=dump_notice(notice_2027), loaded_at=utc_stamp(NOW), loaded_by="other").save()
    assert not service.get_calendar(NOW + timedelta(seconds=10)).known_year(2027)
    later = NOW + timedelta(seconds=service.CALENDAR_CACHE_SECONDS + 1)
    assert service.get_calendar(later).known_year(2027)


def test_a_clock_moved_back_does_not_pin_the_cache(tables, notice_2027: YearNotice) -> None:
    service.get_calendar(NOW)
    CalendarNotice(year=2027, notice=dump_notice(notice_2027), loaded_at=utc_stamp(NOW), loaded_by="other").save()
    assert service.get_calendar(NOW - timedelta(days=1)).known_year(2027)


# -- recomputing provisional clocks ---------------------------------------------------------------


def test_load_notice_recomputes_only_open_provisional_clocks(tables, notice_2027: YearNotice) -> None:
    provisional = _save_clock("appeal#A1", "resolve_by", "working_days:15", sh(2026, 12, 20))
    settled = _save_clock("appeal#A2", "resolve_by", "working_days:15", sh(2025, 12, 20))
    hourly = _save_clock("appeal#A3", "contact_by", "hours:2", sh(2026, 12, 31, 23))
    met = _save_clock("appeal#A4", "resolve_by", "working_days:15", sh(2026, 12, 21))
    met.mark_met(NOW)
    met.save()

    # Before: derived 2027 (元旦 on Friday only) gives Monday 2027-01-11 as the 15th working day.
    assert provisional.due_at == sh(2027, 1, 12, 0).astimezone(UTC)
    assert (provisional.provisional, provisional.provisional_year) == (True, "2027")
    assert (settled.provisional, settled.provisional_year) == (False, None)
    assert (met.provisional, met.provisional_year, met.due_shard) == (True, None, None)
    untouched = {c.owner: (c.due, c.version) for c in (settled, hourly, met)}

    assert service.load_notice(notice_2027, loaded_by="ops", now=NOW) == 1

    after = _reload(provisional)
    # The notice makes 2027-01-04 a holiday: the 15th working day is Tuesday 01-12.
    assert after.due == "2027-01-12T16:00:00Z"
    assert after.due_at == sh(2027, 1, 13, 0)
    assert (after.provisional, after.provisional_year, after.version) == (False, None, provisional.version + 1)
    assert after.due_shard == due_shard_for("appeal#A1", "resolve_by")  # still open: still swept
    for clock in (settled, hourly, met):
        again = _reload(clock)
        assert (again.due, again.version) == untouched[clock.owner]
    assert list(SlaClock.provisional_index.query("2027")) == []


def test_a_clock_changed_during_the_recompute_is_skipped(tables, notice_2027: YearNotice, monkeypatch) -> None:
    clock = _save_clock("claim#C1", "release_by", "working_days:15", sh(2026, 12, 20))
    real_put_item = Connection.put_item
    extended = []

    def put_item_after_an_extension(self, table_name, *args, **kwargs):
        if table_name.endswith("sla-clocks") and not extended:
            extended.append(True)
            # Someone else extends the clock (update, not put) between our query and our write.
            rival = _reload(clock)
            rival.update(actions=[SlaClock.extra_working_days.set(5)])
        return real_put_item(self, table_name, *args, **kwargs)

    monkeypatch.setattr(Connection, "put_item", put_item_after_an_extension)
    assert service.load_notice(notice_2027, loaded_by="ops", now=NOW) == 0
    after = _reload(clock)
    assert (after.extra_working_days, after.due, after.version) == (5, clock.due, clock.version + 1)


def test_loading_a_later_year_also_recomputes_clocks_filed_under_an_earlier_derived_year(tables) -> None:
    # 20 working days from mid-December 2027 count through 2027 and into 2028, both derived.
    clock = _save_clock("appeal#B1", "resolve_by", "working_days:20", sh(2027, 12, 20))
    assert clock.provisional_year == "2027"
    notice_2028 = YearNotice(
        year=2028,
        source="made up",
        published=date(2027, 11, 1),
        holidays=(NoticeHoliday("元旦", (date(2028, 1, 1), date(2028, 1, 2), date(2028, 1, 3), date(2028, 1, 4))),),
    )
    before = clock.due_at
    assert service.load_notice(notice_2028, loaded_by="ops", now=NOW) == 1
    after = _reload(clock)
    assert after.due_at == before + timedelta(days=1)  # 2028-01-04 is now a holiday too
    assert (after.provisional, after.provisional_year) == (True, "2027")  # 2027 is still derived


# -- rules and clocks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "started_at", "due", "provisional"),
    [
        ("hours:2", sh(2025, 10, 1, 23, 30), sh(2025, 10, 2, 1, 30), False),
        ("working_days:15", sh(2026, 12, 20), datetime(2027, 1, 12, tzinfo=SHANGHAI), True),
        ("working_days:1", sh(2025, 9, 30), datetime(2025, 10, 10, tzinfo=SHANGHAI), False),
        ("days:7", sh(2025, 9, 25), datetime(2025, 10, 10, tzinfo=SHANGHAI), False),
    ],
    ids=["hours", "working-days-provisional", "working-days-国庆", "days-moved-past-国庆"],
)
def test_compute_due(rule: str, started_at: datetime, due: datetime, provisional: bool) -> None:
    deadline = service.compute_due(WorkingDayCalendar(), rule, started_at)
    assert (deadline.due, deadline.provisional) == (due, provisional)


def test_extensions_count_working_days_after_the_original_end() -> None:
    calendar = WorkingDayCalendar()
    start = sh(2025, 9, 20)
    due = service.compute_due
    assert due(calendar, "working_days:13", start, 2) == due(calendar, "working_days:15", start)
    # days:7 from Thursday 09-25 ends with Thursday 10-09; one working day more is Friday 10-10.
    assert due(calendar, "days:7", sh(2025, 9, 25), 1).due == datetime(2025, 10, 11, tzinfo=SHANGHAI)
    # hours:2 ends Tuesday 09-30 12:00; two working days more skip the break: 10-09 and 10-10.
    assert due(calendar, "hours:2", sh(2025, 9, 30, 10), 2).due == datetime(2025, 10, 11, tzinfo=SHANGHAI)
    # An extension into a derived year makes the deadline provisional.
    extended = due(calendar, "days:7", sh(2026, 12, 20), 10)
    assert extended.provisional and extended.provisional_years == (2027,)


@pytest.mark.parametrize(
    "rule",
    ["working_days:0", "weeks:2", "hours:", "days:-1", "working_days:10000", "hours:1.5", " days:7", ""],
)
def test_bad_rules_are_refused_naming_rule(rule: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        service.compute_due(WorkingDayCalendar(), rule, sh(2025, 1, 6))
    assert [e.field for e in raised.value.errors] == ["rule"]


def test_negative_extensions_are_refused() -> None:
    with pytest.raises(ValidationFailed) as raised:
        service.compute_due(WorkingDayCalendar(), "days:7", sh(2025, 1, 6), -1)
    assert [e.field for e in raised.value.errors] == ["extra_working_days"]


def test_a_clock_is_in_the_due_index_while_open(tables) -> None:
    clock = _save_clock("appeal#D1", "feedback_by", "working_days:5", sh(2025, 3, 3))
    assert clock.due == "2025-03-10T16:00:00Z"
    assert clock.due_shard in due_shards()
    # Started 2025-03-03 10:00 +08:00 (= 03-03T02:00Z), due 03-10T16:00Z: warned at 80% of that span.
    assert clock.warn_at == "2025-03-09T03:36:00Z" and clock.next_check == clock.warn_at

    def needing_action_at(moment: datetime) -> list[str]:
        return [
            c.owner
            for shard in due_shards()
            for c in SlaClock.due_index.query(shard, SlaClock.next_check <= utc_stamp(moment))
        ]

    assert needing_action_at(datetime(2025, 3, 9, 3, 35, tzinfo=UTC)) == []
    assert needing_action_at(datetime(2025, 3, 9, 3, 36, tzinfo=UTC)) == ["appeal#D1"]
    clock.mark_warned(datetime(2025, 3, 9, 3, 36, tzinfo=UTC))
    clock.save()
    assert needing_action_at(datetime(2025, 3, 10, 15, 59, 59, tzinfo=UTC)) == []
    assert needing_action_at(datetime(2025, 3, 10, 16, 0, tzinfo=UTC)) == ["appeal#D1"]
    clock.update(actions=clock.met_actions(datetime(2025, 3, 12, tzinfo=UTC)))
    assert needing_action_at(datetime(2025, 3, 12, tzinfo=UTC)) == []
    assert _reload(clock).met_at == "2025-03-12T00:00:00Z"


def test_a_breached_clock_leaves_the_sweep_but_stays_open(tables) -> None:
    clock = _save_clock("appeal#D2", "contact_by", "hours:2", sh(2025, 3, 3, 9))
    clock.mark_breached(datetime(2025, 3, 3, 4, 30, tzinfo=UTC))
    assert clock.breached_at == clock.due == "2025-03-03T03:00:00Z"
    assert clock.is_open and clock.due_shard is None and clock.next_check is None


def test_grant_extension(tables) -> None:
    clock = _save_clock("appeal#E1", "resolve_by", "working_days:15", sh(2025, 9, 20))
    service.grant_extension(service.get_calendar(NOW), clock, 2)
    clock.save()
    after = _reload(clock)
    assert after.extra_working_days == 2
    assert after.due_at == service.compute_due(WorkingDayCalendar(), "working_days:17", sh(2025, 9, 20)).due
    clock.mark_met(NOW)
    with pytest.raises(Conflict):
        service.grant_extension(service.get_calendar(NOW), clock, 1)


def test_new_clock_keeps_whole_seconds_so_a_recompute_agrees() -> None:
    calendar = WorkingDayCalendar()
    started = sh(2025, 1, 6).replace(microsecond=999_999)
    clock = service.new_clock(calendar, "appeal#F1", "contact_by", "hours:2", started)
    assert clock.started_at == "2025-01-06T02:00:00Z"
    assert clock.due == "2025-01-06T04:00:00Z"
    assert not service.recompute_clock(calendar, clock)


def test_set_deadline_files_a_provisional_clock_under_its_first_derived_year() -> None:
    clock = SlaClock(owner="appeal#G1", name="resolve_by", rule="working_days:300", started_at="2026-12-01T00:00:00Z")
    clock.set_deadline(Deadline(due=sh(2028, 2, 1, 0), provisional=True, provisional_years=(2027, 2028)))
    assert clock.provisional_year == "2027"
    clock.mark_met(NOW)
    assert (clock.provisional_year, clock.due_shard) == (None, None)


def test_naive_instants_are_refused(tables, notice_2027: YearNotice) -> None:
    with pytest.raises(ValueError):
        utc_stamp(datetime(2025, 1, 1))
    with pytest.raises(ValueError):
        service.new_clock(WorkingDayCalendar(), "appeal#H1", "resolve_by", "days:7", datetime(2025, 1, 1, 12))
    with pytest.raises(ValueError):
        service.load_notice(notice_2027, loaded_by="ops", now=datetime(2026, 11, 20, 9))
