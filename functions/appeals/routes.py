"""Appeals routes (青诉即办): thin views over functions/appeals/service.py."""
from __future__ import annotations

import json

from functions.appeals import service, stats
from functions.appeals.models import Appeal, RoutingRule
from functions.appeals.routing import RULESET, rule_cache
from functions.appeals.schemas import (
    AppealOut,
    AppealPageOut,
    AppealSummaryOut,
    ChannelOut,
    ConfirmIn,
    ContactActionIn,
    ContactOut,
    CoReplyIn,
    CoTaskOut,
    DeadlineOut,
    DeadlinesOut,
    DispatchIn,
    DispatchQueueQuery,
    EmptyIn,
    ExtensionDecisionIn,
    ExtensionRequestIn,
    FeedbackIn,
    IdentityOut,
    MergeIn,
    PageQuery,
    QueueQuery,
    RateIn,
    RatingOut,
    ResolveIn,
    ReturnIn,
    RevealIn,
    RuleIn,
    RuleOut,
    SplitIn,
    StatsOut,
    StatsQuery,
    SubmitIn,
    SubmitOut,
    SuperviseIn,
    TicketLedgerOut,
    TicketLedgerQuery,
    TicketLineOut,
)
from functions.appeals.states import LEAD, SUBMITTER
from functions.appeals.timeline import timeline
from functions.calendar.models import SlaClock, parse_utc_stamp
from functions.identity.access import READ, Resource, require, require_role
from functions.identity.principal import ADMIN, AUDITOR, CUSTODIAN, DISPATCHER, ENTERPRISE, STAFF, SUPERVISOR, Principal
from functions.refdata.divisions import CITY, covers
from functions.settings import get_settings
from functions.shared.audit import AuditRecord
from functions.shared.clock import isoformat_utc
from functions.shared.errors import FieldError, Forbidden, NotFound, ValidationFailed
from functions.shared.pagination import decode_cursor, encode_cursor
from functions.api.routes import ApiBlueprint, Call, Reply

bp = ApiBlueprint(__name__, tag="appeals")
OPTIONAL_AUTH = None  # public routes that use a token when one is sent


# -- presenting ----------------------------------------------------------------------------------
def _deadline(clock: SlaClock | None) -> DeadlineOut | None:
    if clock is None:
        return None
    return DeadlineOut(
        due=parse_utc_stamp(clock.due),
        met_at=parse_utc_stamp(clock.met_at) if clock.met_at else None,
        breached=clock.is_breached,
        provisional=bool(clock.provisional),
    )


def _deadlines(clocks: dict[str, SlaClock]) -> DeadlinesOut:
    return DeadlinesOut(**{name: _deadline(clocks.get(name)) for name in service.LEAD_CLOCKS})


def _instant(stamp: str | None):
    return parse_utc_stamp(stamp) if stamp else None


def present(appeal: Appeal, clocks: dict[str, SlaClock], caller: Principal | None, receipt_holder: bool = False,
            pending: list[AuditRecord] = ()) -> AppealOut:
    """The appeal as this caller may see it; `pending` are this request's audit records, not yet committed."""
    relations = service.relations(caller, appeal) if caller else set()
    for_enterprise = receipt_holder or (caller is not None and caller.role == ENTERPRISE)
    entity = service.owner(appeal.appeal_id)
    stored = {r.at_seq: r for r in AuditRecord.query(entity)}
    stored.update({r.at_seq: r for r in pending if r.entity == entity})
    records = [stored[key] for key in sorted(stored)]
    names = service.units.names()
    sees_phone = bool(relations & {LEAD, SUBMITTER})
    contact = None
    if appeal.contact_name or appeal.contact_phone:
        contact = ContactOut(name=appeal.contact_name, phone=appeal.contact_phone if sees_phone else service.mask_phone(appeal.contact_phone))
    rating = None
    if appeal.rating_speed is not None:
        rating = RatingOut(speed=int(appeal.rating_speed), attitude=int(appeal.rating_attitude),
                           outcome=int(appeal.rating_outcome), comment=appeal.rating_comment)
    confirm = clocks.get(service.CONFIRM_CLOCK)
    return AppealOut(
        id=appeal.appeal_id,
        ticket_no=appeal.ticket_no,
        status=appeal.status,
        category=appeal.category,
        title=appeal.title,
        content=appeal.content,
        district=appeal.district,
        channel=appeal.channel,
        channels=[
            ChannelOut(channel=c.channel, appeal_id=c.appeal_id, ticket_no=c.ticket_no, submitted_at=_instant(c.submitted_at),
                       received_at=_instant(c.received_at))
            for c in appeal.channels or []
        ],
        submitted_at=_instant(appeal.submitted_at),
        received_at=_instant(appeal.received_at),
        enterprise_uscc=appeal.enterprise_uscc,
        contact=contact,
        anonymous=bool(appeal.anonymous),
        confidential=bool(appeal.confidential),
        assignee_unit=appeal.assignee_unit,
        assignee_unit_name=names.get(appeal.assignee_unit or ""),
        co_units=[
            CoTaskOut(unit_id=u, unit_name=names.get(u), reply_by=_deadline(clocks.get(f"co:{u}:reply_by")),
                      replied=bool(clocks.get(f"co:{u}:reply_by") and clocks[f"co:{u}:reply_by"].met_at))
            for u in appeal.co_units or []
        ],
        deadlines=_deadlines(clocks),
        confirm_by=_instant(confirm.due) if (confirm and confirm.met_at is None) else None,
        breached=bool(appeal.breached),
        duplicate_of=appeal.duplicate_of,
        merged_ids=list(appeal.merged_ids or []),
        pending_extension=None if for_enterprise or not appeal.pending_extension else json.loads(appeal.pending_extension),
        feedback=appeal.feedback_text,
        resolution=appeal.resolution,
        satisfied=appeal.satisfied,
        closed_reason=appeal.closed_reason,
        rating=rating,
        reopen_count=int(appeal.reopen_count or 0),
        return_count=int(appeal.return_count or 0),
        extension_count=int(appeal.extension_count or 0),
        timeline=timeline(records, for_enterprise=for_enterprise, unit_names=names),
    )


