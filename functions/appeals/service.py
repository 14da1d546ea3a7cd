"""Appeal use cases: submit (with duplicate merge and auto-dispatch), act on the state machine,
read an appeal with its clocks and timeline, list queues. No Chalice here.

Every change goes into the caller's unit of work: the appeal (conditional on its version), its
clocks, the statistics it moves, its audit records and outbox notices commit together.
"""
from __future__ import annotations

import json
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from functions.appeals import routing, similarity, vault
from functions.appeals.models import (
    CLOSED,
    DISPATCHED,
    IN_PROGRESS,
    MERGED,
    OPEN_STATUSES,
    PENDING_DISPATCH,
    RESOLVED,
    Appeal,
    ChannelRecord,
    CoTask,
    TicketCounter,
    TicketNumber,
)
from functions.appeals.states import CO, DISPATCHER, LEAD, SUBMITTER, SUPERVISOR, TRANSITIONS
from functions.appeals.stats import StatsDelta
from functions.calendar import service as calendar
from functions.calendar.models import SlaClock, parse_utc_stamp, shanghai_iso, utc_stamp
from functions.identity.access import READ, Resource, require
from functions.identity.principal import (
    CUSTODIAN,
    ENTERPRISE,
    STAFF,
    Principal,
)
from functions.identity.principal import DISPATCHER as DISPATCHER_ROLE
from functions.identity.principal import SUPERVISOR as SUPERVISOR_ROLE
from functions.refdata.divisions import covers
from functions.refdata.models import list_orgs
from functions.settings import get_settings
from functions.shared import keyring, ratelimit
from functions.shared.audit import UnitOfWork
from functions.shared.clock import get_clock, isoformat_utc
from functions.shared.models import put_if_absent
from functions.shared.errors import Conflict, FieldError, Forbidden, NotFound, Unauthenticated, ValidationFailed

CONFIDENTIAL_CATEGORIES = ("report", "business_environment_clue")
WEB = "web"
INTAKE_CHANNELS = ("hotline_12345", "district_window", "department", "onsite")
LEAD_CLOCKS = {"contact_by": "hours:2", "feedback_by": "working_days:1", "resolve_by": "working_days:15"}
# A co-handling unit answers the lead within 10 working days, leaving the lead 5 to write one reply.
CO_REPLY_RULE = "working_days:10"
CONFIRM_CLOCK = "confirm_by"
MAX_EXTENSION_WORKING_DAYS = 15
TICKET_COUNTER = "ticket"
TICKET_AUDIT = "ticket-audit"
# A number claimed this long ago with no appeal and no void is abandoned (its submitter died midway).
TICKET_ABANDONED_AFTER = timedelta(minutes=5)
# Receipt codes: 20 characters of Crockford's base32 (100 bits), shown in groups of four.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 20
# Anonymous reports per client address; a hotline centre records calls signed in, so this limit
# only meets people (and scripts) submitting without a token.
ANONYMOUS_SUBMIT_LIMIT = 10
ANONYMOUS_SUBMIT_WINDOW = 3600
# What a confidential appeal records instead of who filed it (the identity is in the vault).
SEALED_ROLE = "reporter"
SEALED_ORG = "sealed"
_PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{5,12})$")


# -- small helpers --------------------------------------------------------------------------------
def owner(appeal_id: str) -> str:
    return f"appeal#{appeal_id}"


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    return phone[:3] + "*" * max(len(phone) - 7, 1) + phone[-4:] if len(phone) >= 8 else "*" * len(phone)


def new_receipt_code() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def normalise_receipt(code: str) -> str:
    """What a person may type: any case, with or without dashes and spaces, I/L for 1, O for 0."""
    return re.sub(r"[\s-]", "", code).upper().translate(str.maketrans("ILO", "110"))


def hash_receipt(code: str) -> str:
    """A keyed hash: the stored value cannot be turned back into a code without the stage's secret."""
    return keyring.keyed_hash("receipt", normalise_receipt(code))


def reporter_pseudonym(appeal_id: str) -> str:
    """Who a confidential appeal's records say acted for the reporter, and where notices to the
    reporter go (read back with the receipt code): the case, never the person."""
    return f"reporter:{appeal_id}"


def refresh_index_keys(appeal: Appeal) -> None:
    """Keep the sparse index attributes in step with the status (call before every save)."""
    appeal.queue_key = (
        f"{appeal.status}#{appeal.dispatched_at or appeal.submitted_at}#{appeal.appeal_id}" if appeal.assignee_unit else None
    )
    appeal.dispatch_district = appeal.district if appeal.status == PENDING_DISPATCH else None
    appeal.open_uscc = appeal.enterprise_uscc if (appeal.enterprise_uscc and appeal.status in OPEN_STATUSES) else None


class UnitDirectory:
    """The units of this stack (few, rarely changed): one Query, cached per process."""

    CACHE_SECONDS = 300.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._units: dict[str, Any] | None = None
        self._at = 0.0

    def all(self) -> dict[str, Any]:
        with self._lock:
            if self._units is None or time.monotonic() - self._at > self.CACHE_SECONDS:
                self._units = {u.org_id: u for u in list_orgs("unit")}
                self._at = time.monotonic()
            return self._units

    def get(self, unit_id: str, field_name: str) -> Any:
        unit = self.all().get(unit_id)
        if unit is None:
            raise ValidationFailed([FieldError(field_name, f"no unit {unit_id!r}")])
        return unit

    def names(self) -> dict[str, str]:
        return {unit_id: unit.name_zh for unit_id, unit in self.all().items()}

    def forget(self) -> None:
        with self._lock:
            self._units = None


