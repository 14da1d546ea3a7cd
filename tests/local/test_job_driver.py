"""The local runner (infra/local/stack.py `JobDriver`) fires schedules when EventBridge would, on the
platform clock: driven tick by tick with a fixed clock, no sleeping, no AWS."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from chalice import Chalice, Cron, Rate

from functions.shared.clock import FixedClock, set_clock
from infra.local.stack import JobDriver

NOV_30 = datetime(2026, 11, 30, 2, 0, tzinfo=timezone.utc)  # 10:00 in Qingdao


def scheduled_app(*schedules) -> tuple[Chalice, dict[str, list[str]]]:
    app = Chalice("scheduled")
    runs: dict[str, list[str]] = {}
    for name, expression in schedules:
        runs[name] = []

        def handler(event, name=name):
            runs[name].append(event.time)
            return {"ran": name}

        app.schedule(expression, name=name)(handler)
    return app, runs


@pytest.mark.parametrize("month_end", ["cron(0 16 L * ? *)", "cron(0 16 1 * ? *)", Cron(0, 16, "L", "*", "?", "*")])
def test_a_clock_moved_over_the_month_end_runs_a_monthly_job_once(month_end):
    app, runs = scheduled_app(("monthly", month_end))
    clock = FixedClock(NOV_30)
    driver = JobDriver(app, clock=clock)
    assert driver.run_schedules() == {}  # the first tick starts the count
    clock.advance(days=2)  # Nov 30 10:00 -> Dec 2 10:00, past Nov 30 16:00 and Dec 1 16:00
    assert driver.run_schedules() == {"monthly": {"ran": "monthly"}}
    for _ in range(60):  # the next hour, minute by minute: nothing more
        clock.advance(minutes=1)
        assert driver.run_schedules() == {}
    assert runs["monthly"] == ["2026-12-02T02:00:00.000000Z"]  # the event carries the platform clock's time
    assert driver.last_fired["monthly"] == datetime(2026, 12, 2, 2, 0, tzinfo=timezone.utc)


def test_minute_by_minute_over_two_days_a_monthly_job_runs_once_at_its_time():
    app, runs = scheduled_app(("monthly", "cron(0 16 1 * ? *)"), ("month_end", "cron(0 16 L * ? *)"))
    clock = FixedClock(NOV_30)
    driver = JobDriver(app, clock=clock)
    driver.run_schedules()
    while clock.now() < NOV_30 + timedelta(days=2):
        clock.advance(minutes=1)
        driver.run_schedules()
    assert runs == {"month_end": ["2026-11-30T16:00:00.000000Z"], "monthly": ["2026-12-01T16:00:00.000000Z"]}


def test_rate_runs_once_after_an_hour_jump_then_on_its_period():
    app, runs = scheduled_app(("often", Rate(5, unit=Rate.MINUTES)), ("qingdao_midnight", "cron(30 16 * * ? *)"))
    clock = FixedClock(NOV_30)
    driver = JobDriver(app, clock=clock)
    driver.run_schedules()
    clock.advance(minutes=4, seconds=59)
    assert driver.run_schedules() == {}
    clock.advance(hours=1)
    assert set(driver.run_schedules()) == {"often"}  # once, not twelve times
    assert driver.run_schedules() == {}
    clock.advance(minutes=1)  # 1:05:59 after the start: the 1:05 period boundary has passed
    assert set(driver.run_schedules()) == {"often"}
    clock.advance(minutes=4)
    assert driver.run_schedules() == {}
    assert len(runs["often"]) == 2 and runs["qingdao_midnight"] == []


def test_the_platform_clock_is_the_default(monkeypatch):
    app, runs = scheduled_app(("often", "rate(1 minute)"))
    clock = FixedClock(NOV_30)
    set_clock(clock)
    try:
        driver = JobDriver(app)
        driver.step()  # no queue: nothing to poll, nothing that needs AWS
        clock.advance(days=40)  # what an admin's "advance the clock" does on a dev stage
        driver.step()
    finally:
        set_clock(None)
    assert runs["often"] == ["2027-01-09T02:00:00.000000Z"]


def test_a_failing_job_is_not_rerun_every_tick_and_does_not_stop_the_others():
    app = Chalice("failing")
    calls = []

    @app.schedule("rate(1 minute)", name="broken")
    def broken(event):
        calls.append("broken")
        raise RuntimeError("boom")

    @app.schedule("rate(1 minute)", name="fine")
    def fine(event):
        calls.append("fine")

    clock = FixedClock(NOV_30)
    driver = JobDriver(app, clock=clock)
    driver.run_schedules()
    clock.advance(minutes=1)
    driver.run_schedules()
    driver.run_schedules()
    assert sorted(calls) == ["broken", "fine"]


def test_an_expression_eventbridge_would_refuse_stops_the_start():
    app, _ = scheduled_app(("unix", "cron(0 16 * * *)"))
    with pytest.raises(ValueError, match="unix"):
        JobDriver(app, clock=FixedClock(NOV_30))
