from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from functions.appeals.vocabulary import (
    CATEGORIES, CHANNELS, CO_REPLY, CONTACT_METHODS, LEAD_CLOCK_NAMES, MAX_ATTACHMENTS, MAX_EXTENSION_WORKING_DAYS,
    STATUSES,
)
from functions.refdata.divisions import parse_division
from functions.refdata.uscc import parse_uscc
from functions.shared.errors import ValidationFailed
from functions.shared.schemas import Instant, PageQuery, Schema

Category = Literal[CATEGORIES.codes]
Channel = Literal[CHANNELS.codes]
Status = Literal[STATUSES.codes]
ContactMethod = Literal[CONTACT_METHODS.codes]


def _domain_check(check, value, field_name):
    try:
        return check(value, field_name)
    except ValidationFailed as error:
        raise ValueError(error.errors[0].message) from None


class ContactIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    phone: str = Field(min_length=5, max_length=20)


class SubmitIn(Schema):
    category: Category
    title: str = Field(min_length=2, max_length=200)
    content: str = Field(min_length=2, max_length=5000)
    district: str
    channel: Channel
    received_at: Instant | None = None
    enterprise_uscc: str | None = None
    contact: ContactIn | None = None
    anonymous: bool = False
    attachments: list[str] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)
    subject_unit_id: str | None = Field(default=None, max_length=64, description="the unit a report is about; never routed to it")

    @field_validator("district")
    @classmethod
    def _district(cls, value: str) -> str:
        return _domain_check(parse_division, value, "district")

    @field_validator("enterprise_uscc")
    @classmethod
    def _uscc(cls, value: str | None) -> str | None:
        return None if value is None else _domain_check(parse_uscc, value, "enterprise_uscc")

    @field_validator("attachments")
    @classmethod
    def _attachments(cls, value: list[str]) -> list[str]:
        for item in value:
            if not 1 <= len(item) <= 500:
                raise ValueError("each attachment reference is 1 to 500 characters")
        return value


class DeadlineOut(Schema):
    due: Instant
    met_at: Instant | None
    breached: bool
    provisional: bool
    started: Instant | None = Field(default=None, description="when the clock started: with `due`, the page colours a "
                                                               "countdown at 80% and at breach")


class DeadlinesOut(Schema):
    contact_by: DeadlineOut | None = None
    feedback_by: DeadlineOut | None = None
    resolve_by: DeadlineOut | None = None


class SubmitOut(Schema):
    id: str
    ticket_no: str
    status: Status
    duplicate_of: str | None
    deadlines: DeadlinesOut
    assignee_unit: str | None
    receipt_code: str | None = Field(default=None, description="confidential reports only: shown once, follow up with it")


class ChannelOut(Schema):
    channel: Channel
    appeal_id: str
    ticket_no: str
    submitted_at: Instant
    received_at: Instant | None


class ContactOut(Schema):
    name: str | None
    phone: str | None


class CoTaskOut(Schema):
    unit_id: str
    unit_name: str | None
    reply_by: DeadlineOut | None
    replied: bool


class RatingOut(Schema):
    speed: int
    attitude: int
    outcome: int
    comment: str | None


class TimelineEntryOut(Schema):
    at: Instant
    action: str
    text: str
    internal: bool


class AttachmentFileOut(Schema):
    id: str = Field(description="the file's id: GET /api/appeals/{appeal_id}/files/{id} answers a download link")
    ref: str = Field(description="as the appeal's submission listed it: file:<id>")
    name: str
    content_type: str
    size: int = Field(description="bytes, as granted (the stored file is at most this large)")


class AppealOut(Schema):
    id: str
    ticket_no: str
    status: Status
    category: Category
    title: str
    content: str
    district: str
    channel: Channel
    channels: list[ChannelOut]
    submitted_at: Instant
    received_at: Instant | None
    enterprise_uscc: str | None
    contact: ContactOut | None
    anonymous: bool
    confidential: bool
    assignee_unit: str | None
    assignee_unit_name: str | None
    co_units: list[CoTaskOut]
    deadlines: DeadlinesOut
    confirm_by: Instant | None
    breached: bool
    duplicate_of: str | None
    merged_ids: list[str]
    pending_extension: dict | None
    feedback: str | None
    resolution: str | None
    satisfied: bool | None
    closed_reason: str | None
    rating: RatingOut | None
    reopen_count: int
    return_count: int
    extension_count: int
    timeline: list[TimelineEntryOut]
    attachment_files: list[AttachmentFileOut] = Field(description="the files attached at submission, in the order "
                                                                   "submitted (links an intake channel sent are not files)")
    available_actions: list[str] = Field(default_factory=list,
                                         description="the actions the caller may take now (POST /appeals/{id}/{action})")


