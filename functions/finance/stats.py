"""Statistics of the financing platform per bank, branch and district: counted in the transaction of each
claim, outcome and lapse, read as one Query and one GetItem. No Chalice.

Counting: each event ADDs to the rows of its scopes (stats_models.py) — the bank that claimed, its branch
when it named one, the demand's district, and the city — for the month and the year the event happens in
(Qingdao time): up to 8 UpdateItems in the change's own transaction, so the counters can never disagree
with the demands. A lapse is counted against the bank (and branch) whose lease lapsed.

Reading: the city's admin, supervisors, auditors and staff read every row; a district's (admin,
supervisor, auditor or staff of a district) reads only its own district: its district's row, the branches
that stand in it, never the banks city-wide (403). Banks and enterprises: 403.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from functions.finance.models import Demand
from functions.finance.stats_models import BANK, BRANCH, CITY, CITY_KEY, COUNTERS, DISTRICT, FinanceStat
from functions.identity.principal import ADMIN, AUDITOR, STAFF, SUPERVISOR, Principal
from functions.refdata import divisions
from functions.shared.audit import UnitOfWork
from functions.shared.clock import parse_instant, to_shanghai
from functions.shared.errors import FieldError, Forbidden, ValidationFailed

READERS = (ADMIN, SUPERVISOR, AUDITOR, STAFF)
BY = (BANK, BRANCH, DISTRICT)


# -- counting ------------------------------------------------------------------------------------------
def periods(moment: datetime) -> tuple[str, str]:
    """The month ("YYYY-MM") and year ("YYYY") of a moment, in Qingdao."""
    local = to_shanghai(moment)
    return f"{local.year:04d}-{local.month:02d}", f"{local.year:04d}"


def scopes(district: str, institution_id: str | None, branch_id: str | None) -> list[tuple[str, str]]:
    """The (by, key) rows an event of this demand counts in."""
    rows = []
    if institution_id:
        rows.append((BANK, institution_id))
    if branch_id:
        rows.append((BRANCH, branch_id))
    rows += [(DISTRICT, district), (CITY, CITY_KEY)]
    return rows


def seconds_between(start: str | None, end: datetime) -> int:
    """Whole seconds from a stored instant to `end` (0 without a start, never negative)."""
    if not start:
        return 0
    return max(0, int((end - parse_instant(start)).total_seconds()))


def _count(uow: UnitOfWork, demand: Demand, adds: dict[str, int], institution_id: str | None = None,
           branch_id: str | None = None) -> None:
    adds = {name: int(value) for name, value in sorted(adds.items()) if value}
    if not adds:
        return
    institution = institution_id if institution_id is not None else demand.claimed_by
    branch = branch_id if branch_id is not None else demand.claimed_branch
    for period in periods(uow.now):
        for by, key in scopes(demand.district, institution, branch):
            actions = [getattr(FinanceStat, name).add(value) for name, value in adds.items()]
            uow.update(FinanceStat(period_by=f"{period}#{by}", key=key), actions, label=f"stats {period}#{by}")


def count_claimed(uow: UnitOfWork, demand: Demand) -> None:
    """A claim (after the claimer fields are set): the wait from its latest publication to now."""
    waited = seconds_between(demand.published_at or demand.created_at, uow.now)
    _count(uow, demand, {"claimed": 1, "publish_to_claim_seconds": waited})


def count_contacted(uow: UnitOfWork, demand: Demand) -> None:
    _count(uow, demand, {"contacted": 1, "claim_to_contact_seconds": seconds_between(demand.claimed_at, uow.now)})


def count_approved(uow: UnitOfWork, demand: Demand, amount_fen: int) -> None:
    _count(uow, demand, {"approved": 1, "approved_fen": amount_fen, "asked_fen_approved": int(demand.amount_fen)})


def count_rejected(uow: UnitOfWork, demand: Demand) -> None:
    _count(uow, demand, {"rejected": 1})


def count_disbursed(uow: UnitOfWork, demand: Demand, amount_fen: int) -> None:
    _count(uow, demand, {"disbursed": 1, "disbursed_fen": amount_fen})


def count_released(uow: UnitOfWork, demand: Demand, institution_id: str | None, branch_id: str | None) -> None:
    """A lease lapsed: counted against the bank (and branch) that held it."""
    _count(uow, demand, {"released": 1}, institution_id or "", branch_id or "")


# -- arithmetic ------------------------------------------------------------------------------------------
def ratio(numerator: int, denominator: int, places: int = 4) -> float | None:
    return round(numerator / denominator, places) if denominator else None


def figures(counters: dict[str, int]) -> dict[str, Any]:
    """A row's counters with the rates and averages derived from them (None where there is no sample)."""
    c = {name: int(counters.get(name) or 0) for name in COUNTERS}
    return {
        "claimed": c["claimed"], "contacted": c["contacted"], "approved": c["approved"], "rejected": c["rejected"],
        "disbursed": c["disbursed"], "released": c["released"],
        "approval_rate": ratio(c["approved"], c["approved"] + c["rejected"]),
        "approved_over_asked": ratio(c["approved_fen"], c["asked_fen_approved"]),
        "avg_publish_to_claim_hours": ratio(c["publish_to_claim_seconds"], c["claimed"] * 3600, 2),
        "avg_claim_to_contact_hours": ratio(c["claim_to_contact_seconds"], c["contacted"] * 3600, 2),
        "approved_fen": c["approved_fen"], "disbursed_fen": c["disbursed_fen"],
    }


