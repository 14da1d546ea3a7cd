"""Request and answer shapes of the financing statistics (`GET /api/finance/stats`)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from functions.shared.schemas import Schema

FinanceStatsBy = Literal["bank", "branch", "district"]


class FinanceStatsQuery(Schema):
    period: str | None = Field(default=None, pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$",
                               description="a month YYYY-MM or a year YYYY, in Qingdao; this month when absent")
    by: FinanceStatsBy = Field(default="district", description="one row per bank, per branch or per district")


class FinanceStatRowOut(Schema):
    key: str = Field(description="institution id, catalogue branch id, district code, or \"city\"")
    name: str = Field(description="its Chinese name (the catalogue's or the division's)")
    name_en: str | None = Field(description="its English name, where the catalogue or the divisions have one")
    claimed: int
    contacted: int
    approved: int
    rejected: int
    disbursed: int
    released: int = Field(description="leases lapsed for want of contact within a working day")
    approval_rate: float | None = Field(description="approved / (approved + rejected); null without either")
    approved_over_asked: float | None = Field(description="amount approved / amount those demands asked; null without approvals")
    avg_publish_to_claim_hours: float | None = Field(description="mean hours from publication to claim; null without claims")
    avg_claim_to_contact_hours: float | None = Field(description="mean hours from claim to contact; null without contacts")
    approved_fen: int
    disbursed_fen: int


class FinanceStatsOut(Schema):
    period: str
    by: FinanceStatsBy
    items: list[FinanceStatRowOut] = Field(description="most claims first")
    totals: FinanceStatRowOut = Field(description="the city's row (a district's reader: its district's row)")