def summary(appeal: Appeal) -> AppealSummaryOut:
    return AppealSummaryOut(
        id=appeal.appeal_id, ticket_no=appeal.ticket_no, status=appeal.status, category=appeal.category, title=appeal.title,
        district=appeal.district, channel=appeal.channel, submitted_at=_instant(appeal.submitted_at),
        received_at=_instant(appeal.received_at), dispatched_at=_instant(appeal.dispatched_at),
        assignee_unit=appeal.assignee_unit, breached=bool(appeal.breached), duplicate_of=appeal.duplicate_of,
    )


def page(results) -> AppealPageOut:
    items = [summary(a) for a in results]
    return AppealPageOut(items=items, next_cursor=encode_cursor(results.last_evaluated_key))


# -- intake --------------------------------------------------------------------------------------
@bp.api(
    "/appeals",
    "POST",
    summary="Submit an appeal (enterprise, web) or record one from another channel (intake staff)",
    body=SubmitIn,
    response=SubmitOut,
    status=201,
    roles=OPTIONAL_AUTH,
    errors=(401, 403, 409),
)
def submit(call: Call):
    body: SubmitIn = call.body
    # A lost race for the original a duplicate merges onto: run again (with the same ticket number).
    call.retry_on = {"original"}
    tickets = call.memo.setdefault("tickets", service.TicketBook())
    call.on_abort(tickets.void_unused)
    result = service.submit(
        call.uow,
        call.principal,
        service.Submission(
            category=body.category, title=body.title, content=body.content, district=body.district, channel=body.channel,
            contact_name=body.contact.name if body.contact else None, contact_phone=body.contact.phone if body.contact else None,
            received_at=body.received_at, enterprise_uscc=body.enterprise_uscc, anonymous=body.anonymous,
            attachments=tuple(body.attachments), subject_unit_id=body.subject_unit_id,
        ),
        tickets,
        call.client_address,
    )
    appeal = result.appeal
    clocks = {c.name: c for c in result.clocks}
    if result.duplicate_of:
        clocks = service.clocks_of(result.duplicate_of)
    out = SubmitOut(id=appeal.appeal_id, ticket_no=appeal.ticket_no, status=appeal.status, duplicate_of=result.duplicate_of,
                    deadlines=_deadlines(clocks), assignee_unit=appeal.assignee_unit, receipt_code=result.receipt_code)
    return Reply(out, status=200 if result.duplicate_of else 201)


@bp.api("/appeals/{appeal_id}", summary="One appeal with its deadlines and timeline", response=AppealOut)
def get_appeal(call: Call):
    appeal = service.load_visible(call.caller, call.params["appeal_id"])
    return present(appeal, service.clocks_of(appeal.appeal_id), call.caller)


@bp.api("/appeals", summary="The calling enterprise's own appeals, newest first", query=PageQuery, response=AppealPageOut,
        roles=(ENTERPRISE,))