units = UnitDirectory()


def supervisory_unit_ids() -> list[str]:
    return sorted(u for u, unit in units.all().items() if "supervisory" in (unit.roles or []))


def dispatch_centre_ids() -> list[str]:
    return sorted(u for u, unit in units.all().items() if "dispatch_centre" in (unit.roles or []))


# -- submit ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Submission:
    category: str
    title: str
    content: str
    district: str
    channel: str
    contact_name: str | None
    contact_phone: str | None
    received_at: datetime | None = None
    enterprise_uscc: str | None = None
    anonymous: bool = False
    attachments: tuple[str, ...] = ()
    subject_unit_id: str | None = None


@dataclass
class SubmitResult:
    appeal: Appeal
    clocks: list[SlaClock] = field(default_factory=list)
    duplicate_of: str | None = None
    receipt_code: str | None = None


def _check_submission(caller: Principal | None, sub: Submission, now: datetime) -> Submission:
    errors: list[FieldError] = []
    settings = get_settings()
    if not covers(settings.division_code, sub.district):
        errors.append(FieldError("district", f"this stack serves {settings.division_code}; submit to that district's stack"))
    confidential = sub.category in CONFIDENTIAL_CATEGORIES
    if caller is None:
        if not (confidential and sub.anonymous):
            raise_unauthenticated()
        if sub.channel != WEB:
            errors.append(FieldError("channel", "an anonymous report comes through the web channel"))
    elif caller.role == ENTERPRISE:
        if sub.channel != WEB:
            errors.append(FieldError("channel", "enterprises submit through the web channel; intake staff record the others"))
        if sub.received_at is not None:
            errors.append(FieldError("received_at", "only intake channels record when a call or visit happened"))
        if sub.enterprise_uscc not in (None, caller.org_id):
            errors.append(FieldError("enterprise_uscc", "an enterprise submits for itself"))
    elif caller.role in (STAFF, DISPATCHER_ROLE):
        if sub.channel not in INTAKE_CHANNELS:
            errors.append(FieldError("channel", f"intake staff record one of: {', '.join(INTAKE_CHANNELS)}"))
        if sub.received_at is not None and sub.received_at > now + timedelta(minutes=5):
            errors.append(FieldError("received_at", "lies in the future"))
        if sub.received_at is not None and sub.received_at < now - timedelta(days=30):
            errors.append(FieldError("received_at", "is more than 30 days ago; record it as a new matter"))
    else:
        raise Forbidden("Appeals are submitted by enterprises or recorded by intake staff.")
    if not sub.anonymous and not (sub.contact_name and sub.contact_phone):
        errors.append(FieldError("contact", "name and phone are needed unless the report is anonymous"))
    if sub.anonymous and not confidential:
        errors.append(FieldError("anonymous", "only reports and business-environment clues can be anonymous"))
    if sub.contact_phone and not _PHONE.match(sub.contact_phone.replace(" ", "")):
        errors.append(FieldError("contact.phone", "is not a phone number"))
    if sub.subject_unit_id:
        try:
            units.get(sub.subject_unit_id, "subject_unit_id")
        except ValidationFailed as error:
            errors += error.errors
    if errors:
        raise ValidationFailed(errors)
    return sub


def raise_unauthenticated() -> None:
    raise Unauthenticated("Sign in to submit; only reports and clues may be submitted anonymously.")


class TicketBook:
    """The ticket number of one submission, kept across its attempts.

    A number is claimed with an atomic ADD (no read, no condition, never in a transaction), so
    concurrent submissions never contend for it. The creating transaction records what the number
    became (`TicketNumber`); a submission that ends without committing voids its number with the
    reason (the route calls `void_unused`), and the ticket audit voids numbers whose submitter died.
    """

    def __init__(self) -> None:
        self.ticket_no: str | None = None

    def claim(self, uow: UnitOfWork, appeal_id: str) -> str:
        if self.ticket_no is None:
            item = TicketCounter(name=TICKET_COUNTER)
            item.update(actions=[TicketCounter.value.add(1)])
            self.ticket_no = ticket_number(int(item.value))
        uow.put(TicketNumber(ticket_no=self.ticket_no, appeal_id=appeal_id, at=utc_stamp(uow.now)),
                TicketNumber.ticket_no.does_not_exist(), label="ticket")
        return self.ticket_no

    def void_unused(self, reason: str) -> None:
        if self.ticket_no is not None:
            void_ticket(self.ticket_no, reason, get_clock().now())


def ticket_number(value: int) -> str:
    return f"{get_settings().division_code}-{value:07d}"


def void_ticket(ticket_no: str, reason: str, now: datetime) -> bool:
    """Record that a number will never name an appeal (no-op if it already names one, or is void)."""
    return put_if_absent(TicketNumber(ticket_no=ticket_no, void_reason=reason[:200], at=utc_stamp(now)), TicketNumber.ticket_no)


@dataclass(frozen=True)
class TicketLine:
    number: int
    ticket_no: str
    appeal_id: str | None
    void_reason: str | None


