"""How appeals are shown: from what a service read (already authorised) to the API's schemas.

No table is read here and nothing is decided about access beyond what a view already carries:
the relations of the caller decide what is masked (a phone number, a pending extension).
"""
from __future__ import annotations

import json

from functions.appeals.models import Appeal, RoutingRule
from functions.appeals.schemas import (
    AppealOut,
    AppealPageOut,
    AppealSummaryOut,
    AttachmentFileOut,
    AttentionItemOut,
    AttentionPageOut,
    ChannelOut,
    ContactOut,
    CoTaskOut,
    DeadlineOut,
    DeadlinesOut,
    RatingOut,
    RuleOut,
    SubmitOut,
    TicketLedgerOut,
    TicketLineOut,
)
from functions.appeals.service import AppealView, AttentionPage, Page, SubmitResult, TicketLine
from functions.appeals.states import MACHINE
from functions.appeals.timeline import timeline
from functions.appeals.vocabulary import CO_REPLY, CONFIRM_CLOCK, LEAD, LEAD_CLOCK_NAMES, SUBMITTER
from functions.calendar.models import SlaClock, parse_utc_stamp
from functions.shared.masking import mask_phone
from functions.shared.pagination import encode_cursor


def _instant(stamp: str | None):
    return parse_utc_stamp(stamp) if stamp else None


def deadline(clock: SlaClock | None) -> DeadlineOut | None:
    if clock is None:
        return None
    return DeadlineOut(due=parse_utc_stamp(clock.due), met_at=_instant(clock.met_at), breached=clock.is_breached,
                       provisional=bool(clock.provisional), started=_instant(clock.started_at))


def deadlines(clocks: dict[str, SlaClock]) -> DeadlinesOut:
    return DeadlinesOut(**{name: deadline(clocks.get(name)) for name in LEAD_CLOCK_NAMES})


def appeal(view: AppealView) -> AppealOut:
    """The appeal as the view's caller may see it."""
    a, clocks, names = view.appeal, view.clocks, view.unit_names
    contact = None
    if a.contact_name or a.contact_phone:
        sees_phone = bool(view.relations & {LEAD, SUBMITTER})
        contact = ContactOut(name=a.contact_name, phone=a.contact_phone if sees_phone else mask_phone(a.contact_phone))
    rating = None
    if a.rating_speed is not None:
        rating = RatingOut(speed=int(a.rating_speed), attitude=int(a.rating_attitude), outcome=int(a.rating_outcome),
                           comment=a.rating_comment)
    confirm = clocks.get(CONFIRM_CLOCK)

    def co_clock(unit_id: str) -> SlaClock | None:
        return clocks.get(f"co:{unit_id}:{CO_REPLY.name}")

    return AppealOut(
        id=a.appeal_id, ticket_no=a.ticket_no, status=a.status, category=a.category, title=a.title, content=a.content,
        district=a.district, channel=a.channel,
        channels=[ChannelOut(channel=c.channel, appeal_id=c.appeal_id, ticket_no=c.ticket_no, submitted_at=_instant(c.submitted_at),
                             received_at=_instant(c.received_at)) for c in a.channels or []],
        submitted_at=_instant(a.submitted_at), received_at=_instant(a.received_at), enterprise_uscc=a.enterprise_uscc,
        contact=contact, anonymous=bool(a.anonymous), confidential=bool(a.confidential),
        assignee_unit=a.assignee_unit, assignee_unit_name=names.get(a.assignee_unit or ""),
        co_units=[CoTaskOut(unit_id=u, unit_name=names.get(u), reply_by=deadline(co_clock(u)),
                            replied=bool(co_clock(u) and co_clock(u).met_at)) for u in a.co_units or []],
        deadlines=deadlines(clocks),
        confirm_by=_instant(confirm.due) if (confirm and confirm.met_at is None) else None,
        breached=bool(a.breached), duplicate_of=a.duplicate_of, merged_ids=list(a.merged_ids or []),
        pending_extension=None if view.for_enterprise or not a.pending_extension else json.loads(a.pending_extension),
        feedback=a.feedback_text, resolution=a.resolution, satisfied=a.satisfied, closed_reason=a.closed_reason,
        rating=rating, reopen_count=int(a.reopen_count or 0), return_count=int(a.return_count or 0),
        extension_count=int(a.extension_count or 0),
        timeline=timeline(view.records, for_enterprise=view.for_enterprise, unit_names=names),
        attachment_files=[AttachmentFileOut(id=f.file_id, ref=f.ref, name=f.name, content_type=f.content_type, size=int(f.size))
                          for f in view.files],
        available_actions=MACHINE.available(a.status, view.relations, a),
    )


def submitted(result: SubmitResult) -> SubmitOut:
    a = result.appeal
    return SubmitOut(id=a.appeal_id, ticket_no=a.ticket_no, status=a.status, duplicate_of=result.duplicate_of,
                     deadlines=deadlines({c.name: c for c in result.clocks}), assignee_unit=a.assignee_unit,
                     receipt_code=result.receipt_code)


def summary(a: Appeal, clocks: dict[str, SlaClock] | None = None) -> AppealSummaryOut:
    return AppealSummaryOut(
        id=a.appeal_id, ticket_no=a.ticket_no, status=a.status, category=a.category, title=a.title, district=a.district,
        channel=a.channel, submitted_at=_instant(a.submitted_at), received_at=_instant(a.received_at),
        dispatched_at=_instant(a.dispatched_at), assignee_unit=a.assignee_unit, breached=bool(a.breached),
        duplicate_of=a.duplicate_of, deadlines=deadlines(clocks) if clocks else None,
    )


def page(found: Page) -> AppealPageOut:
    return AppealPageOut(items=[summary(a, found.clocks.get(a.appeal_id)) for a in found.items],
                         next_cursor=encode_cursor(found.last_key))


def attention(found: AttentionPage) -> AttentionPageOut:
    items = []
    for clock in found.clocks:
        a = found.appeals.get(clock.owner.split("#", 1)[1])
        if a is None:
            continue  # the appeal went while the page was read (a merge removes its clocks with it)
        co_unit = clock.name.split(":")[1] if clock.name.startswith("co:") else None
        items.append(AttentionItemOut(
            appeal=summary(a, None), clock=clock.name.split(":")[-1], unit_id=co_unit or a.assignee_unit,
            deadline=deadline(clock), warned_at=_instant(clock.warned_at)))
    return AttentionPageOut(items=items, next_cursor=encode_cursor(found.last_key))


def ticket_ledger(claimed: int, lines: list[TicketLine]) -> TicketLedgerOut:
    return TicketLedgerOut(claimed=claimed, items=[
        TicketLineOut(number=line.number, ticket_no=line.ticket_no, appeal_id=line.appeal_id, void_reason=line.void_reason,
                      state="appeal" if line.appeal_id else "void" if line.void_reason else "pending")
        for line in lines])


def rule(r: RoutingRule) -> RuleOut:
    return RuleOut(rule_id=r.rule_id, priority=int(r.priority), categories=list(r.categories or []),
                   districts=list(r.districts or []), keywords=list(r.keywords or []), unit_id=r.unit_id,
                   enabled=bool(r.enabled), note=r.note, updated_at=r.updated_at, updated_by=r.updated_by)


def rule_record(r: RoutingRule) -> dict:
    """A rule as its audit records show it."""
    return rule(r).model_dump(mode="json")
