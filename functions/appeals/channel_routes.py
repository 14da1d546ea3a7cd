"""Open311 channel administration under /api/open311/channels (the rules: functions/appeals/channels.py).

The routes that answer a key (create, rotate-key) never replay from the idempotency store: the key is
not kept anywhere, so a retried request runs again (a retried create is a 409, a retried rotation
issues another key and the lost one is already dead).
"""
from __future__ import annotations

from functions.api.routes import ApiBlueprint, Call
from functions.appeals import channels
from functions.appeals.channels import Open311ChannelIn, Open311ChannelKeyOut, Open311ChannelOut
from functions.identity.principal import ADMIN

bp = ApiBlueprint(__name__, tag="open311")
ADMINS = (ADMIN,)


@bp.api("/open311/channels", summary="The Open311 intake channels of the caller's jurisdiction (admin)",
        response=list[Open311ChannelOut], roles=ADMINS)
def list_channels(call: Call):
    return [channels.present(c) for c in channels.list_channels(call.caller)]


@bp.api("/open311/channels", "POST", summary="Register an Open311 channel; its API key is answered this once (admin)",
        body=Open311ChannelIn, response=Open311ChannelKeyOut, status=201, roles=ADMINS, errors=(409,), replay=False)
def create_channel(call: Call):
    return channels.present_key(channels.create_channel(call.uow, call.caller, call.body))


@bp.api("/open311/channels/{channel_id}/disable", "POST",
        summary="Disable an Open311 channel: its key is refused from now on (admin; idempotent)",
        response=Open311ChannelOut, roles=ADMINS, errors=(404, 409))
def disable_channel(call: Call):
    return channels.present(channels.set_enabled(call.uow, call.caller, call.params["channel_id"], False))


@bp.api("/open311/channels/{channel_id}/enable", "POST",
        summary="Enable an Open311 channel again (admin; idempotent)",
        response=Open311ChannelOut, roles=ADMINS, errors=(404, 409))
def enable_channel(call: Call):
    return channels.present(channels.set_enabled(call.uow, call.caller, call.params["channel_id"], True))


@bp.api("/open311/channels/{channel_id}/rotate-key", "POST",
        summary="Issue a new API key for an Open311 channel; the old key stops working at once (admin)",
        response=Open311ChannelKeyOut, roles=ADMINS, errors=(404, 409), replay=False)
def rotate_key(call: Call):
    return channels.present_key(channels.rotate_key(call.uow, call.caller, call.params["channel_id"]))
