"""The bank API's use cases: poll the feed, claim a demand (a lease), report outcomes; and the lease's
release when the claimer does not make contact in time. No Chalice.

- Poll: one Query of the feed after the cursor (models.py: the feed commits in order, so nothing is
  missed or repeated), then the demands' current state in one BatchGetItem: only those still open are
  answered, masked (district, industry, size, amount, term, guarantee; never who).
- Claim: one conditional write decides it (the demand is open, at the version read, and this bank is
  not barred from it): exactly one bank wins; every other gets 409. The winner's lease is a clock on
  the shared engine: `working_days:1` to record `contacted`.
- Lapse: the sweeper calls `on_clock` at the lease's end; a demand still only claimed goes back to the
  pool (a new feed entry), the enterprise is told, and that bank may not claim it again for
  `BAN_DAYS`.
- Outcomes: the claimer's state machine (`MACHINE`): claimed → contacted → approved → disbursed, or
  rejected with a published reason from claimed, contacted or approved. Anything else is 409.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from functions.calendar import service as calendar
from functions.calendar.models import SlaClock, shanghai_iso
from functions.finance import demands as demand_service
from functions.finance import stats
from functions.finance.demands import append_to_feed, entity, load
from functions.finance.models import (
    APPROVED,
    CLAIMED,
    CONTACTED,
    DISBURSED,
    FEED,
    OPEN,
    REJECTED,
    STATUSES,
    ClaimBan,
    Demand,
    FeedEntry,
)
from functions.finance.vocabulary import GUARANTEES, REJECT_REASONS
from functions.identity.principal import BANK, Principal
from functions.shared import ratelimit
from functions.shared.audit import UnitOfWork
from functions.shared.clock import isoformat_utc
from functions.shared.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from functions.shared.statemachine import StateMachine

LEASE_RULE = "working_days:1"
LEASE_CLOCK = "contact"
BAN_DAYS = 30
POLLS_PER_MINUTE = 60
CLAIMER = "claimer"
OWNER_KIND = "demand"  # clock owner "demand#<id>" (the same as the audit entity)


def require_scope(caller: Principal, scope: str) -> None:
    if caller.role != BANK:
        raise Forbidden("The bank API is for financial institutions' clients.")
    if caller.scopes and scope not in caller.scopes:
        raise Forbidden(f"This client's token does not carry the scope {scope!r}.")


# -- branches ------------------------------------------------------------------------------------------
# A client may be narrowed to some of its institution's branches (scopes "branch:<id>", given when the
# client is registered): it sees the demands of those branches' districts, claims in a branch's name,
# and works only on the demands claimed for its branches. A client without such scopes acts for the
# whole institution and may name a branch when it claims.
def _branches(institution_id: str) -> dict[str, str]:
    """The institution's branches in the catalogue: id → district (the process's copy, no call)."""
    from functions.finance.catalogue import catalogue

    found = catalogue().institutions.get(institution_id)
    return {b["id"]: b["district"] for b in (found.branches if found is not None else ())}


def narrowed_to(caller: Principal) -> dict[str, str]:
    """The branches this client is narrowed to (id → district); empty: the whole institution."""
    from functions.identity.service import branches_of

    mine = branches_of(caller.scopes)
    return {b: d for b, d in _branches(caller.org_id).items() if b in mine} if mine else {}


def claiming_branch(caller: Principal, demand: Demand, branch_id: str | None) -> str | None:
    """The branch a claim is made for: the one named (of the institution, and of the client's own when it
    is narrowed), or a narrowed client's branch in the demand's district; none for a whole-institution
    client that names none."""
    narrowed = narrowed_to(caller)
    if branch_id is not None:
        allowed = narrowed or _branches(caller.org_id)
        if branch_id not in allowed:
            raise ValidationFailed([FieldError("branch_id", "is not a branch of your institution"
                                               + (" that this client may act for" if narrowed else ""))])
        if narrowed and allowed[branch_id] != demand.district:
            raise Forbidden(f"Branch {branch_id} is not in the demand's district.")
        return branch_id
    if not narrowed:
        return None
    local = sorted(b for b, district in narrowed.items() if district == demand.district)
    if not local:
        raise Forbidden("This client acts for branches outside the demand's district.")
    return local[0]


def _require_own_branch(caller: Principal, demand: Demand) -> None:
    narrowed = narrowed_to(caller)
    if narrowed and demand.claimed_branch not in narrowed:
        raise NotFound(f"No demand {demand.demand_id} claimed by your branches.")


def institution_name(institution_id: str | None) -> str:
    """Its name in the catalogue (one GetItem), or the id for one the catalogue does not list."""
    from functions.finance.catalogue_models import FinanceInstitution

    if not institution_id:
        return ""
    try:
        return FinanceInstitution.get(institution_id).name_zh
    except FinanceInstitution.DoesNotExist:
        return institution_id


# -- polling -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Poll:
    demands: list[Demand]
    after: int  # the cursor to poll with next: the last entry read (or the one given, when nothing is new)


def poll(caller: Principal, after: int, limit: int, now: datetime) -> Poll:
    require_scope(caller, "demands:read")
    ratelimit.count("bank-poll", caller.sub, POLLS_PER_MINUTE, 60, now)
    entries = list(FeedEntry.query(FEED, FeedEntry.seq > after, limit=limit, consistent_read=True))
    if not entries:
        return Poll([], after)
    ids = list(dict.fromkeys(e.demand_id for e in entries))
    found = {d.demand_id: d for d in Demand.batch_get(ids)}
    # A demand's latest entry is the one that lists it: an older entry of a demand released since is skipped.
    open_now = [found[e.demand_id] for e in entries
                if e.demand_id in found and found[e.demand_id].status == OPEN and found[e.demand_id].published_seq == e.seq]
    districts = set(narrowed_to(caller).values())
    if districts:  # a client narrowed to branches sees their districts' demands; the cursor passes the rest
        open_now = [d for d in open_now if d.district in districts]
    return Poll(open_now, int(entries[-1].seq))


# -- claiming ------------------------------------------------------------------------------------------
def claim(uow: UnitOfWork, caller: Principal, demand_id: str, branch_id: str | None = None) -> Claimed:
    require_scope(caller, "demands:claim")
    demand = load(demand_id)
    if demand.status != OPEN:
        raise Conflict("This demand is not open: another institution has claimed it, or it is finished.")
    branch = claiming_branch(caller, demand, branch_id)
    now = isoformat_utc(uow.now)
    try:
        ban = ClaimBan.get(demand_id, caller.org_id, consistent_read=True)
        if ban.until > now:
            raise Conflict(f"Your institution's claim on this demand lapsed; it may claim it again after {ban.until}.")
    except ClaimBan.DoesNotExist:
        pass
    # The ban, again inside the transaction: a lapse recorded meanwhile still counts.
    uow.check(ClaimBan, demand_id, caller.org_id, ClaimBan.until.does_not_exist() | (ClaimBan.until < now), label="claim ban")
    demand.status, demand.claimed_by, demand.claimed_at, demand.claimed_client = CLAIMED, caller.org_id, now, caller.sub
    demand.claimed_branch = branch
    demand.updated_at = now
    uow.put(demand, Demand.status == OPEN, label="demand")  # and at the version read: one winner
    stats.count_claimed(uow, demand)
    lease = calendar.new_clock(calendar.get_calendar(uow.now), entity(demand_id), LEASE_CLOCK, LEASE_RULE, uow.now)
    previous = _clocks(demand_id).get(LEASE_CLOCK)
    if previous is not None:
        lease.version = previous.version  # claimed again after a lapse: the new lease replaces the old
    uow.put(lease, label="clock:contact")
    uow.audit(entity(demand_id), "finance.demand_claimed", after={"institution_id": caller.org_id, "client_id": caller.sub,
                                                                  "branch_id": branch, "contact_by": lease.due})
    uow.emit("finance.demand_claimed", {"demand_id": demand_id, "institution_name": institution_name(caller.org_id),
                                        "contact_by": shanghai_iso(lease.due)}, [f"org:{demand.enterprise_uscc}"])
    return _claimed(demand, {LEASE_CLOCK: lease})


def _clocks(demand_id: str) -> dict[str, SlaClock]:
    return {c.name: c for c in SlaClock.query(entity(demand_id), consistent_read=True)}


@dataclass(frozen=True)
class Claimed:
    """A demand as its claimer sees it, with the lease's end while contact is still owed."""

    demand: Demand
    contact_by: str | None