def counters_of(row: FinanceStat | None) -> dict[str, int]:
    return {name: int(getattr(row, name) or 0) for name in COUNTERS} if row is not None else {}


# -- reading ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StatRow:
    key: str
    name: str
    name_en: str | None
    figures: dict[str, Any]


@dataclass(frozen=True)
class Stats:
    period: str
    by: str
    items: list[StatRow]
    totals: StatRow


def require_reader(caller: Principal, by: str) -> str | None:
    """The district the caller's reading is narrowed to (None: the whole city), or 403."""
    if caller.role not in READERS:
        raise Forbidden("The financing statistics are for the city's and districts' administrators, supervisors, "
                        "auditors and staff.")
    if caller.district == divisions.CITY:
        return None
    if not divisions.is_qingdao_division(caller.district):
        raise Forbidden("Your jurisdiction is not a Qingdao division.")
    if by == BANK:
        raise Forbidden("A district reads its own district's and branches' statistics; banks' city-wide figures "
                        "are for the city.")
    return caller.district


def _names(by: str) -> dict[str, tuple[str, str | None, str | None]]:
    """key → (zh name, English name, district) of every bank or branch of the catalogue, or every district."""
    if by == DISTRICT:
        return {d.code: (d.name_zh, d.name_en, d.code) for d in divisions.DIVISIONS}
    from functions.finance.catalogue import catalogue

    institutions = catalogue().institutions
    if by == BANK:
        return {i.id: (i.name_zh, i.name_en, i.district) for i in institutions.values()}
    return {b["id"]: (b["name_zh"], None, b.get("district")) for i in institutions.values() for b in i.branches}


def validate_period(period: str) -> str:
    year, _, month = period.partition("-")
    if not (len(year) == 4 and year.isdigit() and (not month or (len(month) == 2 and month.isdigit() and 1 <= int(month) <= 12))):
        raise ValidationFailed([FieldError("period", "must be a month YYYY-MM or a year YYYY")])
    return period


def read(caller: Principal, period: str, by: str) -> Stats:
    """One Query for the rows, one GetItem for the totals (the city's row, or a district's own)."""
    if by not in BY:
        raise ValidationFailed([FieldError("by", f"must be one of {', '.join(BY)}")])
    validate_period(period)
    district = require_reader(caller, by)
    names = _names(by)
    if district is not None and by == DISTRICT:
        found = FinanceStat.query(f"{period}#{by}", FinanceStat.key == district)
    else:
        found = FinanceStat.query(f"{period}#{by}")
    rows = []
    for row in found:
        name, name_en, where = names.get(row.key, (row.key, None, None))
        if district is not None and where != district:
            continue  # a branch of another district
        rows.append(StatRow(row.key, name, name_en, figures(counters_of(row))))
    rows.sort(key=lambda r: (-r.figures["claimed"], r.key))
    if district is None:
        total_key = (f"{period}#{CITY}", CITY_KEY)
        city = divisions.get_division(divisions.CITY)
        total_name = (city.name_zh, city.name_en)
    else:
        total_key = (f"{period}#{DISTRICT}", district)
        own = divisions.get_division(district)
        total_name = (own.name_zh, own.name_en)
    try:
        total = FinanceStat.get(*total_key)
    except FinanceStat.DoesNotExist:
        total = None
    return Stats(period, by, rows, StatRow(total_key[1], total_name[0], total_name[1], figures(counters_of(total))))

