"""Runs the app's registered scheduled and queue jobs outside AWS (local stack, dev endpoints).

Reads the event sources the Chalice app registered (not a second hand-kept list) and calls their
handlers with the events AWS would send.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from functions.shared.clock import isoformat_utc

_RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")


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


def interval(schedule: str) -> timedelta:
    """The period of a rate() schedule; cron() schedules are run every minute and decide themselves."""
    match = _RATE.fullmatch(schedule.strip())
    if not match:
        return timedelta(minutes=1)
    amount, unit = int(match.group(1)), match.group(2).rstrip("s")
    return {"minute": timedelta(minutes=amount), "hour": timedelta(hours=amount), "day": timedelta(days=amount)}[unit]


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