def my_appeals(call: Call):
    uscc = call.caller.org_id
    cursor = decode_cursor(call.query.cursor, expected={"enterprise_uscc": uscc})
    return page(Appeal.enterprise_index.query(uscc, scan_index_forward=False, limit=call.query.limit, last_evaluated_key=cursor))


# -- actions -------------------------------------------------------------------------------------
ACTION_BODIES = {
    "dispatch": DispatchIn, "accept": EmptyIn, "return": ReturnIn, "contact": ContactActionIn, "feedback": FeedbackIn,
    "request-extension": ExtensionRequestIn, "decide-extension": ExtensionDecisionIn, "resolve": ResolveIn,
    "co-reply": CoReplyIn, "confirm": ConfirmIn, "rate": RateIn, "supervise": SuperviseIn, "merge": MergeIn, "split": SplitIn,
}


def _register_action(action: str, body_model) -> None:
    def view(call: Call):
        result = service.act(call.uow, call.caller, call.params["appeal_id"], action, call.body.model_dump())
        return present(result.appeal, result.clocks, call.caller, pending=call.uow.audits)

    view.__name__ = f"appeal_{action.replace('-', '_')}"
    bp.api(f"/appeals/{{appeal_id}}/{action}", "POST", summary=f"Appeal action: {action}", body=body_model,
           response=AppealOut, errors=(409,))(view)


for _action, _body in ACTION_BODIES.items():
    _register_action(_action, _body)


# replay=False: an identity is never kept in the idempotency store, and a replayed reveal is a
# reveal again, audited again.
@bp.api("/appeals/{appeal_id}/reveal-identity", "POST", summary="Custodian only: open the sealed identity of a reporter (audited)",
        body=RevealIn, response=IdentityOut, roles=(CUSTODIAN,), errors=(409,), replay=False)
def reveal_identity(call: Call):
    identity = service.reveal_identity(call.uow, call.caller, call.params["appeal_id"], call.body.reason)
    return IdentityOut(appeal_id=call.params["appeal_id"], identity=identity)


# -- confidential follow-up with a receipt code ---------------------------------------------------
# The code travels in a header, never in a URL: paths end up in access logs, proxies and browser
# history. Wrong codes are rate-limited per client address (service.load_by_receipt).
RECEIPT_HEADER = "Receipt-Code"
RECEIPT_HEADERS = ((RECEIPT_HEADER, "the receipt code shown once when the report was filed", True),)


def _receipt_code(call: Call) -> str:
    code = call.headers.get(RECEIPT_HEADER.lower(), "")
    if not code.strip() or len(code) > 64:
        raise ValidationFailed([FieldError(RECEIPT_HEADER, "send the receipt code (up to 64 characters) in this header")])
    return code


@bp.api("/receipt", summary="Follow a confidential report with its receipt code (Receipt-Code header)", response=AppealOut,
        roles=None, headers=RECEIPT_HEADERS, errors=(404, 429))
def receipt(call: Call):
    appeal = service.load_by_receipt(_receipt_code(call), call.client_address, call.now)
    return present(appeal, service.clocks_of(appeal.appeal_id), None, receipt_holder=True)


def _register_receipt_action(action: str, body_model) -> None:
    def view(call: Call):
        result = service.act(call.uow, None, "", action, call.body.model_dump(), receipt_code=_receipt_code(call),
                             client_address=call.client_address)
        return present(result.appeal, result.clocks, None, receipt_holder=True, pending=call.uow.audits)

    view.__name__ = f"receipt_{action}"
    bp.api(f"/receipt/{action}", "POST", summary=f"Receipt holder: {action}", body=body_model, response=AppealOut,
           roles=None, headers=RECEIPT_HEADERS, errors=(404, 409, 429))(view)


_register_receipt_action("confirm", ConfirmIn)
_register_receipt_action("rate", RateIn)


# -- queues --------------------------------------------------------------------------------------
def _unit_resource(unit_id: str) -> Resource:
    unit = service.units.all().get(unit_id)
    if unit is None:
        raise NotFound(f"No unit {unit_id}.")
    return Resource("unit", unit_id, unit.district, frozenset({unit_id}))


@bp.api("/units/{unit_id}/appeals", summary="A unit's queue", query=QueueQuery, response=AppealPageOut,
        roles=(STAFF, DISPATCHER, SUPERVISOR, ADMIN, AUDITOR))
def unit_queue(call: Call):
    unit_id = call.params["unit_id"]
    require(call.caller, READ, _unit_resource(unit_id))
    query: QueueQuery = call.query
    cursor = decode_cursor(query.cursor, expected={"assignee_unit": unit_id})
    condition = Appeal.queue_key.startswith(f"{query.status}#") if query.status else None
    filter_condition = (Appeal.breached == query.breached) if query.breached is not None else None
    return page(Appeal.unit_queue_index.query(unit_id, condition, filter_condition, limit=query.limit, last_evaluated_key=cursor))


