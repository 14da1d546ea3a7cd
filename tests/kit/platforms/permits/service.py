"""Permits: apply, approve (the one action), and a one-hour decision clock."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import Field

from functions.calendar import service as calendar
from functions.calendar.models import SlaClock
from functions.identity.access import READ, Resource, require
from functions.identity.principal import SUPERVISOR, Principal
from functions.permits.models import Permit
from functions.shared.audit import UnitOfWork
from functions.shared.errors import NotFound
from functions.shared.models import put_if_absent
from functions.shared.schemas import Schema
from functions.shared.statemachine import StateMachine
from functions.shared.vocabulary import ClockRule, Term, Terms

STATUSES = Terms(Term("submitted", "已提交", "Submitted"), Term("approved", "已批准", "Approved"))
DECIDE_BY = ClockRule("decide_by", "hours:1", "1小时内决定", "decide within an hour")
REVIEWER = "reviewer"
NOTICE_TEXTS = {"permit.approved": "【许可】{permit_id} 已批准。"}
MACHINE = StateMachine("permit", STATUSES.codes)


class ApproveIn(Schema):
    note: str = Field(min_length=1, max_length=200)


@dataclass
class Context:
    uow: UnitOfWork
    permit: Permit


@MACHINE.action("approve", frm={"submitted"}, to={"approved"}, who={REVIEWER}, body=ApproveIn, summary="Approve a permit.")
def approve(ctx: Context, body: ApproveIn) -> None:
    ctx.permit.status, ctx.permit.note = "approved", body.note
    ctx.uow.audit(f"permit#{ctx.permit.permit_id}", "permit.approved", after={"note": body.note})
    ctx.uow.emit("permit.approved", {"permit_id": ctx.permit.permit_id}, [f"org:{ctx.permit.applicant_org}"])


def _load(caller: Principal, permit_id: str) -> Permit:
    try:
        permit = Permit.get(permit_id, consistent_read=True)
    except Permit.DoesNotExist:
        raise NotFound(f"No permit {permit_id}.") from None
    require(caller, READ, Resource("permit", permit_id, permit.district, frozenset({permit.applicant_org})))
    return permit


def apply(uow: UnitOfWork, caller: Principal, permit_id: str) -> Permit:
    permit = Permit(permit_id=permit_id, district=caller.district, applicant_org=caller.org_id, status="submitted")
    uow.put(permit, Permit.permit_id.does_not_exist(), label="permit")
    uow.put(calendar.new_clock(calendar.get_calendar(uow.now), f"permit#{permit_id}", DECIDE_BY.name, DECIDE_BY.rule, uow.now),
            label="clock")
    return permit


def act(uow: UnitOfWork, caller: Principal, permit_id: str, name: str, body) -> Permit:
    permit = _load(caller, permit_id)
    relations = {REVIEWER} if caller.role == SUPERVISOR else set()
    action = MACHINE.check(name, permit.status, relations)
    MACHINE.run(action, Context(uow, permit), body, lambda: permit.status)
    uow.put(permit, label="permit")
    return permit


def on_clock(clock: SlaClock, event: str, uow: UnitOfWork, now: datetime) -> None:
    uow.audit(clock.owner, f"permit.clock_{event}", after={"clock": clock.name})


def seed() -> dict[str, int]:
    return {"permits": put_if_absent(Permit(permit_id="demo", district="370202", applicant_org="91370202MA3C4R7K75",
                                            status="submitted"), Permit.permit_id)}
