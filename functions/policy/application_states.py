"""The application state machine, declared once (functions/shared/statemachine.py): routes, OpenAPI
entries, refusals (404 unseen, 403 not yours, 409 wrong status), the actions offered now and the
tests' matrix of every action from every status come from `MACHINE`.

    in_review ─approve (last stage)→ approved ─(public notice, notices.py)→ in_notice ─(window closes)→ awarded ─disburse (all)→ paid
        │  └approve (earlier stage)→ in_review at the next stage
        ├─return→ returned ─resubmit→ in_review (same stage, its clock restarted)
        ├─reject→ rejected
        └─withdraw (also from returned)→ withdrawn
    approved | in_notice | awarded (免申即享, nothing paid yet) ─decline→ declined
    paid | rejected ─rate (once)→ (unchanged)

An upheld objection on the notice rejects the award (notices.py). `act` saves the application
conditional on its version: two reviewers acting at once never both win.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from functions.calendar.models import SlaClock, shanghai_iso
from functions.identity.access import READ, require
from functions.identity.principal import Principal
from functions.policy import applications, forms
from functions.policy.application_models import (
    APPROVED,
    AWARDED,
    DECLINED,
    FINISHED,
    IN_NOTICE,
    IN_REVIEW,
    PAID,
    REJECTED,
    RETURNED,
    STATUSES,
    WITHDRAWN,
    Application,
)
from functions.policy.application_schemas import ApproveIn, DisburseIn, OptionalReasonIn, ApplicationRateIn, ReasonIn, ResubmitIn
from functions.policy.applications import APPLICANT, DEPARTMENT, REVIEWER, ApplicationView, Counters, notice_data, owner
from functions.shared.audit import UnitOfWork
from functions.shared.clock import isoformat_utc
from functions.shared.errors import Conflict, FieldError, ValidationFailed
from functions.shared.statemachine import UNCHANGED, StateMachine

MACHINE = StateMachine("application", STATUSES)


@dataclass
class ActionContext:
    uow: UnitOfWork
    caller: Principal
    app: Application
    clocks: dict[str, SlaClock]
    counters: Counters = field(default_factory=Counters)

    @property
    def now(self):
        return self.uow.now

    @property
    def entity(self) -> str:
        return owner(self.app.application_id)

    def decide(self, decision: str, text: str, amount_fen: int | None = None) -> None:
        """Record the current stage's decision, and meet its clock (counting it on time or late)."""
        app, stamp = self.app, isoformat_utc(self.now)
        entry = {"stage": int(app.stage), "unit_id": app.stage_unit, "decision": decision, "text": text, "at": stamp,
                 "by": self.caller.sub}
        if amount_fen is not None:
            entry["amount_fen"] = amount_fen
        app.decisions = [*(app.decisions or []), entry]
        clock = self.clocks.get(f"review:{int(app.stage)}")
        if clock is not None and clock.is_open:
            on_time = clock.due_at > self.now
            clock.mark_met(self.now)
            self.uow.put(clock, label=f"clock:{clock.name}")
            self.counters.add(app.department_id, review_due=1, review_on_time=int(on_time))

    def to_applicant(self, topic: str, **data) -> None:
        self.uow.emit(topic, notice_data(self.app, **data), [f"org:{self.app.enterprise_uscc}"])


action = MACHINE.action


# -- reviewers ---------------------------------------------------------------------------------------
@action("approve", frm={IN_REVIEW}, to={IN_REVIEW, APPROVED}, who={REVIEWER}, body=ApproveIn,
        summary="Approve at this stage with an amount within the project's cap: on to the next stage, or, at the last, approved.")
def approve(ctx: ActionContext, body: ApproveIn) -> None:
    app = ctx.app
    applications.check_amount(body.amount_fen, app.cap_fen)
    ctx.decide("approved", body.comment, body.amount_fen)
    app.stage = int(app.stage) + 1
    ctx.uow.audit(ctx.entity, "application.approved", after={"stage": int(app.stage) - 1, "amount_fen": body.amount_fen,
                                                               "comment": body.comment})
    if int(app.stage) < len(app.stages):
        clock = applications.start_review_clock(ctx.uow, app, ctx.clocks.get(f"review:{int(app.stage)}"))
        ctx.clocks[clock.name] = clock
        ctx.uow.emit("policy.application_received", notice_data(app, due=shanghai_iso(clock.due)),
                     [f"org:{app.stages[int(app.stage)]['unit_id']}"])
        return
    app.status, app.approved_fen = APPROVED, body.amount_fen
    ctx.counters.add(app.department_id, approved=1, awarded_fen=body.amount_fen)
    ctx.to_applicant("policy.application_approved", amount_yuan=f"{body.amount_fen / 100:.2f}")


