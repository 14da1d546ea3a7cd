"""The SLA sweeper hands each clock to the platform that owns it, and refuses loudly to mark one nobody owns."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest

UTC = timezone.utc
STARTED = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@pytest.fixture
def handlers():
    from functions.calendar import sweeper

    saved = dict(sweeper._handlers)
    yield sweeper
    sweeper.install_clock_handlers(saved)


def _clock(owner: str):
    from functions.calendar import service

    clock = service.new_clock(service.get_calendar(STARTED), owner, "decide_by", "hours:1", STARTED)
    clock.save()
    return clock


def test_a_clock_whose_owner_no_platform_handles_is_left_due_and_logged(tables, handlers, caplog):
    from functions.calendar.models import SlaClock

    handlers.install_clock_handlers({})
    clock = _clock("nobody#N1")
    with caplog.at_level(logging.ERROR, logger="functions.calendar.sweeper"):
        result = handlers.sweep(STARTED + timedelta(hours=2))
    assert (result.seen, result.unhandled, result.breached, result.warned) == (1, 1, 0, 0)
    after = SlaClock.get(clock.owner, clock.name, consistent_read=True)
    assert after.breached_at is None and after.next_check == clock.next_check  # still due: found again next run
    assert any("no handler" in r.getMessage() and r.fields["owner"] == "nobody#N1" for r in caplog.records)


def test_a_handled_clock_is_marked_with_its_owners_writes_in_one_commit(tables, handlers):
    from functions.calendar.models import SlaClock

    seen = []

    def on_clock(clock, event, uow, now):
        seen.append((clock.owner, event))
        uow.audit(clock.owner, f"thing.{event}")

    handlers.install_clock_handlers({"thing": on_clock})
    clock = _clock("thing#T1")
    result = handlers.sweep(STARTED + timedelta(hours=2))
    assert (result.breached, result.unhandled) == (1, 0) and seen == [("thing#T1", "breach")]
    assert SlaClock.get(clock.owner, clock.name, consistent_read=True).breached_at is not None
