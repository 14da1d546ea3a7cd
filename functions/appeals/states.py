"""The appeal state machine, declared once: every action with where it is allowed, where it leads,
who may take it, its body, and its handler. Routes, OpenAPI entries, the refusals, the actions a
caller may take now, and the tests' matrix of every action from every status come from `MACHINE`
(functions/shared/statemachine.py).

Refusals: a caller who cannot see the appeal gets 404; one who can see it but may not take the
action gets 403; an allowed caller in the wrong status gets 409. Guards inside a status (feedback
before resolve, one rating) are 409 too, raised by the handlers.

Every handler adds to the caller's unit of work; `act` saves the appeal (conditional on its
version: two staff acting at once never both win) and the statistics it moved, all in one commit.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from functions.appeals import service
from functions.appeals.models import Appeal, ChannelRecord, CoTask
from functions.appeals.schemas import (
    ConfirmIn,
    ContactActionIn,
    CoReplyIn,
    DispatchIn,
    EmptyIn,
    ExtensionDecisionIn,
    ExtensionRequestIn,
    FeedbackIn,
    MergeIn,
    RateIn,
    ResolveIn,
    ReturnIn,
    SplitIn,
    SuperviseIn,
)
from functions.appeals.service import AppealView, owner, refresh_index_keys, reporter_pseudonym
from functions.appeals.stats import StatsDelta
from functions.appeals.vocabulary import (
    CLOSED,
    CO,
    CONFIRM_CLOCK,
    DISPATCHED,
    DISPATCHER,
    IN_PROGRESS,
    LEAD,
    LEAD_CLOCK_NAMES,
    MERGED,
    OPEN_STATUSES,
    PENDING_DISPATCH,
    RESOLVED,
    SEALED_ORG,
    SEALED_ROLE,
    STATUSES,
    SUBMITTER,
    SUPERVISOR,
)
from functions.calendar import service as calendar
from functions.calendar.models import SlaClock, shanghai_iso, utc_stamp
from functions.identity.access import READ, require
from functions.identity.principal import Principal
from functions.refdata.directory import dispatch_centre_ids, supervisory_unit_ids, units
from functions.settings import get_settings
from functions.shared.audit import UnitOfWork
from functions.shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from functions.shared.statemachine import UNCHANGED, Action, StateMachine

MACHINE = StateMachine("appeal", STATUSES.codes)


@dataclass
class ActionContext:
    """What a handler works on: the appeal, its clocks, the unit of work, and who acts."""

    uow: UnitOfWork
    caller: Principal | None
    appeal: Appeal
    clocks: dict[str, SlaClock]
    stats: StatsDelta = field(default_factory=StatsDelta)

    @property
    def now(self):
        return self.uow.now

    @property
    def entity(self) -> str:
        return owner(self.appeal.appeal_id)

    @property
    def lead(self) -> str | None:
        return self.appeal.assignee_unit

    @property
    def enterprise(self) -> list[str]:
        """Where notices to the enterprise go: its organisation, or a sealed report's pseudonym."""
        if self.appeal.confidential:
            return [reporter_pseudonym(self.appeal.appeal_id)]
        return [f"org:{p}" for p in sorted({self.appeal.enterprise_uscc, self.appeal.submitter_org} - {None})]

    def notice(self, **data) -> dict:
        return {"appeal_id": self.appeal.appeal_id, "ticket_no": self.appeal.ticket_no, **data}

    def meet(self, clock_name: str, counter: str | None, unit_id: str | None = None) -> None:
        """Meet a clock now; count it in the unit's rates unless its breach was already counted."""
        clock = self.clocks.get(clock_name)
        if clock is None or clock.met_at is not None:
            return
        late = clock.due_at <= self.now
        if counter and not clock.is_breached:
            self.stats.add(unit_id or self.lead, self.appeal.district, self.now, **{f"{counter}_due": 1},
                           **({} if late else {f"{counter}_on_time": 1}))
        clock.mark_met(self.now)
        if late and not clock.is_breached:
            clock.breached_at = clock.due  # met late before the sweeper noticed: still a breach
        self.uow.put(clock, label=f"clock:{clock.name}")

    def withdraw_clocks(self) -> None:
        """A unit that no longer handles the appeal has no clocks running on it (or sub-tasks)."""
        for clock in self.clocks.values():
            if clock.name in LEAD_CLOCK_NAMES or clock.name.startswith("co:"):
                self.uow.delete(clock, label=f"clock:{clock.name}")
        for co_unit in self.appeal.co_units or []:
            self.uow.delete(CoTask(unit_id=co_unit, appeal_id=self.appeal.appeal_id), label="cotask")
        self.clocks = {}