@action("return", frm={IN_REVIEW}, to={RETURNED}, who={REVIEWER}, body=ReasonIn,
        summary="Return to the enterprise for revision, saying what to change; it resubmits to this stage.")
def return_(ctx: ActionContext, body: ReasonIn) -> None:
    _decide_against(ctx, body.reason, RETURNED, "returned")


@action("reject", frm={IN_REVIEW}, to={REJECTED}, who={REVIEWER}, body=ReasonIn,
        summary="Reject, with the reason the enterprise will read.")
def reject(ctx: ActionContext, body: ReasonIn) -> None:
    _decide_against(ctx, body.reason, REJECTED, "rejected")


def _decide_against(ctx: ActionContext, reason: str, status: str, decision: str) -> None:
    """Return or reject: the stage's decision with its reason, counted, recorded, told to the enterprise."""
    ctx.decide(decision, reason)
    ctx.app.status, ctx.app.reason = status, reason
    ctx.counters.add(ctx.app.department_id, **{decision: 1})
    ctx.uow.audit(ctx.entity, f"application.{decision}", after={"stage": int(ctx.app.stage), "reason": reason})
    ctx.to_applicant(f"policy.application_{decision}", reason=reason)


# -- the enterprise ----------------------------------------------------------------------------------
@action("resubmit", frm={RETURNED}, to={IN_REVIEW}, who={APPLICANT}, body=ResubmitIn,
        summary="Send the revised form (and any new files) back to the stage that returned it; its clock restarts.")
def resubmit(ctx: ActionContext, body: ResubmitIn) -> None:
    from functions.files import service as files
    from functions.policy import service as library
    from functions.policy.models import PROJECT

    app = ctx.app
    schema = library.read(app.project_id, PROJECT).content.get("form")
    forms.validate(schema, body.form)
    attached = files.attach(ctx.uow, ctx.caller, body.attachments, ctx.entity)
    app.form, app.reason, app.status = body.form, None, IN_REVIEW
    app.attachments = [*(app.attachments or []), *(f"file:{r.file_id}" for r in attached)]
    clock = applications.start_review_clock(ctx.uow, app, ctx.clocks.get(f"review:{int(app.stage)}"))
    ctx.clocks[clock.name] = clock
    ctx.uow.audit(ctx.entity, "application.resubmitted", after={"stage": int(app.stage), "attachments": len(attached)})
    ctx.uow.emit("policy.application_received", notice_data(app, due=shanghai_iso(clock.due)), [f"org:{app.stage_unit}"])


@action("withdraw", frm={IN_REVIEW, RETURNED}, to={WITHDRAWN}, who={APPLICANT}, body=OptionalReasonIn,
        summary="Withdraw the application before a decision.")
def withdraw(ctx: ActionContext, body: OptionalReasonIn) -> None:
    clock = ctx.clocks.get(f"review:{int(ctx.app.stage)}")
    if clock is not None and clock.is_open:
        clock.mark_met(ctx.now)  # nobody owes a review of a withdrawn application
        ctx.uow.put(clock, label=f"clock:{clock.name}")
    ctx.app.status, ctx.app.reason = WITHDRAWN, body.reason or None
    ctx.uow.audit(ctx.entity, "application.withdrawn", after={"reason": body.reason})


def _may_decline(app: Application) -> bool:
    return bool(app.no_application) and not int(app.paid_fen or 0)


@action("decline", frm={APPROVED, IN_NOTICE, AWARDED}, to={DECLINED}, who={APPLICANT}, body=OptionalReasonIn,
        summary="免申即享: decline a place on the department's list (before any payment).", ready=_may_decline)
