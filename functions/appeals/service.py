"""Appeal use cases: submit (with duplicate merge and auto-dispatch), read an appeal with its clocks
and timeline, list queues and statistics, edit routing rules, reveal a sealed identity; the state
machine's actions are in states.py. No Chalice here.

Every read takes the caller and applies access itself (404 for what the caller cannot see), so a
view cannot forget to; `load` (no check) is for this platform's own use cases and jobs.

Every change goes into the caller's unit of work: the appeal (conditional on its version), its
clocks, the statistics it moves, its audit records and outbox notices commit together.
"""
from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from functions.appeals import routing, similarity, stats, vault
from functions.appeals.models import Appeal, ChannelRecord, CoTask, RoutingRule, TicketCounter, TicketNumber
from functions.appeals.stats import StatsDelta
from functions.appeals.vocabulary import (
    CO,
    CLOSED,
    CO_REPLY,
    CONFIRM_CLOCK,
    CONFIDENTIAL_CATEGORIES,
    DISPATCHED,
    DISPATCHER,
    INTAKE_CHANNELS,
    LEAD,
    LEAD_CLOCK_NAMES,
    LEAD_CLOCKS,
    MERGED,
    OPEN_STATUSES,
    PENDING_DISPATCH,
    RESOLVED,
    SEALED_ORG,
    SEALED_ROLE,
    SUBMITTER,
    SUPERVISOR,
    WEB,
    clock_words,
)
from functions.calendar import service as calendar
from functions.calendar.models import SlaClock, attention_key, parse_utc_stamp, shanghai_iso, utc_stamp
from functions.files import service as files
from functions.files.models import FileRecord
from functions.identity.access import READ, Resource, require
from functions.identity.principal import ADMIN, AUDITOR, CUSTODIAN, ENTERPRISE, STAFF, Principal
from functions.identity.principal import DISPATCHER as DISPATCHER_ROLE
from functions.identity.principal import SUPERVISOR as SUPERVISOR_ROLE
from functions.refdata.directory import dispatch_centre_ids, supervisory_unit_ids, units
from functions.refdata.divisions import CITY, covers
from functions.settings import get_settings
from functions.shared import keyring, ratelimit
from functions.shared.audit import AuditRecord, UnitOfWork, recent_audit
from functions.shared.clock import get_clock, isoformat_utc
from functions.shared.errors import Conflict, FieldError, Forbidden, NotFound, Unauthenticated, ValidationFailed
from functions.shared.models import put_if_absent

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
# The newest audit records an appeal's page shows as its timeline (the full trail: GET /api/audit).
TIMELINE_LIMIT = 100
_PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{5,12})$")


# -- small helpers --------------------------------------------------------------------------------
def owner(appeal_id: str) -> str:
    return f"appeal#{appeal_id}"


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
    duplicate_ticket_no: str | None = None  # the original's, for a channel's answer
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
    if confidential and any(ref.startswith("file:") for ref in sub.attachments):
        # A file record names the organisation that uploaded it: attached, it would unseal the reporter.
        errors.append(FieldError("attachments", "a confidential report carries no uploaded files: a file names the "
                                                "organisation that uploaded it"))
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


def ticket_ledger(caller: Principal, first: int, last: int) -> tuple[int, list[TicketLine]]:
    """The numbers claimed so far, and what became of each in first..last (BatchGetItem by key).

    A number with neither an appeal nor a void is still being submitted (or was abandoned
    minutes ago and awaits the ticket audit).
    """
    require(caller, READ, Resource("ticket ledger", "appeal-tickets", get_settings().division_code))
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
    return [calendar.new_clock(cal, owner(appeal_id), name, rule, started) for name, rule in ((c.name, c.rule) for c in LEAD_CLOCKS)]


def _co_clock(appeal_id: str, unit_id: str, started: datetime) -> SlaClock:
    return calendar.new_clock(calendar.get_calendar(started), owner(appeal_id), f"co:{unit_id}:{CO_REPLY.name}", CO_REPLY.rule, started)


