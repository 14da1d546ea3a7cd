from __future__ import annotations

from pydantic import Field

from functions.shared.schemas import Instant, Schema


class HealthOut(Schema):
    status: str
    stage: str
    version: str


class ClockOut(Schema):
    now: Instant
    offset_seconds: int


class ClockAdvanceIn(Schema):
    advance_seconds: int = Field(gt=0, le=10 * 366 * 24 * 3600, description="Seconds to move forward; never back.")


class JobOut(Schema):
    name: str
    kind: str
    schedule: str | None
    queue: str | None
    description: str


class JobRunOut(Schema):
    name: str
    ran_at: Instant
    result: dict


class MailboxQuery(Schema):
    recipient: str = Field(min_length=1, max_length=128)


class MailboxItemOut(Schema):
    recipient: str
    topic: str
    payload: dict
    message_id: str
    at: str