def ticket_ledger(first: int, last: int) -> tuple[int, list[TicketLine]]:
    """The numbers claimed so far, and what became of each in first..last (BatchGetItem by key).

    A number with neither an appeal nor a void is still being submitted (or was abandoned
    minutes ago and awaits the ticket audit).
    """
    try:
        claimed = int(TicketCounter.get(TICKET_COUNTER, consistent_read=True).value)
    except TicketCounter.DoesNotExist:
        claimed = 0
    numbers = {ticket_number(n): n for n in range(first, min(last, claimed) + 1)}
    found = {t.ticket_no: t for t in TicketNumber.batch_get(list(numbers), consistent_read=True)} if numbers else {}
    lines = [TicketLine(n, no, getattr(found.get(no), "appeal_id", None), getattr(found.get(no), "void_reason", None))
             for no, n in numbers.items()]
    return claimed, lines


def audit_tickets(now: datetime, batch: int = 100) -> dict[str, int]:
    """Account for every claimed number: void those nobody recorded within TICKET_ABANDONED_AFTER.

    Reads the watermark, then the numbers after it by key (BatchGetItem): no scan. Numbers claimed
    after the counter was last seen are left for the next run, so a submission still committing is
    never voided under it.
    """
    try:
        mark = TicketCounter.get(TICKET_AUDIT, consistent_read=True)
    except TicketCounter.DoesNotExist:
        mark = TicketCounter(name=TICKET_AUDIT, value=0)
    checked = int(mark.value or 0)
    seen, seen_at = int(mark.seen_value or 0), mark.seen_at
    result = {"seen": 0, "changed": 0}
    if seen_at is not None and now - parse_utc_stamp(seen_at) >= TICKET_ABANDONED_AFTER and checked < seen:
        upto = min(seen, checked + batch)
        numbers = [ticket_number(n) for n in range(checked + 1, upto + 1)]
        known = {t.ticket_no for t in TicketNumber.batch_get(numbers)}
        result["seen"] = len(numbers)
        for number in numbers:
            if number not in known and void_ticket(number, "abandoned: claimed, but no appeal was committed", now):
                result["changed"] += 1
        checked = upto
    if checked >= seen:  # caught up: look at the counter again, and wait before judging the new numbers
        try:
            seen = int(TicketCounter.get(TICKET_COUNTER, consistent_read=True).value)
        except TicketCounter.DoesNotExist:
            seen = 0
        seen_at = utc_stamp(now)
    TicketCounter(name=TICKET_AUDIT, value=checked, seen_value=seen, seen_at=seen_at).save()
    return result


def _new_clocks(appeal_id: str, started: datetime) -> list[SlaClock]:
    cal = calendar.get_calendar(started)
    return [calendar.new_clock(cal, owner(appeal_id), name, rule, started) for name, rule in LEAD_CLOCKS.items()]


def _co_clock(appeal_id: str, unit_id: str, started: datetime) -> SlaClock:
    return calendar.new_clock(calendar.get_calendar(started), owner(appeal_id), f"co:{unit_id}:reply_by", CO_REPLY_RULE, started)


def _dispatch(uow: UnitOfWork, appeal: Appeal, unit_id: str, co_unit_ids: list[str], auto: bool, stats: StatsDelta,
              previous: dict[str, SlaClock] | None = None) -> list[SlaClock]:
    """Assign the lead (and co-handling units) and start their clocks, from now.

    On a re-dispatch the new clocks overwrite the previous unit's (a transaction may touch an item
    once, so replaced clocks are overwritten, and only clocks with no successor are deleted).
    """
    now = uow.now
    previous = dict(previous or {})
    previous_co = set(appeal.co_units or [])
    appeal.status = DISPATCHED
    appeal.assignee_unit = unit_id
    appeal.co_units = list(co_unit_ids)
    appeal.dispatched_at = utc_stamp(now)
    appeal.dispatched_by = "platform" if auto else uow.actor_sub
    appeal.auto_dispatched = auto
    appeal.accepted_at = appeal.contacted_at = appeal.feedback_at = None
    appeal.dispatch_count = int(appeal.dispatch_count or 0) + 1
    clocks = _new_clocks(appeal.appeal_id, now) + [_co_clock(appeal.appeal_id, co, now) for co in co_unit_ids]
    for clock in clocks:
        replaced = previous.pop(clock.name, None)
        if replaced is not None:
            clock.version = replaced.version
        uow.put(clock, label=f"clock:{clock.name}")
    for stale in previous.values():
        if stale.name in LEAD_CLOCKS or stale.name.startswith("co:"):
            uow.delete(stale, label=f"clock:{stale.name}")
    for co_unit in previous_co - set(co_unit_ids):
        uow.delete(CoTask(unit_id=co_unit, appeal_id=appeal.appeal_id), label="cotask")
    for co_unit in co_unit_ids:
        uow.put(
            CoTask(unit_id=co_unit, appeal_id=appeal.appeal_id, ticket_no=appeal.ticket_no, title=appeal.title,
                   lead_unit=unit_id, assigned_at=utc_stamp(now)),
            label="cotask",
        )
    stats.add(unit_id, appeal.district, now, received=1)
    uow.audit(owner(appeal.appeal_id), "appeal.dispatched",
              after={"unit_id": unit_id, "co_unit_ids": list(co_unit_ids), "auto": auto})
    due = {c.name: c.due for c in clocks}
    recipients = [f"org:{unit_id}"] + [f"org:{u}" for u in co_unit_ids]
    uow.emit("appeal.dispatched", {"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no, "title": appeal.title,
                                   "unit_id": unit_id, "deadlines": due}, recipients)
    return clocks