@bp.api("/dispatch/appeals", summary="The dispatch centre's queue: appeals no rule could route, and returned ones",
        query=DispatchQueueQuery, response=AppealPageOut, roles=(DISPATCHER, SUPERVISOR, ADMIN, AUDITOR))
def dispatch_queue(call: Call):
    district = call.query.district
    if not covers(call.caller.district, district):
        raise Forbidden("That district is outside your jurisdiction.")
    cursor = decode_cursor(call.query.cursor, expected={"dispatch_district": district})
    return page(Appeal.dispatch_queue_index.query(district, limit=call.query.limit, last_evaluated_key=cursor))


@bp.api("/appeal-tickets", summary="What became of each ticket number: an appeal, or a void with its reason",
        query=TicketLedgerQuery, response=TicketLedgerOut, roles=(AUDITOR, ADMIN, SUPERVISOR))
def ticket_ledger(call: Call):
    require(call.caller, READ, Resource("ticket ledger", "appeal-tickets", get_settings().division_code))
    first = call.query.first
    claimed, lines = service.ticket_ledger(first, first + call.query.limit - 1)
    return TicketLedgerOut(claimed=claimed, items=[
        TicketLineOut(number=line.number, ticket_no=line.ticket_no, appeal_id=line.appeal_id, void_reason=line.void_reason,
                      state="appeal" if line.appeal_id else "void" if line.void_reason else "pending")
        for line in lines])


# -- statistics ----------------------------------------------------------------------------------
@bp.api("/units/{unit_id}/appeal-stats", summary="A unit's appeal statistics (counts and rates)", query=StatsQuery,
        response=StatsOut, roles=(STAFF, DISPATCHER, SUPERVISOR, ADMIN, AUDITOR))
def unit_stats(call: Call):
    unit_id = call.params["unit_id"]
    require(call.caller, READ, _unit_resource(unit_id))
    return stats.read(f"unit#{unit_id}", call.query.period)


@bp.api("/districts/{district}/appeal-stats", summary="A district's appeal statistics", query=StatsQuery, response=StatsOut,
        roles=(DISPATCHER, SUPERVISOR, ADMIN, AUDITOR))
def district_stats(call: Call):
    district = call.params["district"]
    if not covers(call.caller.district, district):
        raise Forbidden("That district is outside your jurisdiction.")
    return stats.read(f"district#{district}", call.query.period)


# -- routing rules (data, edited by admins) -------------------------------------------------------
def _rule_out(rule: RoutingRule) -> RuleOut:
    return RuleOut(rule_id=rule.rule_id, priority=int(rule.priority), categories=list(rule.categories or []),
                   districts=list(rule.districts or []), keywords=list(rule.keywords or []), unit_id=rule.unit_id,
                   enabled=bool(rule.enabled), note=rule.note, updated_at=rule.updated_at, updated_by=rule.updated_by)


@bp.api("/routing-rules", summary="The routing rules (category × district × keywords → unit)", response=list[RuleOut],
        roles=(ADMIN, DISPATCHER, SUPERVISOR, AUDITOR))
def list_rules(call: Call):
    return [_rule_out(r) for r in RoutingRule.query(RULESET)]


@bp.api("/routing-rules/{rule_id}", "PUT", summary="Create or replace a routing rule (admin)", body=RuleIn, response=RuleOut,
        roles=(ADMIN,), errors=(409,))
def put_rule(call: Call):
    require_role(call.caller, ADMIN)
    if call.caller.district != get_settings().division_code and call.caller.district != CITY:
        raise Forbidden("Only this stack's administrators edit its routing rules.")
    body: RuleIn = call.body
    service.units.get(body.unit_id, "unit_id")
    rule_id = call.params["rule_id"]
    try:
        rule = RoutingRule.get(RULESET, rule_id, consistent_read=True)
        before = _rule_out(rule).model_dump(mode="json")
    except RoutingRule.DoesNotExist:
        rule, before = RoutingRule(ruleset=RULESET, rule_id=rule_id), None
    for name, value in body.model_dump().items():
        setattr(rule, name, value)
    rule.updated_at, rule.updated_by = isoformat_utc(call.now), call.caller.sub
    call.uow.put(rule, label="rule")
    out = _rule_out(rule)
    call.uow.audit(f"routing-rule#{rule_id}", "routing_rule.saved", before=before, after=out.model_dump(mode="json"))
    call.uow.commit()
    rule_cache.forget()
    return out