action = MACHINE.action


# -- dispatch centre ------------------------------------------------------------------------------
@action("dispatch", frm={PENDING_DISPATCH, DISPATCHED}, to={DISPATCHED}, who={DISPATCHER}, body=DispatchIn,
        summary="Dispatch to a lead unit and co-handling units; their clocks start now (a re-dispatch restarts them).")
def dispatch(ctx: ActionContext, body: DispatchIn) -> None:
    co_ids = list(dict.fromkeys(body.co_unit_ids))
    _check_dispatch_target(ctx.appeal, body.unit_id, co_ids)
    clocks = service.dispatch(ctx.uow, ctx.appeal, body.unit_id, co_ids, auto=False, stats=ctx.stats, previous=ctx.clocks)
    ctx.clocks = {c.name: c for c in clocks}


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


@action("merge", frm={PENDING_DISPATCH, DISPATCHED}, to={MERGED}, who={DISPATCHER}, body=MergeIn,
        summary="Merge into another open appeal of the same district: the same matter, handled once.")
def merge(ctx: ActionContext, body: MergeIn) -> None:
    appeal = ctx.appeal
    try:
        target = service.load(body.into)
    except NotFound:
        raise ValidationFailed([FieldError("into", "no such appeal")]) from None
    if target.appeal_id == appeal.appeal_id or target.status not in OPEN_STATUSES or target.district != appeal.district:
        raise ValidationFailed([FieldError("into", "must be another open appeal of the same district")])
    if bool(target.confidential) != bool(appeal.confidential):
        # A report merged into an ordinary appeal would show up in its submitter's channels and
        # timeline; an ordinary appeal merged into a report would follow a sealed case.
        raise ValidationFailed([FieldError("into", "a confidential report merges only with another confidential report")])
    ctx.withdraw_clocks()
    appeal.assignee_unit, appeal.co_units = None, []
    record = next((c for c in appeal.channels or [] if c.appeal_id == appeal.appeal_id), None) or ChannelRecord(
        channel=appeal.channel, appeal_id=appeal.appeal_id, ticket_no=appeal.ticket_no,
        submitted_at=appeal.submitted_at, received_at=appeal.received_at, submitted_by=appeal.submitted_by)
    service.merge_onto(ctx.uow, appeal, target, record, automatic=False)


@action("split", frm={MERGED}, to={PENDING_DISPATCH}, who={DISPATCHER}, body=SplitIn,
        summary="Undo a merge: the appeal goes back to the dispatch queue on its own.")
def split(ctx: ActionContext, body: SplitIn) -> None:
    appeal = ctx.appeal
    target = service.load(appeal.duplicate_of)
    target.merged_ids = [i for i in (target.merged_ids or []) if i != appeal.appeal_id]
    target.channels = [c for c in (target.channels or []) if c.appeal_id != appeal.appeal_id]
    refresh_index_keys(target)
    ctx.uow.put(target, label="original")
    ctx.uow.audit(owner(target.appeal_id), "appeal.split", after={"appeal_id": appeal.appeal_id, "ticket_no": appeal.ticket_no})
    ctx.uow.audit(ctx.entity, "appeal.split", after={"from": target.appeal_id, "reason": body.reason})
    appeal.status, appeal.duplicate_of = PENDING_DISPATCH, None
    ctx.uow.emit("appeal.awaiting_dispatch", ctx.notice(), [f"org:{u}" for u in dispatch_centre_ids()])


# -- the lead unit --------------------------------------------------------------------------------
@action("accept", frm={DISPATCHED}, to={IN_PROGRESS}, who={LEAD}, body=EmptyIn, summary="The lead unit takes the appeal on.")
def accept(ctx: ActionContext, body: EmptyIn) -> None:
    ctx.appeal.status = IN_PROGRESS
    ctx.appeal.accepted_at = utc_stamp(ctx.now)
    ctx.uow.audit(ctx.entity, "appeal.accepted", after={"unit_id": ctx.lead})


@action("return", frm={DISPATCHED, IN_PROGRESS}, to={PENDING_DISPATCH}, who={LEAD}, body=ReturnIn,
        summary="Not this unit's matter: back to the dispatch centre, within the first working day.")
