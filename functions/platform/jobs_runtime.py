"""Runs the app's registered scheduled and queue jobs outside AWS (local stack, dev endpoints).

Reads the event sources the Chalice app registered (not a second hand-kept list) and calls their
handlers with the events AWS would send.

When a schedule fires is EventBridge's rule, computed here by `next_fire` (the local runner,
infra/local/stack.py `JobDriver`, keeps each job's last fire time on the platform clock and asks it):
`rate(N unit)` every N units, `cron(min hour day-of-month month day-of-week year)` in UTC with
EventBridge's syntax (`?`, `L`, `W`, `#`, ranges, lists, `/` steps, JAN-DEC and SUN-SAT names,
day-of-week 1 = SUN), evaluated by pyawscron, a port of the AWS cron parser. Qingdao is UTC+8: a
job meant for 00:30 Qingdao time is `cron(30 16 * * ? *)`.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from functions.shared.clock import isoformat_utc

# EventBridge: the unit is singular for 1 and plural above ("rate(1 minute)", "rate(5 minutes)").
_RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")
_CRON = re.compile(r"cron\((.*)\)")
_UNITS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}
# pyawscron 1.0.7 picks a day of month that the month does not have (31 in April, 29-31 in a
# February; pitchblack408/pyawscron PR #58, unreleased) instead of skipping the month: `next_fire`
# then searches again from the next month. Bounded: a 29 February can be 8 years away (2096 -> 2104).
_MAX_MONTHS_SKIPPED = 12 * 9


@dataclass(frozen=True)
class Job:
    name: str
    kind: str  # "schedule" | "queue"
    schedule: str | None  # "rate(1 minute)", "cron(...)"
    queue: str | None
    description: str


def list_jobs(app: Any) -> list[Job]:
    jobs = []
    for source in app.event_sources:
        kind = type(source).__name__
        if kind == "ScheduledEventConfig":
            expression = source.schedule_expression
            text = expression if isinstance(expression, str) else expression.to_string()
            jobs.append(Job(source.name, "schedule", text, None, source.description or ""))
        elif kind == "SQSEventConfig":
            jobs.append(Job(source.name, "queue", None, source.queue, ""))
    return sorted(jobs, key=lambda j: j.name)


def rate_period(schedule: str) -> timedelta | None:
    """The period of a `rate(...)` schedule; None for a `cron(...)` one; ValueError for anything else."""
    text = schedule.strip()
    match = _RATE.fullmatch(text)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        if amount < 1 or (amount == 1) != (not unit.endswith("s")):
            raise ValueError(f"{schedule!r}: EventBridge wants a positive rate, singular unit for 1 and plural above")
        return amount * _UNITS[unit.rstrip("s")]
    if _CRON.fullmatch(text):
        return None
    raise ValueError(f"{schedule!r} is neither rate(...) nor cron(...)")


def _cron_fields(schedule: str) -> str:
    fields = _CRON.fullmatch(schedule.strip()).group(1).split()
    if len(fields) != 6:
        raise ValueError(f"{schedule!r}: EventBridge cron has 6 fields (min hour day-of-month month day-of-week year)")
    day_of_month, day_of_week = fields[2], fields[4]
    if (day_of_month == "?") == (day_of_week == "?"):
        raise ValueError(f"{schedule!r}: exactly one of day-of-month and day-of-week must be '?'")
    return " ".join(fields)


def next_fire(schedule: str, after: datetime) -> datetime | None:
    """When EventBridge fires `schedule` next, strictly after `after` (an aware datetime; UTC result).

    `rate(...)`: one period after `after` (the runner passes the last fire time). `cron(...)`: the
    first whole minute after `after` that the expression matches; None when it never fires again
    (its year field is over). A malformed expression raises ValueError.
    """
    if after.tzinfo is None:
        raise ValueError("next_fire needs an aware datetime")
    after = after.astimezone(timezone.utc)
    period = rate_period(schedule)
    if period is not None:
        return after + period
    from pyawscron import AWSCron  # the local runner and dev endpoints only: not on a Lambda's import path

    try:
        cron = AWSCron(_cron_fields(schedule))
    except (IndexError, ValueError) as exc:
        raise ValueError(f"{schedule!r}: {exc}") from exc
    start = after  # next() searches from the whole minute after this one
    for _ in range(_MAX_MONTHS_SKIPPED):
        try:
            return cron.occurrence(start).next()
        except ValueError as exc:
            if "day is out of range for month" not in str(exc):
                raise ValueError(f"{schedule!r}: {exc}") from exc
        # No day of the expression exists in the rest of the month searched first (nor in the
        # months it skipped): search again from the 1st of the month after it.
        searched = start.replace(second=0, microsecond=0) + timedelta(minutes=1)
        first = (searched.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
        start = first - timedelta(minutes=1)
    raise ValueError(f"{schedule!r} matches no day in {_MAX_MONTHS_SKIPPED} months")


def catch_up(schedule: str, last: datetime, now: datetime) -> datetime | None:
    """The runner's rule, for a job last fired at `last`: None if it is not due at `now`; else fire
    it once and keep the returned time as its last fire.

    Once, however many occurrences came since `last` (a clock moved forward over a month fires a
    monthly job once, and rate(5 minutes) once after an hour). The time kept is `now` for cron()
    (its next occurrence after `now` is the next one due); for rate() it is the latest period
    boundary not after `now`, so the schedule keeps its phase instead of drifting by the poll delay.
    """
    due = next_fire(schedule, last)
    if due is None or due > now:
        return None
    period = rate_period(schedule)
    if period is None:
        return now
    return due + ((now - due) // period) * period


def scheduled_event(job: Job, now: datetime, region: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": isoformat_utc(now),
        "region": region,
        "resources": [f"arn:aws:events:{region}:000000000000:rule/{job.name}"],
        "detail": {},
    }


def run_scheduled(app: Any, job: Job, now: datetime, region: str) -> Any:
    return app.handler_map[job.name](scheduled_event(job, now, region), None)


def run_queue_batch(app: Any, job: Job, sqs: Any, queue_url: str, queue_arn: str, max_messages: int = 10) -> dict[str, int]:
    """Receive one batch, hand it to the handler, delete what it did not report as failed."""
    received = sqs.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=max_messages, WaitTimeSeconds=0, AttributeNames=["All"]
    ).get("Messages", [])
    if not received:
        return {"seen": 0, "changed": 0, "failed": 0}
    event = {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": m.get("MessageAttributes", {}),
                "md5OfBody": m.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": queue_arn.split(":")[3] if queue_arn.count(":") >= 5 else "",
            }
            for m in received
        ]
    }
    response = app.handler_map[job.name](event, None) or {}
    failed_ids = {f["itemIdentifier"] for f in (response.get("batchItemFailures") or [])}
    done = [m for m in received if m["MessageId"] not in failed_ids]
    if done:
        sqs.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
        )
    return {"seen": len(received), "changed": len(done), "failed": len(failed_ids)}
