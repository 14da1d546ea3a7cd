"""Routes of applications, public notices (公示), objections, payments and ratings (青岛政策通). Thin:
each view parses, calls one service function and presents. The action routes
(`POST /api/applications/{id}/<action>`) are generated from the state machine (application_states.py).
"""
from __future__ import annotations

from functions.api.actions import action_routes
from functions.api.routes import ApiBlueprint, Call, Reply
from functions.files import presenters as files_presenters
from functions.files.schemas import FileDownloadOut
from functions.identity.principal import ADMIN, AUDITOR, DISPATCHER, ENTERPRISE, STAFF, SUPERVISOR
from functions.policy import application_presenters as presenters
from functions.policy import application_states as states
from functions.policy import applications, notices
from functions.policy.application_schemas import (
    ApplicationOut,
    ApplicationPageOut,
    ApplyIn,
    AwardPageOut,
    CandidatesOut,
    CandidatesQuery,
    ConfirmListIn,
    DepartmentStatsOut,
    PolicyNoticeIn,
    PolicyNoticeOut,
    PolicyNoticePageOut,
    ObjectionIn,
    ObjectionOut,
    ProjectApplicationsQuery,
    ResolveObjectionIn,
)
from functions.shared.errors import FieldError, ValidationFailed
from functions.shared.pagination import decode_cursor
from functions.shared.schemas import PageQuery

bp = ApiBlueprint(__name__, tag="policy applications")
OVERSIGHT = (STAFF, DISPATCHER, SUPERVISOR, ADMIN, AUDITOR)


# -- the enterprise --------------------------------------------------------------------------------
@bp.api("/projects/{project_id}/applications", "POST", summary="Apply for an open project: the form (its JSON Schema) and "
        "attachments uploaded beforehand", body=ApplyIn, response=ApplicationOut, status=201, roles=(ENTERPRISE,), errors=(409,))
def apply(call: Call):
    body: ApplyIn = call.body
    view = applications.submit(call.uow, call.caller, call.params["project_id"], body.form, list(body.attachments))
    return Reply(presenters.application(view), status=201)


@bp.api("/applications", summary="The calling enterprise's own applications, newest first", query=PageQuery,
        response=ApplicationPageOut, roles=(ENTERPRISE,))
def my_applications(call: Call):
    cursor = decode_cursor(call.query.cursor, expected={"enterprise_uscc": call.caller.org_id})
    return presenters.page(applications.enterprise_applications(call.caller, cursor, call.query.limit))


@bp.api("/applications/{application_id}", summary="One application: its steps to the money, each with owner and deadline, "
        "its decisions, payments and the actions the caller may take now", response=ApplicationOut)
def read_application(call: Call):
    return presenters.application(applications.read(call.caller, call.params["application_id"]))


@bp.api("/applications/{application_id}/files/{file_id}", summary="A file the application lists, with a short-lived download link",
        response=FileDownloadOut, errors=(404,))
def read_attachment(call: Call):
    return files_presenters.download(applications.read_attachment(call.caller, call.params["application_id"], call.params["file_id"]))


def take_action(call: Call, action: str):
    return presenters.application(states.act(call.uow, call.caller, call.params["application_id"], action, call.body))


action_routes(bp, states.MACHINE, "/applications/{application_id}", take=take_action, response=ApplicationOut,
              summary="Application action: {action}", view_prefix="application")


# -- reviewers and the department -------------------------------------------------------------------
@bp.api("/units/{unit_id}/policy-reviews", summary="A unit's review queue: applications at its stage, oldest first",
        query=PageQuery, response=ApplicationPageOut, roles=OVERSIGHT)
def review_queue(call: Call):
    unit_id = call.params["unit_id"]
    cursor = decode_cursor(call.query.cursor, expected={"review_unit": unit_id})
    return presenters.page(applications.review_queue(call.caller, unit_id, cursor, call.query.limit))


@bp.api("/projects/{project_id}/applications", summary="A project's applications in one status (to announce, to pay): "
        "its department", query=ProjectApplicationsQuery, response=ApplicationPageOut, roles=(STAFF, ADMIN))
def project_applications(call: Call):
    project_id, status = call.params["project_id"], call.query.status
    cursor = decode_cursor(call.query.cursor, expected={"project_status": f"{project_id}#{status}"})
    return presenters.page(applications.project_applications(call.caller, project_id, status, cursor, call.query.limit))