def return_(ctx: ActionContext, body: ReturnIn) -> None:
    window = ctx.clocks.get("feedback_by")
    if window is not None and window.due_at <= ctx.now:
        raise Conflict("The window for returning this appeal has closed (it ends when the first working day does).")
    appeal, lead = ctx.appeal, ctx.lead
    ctx.stats.add(lead, appeal.district, ctx.now, returns=1)
    ctx.withdraw_clocks()
    appeal.return_count = int(appeal.return_count or 0) + 1
    appeal.status, appeal.assignee_unit, appeal.co_units = PENDING_DISPATCH, None, []
    ctx.uow.audit(ctx.entity, "appeal.returned", after={"unit_id": lead, "reason": body.reason})
    ctx.uow.emit("appeal.returned", ctx.notice(unit_id=lead, reason=body.reason), [f"org:{u}" for u in dispatch_centre_ids()])


@action("contact", frm={IN_PROGRESS}, to={UNCHANGED}, who={LEAD}, body=ContactActionIn,
        summary="Record contacting the enterprise (meets the 2-hour clock).")
def contact(ctx: ActionContext, body: ContactActionIn) -> None:
    ctx.meet("contact_by", "contact")
    ctx.appeal.contacted_at = utc_stamp(ctx.now)
    ctx.uow.audit(ctx.entity, "appeal.contacted", after={"method": body.method, "note": body.note})


@action("feedback", frm={IN_PROGRESS}, to={UNCHANGED}, who={LEAD}, body=FeedbackIn,
        summary="Give the preliminary opinion, after contact (meets the 1-working-day clock).",
        ready=lambda appeal: bool(appeal.contacted_at))
def feedback(ctx: ActionContext, body: FeedbackIn) -> None:
    if not ctx.appeal.contacted_at:
        raise Conflict("Contact the enterprise before giving the preliminary opinion.")
    ctx.meet("feedback_by", "feedback")
    ctx.appeal.feedback_at, ctx.appeal.feedback_text = utc_stamp(ctx.now), body.text
    ctx.uow.audit(ctx.entity, "appeal.feedback", after={"text": body.text})
    ctx.uow.emit("appeal.feedback", ctx.notice(text=body.text), ctx.enterprise)


@action("request-extension", frm={IN_PROGRESS}, to={UNCHANGED}, who={LEAD}, body=ExtensionRequestIn,
        summary="Ask for more working days to resolve (one request at a time).",
        ready=lambda appeal: not appeal.pending_extension)
def request_extension(ctx: ActionContext, body: ExtensionRequestIn) -> None:
    if ctx.appeal.pending_extension:
        raise Conflict("An extension request is already waiting for a decision.")
    ctx.appeal.pending_extension = json.dumps({"working_days": body.working_days, "reason": body.reason,
                                               "requested_at": utc_stamp(ctx.now), "requested_by": ctx.uow.actor_sub},
                                              ensure_ascii=False)
    ctx.uow.audit(ctx.entity, "appeal.extension_requested", after={"working_days": body.working_days, "reason": body.reason})
    ctx.uow.emit("appeal.extension_requested", ctx.notice(working_days=body.working_days),
                 [f"org:{u}" for u in dispatch_centre_ids() + supervisory_unit_ids()])


@action("resolve", frm={IN_PROGRESS}, to={RESOLVED}, who={LEAD}, body=ResolveIn,
        summary="Report the result, after feedback (meets the 15-working-day clock; the enterprise's confirmation clock starts).",
        ready=lambda appeal: bool(appeal.feedback_at))
def resolve(ctx: ActionContext, body: ResolveIn) -> None:
    appeal, now = ctx.appeal, ctx.now
    if not appeal.feedback_at:
        raise Conflict("Give the preliminary opinion (feedback) before resolving.")
    ctx.meet("resolve_by", "resolve")
    ctx.stats.add(ctx.lead, appeal.district, now, resolved=1)
    appeal.status, appeal.resolved_at, appeal.resolution = RESOLVED, utc_stamp(now), body.result
    confirm = calendar.new_clock(calendar.get_calendar(now), ctx.entity, CONFIRM_CLOCK,
                                 f"days:{get_settings().appeal_auto_close_days}", now, warn_fraction=None)
    existing = ctx.clocks.get(CONFIRM_CLOCK)
    if existing is not None:
        confirm.version = existing.version  # a reopened appeal resolved again: replace the old one
    ctx.uow.put(confirm, label="clock:confirm_by")
    ctx.clocks[CONFIRM_CLOCK] = confirm
    ctx.uow.audit(ctx.entity, "appeal.resolved", after={"result": body.result})
    ctx.uow.emit("appeal.resolved", ctx.notice(result=body.result, confirm_by=shanghai_iso(confirm.due)), ctx.enterprise)