class AppealSummaryOut(Schema):
    id: str
    ticket_no: str
    status: Status
    category: Category
    title: str
    district: str
    channel: Channel
    submitted_at: Instant
    received_at: Instant | None
    dispatched_at: Instant | None
    assignee_unit: str | None
    breached: bool
    duplicate_of: str | None
    deadlines: DeadlinesOut | None = Field(default=None, description="the lead clocks, once a unit handles it (queue countdowns)")


class AppealPageOut(Schema):
    items: list[AppealSummaryOut]
    next_cursor: str | None


ClockName = Literal[(*LEAD_CLOCK_NAMES, CO_REPLY.name)]


class AttentionQuery(Schema):
    state: Literal["breached", "warned"] = Field(
        default="breached", description="`breached`: past due, most overdue first; `warned`: past the 80% warning, "
                                        "nearest deadline first")
    cursor: str | None = Field(default=None, max_length=2000)
    limit: int = Field(default=20, ge=1, le=100)


class AttentionItemOut(Schema):
    appeal: AppealSummaryOut
    clock: ClockName = Field(description="which deadline: the lead unit's three, or a co-unit's reply")
    unit_id: str | None = Field(description="the unit the deadline binds: the lead, or the co-unit")
    deadline: DeadlineOut
    warned_at: Instant | None


class AttentionPageOut(Schema):
    items: list[AttentionItemOut]
    next_cursor: str | None


class QueueQuery(Schema):
    status: Status | None = None
    breached: bool | None = None
    cursor: str | None = Field(default=None, max_length=2000)
    limit: int = Field(default=20, ge=1, le=100)


class DispatchQueueQuery(Schema):
    district: str
    cursor: str | None = Field(default=None, max_length=2000)
    limit: int = Field(default=20, ge=1, le=100)

    @field_validator("district")
    @classmethod
    def _district(cls, value: str) -> str:
        return _domain_check(parse_division, value, "district")


# -- action bodies -------------------------------------------------------------------------------
Text = Field(min_length=2, max_length=2000)


class DispatchIn(Schema):
    unit_id: str = Field(min_length=1, max_length=64)
    co_unit_ids: list[str] = Field(default_factory=list, max_length=10)


class ReturnIn(Schema):
    reason: str = Field(min_length=5, max_length=1000, description="why the appeal is not this unit's")


class EmptyIn(Schema):
    pass


class ContactActionIn(Schema):
    method: ContactMethod
    note: str = Field(default="", max_length=2000)


class FeedbackIn(Schema):
    text: str = Text


class ExtensionRequestIn(Schema):
    working_days: int = Field(ge=1, le=MAX_EXTENSION_WORKING_DAYS)
    reason: str = Field(min_length=5, max_length=1000)


class ExtensionDecisionIn(Schema):
    approve: bool


class ResolveIn(Schema):
    result: str = Text


class ConfirmIn(Schema):
    satisfied: bool
    comment: str | None = Field(default=None, max_length=1000)


class RateIn(Schema):
    speed: int = Field(ge=1, le=5)
    attitude: int = Field(ge=1, le=5)
    outcome: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=1000)


class SuperviseIn(Schema):
    note: str = Text


class CoReplyIn(Schema):
    text: str = Text


class MergeIn(Schema):
    into: str = Field(min_length=1, max_length=64)


class SplitIn(Schema):
    reason: str = Field(default="", max_length=1000)


class RevealIn(Schema):
    reason: str = Field(min_length=5, max_length=1000)


class IdentityOut(Schema):
    appeal_id: str
    identity: dict


class StatsQuery(Schema):
    period: str = Field(default="all", pattern=r"^(all|\d{4}-(0[1-9]|1[0-2]))$")


class StatsOut(Schema):
    scope: str
    period: str
    counts: dict[str, int]
    rates: dict[str, float | None]


class RuleIn(Schema):
    priority: int = Field(default=100, ge=0, le=10000)
    categories: list[Category] = Field(default_factory=list)
    districts: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list, max_length=50)
    unit_id: str = Field(min_length=1, max_length=64)
    enabled: bool = True
    note: str | None = Field(default=None, max_length=500)

    @field_validator("districts")
    @classmethod
    def _districts(cls, value: list[str]) -> list[str]:
        return [_domain_check(parse_division, v, "districts") for v in value]


class RuleOut(RuleIn):
    rule_id: str
    updated_at: str | None
    updated_by: str | None


class TicketLedgerQuery(Schema):
    first: int = Field(default=1, ge=1, description="the first ticket number (the part after the division code)")
    limit: int = Field(default=100, ge=1, le=100)


class TicketLineOut(Schema):
    number: int
    ticket_no: str
    appeal_id: str | None
    void_reason: str | None
    state: Literal["appeal", "void", "pending"]


class TicketLedgerOut(Schema):
    claimed: int = Field(description="numbers claimed so far on this stack")
    items: list[TicketLineOut]
