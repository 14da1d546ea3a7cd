"""Credit reports' use cases: import credit items (admin), compose a report, issue it, verify it. No Chalice.

Who may do what:
- an admin of the enterprise's jurisdiction imports public credit items (identity.access: oversight
  role, `writers` admin); everyone else gets 403 (may see the enterprise) or 404;
- the enterprise itself asks for its own report (`report_for_enterprise`); another enterprise gets
  404 (as for its profile), an official who may read the profile 403: the report is issued to the
  enterprise, not to the officials;
- a bank gets a report through the financing API, after its own checks (a claimed demand, a live
  consent): that service calls `issue_report(...)`, which checks nothing itself;
- anyone may verify a report number: whether it was issued and when, and whether a given SHA-256 is
  the one issued. Nothing of the content.

Every issue is a new report: a new number, its SHA-256 stored, an audit record under the enterprise
(`credit-reports#<uscc>`), so who received which report is on record.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from functions.enterprises import service as profiles
from functions.enterprises.models import EnterpriseProfile, district_of
from functions.finance.reports import compose as composer
from functions.finance.reports.models import CreditItem, IssuedReport
from functions.identity.access import WRITE, Resource, require
from functions.identity.principal import ADMIN, ENTERPRISE, Principal
from functions.refdata.divisions import get_division
from functions.refdata.uscc import parse_uscc
from functions.settings import get_settings
from functions.shared.audit import UnitOfWork
from functions.shared.clock import SHANGHAI, isoformat_utc
from functions.shared.errors import FieldError, Forbidden, NotFound, ValidationFailed

KIND = "enterprise"
REPORT_KIND = "credit report"
# Crockford's base32 without I, L, O, U: read aloud or typed from paper without ambiguity.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class IssuedCreditReport:
    report_no: str
    issued_at: datetime
    report: dict[str, Any]  # compose.compose(...)
    canonical: bytes  # compose.canonical_json(report)
    sha256: str


@dataclass(frozen=True)
class Verification:
    report_no: str
    issued_at: datetime
    sha256_matches: bool | None


def _credit_code(value: str) -> str:
    try:
        return parse_uscc(value)
    except ValidationFailed:
        raise NotFound(f"No {KIND} {value}.") from None


# -- import --------------------------------------------------------------------------------------
def import_items(uow: UnitOfWork, caller: Principal, uscc: str,
                 items: Iterable[tuple[str, str, date, Mapping[str, Any]]]) -> list[CreditItem]:
    """Store each (kind, source, as_of, data) under the enterprise, replacing an item with the same
    id (an import may be repeated); one audit record lists what was imported."""
    uscc = _credit_code(uscc)
    require(caller, WRITE, Resource(KIND, uscc, district_of(uscc), frozenset({uscc}), writers=frozenset({ADMIN})))
    today = uow.now.astimezone(SHANGHAI).date()
    written: list[CreditItem] = []
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    for index, (kind, source, as_of, data) in enumerate(items):
        if as_of > today:
            errors.append(FieldError(f"items[{index}].as_of", f"lies after today ({today.isoformat()})"))
        item_id = composer.item_id(kind, data)
        if item_id in seen:
            errors.append(FieldError(f"items[{index}]", f"is the same item as items[{seen[item_id]}] ({item_id})"))
        seen[item_id] = index
        written.append(CreditItem(uscc=uscc, item_id=item_id, kind=kind, source=source, as_of=as_of.isoformat(),
                                  data=dict(data), imported_at=isoformat_utc(uow.now), imported_by=caller.sub))
    if errors:
        raise ValidationFailed(errors)
    for item in written:
        uow.put(item, label="credit item")
    uow.audit(f"credit-items#{uscc}", "import",
              after=[{"item_id": i.item_id, "source": i.source, "as_of": i.as_of} for i in written])
    return written


# -- the platform's own records --------------------------------------------------------------------
def policy_funds(uscc: str) -> list[composer.PolicyFund]:
    """The policy awards paid to the enterprise: its applications (policy's `enterprise-index`, one
    Query), those with money paid. Nothing on a stage that runs no policy platform."""
    if "policy" not in get_settings().platforms:
        return []
    from functions.policy.application_models import Application  # the policy platform's table, read only

    funds = []
    for application in Application.enterprise_index.query(uscc):
        payments = application.payments or []
        if not payments or not int(application.paid_fen or 0):
            continue
        last = max(date.fromisoformat(str(p["paid_on"])[:10]) for p in payments)
        funds.append(composer.PolicyFund(application.application_id, application.project_title,
                                         application.department_id, int(application.paid_fen), last, len(payments)))
    return funds


def financing_records(uscc: str) -> list[Mapping[str, Any]]:
    """The enterprise's financing history on the platform: its demands and their outcomes (finance's
    `enterprise-index`, one Query), as the mappings `compose.financing_entries` documents."""
    from functions.finance.bank import institution_name
    from functions.finance.models import Demand

    records = []
    for demand in Demand.enterprise_index.query(uscc):
        outcome = demand.outcome or {}
        records.append({"demand_id": demand.demand_id, "institution_id": demand.claimed_by,
                        "institution_name": institution_name(demand.claimed_by) if demand.claimed_by else None,
                        "amount_fen": int(demand.amount_fen), "term_months": int(demand.term_months), "status": demand.status,
                        "annual_rate_bp": outcome.get("annual_rate_bp"), "disbursed_fen": outcome.get("disbursed_fen"),
                        "as_of": demand.updated_at[:10]})
    return records


# -- compose and issue ---------------------------------------------------------------------------
def _report_no(now: datetime) -> str:
    day = now.astimezone(SHANGHAI).strftime("%Y%m%d")
    return f"CR-{day}-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def _items(uscc: str) -> list[composer.CreditItemRecord]:
    return [composer.CreditItemRecord(i.kind, i.item_id, i.source, date.fromisoformat(i.as_of), i.data or {})
            for i in CreditItem.query(uscc)]


def _district(uscc: str) -> dict[str, str]:
    code = district_of(uscc)
    try:
        division = get_division(code)
        return {"code": code, "name_zh": division.name_zh, "name_en": division.name_en}
    except KeyError:
        return {"code": code, "name_zh": "", "name_en": ""}


def _stored_fields(uscc: str) -> dict:
    try:
        return profiles.stored_facts(EnterpriseProfile.get(uscc))
    except EnterpriseProfile.DoesNotExist:
        return {}


def compose_live(uscc: str, report_no: str, generated_at: datetime, fields: Mapping | None = None) -> dict[str, Any]:
    """The enterprise's report from what is stored now (the profile unless `fields` are given, its credit
    items, its paid policy awards, its demands), numbered and dated as asked: an issued report, or a
    month's snapshot (functions/finance/snapshots)."""
    return composer.compose(
        report_no=report_no, generated_at=generated_at, uscc=uscc, district=_district(uscc),
        fields=_stored_fields(uscc) if fields is None else fields, items=_items(uscc),
        policy_funds=policy_funds(uscc), financing=financing_records(uscc))