# -- co-handling units ----------------------------------------------------------------------------
@action("co-reply", frm={DISPATCHED, IN_PROGRESS}, to={UNCHANGED}, who={CO}, body=CoReplyIn,
        summary="A co-handling unit's one reply to the lead unit (meets its 10-working-day clock).")
def co_reply(ctx: ActionContext, body: CoReplyIn) -> None:
    unit_id = ctx.caller.org_id
    task = CoTask.get(unit_id, ctx.appeal.appeal_id, consistent_read=True)
    if task.status != "open":
        raise Conflict("This unit has already replied.")
    task.status, task.reply, task.replied_at, task.replied_by = "replied", body.text, utc_stamp(ctx.now), ctx.uow.actor_sub
    ctx.uow.put(task, CoTask.status == "open", label="cotask")
    ctx.meet(f"co:{unit_id}:reply_by", None)
    ctx.uow.audit(ctx.entity, "appeal.co_replied", after={"unit_id": unit_id, "text": body.text})
    ctx.uow.emit("appeal.co_replied", ctx.notice(unit_id=unit_id), [f"org:{ctx.lead}"])


# -- dispatchers and supervisors ------------------------------------------------------------------
@action("decide-extension", frm={IN_PROGRESS}, to={UNCHANGED}, who={DISPATCHER, SUPERVISOR}, body=ExtensionDecisionIn,
        summary="Approve or refuse the pending extension request (approval moves the resolve-by deadline).",
        ready=lambda appeal: bool(appeal.pending_extension))
def decide_extension(ctx: ActionContext, body: ExtensionDecisionIn) -> None:
    appeal, now, lead = ctx.appeal, ctx.now, ctx.lead
    if not appeal.pending_extension:
        raise Conflict("There is no extension request to decide.")
    request = json.loads(appeal.pending_extension)
    appeal.pending_extension = None
    if not body.approve:
        ctx.uow.audit(ctx.entity, "appeal.extension_refused", after={"working_days": request["working_days"]})
        ctx.uow.emit("appeal.extension_refused", ctx.notice(), [f"org:{lead}"])
        return
    resolve_by = ctx.clocks["resolve_by"]
    calendar.grant_extension(calendar.get_calendar(now), resolve_by, int(request["working_days"]))
    ctx.uow.put(resolve_by, label="clock:resolve_by")
    appeal.extension_count = int(appeal.extension_count or 0) + 1
    ctx.stats.add(lead, appeal.district, now, extensions=1)
    shown = shanghai_iso(resolve_by.due)
    ctx.uow.audit(ctx.entity, "appeal.extension_approved", after={"working_days": request["working_days"], "resolve_by": shown})
    ctx.uow.emit("appeal.extension_approved", ctx.notice(resolve_by=shown), ctx.enterprise + [f"org:{lead}"])


@action("supervise", frm=OPEN_STATUSES, to={UNCHANGED}, who={SUPERVISOR}, body=SuperviseIn,
        summary="A supervisory note to the handling units (督办).")
def supervise(ctx: ActionContext, body: SuperviseIn) -> None:
    ctx.uow.audit(ctx.entity, "appeal.supervised", after={"note": body.note})
    ctx.uow.emit("appeal.supervised", ctx.notice(note=body.note),
                 [f"org:{u}" for u in [ctx.lead, *(ctx.appeal.co_units or [])] if u])


# -- the enterprise (or the holder of a report's receipt code) -------------------------------------
@action("confirm", frm={RESOLVED}, to={CLOSED, IN_PROGRESS}, who={SUBMITTER}, body=ConfirmIn,
        summary="Confirm the result: satisfied closes the appeal; not satisfied reopens it against its original deadline.")