def _claimed(demand: Demand, clocks: dict[str, SlaClock]) -> Claimed:
    lease = clocks.get(LEASE_CLOCK)
    return Claimed(demand, lease.due if lease is not None and lease.is_open and demand.status == CLAIMED else None)


def read_claimed(caller: Principal, demand_id: str) -> Claimed:
    """A demand this institution claimed (anyone else: 404)."""
    require_scope(caller, "demands:read")
    demand = load(demand_id)
    if demand.claimed_by != caller.org_id:
        raise NotFound(f"No demand {demand_id} claimed by your institution.")
    _require_own_branch(caller, demand)
    return _claimed(demand, _clocks(demand_id))


# -- the credit report ---------------------------------------------------------------------------------
def credit_report(uow: UnitOfWork, caller: Principal, demand_id: str):
    """The enterprise's real-time credit report, to the bank that claimed its demand (anyone else: 404)
    and only under a live consent (403 without one); the read is logged for the enterprise."""
    from functions.finance import consents
    from functions.finance.reports import service as reports

    require_scope(caller, "credit-reports:read")
    demand = load(demand_id)
    if demand.claimed_by != caller.org_id:
        raise NotFound(f"No demand {demand_id} claimed by your institution.")
    _require_own_branch(caller, demand)
    consent = consents.live_consent(demand.enterprise_uscc, caller.org_id, demand_id, uow.now)
    if consent is None:
        raise Forbidden("The enterprise has given your institution no live consent to read its credit report "
                        "(none, revoked or expired).")
    issued = reports.issue_report(uow, demand.enterprise_uscc, caller.org_id, caller.role)
    consents.record_read(uow, demand.enterprise_uscc, caller, consent, "credit_report",
                         {"report_no": issued.report_no, "demand_id": demand_id})
    return issued


