"""Request and answer shapes of demands, consents and the bank API."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from functions.shared.schemas import Instant, Schema

MAX_AMOUNT_FEN = 100_000_000_000  # 10 亿元: beyond a demand this platform carries
Guarantee = Literal["credit", "mortgage", "guarantee", "pledge"]
Channel = Literal["platform", "xinyidai", "rongzitong", "jinnongtong", "offline"]
DemandStatus = Literal["open", "claimed", "contacted", "approved", "disbursed", "rejected", "withdrawn"]


class DemandIn(Schema):
    amount_fen: int = Field(ge=100_000, le=MAX_AMOUNT_FEN, description="the amount asked, in fen (at least ¥1,000)")
    term_months: int = Field(ge=1, le=360)
    purpose: str = Field(min_length=4, max_length=500)
    guarantee: Guarantee
    source_channel: Channel = "platform"
    enterprise_uscc: str | None = Field(default=None, max_length=18,
                                        description="staff entering an offline demand name the enterprise")


class DemandEventOut(Schema):
    at: Instant
    action: str
    actor_role: str
    data: dict[str, Any]


class DemandOut(Schema):
    id: str
    enterprise_uscc: str
    enterprise_name: str | None
    district: str
    amount_fen: int
    term_months: int
    purpose: str
    guarantee: Guarantee
    channels: list[str]
    status: DemandStatus
    created_at: Instant
    claimed_by: str | None
    claimed_branch_name: str | None = Field(default=None, description="the branch the claim was made for, when it named one")
    claimed_at: Instant | None
    outcome: dict[str, Any] | None
    reason: str | None
    releases: int
    duplicate: bool = Field(default=False, description="true when this post was merged into an earlier demand")
    events: list[DemandEventOut]


class DemandSummaryOut(Schema):
    id: str
    amount_fen: int
    term_months: int
    purpose: str
    status: DemandStatus
    channels: list[str]
    claimed_by: str | None
    created_at: Instant


class DemandPageOut(Schema):
    items: list[DemandSummaryOut]
    next_cursor: str | None


class BankPollQuery(Schema):
    cursor: str | None = Field(default=None, max_length=2000, description="the next_cursor of your last poll; none: from the start")
    limit: int = Field(default=50, ge=1, le=100)


class BankReportQuery(Schema):
    format: Literal["json", "pdf"] = "json"


class BankDemandOut(Schema):
    """An open demand as a bank sees it before claiming: the enterprise masked."""

    id: str
    district: str
    industry_code: str | None
    size_class: str | None
    amount_fen: int
    term_months: int
    guarantee: Guarantee
    published_at: Instant


class BankDemandPageOut(Schema):
    items: list[BankDemandOut]
    next_cursor: str = Field(description="poll again with it: only what is new since is answered")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "items": [{"id": "fd-20261120-3f9a0c21be", "district": "370212", "industry_code": "I65", "size_class": "small",
                   "amount_fen": 50_000_000, "term_months": 12, "guarantee": "credit",
                   "published_at": "2026-11-20T10:01:00+08:00"}],
        "next_cursor": "eyJmZWVkIjp7IlMiOiJkZW1hbmRzIn0sInNlcSI6eyJOIjoiMTIifX0.Qm9hcmRfc2lnbmF0dXJl"}]})


class ClaimedDemandOut(Schema):
    """A demand as the bank that claimed it sees it: who, and what they asked."""

    id: str
    enterprise_uscc: str
    enterprise_name: str | None
    district: str
    industry_code: str | None
    size_class: str | None
    amount_fen: int
    term_months: int
    purpose: str
    guarantee: Guarantee
    status: DemandStatus
    claimed_at: Instant | None
    branch_id: str | None = Field(default=None, description="the branch the claim was made for, if any")
    contact_by: Instant | None = Field(description="the lease's end: record `contacted` before it")
    outcome: dict[str, Any] | None
    reason: str | None


class ClaimIn(Schema):
    branch_id: str | None = Field(default=None, min_length=1, max_length=64,
                                  description="the branch of your institution that takes the demand (catalogue id). "
                                              "A client narrowed to branches claims for one of them: named here, or the "
                                              "one in the demand's district. The body may be left out.")

    model_config = ConfigDict(json_schema_extra={"examples": [{}, {"branch_id": "bank-qrcb-b005"}]})


class OutcomeIn(Schema):
    status: Literal["contacted", "approved", "disbursed", "rejected"]
    amount_fen: int | None = Field(default=None, ge=1, le=MAX_AMOUNT_FEN)
    annual_rate_bp: int | None = Field(default=None, ge=1, le=10_000, description="annual rate in basis points (1% = 100)")
    term_months: int | None = Field(default=None, ge=1, le=360)
    guarantee: Guarantee | None = None
    reason: str | None = Field(default=None, max_length=40, description="a code of the published list (rejected only)")
    note: str | None = Field(default=None, max_length=500)

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"status": "contacted", "note": "已电话联系财务负责人，约定 11 月 23 日上门"},
        {"status": "approved", "amount_fen": 29_000_000, "annual_rate_bp": 385, "term_months": 12, "guarantee": "credit"},
        {"status": "disbursed", "amount_fen": 29_000_000},
        {"status": "rejected", "reason": "insufficient_collateral", "note": "抵押物评估值不足"}]})


class ConsentIn(Schema):
    institution_id: str = Field(min_length=1, max_length=64, description="an institution's id, or * for every one")
    scope: Literal["credit_report"] = "credit_report"
    expires_at: Instant
    demand_id: str | None = Field(default=None, max_length=64, description="for this demand only; none: standing")


class ConsentOut(Schema):
    id: str
    institution_id: str
    scope: str
    demand_id: str | None
    standing: bool
    granted_at: Instant
    expires_at: Instant
    revoked_at: Instant | None
    live: bool


class DataReadOut(Schema):
    at: Instant
    action: str = Field(description="finance.data_read, finance.consent_granted, finance.consent_revoked")
    actor_role: str
    actor_org: str
    data: dict[str, Any]


class DataReadPageOut(Schema):
    items: list[DataReadOut]
    next_cursor: str | None


class VocabularyOut(Schema):
    guarantees: list[dict[str, str]]
    channels: list[dict[str, str]]
    reject_reasons: list[dict[str, str]]

