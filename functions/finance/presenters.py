"""Demands, the bank's view of them, consents and the data log as the API shows them."""
from __future__ import annotations

import json
from datetime import datetime

from functions.finance.demands import DemandView
from functions.finance.models import Consent, Demand
from functions.finance.schemas import (
    BankDemandOut,
    ClaimedDemandOut,
    ConsentOut,
    DataReadOut,
    DemandOut,
    DemandSummaryOut,
    DemandEventOut,
)
from functions.shared.audit import AuditRecord
from functions.shared.clock import isoformat_utc, parse_instant, parse_optional_instant


def event(record: AuditRecord) -> DemandEventOut:
    return DemandEventOut(at=parse_instant(record.at_seq.split("#")[0]), action=record.action, actor_role=record.actor_role,
                    data=json.loads(record.after) if record.after else {})


def branch_name(institution_id: str | None, branch_id: str | None) -> str | None:
    """A branch's name from this process's copy of the catalogue (no call); None for none or an unknown one."""
    from functions.finance.catalogue import catalogue

    found = catalogue().institutions.get(institution_id or "") if branch_id else None
    return next((b["name_zh"] for b in (found.branches if found is not None else ()) if b["id"] == branch_id), None)


def demand(view: DemandView, duplicate: bool = False) -> DemandOut:
    d = view.demand
    return DemandOut(id=d.demand_id, enterprise_uscc=d.enterprise_uscc, enterprise_name=d.enterprise_name, district=d.district,
                     amount_fen=int(d.amount_fen), term_months=int(d.term_months), purpose=d.purpose, guarantee=d.guarantee,
                     channels=list(d.channels), status=d.status, created_at=parse_instant(d.created_at), claimed_by=d.claimed_by,
                     claimed_branch_name=branch_name(d.claimed_by, d.claimed_branch), claimed_at=parse_optional_instant(d.claimed_at), outcome=d.outcome, reason=d.reason, releases=int(d.releases or 0),
                     duplicate=duplicate, events=[event(r) for r in view.records])


def summary(d: Demand) -> DemandSummaryOut:
    return DemandSummaryOut(id=d.demand_id, amount_fen=int(d.amount_fen), term_months=int(d.term_months), purpose=d.purpose,
                            status=d.status, channels=list(d.channels), claimed_by=d.claimed_by,
                            created_at=parse_instant(d.created_at))


def masked(d: Demand, published_at: str) -> BankDemandOut:
    return BankDemandOut(id=d.demand_id, district=d.district, industry_code=d.industry_code, size_class=d.size_class,
                         amount_fen=int(d.amount_fen), term_months=int(d.term_months), guarantee=d.guarantee,
                         published_at=parse_instant(published_at))


def claimed(d: Demand, contact_by: str | None) -> ClaimedDemandOut:
    return ClaimedDemandOut(id=d.demand_id, enterprise_uscc=d.enterprise_uscc, enterprise_name=d.enterprise_name,
                            district=d.district, industry_code=d.industry_code, size_class=d.size_class,
                            amount_fen=int(d.amount_fen), term_months=int(d.term_months), purpose=d.purpose,
                            guarantee=d.guarantee, status=d.status, claimed_at=parse_optional_instant(d.claimed_at), branch_id=d.claimed_branch,
                            contact_by=parse_optional_instant(contact_by), outcome=d.outcome, reason=d.reason)


def consent(c: Consent, now: datetime) -> ConsentOut:
    live = not c.revoked_at and c.expires_at > isoformat_utc(now)
    return ConsentOut(id=c.consent_id, institution_id=c.institution_id, scope=c.scope, demand_id=c.demand_id,
                      standing=bool(c.standing), granted_at=parse_instant(c.granted_at), expires_at=parse_instant(c.expires_at),
                      revoked_at=parse_optional_instant(c.revoked_at), live=live)


def data_read(record: AuditRecord) -> DataReadOut:
    return DataReadOut(at=parse_instant(record.at_seq.split("#")[0]), action=record.action, actor_role=record.actor_role,
                       actor_org=record.actor_org, data=json.loads(record.after) if record.after else {})