def issue_report(uow: UnitOfWork, uscc: str, issued_to: str, issued_to_role: str,
                 fields: Mapping | None = None) -> IssuedCreditReport:
    """Compose the enterprise's report from live data and issue it to `issued_to` (an org id): a new
    report number, its SHA-256 stored (conditional put in the caller's unit of work) and audited.

    Checks no access: the caller has (the enterprise's own route; the bank API after its claim and
    consent checks). `fields`: the profile's stored facts when the caller read them already.
    Reads: the profile (GetItem, unless given), the credit items (Query), the paid policy applications
    (Query), the enterprise's demands (Query; a GetItem per claiming institution's name)."""
    uscc = parse_uscc(uscc)
    now = uow.now
    report_no = _report_no(now)
    report = compose_live(uscc, report_no, now.replace(microsecond=0), fields)
    canonical = composer.canonical_json(report)
    sha256 = composer.sha256_of(report)
    uow.put(IssuedReport(report_no=report_no, uscc=uscc, sha256=sha256, issued_at=isoformat_utc(now),
                         issued_to=issued_to, issued_to_role=issued_to_role),
            IssuedReport.report_no.does_not_exist(), label="credit report")
    uow.audit(f"credit-reports#{uscc}", "issue",
              after={"report_no": report_no, "sha256": sha256, "issued_to": issued_to, "role": issued_to_role})
    return IssuedCreditReport(report_no, now, report, canonical, sha256)


def report_for_enterprise(uow: UnitOfWork, caller: Principal, uscc: str) -> IssuedCreditReport:
    """The enterprise's own report. Another enterprise 404 (as for its profile); an official who may
    read the profile 403."""
    view = profiles.read(caller, uscc)  # 404 for whoever may not see the enterprise; one GetItem
    if caller.role != ENTERPRISE or caller.org_id != view.uscc:
        raise Forbidden("A credit report is issued to its enterprise (and, with its consent, to a bank).")
    return issue_report(uow, view.uscc, caller.org_id, caller.role, fields=view.fields)


def verify(report_no: str, sha256: str | None) -> Verification:
    """Whether the number was issued, when, and whether `sha256` is its hash: one GetItem, public."""
    try:
        issued = IssuedReport.get(report_no.strip().upper())
    except IssuedReport.DoesNotExist:
        raise NotFound(f"No {REPORT_KIND} {report_no} was issued.") from None
    at = datetime.fromisoformat(issued.issued_at.replace("Z", "+00:00")).replace(microsecond=0)
    return Verification(issued.report_no, at, None if sha256 is None else secrets.compare_digest(sha256, issued.sha256))
