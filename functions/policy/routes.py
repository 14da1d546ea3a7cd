"""Policy library routes (青岛政策通): published documents, projects and news; staff editing. Thin."""
from __future__ import annotations

from functions.api.routes import ApiBlueprint, Call
from functions.identity.principal import ADMIN, AUDITOR, ENTERPRISE, STAFF
from functions.policy import presenters, service
from functions.policy.models import DOCUMENT, NEWS, PROJECT
from functions.policy.schemas import (
    DepartmentItemsOut, DepartmentItemsQuery, DraftIn, DraftOut, EditableOut, ItemOut, MatchesOut, MatchOut, SearchOut,
    SearchQuery, VersionsOut, WithdrawIn,
)
from functions.shared.pagination import decode_cursor

bp = ApiBlueprint(__name__, tag="policy")
EDITORS = (STAFF, ADMIN)


@bp.api("/policies/search", summary="Search documents, projects and news in Chinese: ranked, filtered, with "
        "facet counts and highlights", query=SearchQuery, response=SearchOut, roles=None, errors=(503,))
def search(call: Call):
    q = call.query
    return presenters.search(service.search(q.q, q.kind, q.level, q.department, q.topic, q.status, q.closing_within,
                                            q.cursor, q.limit))


@bp.api("/policies/{item_id}", summary="A published policy document or news item, with what links to it",
        response=ItemOut, roles=None)
def read_policy(call: Call):
    return presenters.item(service.read(call.params["item_id"], (DOCUMENT, NEWS)))


@bp.api("/projects/{item_id}", summary="A published policy project: its conditions, amount, window, department "
                                       "and form, with the documents it carries out", response=ItemOut, roles=None)
def read_project(call: Call):
    return presenters.item(service.read(call.params["item_id"], PROJECT))


@bp.api("/projects/{item_id}/eligibility", summary="Do I qualify? The calling enterprise against this project: "
        "each condition met, failed or missing data, in words, with what would make it eligible", response=MatchOut,
        roles=(ENTERPRISE,))
def project_eligibility(call: Call):
    return presenters.match(service.project_eligibility(call.caller, call.params["item_id"]))


@bp.api("/policy-items/{item_id}/draft", "PUT", summary="Save a draft of a document, project or news item "
        "(its department's staff)", body=DraftIn, response=DraftOut, roles=EDITORS)
def save_draft(call: Call):
    return presenters.draft(service.save_draft(call.uow, call.caller, call.params["item_id"], call.body.content))


@bp.api("/policy-items/{item_id}/publish", "POST", summary="Publish the draft as the next version (changes kept "
        "field by field)", response=VersionsOut, roles=EDITORS)
def publish(call: Call):
    return presenters.versions([service.publish(call.uow, call.caller, call.params["item_id"])])


@bp.api("/policy-items/{item_id}/withdraw", "POST", summary="Withdraw a published item (it leaves search and "
        "matching; its versions stay)", body=WithdrawIn, response=DraftOut, roles=EDITORS)
def withdraw(call: Call):
    return presenters.draft(service.withdraw(call.uow, call.caller, call.params["item_id"], call.body.reason))


@bp.api("/policy-items/{item_id}/versions", summary="Every published version, newest first, with its changes "
        "field by field", response=VersionsOut, roles=None)
def versions(call: Call):
    return presenters.versions(service.versions(call.params["item_id"]))


@bp.api("/enterprises/{uscc}/matches", summary="Every open project for this enterprise, eligible first, each "
        "condition met, failed or missing data, in words, with what would make it eligible", response=MatchesOut)
def matches(call: Call):
    uscc = call.params["uscc"]
    return presenters.matches(uscc, service.matches(call.caller, uscc))


@bp.api("/departments/{unit_id}/policy-items", summary="A department's documents, projects and news, newest change "
        "first, drafts and withdrawn ones too (its staff; administrators and auditors)", query=DepartmentItemsQuery,
        response=DepartmentItemsOut, roles=(STAFF, ADMIN, AUDITOR))
def department_items(call: Call):
    unit_id = call.params["unit_id"]
    cursor = decode_cursor(call.query.cursor, expected={"department_id": unit_id})
    return presenters.department_items(service.department_items(call.caller, unit_id, cursor, call.query.limit))


@bp.api("/policy-items/{item_id}/draft", summary="What an editor starts from: the draft, or the published content "
        "when there is none (its department's staff)", response=EditableOut, roles=EDITORS)
def read_draft(call: Call):
    return presenters.editable(service.editable(call.caller, call.params["item_id"]))
