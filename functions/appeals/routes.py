"""Appeals routes (青诉即办): each view parses, calls one service function, and presents the result.

Access is the services' business (functions/appeals/service.py, states.py); what is shown is the
presenters' (presenters.py). The action routes are generated from the state machine (states.py).
"""
from __future__ import annotations

from functions.api.actions import action_routes
from functions.api.routes import ApiBlueprint, Call, Reply
from functions.appeals import presenters, service, states
from functions.appeals.schemas import (
    AppealOut,
    AppealPageOut,
    AttentionPageOut,
    AttentionQuery,
    DispatchQueueQuery,
    IdentityOut,
    PageQuery,
    QueueQuery,
    RevealIn,
    RuleIn,
    RuleOut,
    StatsOut,
    StatsQuery,
    SubmitIn,
    SubmitOut,
    TicketLedgerOut,
    TicketLedgerQuery,
)
from functions.files import presenters as files_presenters
from functions.files.schemas import FileDownloadOut
from functions.identity.principal import ADMIN, AUDITOR, CUSTODIAN, DISPATCHER, ENTERPRISE, STAFF, SUPERVISOR
from functions.shared.errors import FieldError, ValidationFailed
from functions.shared.pagination import decode_cursor

bp = ApiBlueprint(__name__, tag="appeals")
OPTIONAL_AUTH = None  # public routes that use a token when one is sent


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
    return Reply(presenters.submitted(result), status=200 if result.duplicate_of else 201)


@bp.api("/appeals/{appeal_id}", summary="One appeal with its deadlines and timeline", response=AppealOut)
def get_appeal(call: Call):
    return presenters.appeal(service.read(call.caller, call.params["appeal_id"]))


@bp.api("/appeals", summary="The calling enterprise's own appeals, newest first", query=PageQuery, response=AppealPageOut,
        roles=(ENTERPRISE,))
def my_appeals(call: Call):
    cursor = decode_cursor(call.query.cursor, expected={"enterprise_uscc": call.caller.org_id})
    return presenters.page(service.enterprise_appeals(call.caller, cursor, call.query.limit))


# -- actions (one route per action of states.MACHINE) ---------------------------------------------
def take_action(call: Call, action: str):
    return presenters.appeal(states.act(call.uow, call.caller, call.params["appeal_id"], action, call.body))


action_routes(bp, states.MACHINE, "/appeals/{appeal_id}", take=take_action, response=AppealOut, summary="Appeal action: {action}",
              view_prefix="appeal")


@bp.api("/appeals/{appeal_id}/files/{file_id}", summary="A file the appeal lists, with a short-lived download link",
        description="For whoever may read the appeal (404 otherwise, and for a file the appeal does not list).",
        response=FileDownloadOut, errors=(404,))
def read_attachment(call: Call):
    return files_presenters.download(service.read_attachment(call.caller, call.params["appeal_id"], call.params["file_id"]))


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
    return presenters.appeal(service.read_by_receipt(_receipt_code(call), call.client_address, call.now))


def take_receipt_action(call: Call, action: str):
    view = states.act(call.uow, None, "", action, call.body, receipt_code=_receipt_code(call), client_address=call.client_address)
    return presenters.appeal(view)


action_routes(bp, states.MACHINE, "/receipt", take=take_receipt_action, response=AppealOut, summary="Receipt holder: {action}",
              only=states.RECEIPT_ACTIONS, view_prefix="receipt", roles=None, headers=RECEIPT_HEADERS, errors=(404, 409, 429))


# -- queues --------------------------------------------------------------------------------------
@bp.api("/units/{unit_id}/appeals", summary="A unit's queue", query=QueueQuery, response=AppealPageOut,
        roles=(STAFF, DISPATCHER, SUPERVISOR, ADMIN, AUDITOR))
def unit_queue(call: Call):
    unit_id, query = call.params["unit_id"], call.query
    cursor = decode_cursor(query.cursor, expected={"assignee_unit": unit_id})
    return presenters.page(service.unit_queue(call.caller, unit_id, query.status, query.breached, cursor, query.limit))


@bp.api("/dispatch/appeals", summary="The dispatch centre's queue: appeals no rule could route, and returned ones",
        query=DispatchQueueQuery, response=AppealPageOut, roles=(DISPATCHER, SUPERVISOR, ADMIN, AUDITOR))
def dispatch_queue(call: Call):
    district = call.query.district
    cursor = decode_cursor(call.query.cursor, expected={"dispatch_district": district})
    return presenters.page(service.dispatch_queue(call.caller, district, cursor, call.query.limit))


@bp.api("/supervision/appeals", summary="Deadlines breached or near breach across every unit of this stack",
        description="A row per open deadline past its due moment (`state=breached`, most overdue first) or past the "
                    "80% warning the unit was sent (`state=warned`, nearest first), with its appeal. A met deadline "
                    "leaves the list; so does a warning an approved extension moved past.",
        query=AttentionQuery, response=AttentionPageOut, roles=(SUPERVISOR, ADMIN, AUDITOR))
def supervision_queue(call: Call):
    state = call.query.state
    cursor = decode_cursor(call.query.cursor, expected={"attention": f"appeal#{state}"})
    return presenters.attention(service.attention_queue(call.caller, state, cursor, call.query.limit))


@bp.api("/appeal-tickets", summary="What became of each ticket number: an appeal, or a void with its reason",
        query=TicketLedgerQuery, response=TicketLedgerOut, roles=(AUDITOR, ADMIN, SUPERVISOR))
def ticket_ledger(call: Call):
    first = call.query.first
    return presenters.ticket_ledger(*service.ticket_ledger(call.caller, first, first + call.query.limit - 1))


# -- statistics ----------------------------------------------------------------------------------
@bp.api("/units/{unit_id}/appeal-stats", summary="A unit's appeal statistics (counts and rates)", query=StatsQuery,
        response=StatsOut, roles=(STAFF, DISPATCHER, SUPERVISOR, ADMIN, AUDITOR))
def unit_stats(call: Call):
    return service.unit_stats(call.caller, call.params["unit_id"], call.query.period)


@bp.api("/districts/{district}/appeal-stats", summary="A district's appeal statistics", query=StatsQuery, response=StatsOut,
        roles=(DISPATCHER, SUPERVISOR, ADMIN, AUDITOR))
def district_stats(call: Call):
    return service.district_stats(call.caller, call.params["district"], call.query.period)


# -- routing rules (data, edited by admins) -------------------------------------------------------
@bp.api("/routing-rules", summary="The routing rules (category × district × keywords → unit)", response=list[RuleOut],
        roles=(ADMIN, DISPATCHER, SUPERVISOR, AUDITOR))
def list_rules(call: Call):
    return [presenters.rule(r) for r in service.routing_rules(call.caller)]


@bp.api("/routing-rules/{rule_id}", "PUT", summary="Create or replace a routing rule (admin)", body=RuleIn, response=RuleOut,
        roles=(ADMIN,), errors=(409,))
def put_rule(call: Call):
    body: RuleIn = call.body
    return presenters.rule(service.save_rule(call.uow, call.caller, call.params["rule_id"], body.model_dump(),
                                             describe=presenters.rule_record))