def dispatch(uow: UnitOfWork, appeal: Appeal, unit_id: str, co_unit_ids: list[str], auto: bool, stats: StatsDelta,
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
        if stale.name in LEAD_CLOCK_NAMES or stale.name.startswith("co:"):
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
    appeal_id = uuid.uuid4().hex[:16]
    # Files of the caller's organisation, uploaded as granted and taken by nothing else, become this
    # appeal's in this transaction (422 `attachments[i]`; none: no call). An Open311 channel
    # (open311.ChannelPrincipal, which carries its `channel`) attaches its media_url, a link its intake checked.
    files.attach(uow, caller, sub.attachments, owner(appeal_id), field="attachments",
                 links=getattr(caller, "channel", None) is not None)
    if caller is None:
        ratelimit.count("appeal-anonymous", client_address or "unknown", ANONYMOUS_SUBMIT_LIMIT, ANONYMOUS_SUBMIT_WINDOW, now)
    confidential = sub.category in CONFIDENTIAL_CATEGORIES
    enterprise = sub.enterprise_uscc or (caller.org_id if caller and caller.role == ENTERPRISE else None)
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
        merge_onto(uow, appeal, original, record, automatic=True)
        result.duplicate_of, result.duplicate_ticket_no = original.appeal_id, original.ticket_no
        result.clocks = list(clocks_of(original.appeal_id).values())  # the deadlines the matter is handled on
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
            result.clocks = dispatch(uow, appeal, rule.unit_id, [], auto=True, stats=stats)
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


def merge_onto(uow: UnitOfWork, appeal: Appeal, original: Appeal, record: ChannelRecord, automatic: bool) -> None:
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


# -- reading: every read takes the caller and applies access itself --------------------------------
def resource(appeal: Appeal) -> Resource:
    parties = {p for p in (appeal.enterprise_uscc, appeal.submitter_org, appeal.assignee_unit) if p}
    parties |= set(appeal.co_units or [])
    return Resource("appeal", appeal.appeal_id, appeal.district, frozenset(parties))


def load(appeal_id: str) -> Appeal:
    """An appeal by id, with no access check: for this platform's own use cases and jobs, never a
    view's answer (views call `read`, which checks)."""
    try:
        return Appeal.get(appeal_id, consistent_read=True)
    except Appeal.DoesNotExist:
        raise NotFound(f"No appeal {appeal_id}.") from None


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


@dataclass
class AppealView:
    """An appeal as one caller may see it: what the presenter needs, read once, access applied."""

    appeal: Appeal
    clocks: dict[str, SlaClock]
    records: list[AuditRecord]  # the newest TIMELINE_LIMIT, this request's own included
    relations: set[str]
    receipt_holder: bool = False
    for_enterprise: bool = False
    unit_names: dict[str, str] = field(default_factory=dict)
    files: list[FileRecord] = field(default_factory=list)  # its attached files, in the order it lists them


def view_of(appeal: Appeal, clocks: dict[str, SlaClock], caller: Principal | None, receipt_holder: bool = False,
            pending: list[AuditRecord] = ()) -> AppealView:
    """The view of an appeal already loaded and authorised; `pending` are this request's audit records."""
    entity = owner(appeal.appeal_id)
    stored = {r.at_seq: r for r in recent_audit(entity, TIMELINE_LIMIT)}
    stored.update({r.at_seq: r for r in pending if r.entity == entity})
    records = [stored[key] for key in sorted(stored)][-TIMELINE_LIMIT:]
    return AppealView(
        appeal=appeal, clocks=clocks, records=records,
        relations={SUBMITTER} if receipt_holder else (relations(caller, appeal) if caller else set()),
        receipt_holder=receipt_holder, for_enterprise=receipt_holder or (caller is not None and caller.role == ENTERPRISE),
        unit_names=units.names(),
        files=files.attached(appeal.attachments or [], entity),  # one BatchGetItem; no files: no call
    )


def read(caller: Principal, appeal_id: str) -> AppealView:
    """One appeal with its clocks and timeline, if the caller may see it (404 otherwise)."""
    appeal = load(appeal_id)
    require(caller, READ, resource(appeal))
    return view_of(appeal, clocks_of(appeal_id), caller)


def read_attachment(caller: Principal, appeal_id: str, file_id: str) -> files.Download:
    """A file the appeal lists, with a short-lived download link, for whoever may read the appeal
    (the appeal's own read access); anything else is 404, as an appeal the caller cannot see is.
    Not audited: reading an appeal is not either (only revealing a sealed identity is), and a
    confidential report, the one kind whose reading is sensitive, carries no files. Two GetItems."""
    appeal = load(appeal_id)
    require(caller, READ, resource(appeal))
    if f"{files.REF_PREFIX}{file_id}" not in (appeal.attachments or []):
        raise NotFound(f"No file {file_id} on appeal {appeal_id}.")
    return files.read_attached(file_id, owner(appeal_id))


def read_by_receipt(code: str, client_address: str, now: datetime) -> AppealView:
    appeal = load_by_receipt(code, client_address, now)
    return view_of(appeal, clocks_of(appeal.appeal_id), None, receipt_holder=True)


@dataclass
class Page:
    items: list[Appeal]
    last_key: dict[str, Any] | None
    # The lead clocks of each listed appeal that has a unit, by appeal id: a queue shows countdowns.
    clocks: dict[str, dict[str, SlaClock]] = field(default_factory=dict)


def _page(results) -> Page:
    """One page of a list, with the lead clocks of its items: one BatchGetItem by key (at most 100
    keys a call; a page of 20 is one call), none when no listed appeal has a unit yet."""
    items = list(results)
    keys = [(owner(a.appeal_id), name) for a in items if a.assignee_unit for name in LEAD_CLOCK_NAMES]
    clocks: dict[str, dict[str, SlaClock]] = {}
    for clock in SlaClock.batch_get(keys) if keys else ():
        clocks.setdefault(clock.owner.split("#", 1)[1], {})[clock.name] = clock
    return Page(items, results.last_evaluated_key, clocks)


def enterprise_appeals(caller: Principal, cursor: dict[str, Any] | None, limit: int) -> Page:
    """The calling enterprise's own appeals, newest first (one Query)."""
    if caller.role != ENTERPRISE:
        raise Forbidden("Only an enterprise has appeals of its own.")
    return _page(Appeal.enterprise_index.query(caller.org_id, scan_index_forward=False, limit=limit, last_evaluated_key=cursor))


def unit_resource(unit_id: str) -> Resource:
    unit = units.find(unit_id)
    return Resource("unit", unit_id, unit.district, frozenset({unit_id}))


def unit_queue(caller: Principal, unit_id: str, status: str | None, breached: bool | None, cursor: dict[str, Any] | None,
               limit: int) -> Page:
    """A unit's queue, optionally of one status or only breached ones (one Query per page)."""
    require(caller, READ, unit_resource(unit_id))
    condition = Appeal.queue_key.startswith(f"{status}#") if status else None
    filter_condition = (Appeal.breached == breached) if breached is not None else None
    return _page(Appeal.unit_queue_index.query(unit_id, condition, filter_condition, limit=limit, last_evaluated_key=cursor))


def require_jurisdiction(caller: Principal, district: str) -> None:
    if not covers(caller.district, district):
        raise Forbidden("That district is outside your jurisdiction.")


def dispatch_queue(caller: Principal, district: str, cursor: dict[str, Any] | None, limit: int) -> Page:
    """Appeals of a district waiting for the dispatch centre (one Query per page)."""
    require_jurisdiction(caller, district)
    return _page(Appeal.dispatch_queue_index.query(district, limit=limit, last_evaluated_key=cursor))


@dataclass
class AttentionPage:
    """Clocks past breach or warning with the appeals they belong to (by appeal id)."""

    clocks: list[SlaClock]
    appeals: dict[str, Appeal]
    last_key: dict[str, Any] | None


def attention_queue(caller: Principal, state: str, cursor: dict[str, Any] | None, limit: int) -> AttentionPage:
    """Every unit's open deadlines of this stack that are breached (most overdue first) or warned
    (nearest first): a supervisor's view across units. One Query of the sparse attention index and
    one BatchGetItem for the page's appeals (none when the page is empty)."""
    if caller.role not in (SUPERVISOR_ROLE, ADMIN, AUDITOR):
        raise Forbidden("The view across units is for supervisors, administrators and auditors.")
    require_jurisdiction(caller, get_settings().division_code)
    results = SlaClock.attention_index.query(attention_key("appeal", state), limit=limit, last_evaluated_key=cursor)
    found = list(results)
    ids = sorted({clock.owner.split("#", 1)[1] for clock in found})
    appeals = {a.appeal_id: a for a in Appeal.batch_get(ids)} if ids else {}
    return AttentionPage(found, appeals, results.last_evaluated_key)


def unit_stats(caller: Principal, unit_id: str, period: str) -> dict[str, Any]:
    require(caller, READ, unit_resource(unit_id))
    return stats.read(f"unit#{unit_id}", period)


def district_stats(caller: Principal, district: str, period: str) -> dict[str, Any]:
    require_jurisdiction(caller, district)
    return stats.read(f"district#{district}", period)


# -- routing rules (data, edited by administrators) -----------------------------------------------
def routing_rules(caller: Principal) -> list[RoutingRule]:
    if caller.role not in (ADMIN, AUDITOR, DISPATCHER_ROLE, SUPERVISOR_ROLE):
        raise Forbidden("Routing rules are read by administrators, dispatchers, supervisors and auditors.")
    return list(RoutingRule.query(routing.RULESET))


def save_rule(uow: UnitOfWork, caller: Principal, rule_id: str, fields: dict[str, Any],
              describe: Callable[[RoutingRule], dict[str, Any]]) -> RoutingRule:
    """Create or replace a routing rule; `describe` is how the audit record shows it (before and after).
    The rule cache is forgotten once the change has committed, so the next submission routes by it."""
    if caller.role != ADMIN:
        raise Forbidden("Only an administrator edits routing rules.")
    if caller.district not in (get_settings().division_code, CITY):
        raise Forbidden("Only this stack's administrators edit its routing rules.")
    units.get(fields["unit_id"], "unit_id")
    try:
        rule = RoutingRule.get(routing.RULESET, rule_id, consistent_read=True)
        before = describe(rule)
    except RoutingRule.DoesNotExist:
        rule, before = RoutingRule(ruleset=routing.RULESET, rule_id=rule_id), None
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.updated_at, rule.updated_by = isoformat_utc(uow.now), caller.sub
    uow.put(rule, label="rule")
    uow.audit(f"routing-rule#{rule_id}", "routing_rule.saved", before=before, after=describe(rule))
    uow.after_commit(routing.rule_cache.forget)
    return rule


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
    appeal = load(appeal_id)
    require(caller, READ, resource(appeal))
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
    payload = {"appeal_id": appeal_id, "ticket_no": appeal.ticket_no, "clock": name, "clock_text": clock_words(name),
               "unit_id": unit, "due": shanghai_iso(clock.due)}
    if event == "warn":
        uow.audit(entity, "appeal.warned", after={"clock": name, "unit_id": unit})
        uow.emit("appeal.clock_warning", payload, [f"org:{unit}"])
        return
    uow.audit(entity, "appeal.breached", after={"clock": name, "unit_id": unit})
    uow.emit("appeal.clock_breached", payload, [f"org:{unit}"] + [f"org:{u}" for u in supervisory_unit_ids()])
    if clock.name in LEAD_CLOCK_NAMES:
        stats = StatsDelta()
        stats.add(unit, appeal.district, now, **{f"{name.removesuffix('_by')}_due": 1})
        appeal.breached = True
        refresh_index_keys(appeal)
        uow.put(appeal, label="appeal")
        stats.apply(uow)
