"""Request and answer shapes of applications, public notices, objections, payments and statistics."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from functions.policy.application_models import STATUSES
from functions.refdata.uscc import parse_uscc
from functions.shared.schemas import Day, Instant, PageQuery, Schema

MAX_AMOUNT_FEN = 10_000_000_000  # 1 亿元: no single award of a city programme is larger
Status = Literal[STATUSES]  # type: ignore[valid-type]
FileRefs = Field(default_factory=list, max_length=10,
                 description="file:<id> references from POST /api/files, uploaded by the applicant (type and size checked there)")


# -- requests ----------------------------------------------------------------------------------------
class ApplyIn(Schema):
    form: dict[str, Any] = Field(description="the answers to the project's form (its JSON Schema, GET /api/projects/{id})")
    attachments: list[str] = FileRefs


class ApproveIn(Schema):
    amount_fen: int = Field(ge=1, le=MAX_AMOUNT_FEN, description="the amount this stage approves, in fen, within the project's cap")
    comment: str = Field(default="", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(min_length=2, max_length=2000)


class OptionalReasonIn(Schema):
    reason: str = Field(default="", max_length=2000)


class ResubmitIn(Schema):
    form: dict[str, Any] = Field(description="the whole form again, revised as the reviewer asked")
    attachments: list[str] = FileRefs


class DisburseIn(Schema):
    amount_fen: int = Field(ge=1, le=MAX_AMOUNT_FEN)
    paid_on: Day
    voucher_no: str = Field(min_length=1, max_length=64, description="the payment voucher's number")


class ApplicationRateIn(Schema):
    grade: int = Field(ge=1, le=5, description="five grades: 1 very dissatisfied … 5 very satisfied")
    comment: str = Field(default="", max_length=1000)


class ListedIn(Schema):
    uscc: str = Field(description="the enterprise's unified social credit code")
    amount_fen: int = Field(ge=1, le=MAX_AMOUNT_FEN)

    @field_validator("uscc")
    @classmethod
    def _credit_code(cls, value: str) -> str:
        from functions.shared.errors import ValidationFailed

        try:
            return parse_uscc(value)
        except ValidationFailed as failed:
            raise ValueError(failed.errors[0].message) from None


class ConfirmListIn(Schema):
    entries: list[ListedIn] = Field(min_length=1, max_length=20)


class PolicyNoticeIn(Schema):
    application_ids: list[str] = Field(min_length=1, max_length=20, description="approved applications of this project")
    working_days: int = Field(default=5, ge=5, le=30, description="the objection window in working days (at least 5)")


class ObjectionIn(Schema):
    application_id: str = Field(description="the award objected to (an entry of the notice)")
    reason: str = Field(min_length=10, max_length=2000)
    phone: str = Field(pattern=r"^1[3-9][0-9]{9}$|^0[0-9]{2,3}-?[0-9]{7,8}$", description="where the department can reach you")


class ResolveObjectionIn(Schema):
    upheld: bool = Field(description="true: the objection stands and the award is withdrawn; false: dismissed")
    response: str = Field(min_length=2, max_length=2000, description="the department's answer, recorded and sent to the objector")


class CandidatesQuery(PageQuery):
    district: str | None = Field(default=None, pattern=r"^\d{6}$", description="a division code the project's rule allows; "
                                                                              "the first of them when absent")


class ProjectApplicationsQuery(PageQuery):
    status: Status = Field(default="approved")  # type: ignore[valid-type]


# -- answers -----------------------------------------------------------------------------------------
class StageOut(Schema):
    name: str
    unit_id: str
    working_days: int


class DecisionOut(Schema):
    stage: int | None
    unit_id: str | None
    decision: Literal["approved", "returned", "rejected", "listed"]
    amount_fen: int | None = None
    text: str
    at: Instant


class PaymentOut(Schema):
    amount_fen: int
    paid_on: str
    voucher_no: str
    recorded_at: Instant


class StepOut(Schema):
    """One step from application to money: who owns it, its deadline, and when it was done."""

    step: Literal["submitted", "review", "notice", "payment"]
    name: str | None = Field(description="the review stage's name")
    owner: str = Field(description="unit id, or the enterprise's credit code for the submission")
    state: Literal["done", "current", "waiting", "skipped"]
    due: Instant | None
    done_at: Instant | None
    breached: bool = False


class EventOut(Schema):
    at: Instant
    action: str = Field(description="the audit action, e.g. application.approved")
    actor_role: str
    data: dict[str, Any]


class ApplicationRatingOut(Schema):
    grade: int
    comment: str
    at: Instant


class ApplicationHeadOut(Schema):
    """What every listing of applications shows of one (the base of the full view and the summary)."""

    id: str
    project_id: str
    project_title: str
    department_id: str
    enterprise_uscc: str
    enterprise_name: str | None
    status: Status  # type: ignore[valid-type]


class ApplicationOut(ApplicationHeadOut):
    no_application: bool
    stage: int = Field(description="index of the current review stage (= len(stages) once past review)")
    stages: list[StageOut]
    form: dict[str, Any]
    attachments: list[str]
    cap_fen: int | None
    approved_fen: int | None
    paid_fen: int
    payments: list[PaymentOut]
    decisions: list[DecisionOut]
    reason: str | None
    notice_id: str | None
    rating: ApplicationRatingOut | None
    submitted_at: Instant
    steps: list[StepOut]
    events: list[EventOut]
    available_actions: list[str]


class ApplicationSummaryOut(ApplicationHeadOut):
    stage_name: str | None
    approved_fen: int | None
    paid_fen: int
    submitted_at: Instant
    updated_at: Instant


class ApplicationPageOut(Schema):
    items: list[ApplicationSummaryOut]
    next_cursor: str | None


class PolicyNoticeEntryOut(Schema):
    application_id: str
    enterprise_uscc: str
    enterprise_name: str | None
    amount_fen: int
    outcome: Literal["listed", "awarded", "withdrawn", "declined"]


class PolicyNoticeOut(Schema):
    id: str
    project_id: str
    project_title: str
    department_id: str
    status: Literal["open", "closed"]
    working_days: int
    opened_at: Instant
    closes_at: Instant
    closed_at: Instant | None
    open_objections: int
    entries: list[PolicyNoticeEntryOut]


class PolicyNoticePageOut(Schema):
    items: list[PolicyNoticeOut]
    next_cursor: str | None


class ObjectionOut(Schema):
    id: str
    notice_id: str
    application_id: str
    by_name: str
    phone: str | None = Field(description="shown to the department only")
    reason: str
    status: Literal["open", "upheld", "dismissed"]
    response: str | None
    at: Instant
    resolved_at: Instant | None


class AwardRecordOut(Schema):
    """Open data: one record per award on a public notice."""

    notice_id: str
    project_id: str
    project_title: str
    department_id: str
    enterprise_uscc: str
    enterprise_name: str | None
    amount_fen: int
    outcome: str
    noticed_from: Instant
    noticed_to: Instant


class AwardPageOut(Schema):
    items: list[AwardRecordOut]
    next_cursor: str | None


class CandidateOut(Schema):
    uscc: str
    name: str | None
    listed: bool = Field(description="on this project's list already")
    amount_fen: int | None = Field(description="the project's fixed amount, to propose; none for other amount rules")


class CandidatesOut(Schema):
    """One page of a district's enterprises read; those eligible (a page may hold none: go on with next_cursor)."""

    items: list[CandidateOut]
    district: str
    districts: list[str] = Field(description="the districts the project's rule allows")
    next_cursor: str | None


class DepartmentStatsOut(Schema):
    department_id: str
    applications: int
    approved: int
    returned: int
    rejected: int
    awarded_fen: int
    paid_fen: int
    review_on_time_rate: float | None = Field(description="review stages finished within their deadline ÷ finished")
    ratings: int
    average_rating: float | None
    grades: dict[str, int] = Field(description='"1".."5" → how many ratings gave that grade')
