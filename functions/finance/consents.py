"""An enterprise's consents to institutions reading its data, and the log of every read. No Chalice.

A consent is for one institution or every one (`*`), for one demand or standing, with a scope
(`credit_report`) and an expiry; the enterprise sees and revokes them. A read is allowed only under a
live consent (not revoked, not expired, for this institution, and for this demand unless standing),
and every read is recorded under the enterprise's data log (`enterprise-data#<uscc>`): who, when,
under which consent.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from functions.finance.models import Consent, Demand
from functions.identity.principal import ENTERPRISE, Principal
from functions.shared.audit import AuditRecord, UnitOfWork, audit_page
from functions.shared.clock import isoformat_utc
from functions.shared.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed

SCOPES = ("credit_report",)
MAX_DAYS = 366  # a standing consent lasts a year at most; then the enterprise gives it again
EVERY_INSTITUTION = "*"


def data_entity(uscc: str) -> str:
    return f"enterprise-data#{uscc}"


@dataclass(frozen=True)
class Grant:
    institution_id: str
    scope: str
    expires_at: datetime
    demand_id: str | None = None


def _own(caller: Principal) -> str:
    if caller.role != ENTERPRISE:
        raise Forbidden("Consents are the enterprise's own to give and revoke.")
    return caller.org_id


def grant(uow: UnitOfWork, caller: Principal, given: Grant) -> Consent:
    from functions.finance.catalogue import catalogue

    uscc = _own(caller)
    errors = []
    if given.scope not in SCOPES:
        errors.append(FieldError("scope", f"must be one of {', '.join(SCOPES)}"))
    if given.expires_at <= uow.now:
        errors.append(FieldError("expires_at", "must be in the future"))
    elif given.expires_at > uow.now + timedelta(days=MAX_DAYS):
        errors.append(FieldError("expires_at", f"must be within {MAX_DAYS} days"))
    if given.institution_id != EVERY_INSTITUTION and given.institution_id not in catalogue().institutions:
        errors.append(FieldError("institution_id", "is not a financial institution of the catalogue (or use *)"))
    if given.demand_id is not None:
        try:
            if Demand.get(given.demand_id).enterprise_uscc != uscc:
                raise Demand.DoesNotExist
        except Demand.DoesNotExist:
            errors.append(FieldError("demand_id", "is not one of your demands"))
    if errors:
        raise ValidationFailed(errors)
    stamp = isoformat_utc(uow.now)
    consent = Consent(enterprise_uscc=uscc, consent_id=f"c-{uow.now.strftime('%Y%m%d%H%M%S')}-"
                      f"{hashlib.sha256(uow.request_id.encode()).hexdigest()[:8]}",
                      institution_id=given.institution_id, scope=given.scope, demand_id=given.demand_id, granted_at=stamp,
                      expires_at=isoformat_utc(given.expires_at), granted_by=caller.sub, standing=given.demand_id is None)
    uow.put(consent, Consent.consent_id.does_not_exist(), label="consent")
    uow.audit(data_entity(uscc), "finance.consent_granted", after={"consent_id": consent.consent_id,
                                                                   "institution_id": consent.institution_id,
                                                                   "demand_id": consent.demand_id,
                                                                   "expires_at": consent.expires_at})
    return consent


def mine(caller: Principal) -> list[Consent]:
    return list(Consent.query(_own(caller), scan_index_forward=False))


def revoke(uow: UnitOfWork, caller: Principal, consent_id: str) -> Consent:
    uscc = _own(caller)
    try:
        consent = Consent.get(uscc, consent_id, consistent_read=True)
    except Consent.DoesNotExist:
        raise NotFound(f"No consent {consent_id}.") from None
    if consent.revoked_at:
        raise Conflict("This consent is revoked already.")
    consent.revoked_at = isoformat_utc(uow.now)
    uow.put(consent, Consent.revoked_at.does_not_exist(), label="consent")
    uow.audit(data_entity(uscc), "finance.consent_revoked", after={"consent_id": consent_id})
    return consent


def live_consent(uscc: str, institution_id: str, demand_id: str | None, now: datetime) -> Consent | None:
    """The consent a read may rest on, if any (one Query of the enterprise's consents)."""
    stamp = isoformat_utc(now)
    for consent in Consent.query(uscc, consistent_read=True):
        if consent.revoked_at or consent.expires_at <= stamp:
            continue
        if consent.institution_id not in (institution_id, EVERY_INSTITUTION):
            continue
        if consent.demand_id is not None and consent.demand_id != demand_id:
            continue
        return consent
    return None


def record_read(uow: UnitOfWork, uscc: str, reader: Principal, consent: Consent, what: str, detail: dict) -> AuditRecord:
    return uow.audit(data_entity(uscc), "finance.data_read", after={"what": what, "institution_id": reader.org_id,
                                                                    "client_id": reader.sub, "consent_id": consent.consent_id,
                                                                    **detail})


def reads(caller: Principal, limit: int, cursor: dict | None) -> tuple[list[AuditRecord], dict | None]:
    """The enterprise's data log, oldest first: consents given and revoked, and every read (one Query)."""
    return audit_page(data_entity(_own(caller)), limit, cursor)