def submit(uow: UnitOfWork, caller: Principal | None, sub: Submission, tickets: TicketBook | None = None,
           client_address: str = "") -> SubmitResult:
    now = uow.now
    sub = _check_submission(caller, sub, now)
    if caller is None:
        ratelimit.count("appeal-anonymous", client_address or "unknown", ANONYMOUS_SUBMIT_LIMIT, ANONYMOUS_SUBMIT_WINDOW, now)
    confidential = sub.category in CONFIDENTIAL_CATEGORIES
    enterprise = sub.enterprise_uscc or (caller.org_id if caller and caller.role == ENTERPRISE else None)
    appeal_id = uuid.uuid4().hex[:16]
    if confidential:
        # From here on every record of this request names the case's pseudonym, not the caller:
        # audit rows, the channel record, the outbox. The caller's identity goes into the vault only.
        uow.act_as(reporter_pseudonym(appeal_id), SEALED_ROLE, SEALED_ORG)
    submitted_by = uow.actor_sub if confidential else (caller.sub if caller else "anonymous")
    ticket_no = (tickets or TicketBook()).claim(uow, appeal_id)
    record = ChannelRecord(channel=sub.channel, appeal_id=appeal_id, ticket_no=ticket_no, submitted_at=utc_stamp(now),
                           received_at=utc_stamp(sub.received_at) if sub.received_at else None,
                           submitted_by=submitted_by)
    appeal = Appeal(
        appeal_id=appeal_id, ticket_no=ticket_no, category=sub.category, title=sub.title, content=sub.content,
        district=sub.district, channel=sub.channel, channels=[record], submitted_at=utc_stamp(now),
        received_at=record.received_at, submitted_by=submitted_by,
        submitter_role=SEALED_ROLE if confidential else (caller.role if caller else "anonymous"),
        submitter_org=None if confidential else (caller.org_id if caller else None),
        enterprise_uscc=None if confidential else enterprise,
        contact_name=None if confidential else sub.contact_name,
        contact_phone=None if confidential else sub.contact_phone,
        anonymous=sub.anonymous, confidential=confidential, attachments=list(sub.attachments),
        subject_unit_id=sub.subject_unit_id, status=PENDING_DISPATCH,
    )
    result = SubmitResult(appeal=appeal)
    stats = StatsDelta()
    entity = owner(appeal_id)
    if sub.received_at is not None:
        uow.audit(entity, "appeal.received", after={"at": isoformat_utc(sub.received_at), "channel": sub.channel,
                                                    "received_at": isoformat_utc(sub.received_at)})
    uow.audit(entity, "appeal.submitted", after={"ticket_no": ticket_no, "channel": sub.channel, "category": sub.category})

    original = _find_duplicate(enterprise, sub) if (enterprise and not confidential) else None
    if original is not None:
        _merge_onto(uow, appeal, original, record, automatic=True)
        result.duplicate_of = original.appeal_id
    else:
        if confidential:
            result.receipt_code = new_receipt_code()
            appeal.receipt_hash = hash_receipt(result.receipt_code)
            vault.seal(uow, appeal_id, {"submitted_by": caller.sub if caller else "anonymous",
                                        "role": caller.role if caller else "anonymous",
                                        "org_id": caller.org_id if caller else None, "enterprise_uscc": enterprise,
                                        "contact_name": sub.contact_name, "contact_phone": sub.contact_phone})
        rule = routing.route(routing.rule_cache.get(), sub.category, sub.district, sub.title, sub.content, sub.subject_unit_id)
        if rule is not None:
            result.clocks = _dispatch(uow, appeal, rule.unit_id, [], auto=True, stats=stats)
        else:
            uow.emit("appeal.awaiting_dispatch", {"appeal_id": appeal_id, "ticket_no": ticket_no},
                     [f"org:{u}" for u in dispatch_centre_ids()])
        if confidential:
            receiver = [reporter_pseudonym(appeal_id)]
        else:
            receiver = [f"user:{caller.sub}"] if caller else []
        uow.emit("appeal.received", {"appeal_id": appeal_id, "ticket_no": ticket_no}, receiver)
    refresh_index_keys(appeal)
    uow.put(appeal, Appeal.appeal_id.does_not_exist(), label="appeal")
    stats.apply(uow)
    return result


def _find_duplicate(enterprise_uscc: str, sub: Submission) -> Appeal | None:
    """The open appeal of the same enterprise that is the same matter, if any (one Query)."""
    candidates = [a for a in Appeal.open_enterprise_index.query(enterprise_uscc) if a.status in OPEN_STATUSES]
    match = similarity.best_match((sub.title, sub.content), ((a.appeal_id, a.title, a.content) for a in candidates))
    if match is None:
        return None
    return next(a for a in candidates if a.appeal_id == match.appeal_id)