# -- outcomes ------------------------------------------------------------------------------------------
MACHINE = StateMachine("demand", STATUSES)


@dataclass
class OutcomeContext:
    uow: UnitOfWork
    caller: Principal
    demand: Demand
    clocks: dict[str, SlaClock]

    def tell(self, topic: str, **data: Any) -> None:
        self.uow.emit(topic, {"demand_id": self.demand.demand_id, "institution_name": institution_name(self.demand.claimed_by),
                              **data}, [f"org:{self.demand.enterprise_uscc}"])


@dataclass(frozen=True)
class Outcome:
    status: str
    amount_fen: int | None = None
    annual_rate_bp: int | None = None
    term_months: int | None = None
    guarantee: str | None = None
    reason: str | None = None
    note: str | None = None


def _need(outcome: Outcome, *names: str) -> None:
    missing = [FieldError(name, f"is required for status {outcome.status}") for name in names if getattr(outcome, name) is None]
    if missing:
        raise ValidationFailed(missing)


@MACHINE.action("contacted", frm={CLAIMED}, to={CONTACTED}, who={CLAIMER}, body=Outcome,
                summary="The bank has contacted the enterprise (within the lease: 1 working day).")
def contacted(ctx: OutcomeContext, outcome: Outcome) -> None:
    lease = ctx.clocks.get(LEASE_CLOCK)
    if lease is not None and lease.is_open:
        lease.mark_met(ctx.uow.now)
        ctx.uow.put(lease, label="clock:contact")
    ctx.demand.status = CONTACTED
    stats.count_contacted(ctx.uow, ctx.demand)
    ctx.uow.audit(entity(ctx.demand.demand_id), "finance.demand_contacted", after={"note": outcome.note})
    ctx.tell("finance.demand_contacted")


@MACHINE.action("approved", frm={CONTACTED}, to={APPROVED}, who={CLAIMER}, body=Outcome,
                summary="Approved: amount (at most what was asked; less is normal), annual rate in basis points, term, guarantee.")
def approved(ctx: OutcomeContext, outcome: Outcome) -> None:
    _need(outcome, "amount_fen", "annual_rate_bp", "term_months")
    demand = ctx.demand
    if outcome.amount_fen > int(demand.amount_fen):
        raise ValidationFailed([FieldError("amount_fen", f"must not exceed the {int(demand.amount_fen)} fen asked")])
    guarantee = outcome.guarantee or demand.guarantee
    if guarantee not in GUARANTEES:
        raise ValidationFailed([FieldError("guarantee", f"must be one of {', '.join(GUARANTEES)}")])
    demand.outcome = {"amount_fen": outcome.amount_fen, "annual_rate_bp": outcome.annual_rate_bp,
                      "term_months": outcome.term_months, "guarantee": guarantee}
    demand.status = APPROVED
    stats.count_approved(ctx.uow, demand, outcome.amount_fen)
    ctx.uow.audit(entity(demand.demand_id), "finance.demand_approved", after=demand.outcome)
    ctx.tell("finance.demand_approved", amount_yuan=f"{outcome.amount_fen / 100:.2f}",
             rate_percent=f"{outcome.annual_rate_bp / 100:.2f}", term_months=outcome.term_months)


