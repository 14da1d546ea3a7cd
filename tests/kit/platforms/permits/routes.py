"""Permit routes: apply, and the state machine's action routes."""
from __future__ import annotations

from pydantic import BaseModel

from functions.api.actions import action_routes
from functions.api.routes import ApiBlueprint, Call
from functions.permits import service

bp = ApiBlueprint(__name__, tag="permits")


class PermitOut(BaseModel):
    id: str
    status: str


def _out(permit) -> PermitOut:
    return PermitOut(id=permit.permit_id, status=permit.status)


@bp.api("/permits/{permit_id}", "PUT", summary="Apply for a permit", response=PermitOut, status=201)
def apply(call: Call):
    return _out(service.apply(call.uow, call.caller, call.params["permit_id"]))


def take(call: Call, action: str):
    return _out(service.act(call.uow, call.caller, call.params["permit_id"], action, call.body))


action_routes(bp, service.MACHINE, "/permits/{permit_id}", take=take, response=PermitOut, summary="Permit action: {action}")