def _merge_onto(uow: UnitOfWork, appeal: Appeal, original: Appeal, record: ChannelRecord, automatic: bool) -> None:
    appeal.status = MERGED
    appeal.duplicate_of = original.appeal_id
    original.channels = list(original.channels or []) + [record]
    original.merged_ids = list(original.merged_ids or []) + [appeal.appeal_id]
    refresh_index_keys(original)
    uow.put(original, label="original")  # version-conditioned: a concurrent change of the original wins
    uow.audit(owner(original.appeal_id), "appeal.duplicate_merged",
              after={"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no, "channel": record.channel, "automatic": automatic})
    uow.audit(owner(appeal.appeal_id), "appeal.merged",
              after={"into": original.appeal_id, "into_ticket_no": original.ticket_no, "automatic": automatic})
    recipients = [f"org:{original.assignee_unit}"] if original.assignee_unit else [f"org:{u}" for u in dispatch_centre_ids()]
    uow.emit("appeal.duplicate_merged", {"appeal_id": original.appeal_id, "ticket_no": original.ticket_no,
                                         "merged_ticket_no": appeal.ticket_no, "channel": record.channel}, recipients)


# -- reading --------------------------------------------------------------------------------------
def resource(appeal: Appeal) -> Resource:
    parties = {p for p in (appeal.enterprise_uscc, appeal.submitter_org, appeal.assignee_unit) if p}
    parties |= set(appeal.co_units or [])
    return Resource("appeal", appeal.appeal_id, appeal.district, frozenset(parties))


def load(appeal_id: str) -> Appeal:
    try:
        return Appeal.get(appeal_id, consistent_read=True)
    except Appeal.DoesNotExist:
        raise NotFound(f"No appeal {appeal_id}.") from None


def load_visible(caller: Principal, appeal_id: str) -> Appeal:
    appeal = load(appeal_id)
    require(caller, READ, resource(appeal))
    return appeal


def clocks_of(appeal_id: str) -> dict[str, SlaClock]:
    return {c.name: c for c in SlaClock.query(owner(appeal_id), consistent_read=True)}


def relations(caller: Principal, appeal: Appeal) -> set[str]:
    found = set()
    if caller.role == STAFF and caller.org_id == appeal.assignee_unit:
        found.add(LEAD)
    if caller.role == STAFF and caller.org_id in (appeal.co_units or []):
        found.add(CO)
    if caller.role == ENTERPRISE and caller.org_id in {appeal.enterprise_uscc, appeal.submitter_org} - {None}:
        found.add(SUBMITTER)
    if caller.role == DISPATCHER_ROLE and covers(caller.district, appeal.district):
        found.add(DISPATCHER)
    if caller.role == SUPERVISOR_ROLE and covers(caller.district, appeal.district):
        found.add(SUPERVISOR)
    return found


# -- actions --------------------------------------------------------------------------------------
@dataclass
class ActionResult:
    appeal: Appeal
    clocks: dict[str, SlaClock]


def authorise(caller: Principal | None, appeal: Appeal, action: str, receipt_holder: bool = False) -> set[str]:
    """404 if the caller cannot see it, 403 if not theirs to do, 409 if not in this status."""
    transition = TRANSITIONS[action]
    if receipt_holder:
        rel = {SUBMITTER}
    else:
        if caller is None:
            raise_unauthenticated()
        require(caller, READ, resource(appeal))
        rel = relations(caller, appeal)
    if not rel & transition.actors:
        raise Forbidden(f"'{action}' is not yours to do on this appeal.")
    if appeal.status not in transition.from_statuses:
        raise Conflict(f"'{action}' is not allowed while the appeal is {appeal.status}.")
    return rel


def _meet(uow: UnitOfWork, clock: SlaClock | None, stats: StatsDelta, unit_id: str | None, district: str, counter: str | None) -> None:
    """Meet a clock now; count it in the unit's rates unless its breach was already counted."""
    if clock is None or clock.met_at is not None:
        return
    now = uow.now
    late = clock.due_at <= now
    if counter and not clock.is_breached:
        stats.add(unit_id, district, now, **{f"{counter}_due": 1}, **({} if late else {f"{counter}_on_time": 1}))
    clock.mark_met(now)
    if late and not clock.is_breached:
        clock.breached_at = clock.due  # met late before the sweeper noticed: still a breach
    uow.put(clock, label=f"clock:{clock.name}")


def act(uow: UnitOfWork, caller: Principal | None, appeal_id: str, action: str, payload: dict[str, Any],
        receipt_code: str | None = None, client_address: str = "") -> ActionResult:
    appeal = load(appeal_id) if receipt_code is None else load_by_receipt(receipt_code, client_address, uow.now)
    authorise(caller, appeal, action, receipt_holder=receipt_code is not None)
    if receipt_code is not None:
        uow.act_as(reporter_pseudonym(appeal.appeal_id), SEALED_ROLE, SEALED_ORG)
    clocks = clocks_of(appeal.appeal_id)
    stats = StatsDelta()
    now = uow.now
    entity = owner(appeal.appeal_id)
    lead = appeal.assignee_unit
    notify_enterprise = [f"org:{p}" for p in sorted({appeal.enterprise_uscc, appeal.submitter_org} - {None})]
    if appeal.confidential:
        notify_enterprise = [reporter_pseudonym(appeal.appeal_id)]

    if action == "dispatch":
        unit_id, co_ids = payload["unit_id"], list(dict.fromkeys(payload.get("co_unit_ids") or []))
        _check_dispatch_target(appeal, unit_id, co_ids)
        clocks = {c.name: c for c in _dispatch(uow, appeal, unit_id, co_ids, auto=False, stats=stats, previous=clocks)}
    elif action == "accept":
        appeal.status = IN_PROGRESS
        appeal.accepted_at = utc_stamp(now)
        uow.audit(entity, "appeal.accepted", after={"unit_id": lead})
    elif action == "return":
        window = clocks.get("feedback_by")
        if window is not None and window.due_at <= now:
            raise Conflict("The window for returning this appeal has closed (it ends when the first working day does).")
        stats.add(lead, appeal.district, now, returns=1)
        _withdraw_clocks(uow, appeal, clocks)
        clocks = {}
        appeal.return_count = int(appeal.return_count or 0) + 1
        appeal.status, appeal.assignee_unit, appeal.co_units = PENDING_DISPATCH, None, []
        uow.audit(entity, "appeal.returned", after={"unit_id": lead, "reason": payload["reason"]})
        uow.emit("appeal.returned", {"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no, "unit_id": lead,
                                     "reason": payload["reason"]}, [f"org:{u}" for u in dispatch_centre_ids()])
    elif action == "contact":
        _meet(uow, clocks.get("contact_by"), stats, lead, appeal.district, "contact")
        appeal.contacted_at = utc_stamp(now)
        uow.audit(entity, "appeal.contacted", after={"method": payload["method"], "note": payload.get("note", "")})
    elif action == "feedback":
        if not appeal.contacted_at:
            raise Conflict("Contact the enterprise before giving the preliminary opinion.")
        _meet(uow, clocks.get("feedback_by"), stats, lead, appeal.district, "feedback")
        appeal.feedback_at, appeal.feedback_text = utc_stamp(now), payload["text"]
        uow.audit(entity, "appeal.feedback", after={"text": payload["text"]})
        uow.emit("appeal.feedback", {"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no, "text": payload["text"]},
                 notify_enterprise)
    elif action == "request-extension":
        if appeal.pending_extension:
            raise Conflict("An extension request is already waiting for a decision.")
        appeal.pending_extension = json.dumps({"working_days": payload["working_days"], "reason": payload["reason"],
                                               "requested_at": utc_stamp(now), "requested_by": uow.actor_sub}, ensure_ascii=False)
        uow.audit(entity, "appeal.extension_requested", after={"working_days": payload["working_days"], "reason": payload["reason"]})
        uow.emit("appeal.extension_requested", {"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no,
                                                "working_days": payload["working_days"]},
                 [f"org:{u}" for u in dispatch_centre_ids() + supervisory_unit_ids()])
    elif action == "decide-extension":
        if not appeal.pending_extension:
            raise Conflict("There is no extension request to decide.")
        request = json.loads(appeal.pending_extension)
        appeal.pending_extension = None
        if payload["approve"]:
            resolve_by = clocks["resolve_by"]
            calendar.grant_extension(calendar.get_calendar(now), resolve_by, int(request["working_days"]))
            uow.put(resolve_by, label="clock:resolve_by")
            appeal.extension_count = int(appeal.extension_count or 0) + 1
            stats.add(lead, appeal.district, now, extensions=1)
            shown = shanghai_iso(resolve_by.due)
            uow.audit(entity, "appeal.extension_approved", after={"working_days": request["working_days"], "resolve_by": shown})
            uow.emit("appeal.extension_approved", {"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no,
                                                   "resolve_by": shown}, notify_enterprise + [f"org:{lead}"])
        else:
            uow.audit(entity, "appeal.extension_refused", after={"working_days": request["working_days"]})
            uow.emit("appeal.extension_refused", {"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no}, [f"org:{lead}"])
    elif action == "resolve":
        if not appeal.feedback_at:
            raise Conflict("Give the preliminary opinion (feedback) before resolving.")
        _meet(uow, clocks.get("resolve_by"), stats, lead, appeal.district, "resolve")
        stats.add(lead, appeal.district, now, resolved=1)
        appeal.status, appeal.resolved_at, appeal.resolution = RESOLVED, utc_stamp(now), payload["result"]
        confirm = calendar.new_clock(calendar.get_calendar(now), entity, CONFIRM_CLOCK, f"days:{get_settings().appeal_auto_close_days}", now,
                                     warn_fraction=None)
        existing = clocks.get(CONFIRM_CLOCK)
        if existing is not None:
            confirm.version = existing.version  # a reopened appeal resolved again: replace the old one
        uow.put(confirm, label="clock:confirm_by")
        clocks[CONFIRM_CLOCK] = confirm
        uow.audit(entity, "appeal.resolved", after={"result": payload["result"]})
        uow.emit("appeal.resolved", {"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no, "result": payload["result"],
                                     "confirm_by": shanghai_iso(confirm.due)}, notify_enterprise)
    elif action == "co-reply":
        unit_id = caller.org_id
        task = CoTask.get(unit_id, appeal.appeal_id, consistent_read=True)
        if task.status != "open":
            raise Conflict("This unit has already replied.")
        task.status, task.reply, task.replied_at, task.replied_by = "replied", payload["text"], utc_stamp(now), uow.actor_sub
        uow.put(task, CoTask.status == "open", label="cotask")
        _meet(uow, clocks.get(f"co:{unit_id}:reply_by"), stats, None, appeal.district, None)
        uow.audit(entity, "appeal.co_replied", after={"unit_id": unit_id, "text": payload["text"]})
        uow.emit("appeal.co_replied", {"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no, "unit_id": unit_id},
                 [f"org:{lead}"])
    elif action == "confirm":
        satisfied = bool(payload["satisfied"])
        stats.add(lead, appeal.district, now, confirmations=1, **({"satisfied": 1} if satisfied else {"reopens": 1}))
        confirm_clock = clocks.get(CONFIRM_CLOCK)
        if confirm_clock is not None and confirm_clock.met_at is None:
            confirm_clock.mark_met(now)
            uow.put(confirm_clock, label="clock:confirm_by")
        appeal.satisfied, appeal.confirm_comment = satisfied, payload.get("comment")
        if satisfied:
            appeal.status, appeal.closed_at, appeal.closed_reason = CLOSED, utc_stamp(now), "confirmed"
        else:
            appeal.status = IN_PROGRESS
            appeal.reopen_count = int(appeal.reopen_count or 0) + 1
            resolve_by = clocks.get("resolve_by")
            if resolve_by is not None:
                # Reopened against its original deadline: nothing but an extension moves a deadline.
                resolve_by.met_at = None
                resolve_by.breached_at = None if resolve_by.due_at > now else resolve_by.breached_at
                resolve_by.set_deadline(calendar.compute_due(calendar.get_calendar(now), resolve_by.rule, resolve_by.started,
                                                             int(resolve_by.extra_working_days or 0)))
                uow.put(resolve_by, label="clock:resolve_by")
        uow.audit(entity, "appeal.confirmed", after={"satisfied": satisfied, "comment": payload.get("comment")})
        if not satisfied:
            uow.emit("appeal.reopened", {"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no}, [f"org:{lead}"])
    elif action == "rate":
        if appeal.rating_speed is not None:
            raise Conflict("This appeal has been rated already.")
        appeal.rating_speed, appeal.rating_attitude, appeal.rating_outcome = payload["speed"], payload["attitude"], payload["outcome"]
        appeal.rating_comment = payload.get("comment")
        stats.add(lead, appeal.district, now, ratings=1, rating_speed_sum=payload["speed"],
                  rating_attitude_sum=payload["attitude"], rating_outcome_sum=payload["outcome"])
        uow.audit(entity, "appeal.rated", after={k: payload.get(k) for k in ("speed", "attitude", "outcome", "comment")})
    elif action == "supervise":
        uow.audit(entity, "appeal.supervised", after={"note": payload["note"]})
        uow.emit("appeal.supervised", {"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no, "note": payload["note"]},
                 [f"org:{u}" for u in [lead, *(appeal.co_units or [])] if u])
    elif action == "merge":
        try:
            target = load(payload["into"])
        except NotFound:
            raise ValidationFailed([FieldError("into", "no such appeal")]) from None
        if target.appeal_id == appeal.appeal_id or target.status not in OPEN_STATUSES or target.district != appeal.district:
            raise ValidationFailed([FieldError("into", "must be another open appeal of the same district")])
        if bool(target.confidential) != bool(appeal.confidential):
            # A report merged into an ordinary appeal would show up in its submitter's channels and
            # timeline; an ordinary appeal merged into a report would follow a sealed case.
            raise ValidationFailed([FieldError("into", "a confidential report merges only with another confidential report")])
        _withdraw_clocks(uow, appeal, clocks)
        clocks = {}
        appeal.assignee_unit, appeal.co_units = None, []
        record = next((c for c in appeal.channels or [] if c.appeal_id == appeal.appeal_id), None) or ChannelRecord(
            channel=appeal.channel, appeal_id=appeal.appeal_id, ticket_no=appeal.ticket_no,
            submitted_at=appeal.submitted_at, received_at=appeal.received_at, submitted_by=appeal.submitted_by)
        _merge_onto(uow, appeal, target, record, automatic=False)
    elif action == "split":
        target = load(appeal.duplicate_of)
        target.merged_ids = [i for i in (target.merged_ids or []) if i != appeal.appeal_id]
        target.channels = [c for c in (target.channels or []) if c.appeal_id != appeal.appeal_id]
        refresh_index_keys(target)
        uow.put(target, label="original")
        uow.audit(owner(target.appeal_id), "appeal.split", after={"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no})
        uow.audit(entity, "appeal.split", after={"from": target.appeal_id, "reason": payload.get("reason", "")})
        appeal.status, appeal.duplicate_of = PENDING_DISPATCH, None
        uow.emit("appeal.awaiting_dispatch", {"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no},
                 [f"org:{u}" for u in dispatch_centre_ids()])
    else:  # pragma: no cover - TRANSITIONS and this dispatch are kept in step by a test
        raise ValueError(action)

    appeal.breached = any(c.is_breached and c.name in LEAD_CLOCKS for c in clocks.values())
    refresh_index_keys(appeal)
    uow.put(appeal, label="appeal")  # version-conditioned: two staff acting at once never both win
    stats.apply(uow)
    return ActionResult(appeal, clocks)


def _check_dispatch_target(appeal: Appeal, unit_id: str, co_ids: list[str]) -> None:
    units.get(unit_id, "unit_id")
    errors = []
    for i, co in enumerate(co_ids):
        try:
            units.get(co, f"co_unit_ids[{i}]")
        except ValidationFailed as error:
            errors += error.errors
        if co == unit_id:
            errors.append(FieldError(f"co_unit_ids[{i}]", "is the lead unit"))
    if appeal.subject_unit_id and appeal.subject_unit_id in [unit_id, *co_ids]:
        field_name = "unit_id" if appeal.subject_unit_id == unit_id else f"co_unit_ids[{co_ids.index(appeal.subject_unit_id)}]"
        errors.append(FieldError(field_name, "is the unit this appeal is about; it cannot handle it"))
    if errors:
        raise ValidationFailed(errors)


def _withdraw_clocks(uow: UnitOfWork, appeal: Appeal, clocks: dict[str, SlaClock]) -> None:
    """A unit that no longer handles the appeal has no clocks running on it (or sub-tasks)."""
    for clock in clocks.values():
        if clock.name in LEAD_CLOCKS or clock.name.startswith("co:"):
            uow.delete(clock, label=f"clock:{clock.name}")
    for co_unit in appeal.co_units or []:
        uow.delete(CoTask(unit_id=co_unit, appeal_id=appeal.appeal_id), label="cotask")


# -- confidential follow-up and custodian reveal --------------------------------------------------
RECEIPT_FAILURE_LIMIT = 10  # wrong codes per client address per window
RECEIPT_FAILURE_WINDOW = 900


def load_by_receipt(code: str, client_address: str = "", now: datetime | None = None) -> Appeal:
    """The report a receipt code opens. Wrong codes are counted per client address: guessing stops
    long before a 100-bit code could be found, and only the guesser's address is slowed."""
    now = now or get_clock().now()
    address = client_address or "unknown"
    ratelimit.refuse_if_limited("receipt-failed", address, RECEIPT_FAILURE_LIMIT, RECEIPT_FAILURE_WINDOW, now)
    normalised = normalise_receipt(code)
    found = list(Appeal.receipt_index.query(hash_receipt(normalised), limit=1)) if len(normalised) == RECEIPT_LENGTH else []
    if not found:
        ratelimit.count("receipt-failed", address, RECEIPT_FAILURE_LIMIT, RECEIPT_FAILURE_WINDOW, now)
        raise NotFound("No report with this receipt code.")
    return load(found[0].appeal_id)


def reveal_identity(uow: UnitOfWork, caller: Principal, appeal_id: str, reason: str) -> dict[str, Any]:
    if caller.role != CUSTODIAN:
        raise Forbidden("Only a custodian can reveal a reporter's identity.")
    appeal = load_visible(caller, appeal_id)
    if not appeal.confidential:
        raise Conflict("This appeal is not a confidential report; its submitter is on the case.")
    identity = vault.reveal(appeal_id)
    # Audited in the transaction that answers: if the audit record cannot be written, nothing is shown.
    uow.audit(owner(appeal_id), "appeal.identity_revealed", after={"reason": reason, "custodian": caller.sub})
    return identity


# -- sweeper hook ---------------------------------------------------------------------------------
def on_clock(clock: SlaClock, event: str, uow: UnitOfWork, now: datetime) -> None:
    """Called by the SLA sweeper for appeal clocks: warn the unit, mark breaches and escalate,
    auto-close an appeal nobody confirmed."""
    appeal_id = clock.owner.split("#", 1)[1]
    appeal = load(appeal_id)
    entity = owner(appeal_id)
    if clock.name == CONFIRM_CLOCK:
        if event != "breach":
            return
        if appeal.status != RESOLVED:
            raise Conflict("no longer waiting for confirmation")
        appeal.status, appeal.closed_at, appeal.closed_reason = CLOSED, utc_stamp(now), "auto_closed"
        uow.audit(entity, "appeal.auto_closed", after={"rule": clock.rule})
        refresh_index_keys(appeal)
        uow.put(appeal, label="appeal")
        return
    if appeal.status not in OPEN_STATUSES:
        raise Conflict("the appeal is no longer open")
    unit = clock.name.split(":")[1] if clock.name.startswith("co:") else appeal.assignee_unit
    name = clock.name.split(":")[-1] if clock.name.startswith("co:") else clock.name
    payload = {"appeal_id": appeal_id, "ticket_no": appeal.ticket_no, "clock": name, "unit_id": unit,
               "due": shanghai_iso(clock.due)}
    if event == "warn":
        uow.audit(entity, "appeal.warned", after={"clock": name, "unit_id": unit})
        uow.emit("appeal.clock_warning", payload, [f"org:{unit}"])
        return
    uow.audit(entity, "appeal.breached", after={"clock": name, "unit_id": unit})
    uow.emit("appeal.clock_breached", payload, [f"org:{unit}"] + [f"org:{u}" for u in supervisory_unit_ids()])
    if clock.name in LEAD_CLOCKS:
        stats = StatsDelta()
        stats.add(unit, appeal.district, now, **{f"{name.removesuffix('_by')}_due": 1})
        appeal.breached = True
        refresh_index_keys(appeal)
        uow.put(appeal, label="appeal")
        stats.apply(uow)