@bp.api("/projects/{project_id}/confirmed-list", "POST", summary="免申即享: the department confirms eligible enterprises "
        "and amounts; each is approved without applying, next the public notice", body=ConfirmListIn,
        response=ApplicationPageOut, status=201, roles=(STAFF, ADMIN), errors=(409,))
def confirm_list(call: Call):
    entries = [applications.ListedEnterprise(e.uscc, e.amount_fen) for e in call.body.entries]
    created = applications.confirm_list(call.uow, call.caller, call.params["project_id"], entries)
    return Reply(presenters.page((created, None)), status=201)


@bp.api("/projects/{project_id}/candidates", summary="免申即享: the enterprises of a district the project's rule finds "
        "eligible, a page of profiles at a time, each marked if listed already: its department", query=CandidatesQuery,
        response=CandidatesOut, roles=(STAFF, ADMIN), errors=(409,))
def project_candidates(call: Call):
    query = call.query
    if query.cursor and not query.district:
        raise ValidationFailed([FieldError("district", "name the district the cursor came from")])
    cursor = decode_cursor(query.cursor, expected={"district": query.district or ""})
    return presenters.candidates(*applications.candidates(call.caller, call.params["project_id"], query.district, cursor,
                                                          query.limit))


@bp.api("/departments/{unit_id}/policy-stats", summary="A department's applications, awards, payments, review timeliness "
        "and ratings", response=DepartmentStatsOut, roles=OVERSIGHT)
def department_stats(call: Call):
    return presenters.department_stats(applications.department_stats(call.caller, call.params["unit_id"]))


# -- public notices ----------------------------------------------------------------------------------
@bp.api("/projects/{project_id}/notices", "POST", summary="Open a public notice (公示) of approved applications and amounts; "
        "objections are taken for the window (working days, at least 5), then the sweeper closes it", body=PolicyNoticeIn,
        response=PolicyNoticeOut, status=201, roles=(STAFF, ADMIN), errors=(409,))
def open_notice(call: Call):
    body: PolicyNoticeIn = call.body
    notice = notices.open_notice(call.uow, call.caller, call.params["project_id"], list(body.application_ids), body.working_days)
    return Reply(presenters.notice(notice), status=201)


@bp.api("/policy-notices", summary="Public notices, newest first (public)", query=PageQuery, response=PolicyNoticePageOut, roles=None)
def list_notices(call: Call):
    cursor = decode_cursor(call.query.cursor, expected={"listed": "notice"})
    return presenters.notices(notices.notices_page(cursor, call.query.limit))


@bp.api("/policy-notices/{notice_id}", summary="One public notice with its awards (public)", response=PolicyNoticeOut, roles=None)
def read_notice(call: Call):
    return presenters.notice(notices.load(call.params["notice_id"]))


@bp.api("/policy-notices/{notice_id}/objections", "POST", summary="Object to an award under your real name while the "
        "window is open", body=ObjectionIn, response=ObjectionOut, status=201, errors=(409,))
def object_to(call: Call):
    body: ObjectionIn = call.body
    objection = notices.object_to(call.uow, call.caller, call.params["notice_id"], body.application_id, body.reason, body.phone)
    return Reply(presenters.objection(objection, with_phone=True), status=201)


@bp.api("/policy-notices/{notice_id}/objections", summary="A notice's objections: all of them for its department and "
        "oversight, your own for anyone else", response=list[ObjectionOut])
def list_objections(call: Call):
    _, found, everything = notices.objections(call.caller, call.params["notice_id"])
    return [presenters.objection(o, with_phone=everything or o.by_sub == call.caller.sub) for o in found]


@bp.api("/policy-notices/{notice_id}/objections/{objection_id}/resolve", "POST", summary="The department resolves an "
        "objection: upheld withdraws the award, dismissed lets it stand", body=ResolveObjectionIn, response=ObjectionOut,
        roles=(STAFF, ADMIN), errors=(409,))
def resolve_objection(call: Call):
    body: ResolveObjectionIn = call.body
    objection = notices.resolve_objection(call.uow, call.caller, call.params["notice_id"], call.params["objection_id"],
                                          body.upheld, body.response)
    return presenters.objection(objection, with_phone=True)


@bp.api("/open-data/policy-awards", summary="Open data: one record per award on a public notice, newest notice first "
        "(a page holds `limit` notices)", query=PageQuery, response=AwardPageOut, roles=None)
def open_awards(call: Call):
    cursor = decode_cursor(call.query.cursor, expected={"listed": "notice"})
    return presenters.awards(notices.awards_page(cursor, call.query.limit))