@MACHINE.action("disbursed", frm={APPROVED}, to={DISBURSED}, who={CLAIMER}, body=Outcome,
                summary="The loan is disbursed (the amount lent, at most the amount approved).")
def disbursed(ctx: OutcomeContext, outcome: Outcome) -> None:
    demand = ctx.demand
    approved_fen = int((demand.outcome or {}).get("amount_fen") or 0)
    amount = outcome.amount_fen if outcome.amount_fen is not None else approved_fen
    if amount > approved_fen:
        raise ValidationFailed([FieldError("amount_fen", f"must not exceed the {approved_fen} fen approved")])
    demand.outcome = {**(demand.outcome or {}), "disbursed_fen": amount, "disbursed_at": isoformat_utc(ctx.uow.now)}
    demand.status = DISBURSED
    stats.count_disbursed(ctx.uow, demand, amount)
    ctx.uow.audit(entity(demand.demand_id), "finance.demand_disbursed", after={"amount_fen": amount})
    ctx.tell("finance.demand_disbursed", amount_yuan=f"{amount / 100:.2f}")


@MACHINE.action("rejected", frm={CLAIMED, CONTACTED, APPROVED}, to={REJECTED}, who={CLAIMER}, body=Outcome,
                summary="Rejected, with a reason code from the published list (GET /api/finance/vocabulary).")
def rejected(ctx: OutcomeContext, outcome: Outcome) -> None:
    _need(outcome, "reason")
    if outcome.reason not in REJECT_REASONS:
        raise ValidationFailed([FieldError("reason", f"must be one of {', '.join(REJECT_REASONS)}")])
    lease = ctx.clocks.get(LEASE_CLOCK)
    if lease is not None and lease.is_open:
        lease.mark_met(ctx.uow.now)  # nobody owes contact on a rejected demand
        ctx.uow.put(lease, label="clock:contact")
    ctx.demand.status, ctx.demand.reason = REJECTED, outcome.reason
    stats.count_rejected(ctx.uow, ctx.demand)
    ctx.uow.audit(entity(ctx.demand.demand_id), "finance.demand_rejected", after={"reason": outcome.reason, "note": outcome.note})
    ctx.tell("finance.demand_rejected", reason_text=REJECT_REASONS[outcome.reason][0])


def record_outcome(uow: UnitOfWork, caller: Principal, demand_id: str, outcome: Outcome) -> Claimed:
    """Only the claiming bank (anyone else: 404, the demand is not theirs to see); wrong step: 409."""
    require_scope(caller, "demands:outcome")
    demand = load(demand_id)
    if demand.claimed_by != caller.org_id:
        raise NotFound(f"No demand {demand_id} claimed by your institution.")
    _require_own_branch(caller, demand)
    if outcome.status not in MACHINE.actions:
        raise ValidationFailed([FieldError("status", f"must be one of {', '.join(MACHINE.actions)}")])
    action = MACHINE.check(outcome.status, demand.status, {CLAIMER})
    ctx = OutcomeContext(uow, caller, demand, _clocks(demand_id))
    MACHINE.run(action, ctx, outcome, lambda: demand.status)
    demand.updated_at = isoformat_utc(uow.now)
    uow.put(demand, label="demand")
    return _claimed(demand, ctx.clocks)


# -- the lease's end ----------------------------------------------------------------------------------
def on_clock(clock: SlaClock, event: str, uow: UnitOfWork, now: datetime) -> None:
    """A claim not followed by contact within its lease goes back to the pool (sweeper, at breach)."""
    if clock.name != LEASE_CLOCK or event != "breach":
        return
    demand = demand_service.load(clock.owner.split("#", 1)[1])
    if demand.status != CLAIMED:
        raise Conflict("the demand has moved on")
    institution = demand.claimed_by
    until = isoformat_utc(now + timedelta(days=BAN_DAYS))
    uow.put(ClaimBan(demand_id=demand.demand_id, institution_id=institution, until=until), label="claim ban")
    stats.count_released(uow, demand, institution, demand.claimed_branch)
    demand.status, demand.claimed_by, demand.claimed_at, demand.claimed_client = OPEN, None, None, None
    demand.claimed_branch = None
    demand.releases = int(demand.releases or 0) + 1
    demand.updated_at = isoformat_utc(now)
    append_to_feed(uow, demand, "released")
    uow.put(demand, label="demand")
    uow.audit(entity(demand.demand_id), "finance.demand_released", after={"institution_id": institution, "barred_until": until})
    uow.emit("finance.demand_released", {"demand_id": demand.demand_id, "institution_name": institution_name(institution)},
             [f"org:{demand.enterprise_uscc}"])

