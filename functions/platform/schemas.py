from __future__ import annotations

from pydantic import Field

from functions.platform.clock import MAX_OFFSET_SECONDS
from functions.shared.schemas import Instant, Schema


class HealthOut(Schema):
    status: str
    stage: str
    version: str


class ClockOut(Schema):
    now: Instant
    offset_seconds: int


class ClockAdvanceIn(Schema):
    advance_seconds: int = Field(gt=0, le=MAX_OFFSET_SECONDS,
                                 description="Seconds to move forward; never back; the clock stays within ten years of real time.")


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
    subject: str = Field(description="the notice's subject line, as e-mail carries it")
    text: str = Field(description="the notice in the words SMS and e-mail use")
    payload: dict
    message_id: str
    at: str


class AuditQuery(Schema):
    entity: str = Field(min_length=1, max_length=200, description="e.g. appeal#A123 or platform-setting#clock")
    cursor: str | None = Field(default=None, max_length=2000)
    limit: int = Field(default=20, ge=1, le=100)


class AuditRecordOut(Schema):
    entity: str
    at: str
    action: str
    actor_sub: str
    actor_role: str
    actor_org: str
    request_id: str
    before: dict | list | None
    after: dict | list | None
    note: str | None


class AuditPageOut(Schema):
    items: list[AuditRecordOut]
    next_cursor: str | None


class PlatformOut(Schema):
    name: str = Field(description="the platform's name in the stage's PLATFORMS setting, e.g. appeals")
    built: bool = Field(description="whether this deployment has the platform's package (false: listed, not built yet)")


class PlatformsOut(Schema):
    items: list[PlatformOut]


class UnitOut(Schema):
    id: str
    name: str
    name_en: str | None
    district: str
    level: str | None = Field(description="city or district")
    roles: list[str] = Field(description="dispatch_centre, supervisory: what the unit does beyond handling")