def confirm(ctx: ActionContext, body: ConfirmIn) -> None:
    appeal, now = ctx.appeal, ctx.now
    ctx.stats.add(ctx.lead, appeal.district, now, confirmations=1, **({"satisfied": 1} if body.satisfied else {"reopens": 1}))
    confirm_clock = ctx.clocks.get(CONFIRM_CLOCK)
    if confirm_clock is not None and confirm_clock.met_at is None:
        confirm_clock.mark_met(now)
        ctx.uow.put(confirm_clock, label="clock:confirm_by")
    appeal.satisfied, appeal.confirm_comment = body.satisfied, body.comment
    ctx.uow.audit(ctx.entity, "appeal.confirmed", after={"satisfied": body.satisfied, "comment": body.comment})
    if body.satisfied:
        appeal.status, appeal.closed_at, appeal.closed_reason = CLOSED, utc_stamp(now), "confirmed"
        return
    appeal.status = IN_PROGRESS
    appeal.reopen_count = int(appeal.reopen_count or 0) + 1
    resolve_by = ctx.clocks.get("resolve_by")
    if resolve_by is not None:
        # Reopened against its original deadline: nothing but an extension moves a deadline.
        resolve_by.met_at = None
        resolve_by.breached_at = None if resolve_by.due_at > now else resolve_by.breached_at
        resolve_by.set_deadline(calendar.compute_due(calendar.get_calendar(now), resolve_by.rule, resolve_by.started,
                                                     int(resolve_by.extra_working_days or 0)))
        ctx.uow.put(resolve_by, label="clock:resolve_by")
    ctx.uow.emit("appeal.reopened", ctx.notice(), [f"org:{ctx.lead}"])


@action("rate", frm={CLOSED}, to={UNCHANGED}, who={SUBMITTER}, body=RateIn,
        summary="Rate speed, attitude and outcome (1–5), once.", ready=lambda appeal: appeal.rating_speed is None)
def rate(ctx: ActionContext, body: RateIn) -> None:
    appeal = ctx.appeal
    if appeal.rating_speed is not None:
        raise Conflict("This appeal has been rated already.")
    appeal.rating_speed, appeal.rating_attitude, appeal.rating_outcome = body.speed, body.attitude, body.outcome
    appeal.rating_comment = body.comment
    ctx.stats.add(ctx.lead, appeal.district, ctx.now, ratings=1, rating_speed_sum=body.speed,
                  rating_attitude_sum=body.attitude, rating_outcome_sum=body.outcome)
    ctx.uow.audit(ctx.entity, "appeal.rated", after={"speed": body.speed, "attitude": body.attitude, "outcome": body.outcome,
                                                     "comment": body.comment})


# -- taking an action -----------------------------------------------------------------------------
RECEIPT_ACTIONS = ("confirm", "rate")  # what the holder of a report's receipt code may do


def authorise(caller: Principal | None, appeal: Appeal, name: str, receipt_holder: bool = False) -> Action:
    """404 if the caller cannot see it, 403 if not theirs to do, 409 if not in this status."""
    if receipt_holder:
        relations = {SUBMITTER}
    else:
        if caller is None:
            service.raise_unauthenticated()
        require(caller, READ, service.resource(appeal))
        relations = service.relations(caller, appeal)
    return MACHINE.check(name, appeal.status, relations)


def act(uow: UnitOfWork, caller: Principal | None, appeal_id: str, name: str, body, receipt_code: str | None = None,
        client_address: str = "") -> AppealView:
    """Take action `name` on an appeal, as `caller` (or as the holder of a receipt code)."""
    if receipt_code is None:
        appeal = service.load(appeal_id)
    else:
        appeal = service.load_by_receipt(receipt_code, client_address, uow.now)
    taken = authorise(caller, appeal, name, receipt_holder=receipt_code is not None)
    if receipt_code is not None:
        uow.act_as(reporter_pseudonym(appeal.appeal_id), SEALED_ROLE, SEALED_ORG)
    ctx = ActionContext(uow, caller, appeal, service.clocks_of(appeal.appeal_id))
    MACHINE.run(taken, ctx, body, lambda: appeal.status)
    appeal.breached = any(c.is_breached and c.name in LEAD_CLOCK_NAMES for c in ctx.clocks.values())
    refresh_index_keys(appeal)
    uow.put(appeal, label="appeal")  # version-conditioned: two staff acting at once never both win
    ctx.stats.apply(uow)
    return service.view_of(appeal, ctx.clocks, caller, receipt_holder=receipt_code is not None, pending=uow.audits)