def decline(ctx: ActionContext, body: OptionalReasonIn) -> None:
    app = ctx.app
    if not _may_decline(app):
        raise Conflict("Only a 免申即享 award not yet paid can be declined.")
    if app.status == IN_NOTICE:
        from functions.policy import notices

        notices.drop_entry(ctx.uow, app, "declined")
    pay = ctx.clocks.get("pay")
    if pay is not None and pay.is_open:
        pay.mark_met(ctx.now)
        ctx.uow.put(pay, label="clock:pay")
    ctx.counters.add(app.department_id, awarded_fen=-int(app.approved_fen or 0))
    app.status, app.reason = DECLINED, body.reason or None
    ctx.uow.audit(ctx.entity, "application.declined", after={"reason": body.reason})
    ctx.uow.emit("policy.award_declined", notice_data(app), [f"org:{app.department_id}"])


def _unrated(app: Application) -> bool:
    return app.rating is None


@action("rate", frm=set(FINISHED), to={UNCHANGED}, who={APPLICANT}, body=ApplicationRateIn,
        summary="Rate the department on this finished application (five grades), once.", ready=_unrated)
def rate(ctx: ActionContext, body: ApplicationRateIn) -> None:
    if ctx.app.rating is not None:
        raise Conflict("This application has been rated already.")
    ctx.app.rating = {"grade": body.grade, "comment": body.comment, "at": isoformat_utc(ctx.now)}
    ctx.counters.add(ctx.app.department_id, ratings=1, rating_sum=body.grade, **{f"grade_{body.grade}": 1})
    ctx.uow.audit(ctx.entity, "application.rated", after={"grade": body.grade, "comment": body.comment})


# -- the department ----------------------------------------------------------------------------------
@action("disburse", frm={AWARDED}, to={AWARDED, PAID}, who={DEPARTMENT}, body=DisburseIn,
        summary="Record a payment (amount, date, voucher number); partial payments add up to the award, which is then paid.")
def disburse(ctx: ActionContext, body: DisburseIn) -> None:
    app = ctx.app
    owed = int(app.approved_fen or 0) - int(app.paid_fen or 0)
    if body.amount_fen > owed:
        raise ValidationFailed([FieldError("amount_fen", f"is more than the {owed} fen still owed on this award")])
    if body.paid_on.isoformat() > applications.today_iso(ctx.now):
        raise ValidationFailed([FieldError("paid_on", "must not be in the future")])
    if any(p["voucher_no"] == body.voucher_no for p in app.payments or []):
        raise ValidationFailed([FieldError("voucher_no", "is recorded on this award already")])
    app.payments = [*(app.payments or []), {"amount_fen": body.amount_fen, "paid_on": body.paid_on.isoformat(),
                                            "voucher_no": body.voucher_no, "recorded_at": isoformat_utc(ctx.now),
                                            "by": ctx.caller.sub}]
    app.paid_fen = int(app.paid_fen or 0) + body.amount_fen
    ctx.counters.add(app.department_id, paid_fen=body.amount_fen)
    ctx.uow.audit(ctx.entity, "application.disbursed", after={"amount_fen": body.amount_fen, "paid_on": body.paid_on.isoformat(),
                                                                "voucher_no": body.voucher_no})
    if int(app.paid_fen) == int(app.approved_fen or 0):
        app.status = PAID
        pay = ctx.clocks.get("pay")
        if pay is not None and pay.is_open:
            pay.mark_met(ctx.now)
            ctx.uow.put(pay, label="clock:pay")
    ctx.to_applicant("policy.disbursed", amount_yuan=f"{body.amount_fen / 100:.2f}", voucher_no=body.voucher_no)


# -- taking an action --------------------------------------------------------------------------------
def act(uow: UnitOfWork, caller: Principal, application_id: str, name: str, body) -> ApplicationView:
    """404 if the caller cannot see the application, 403 if the action is not theirs, 409 in the wrong status."""
    app = applications.load(application_id)
    require(caller, READ, applications.resource(app))
    taken = MACHINE.check(name, app.status, applications.relations(caller, app))
    ctx = ActionContext(uow, caller, app, applications.clocks_of(application_id))
    MACHINE.run(taken, ctx, body, lambda: app.status)
    app.updated_at = isoformat_utc(uow.now)
    app.refresh_index_keys()
    uow.put(app, label="application")
    ctx.counters.apply(uow)
    return applications.view_of(app, ctx.clocks, caller, uow.audits)

