"""functions/platform/jobs_runtime.py: when EventBridge would fire a schedule (`next_fire`), the
runner's catch-up rule (`catch_up`), and the queue runner's partial batch failures."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from chalice import Chalice, Cron, Rate

from functions.platform.jobs_runtime import catch_up, list_jobs, next_fire, rate_period, run_queue_batch
from functions.shared.clock import SHANGHAI


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def fires(schedule: str, after: datetime, count: int) -> list[datetime]:
    out = []
    for _ in range(count):
        after = next_fire(schedule, after)
        out.append(after)
    return out


# -- cron(): EventBridge's six fields, in UTC ------------------------------------------------------


def test_daily_at_half_past_midnight_in_qingdao():
    first, second = fires("cron(30 16 * * ? *)", utc(2026, 11, 20, 2, 0), 2)
    assert first == utc(2026, 11, 20, 16, 30)
    assert first.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") == "2026-11-21 00:30"
    assert second - first == timedelta(days=1)


def test_strictly_after_and_whole_minutes():
    assert next_fire("cron(30 16 * * ? *)", utc(2026, 11, 20, 16, 30)) == utc(2026, 11, 21, 16, 30)
    assert next_fire("cron(30 16 * * ? *)", utc(2026, 11, 20, 16, 29, 59, 999999)) == utc(2026, 11, 20, 16, 30)
    # any aware time zone in, UTC out
    assert next_fire("cron(30 16 * * ? *)", datetime(2026, 11, 21, 0, 0, tzinfo=SHANGHAI)) == utc(2026, 11, 20, 16, 30)


def test_last_day_of_month():
    assert fires("cron(0 16 L * ? *)", utc(2026, 1, 15), 4) == [
        utc(2026, 1, 31, 16), utc(2026, 2, 28, 16), utc(2026, 3, 31, 16), utc(2026, 4, 30, 16)]
    assert next_fire("cron(0 16 L 2 ? *)", utc(2027, 6, 1)) == utc(2028, 2, 29, 16)  # leap year


def test_day_of_week_names_ranges_and_question_mark():
    # 09:00 and 09:30 Qingdao time on working days (MON-FRI), expressed in UTC
    schedule = "cron(0/30 1 ? * MON-FRI *)"
    got = fires(schedule, utc(2026, 11, 20, 0, 0), 4)  # Friday 2026-11-20
    assert got == [utc(2026, 11, 20, 1, 0), utc(2026, 11, 20, 1, 30), utc(2026, 11, 23, 1, 0), utc(2026, 11, 23, 1, 30)]
    # day-of-week 1 = SUN (not Monday as in Unix cron): 1 and SUN are the same day
    assert next_fire("cron(0 0 ? * 1 *)", utc(2026, 11, 20)) == next_fire("cron(0 0 ? * SUN *)", utc(2026, 11, 20)) \
        == utc(2026, 11, 22)
    assert next_fire("cron(0 0 ? * 2-6 *)", utc(2026, 11, 21)) == utc(2026, 11, 23)  # Saturday -> Monday


def test_month_names_lists_and_steps():
    assert fires("cron(15 2 1 JAN,JUL ? *)", utc(2026, 2, 1), 3) == [
        utc(2026, 7, 1, 2, 15), utc(2027, 1, 1, 2, 15), utc(2027, 7, 1, 2, 15)]
    assert fires("cron(0 0/6 * * ? *)", utc(2026, 11, 20, 7, 0), 3) == [
        utc(2026, 11, 20, 12), utc(2026, 11, 20, 18), utc(2026, 11, 21, 0)]
    assert fires("cron(0 8-10 1,15 * ? *)", utc(2026, 11, 1, 9, 30), 3) == [
        utc(2026, 11, 1, 10), utc(2026, 11, 15, 8), utc(2026, 11, 15, 9)]
    assert fires("cron(5 0 1 */3 ? *)", utc(2026, 2, 1), 2) == [utc(2026, 4, 1, 0, 5), utc(2026, 7, 1, 0, 5)]


def test_nth_and_last_weekday_and_nearest_weekday():
    assert next_fire("cron(0 2 ? * MON#1 *)", utc(2026, 11, 20)) == utc(2026, 12, 7, 2)  # first Monday
    assert next_fire("cron(0 2 ? * 6#3 *)", utc(2026, 11, 1)) == utc(2026, 11, 20, 2)  # third Friday
    assert next_fire("cron(0 2 ? * 6L *)", utc(2026, 11, 1)) == utc(2026, 11, 27, 2)  # last Friday
    assert next_fire("cron(0 2 15W * ? *)", utc(2026, 11, 1)) == utc(2026, 11, 16, 2)  # 15th is a Sunday
    assert next_fire("cron(0 2 14W * ? *)", utc(2026, 11, 1)) == utc(2026, 11, 13, 2)  # 14th is a Saturday


def test_year_field_and_a_schedule_that_is_over():
    assert next_fire("cron(0 0 1 1 ? 2027-2028)", utc(2026, 5, 1)) == utc(2027, 1, 1)
    assert next_fire("cron(0 0 1 1 ? 2027-2028)", utc(2028, 1, 1)) is None


def test_days_a_month_does_not_have_skip_that_month():
    # pyawscron 1.0.7 alone raises "day is out of range for month" on these
    assert fires("cron(0 16 31 * ? *)", utc(2026, 3, 31, 17), 3) == [
        utc(2026, 5, 31, 16), utc(2026, 7, 31, 16), utc(2026, 8, 31, 16)]
    assert next_fire("cron(0 0 29 2 ? *)", utc(2025, 3, 1)) == utc(2028, 2, 29)
    assert next_fire("cron(0 0 9/10 * ? *)", utc(2027, 2, 19, 1)) == utc(2027, 3, 9)
    assert next_fire("cron(0 0 30,31 * ? *)", utc(2027, 1, 31, 1)) == utc(2027, 3, 30)


@pytest.mark.parametrize("schedule", [
    "cron(0 16 * * *)",             # five fields (Unix cron)
    "cron(0 16 * * * *)",           # neither day field is '?'
    "cron(0 16 ? * ? *)",           # both are
    "rate(1 minutes)",              # EventBridge wants the singular for 1 ...
    "rate(5 minute)",               # ... and the plural above
    "rate(0 minutes)",
    "rate(5 seconds)",
    "at(2026-11-20T00:00:00)",
    "every day",
])
def test_what_eventbridge_would_refuse(schedule):
    with pytest.raises(ValueError):
        next_fire(schedule, utc(2026, 11, 20))


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        next_fire("rate(1 minute)", datetime(2026, 11, 20))


# -- rate() and the runner's rule --------------------------------------------------------------------


def test_rate_periods():
    assert rate_period("rate(1 minute)") == timedelta(minutes=1)
    assert rate_period("rate(5 minutes)") == timedelta(minutes=5)
    assert rate_period("rate(2 hours)") == timedelta(hours=2)
    assert rate_period("rate(1 day)") == timedelta(days=1)
    assert rate_period("cron(0 16 L * ? *)") is None
    assert next_fire("rate(5 minutes)", utc(2026, 11, 20, 2, 0, 7)) == utc(2026, 11, 20, 2, 5, 7)


def test_rate_catches_up_once_after_a_jump_and_keeps_its_phase():
    last = utc(2026, 11, 20, 2, 0)
    assert catch_up("rate(5 minutes)", last, last + timedelta(minutes=4, seconds=59)) is None
    kept = catch_up("rate(5 minutes)", last, last + timedelta(hours=1, seconds=40))
    assert kept == last + timedelta(hours=1)  # fired once; the last period boundary is kept, not "now"
    assert catch_up("rate(5 minutes)", kept, kept + timedelta(minutes=4)) is None
    assert catch_up("rate(5 minutes)", kept, kept + timedelta(minutes=5)) == kept + timedelta(minutes=5)


def test_cron_catches_up_once_over_a_month_end():
    last = utc(2026, 11, 30, 2, 0)
    for schedule in ("cron(0 16 L * ? *)", "cron(0 16 1 * ? *)"):
        kept = catch_up(schedule, last, utc(2026, 12, 2, 2, 0))
        assert kept == utc(2026, 12, 2, 2, 0)
        assert catch_up(schedule, kept, utc(2026, 12, 2, 2, 1)) is None
        assert catch_up(schedule, kept, utc(2026, 12, 25)) is None
    assert catch_up("cron(0 16 1 * ? *)", last, utc(2026, 12, 1, 15, 59)) is None


def test_chalice_cron_and_rate_objects():
    app = Chalice("schedules")

    @app.schedule(Cron(0, 16, "L", "*", "?", "*"), name="month_end")
    def month_end(event):
        return None

    @app.schedule(Rate(5, unit=Rate.MINUTES), name="often")
    def often(event):
        return None

    @app.schedule("cron(30 16 ? * MON-FRI *)", name="weekdays")
    def weekdays(event):
        return None

    jobs = {job.name: job.schedule for job in list_jobs(app)}
    assert jobs == {"month_end": "cron(0 16 L * ? *)", "often": "rate(5 minutes)", "weekdays": "cron(30 16 ? * MON-FRI *)"}
    assert next_fire(jobs["month_end"], utc(2026, 11, 20)) == utc(2026, 11, 30, 16)
    assert next_fire(jobs["often"], utc(2026, 11, 20)) == utc(2026, 11, 20, 0, 5)
    assert next_fire(jobs["weekdays"], utc(2026, 11, 20, 17)) == utc(2026, 11, 23, 16, 30)


def test_the_apps_own_schedules_are_valid():
    from app import app

    schedules = [job for job in list_jobs(app) if job.kind == "schedule"]
    assert schedules
    for job in schedules:
        assert next_fire(job.schedule, utc(2026, 11, 20)) > utc(2026, 11, 20), job


# -- queues: partial batch failures ----------------------------------------------------------------


class FakeSQS:
    def __init__(self, bodies: list[str]):
        self.messages = [{"MessageId": f"m{i}", "ReceiptHandle": f"r{i}", "Body": body, "Attributes": {}}
                         for i, body in enumerate(bodies)]
        self.deleted: list[str] = []
        self.delete_calls = 0

    def receive_message(self, **kwargs):
        return {"Messages": self.messages[: kwargs["MaxNumberOfMessages"]]} if self.messages else {}

    def delete_message_batch(self, QueueUrl, Entries):
        self.delete_calls += 1
        self.deleted += [entry["ReceiptHandle"] for entry in Entries]
        return {"Successful": [{"Id": entry["Id"]} for entry in Entries]}


def queue_app(respond):
    app = Chalice("queues")
    seen = []

    @app.on_sqs_message(queue="work", name="work")
    def work(event):
        records = list(event)
        seen.extend(record.body for record in records)
        return respond(records)

    (job,) = list_jobs(app)
    return app, job, seen


ARN = "arn:aws:sqs:us-east-1:000000000000:work"


def test_only_messages_not_reported_failed_are_deleted():
    app, job, seen = queue_app(lambda records: {"batchItemFailures": [
        {"itemIdentifier": r.to_dict()["messageId"]} for r in records if r.body.startswith("bad")]})
    sqs = FakeSQS(["one", "bad-two", "three", "bad-four"])
    assert run_queue_batch(app, job, sqs, "url", ARN) == {"seen": 4, "changed": 2, "failed": 2}
    assert seen == ["one", "bad-two", "three", "bad-four"]
    assert sorted(sqs.deleted) == ["r0", "r2"]


def test_a_batch_without_failures_is_deleted_whole_and_a_failed_one_not_at_all():
    app, job, _ = queue_app(lambda records: None)
    sqs = FakeSQS(["a", "b"])
    assert run_queue_batch(app, job, sqs, "url", ARN) == {"seen": 2, "changed": 2, "failed": 0}
    assert sorted(sqs.deleted) == ["r0", "r1"]

    app, job, _ = queue_app(lambda records: {"batchItemFailures": [
        {"itemIdentifier": r.to_dict()["messageId"]} for r in records]})
    sqs = FakeSQS(["a", "b"])
    assert run_queue_batch(app, job, sqs, "url", ARN) == {"seen": 2, "changed": 0, "failed": 2}
    assert sqs.delete_calls == 0

    assert run_queue_batch(app, job, FakeSQS([]), "url", ARN) == {"seen": 0, "changed": 0, "failed": 0}
