"""Enterprise profile routes: read it, self-declare fields, import fields (admin); the enterprise's
notification settings."""
from __future__ import annotations

from functions.api.routes import ApiBlueprint, Call
from functions.enterprises import presenters, service
from functions.enterprises.schemas import (
    EnterpriseProfileOut,
    NotificationSettingsIn,
    NotificationSettingsOut,
    ProfileDeclareIn,
    ProfileImportIn,
)
from functions.identity.principal import ADMIN, AUDITOR, ENTERPRISE, STAFF

bp = ApiBlueprint(__name__, tag="enterprises")
PROFILE = "/enterprises/{uscc}/profile"
SUBSCRIPTIONS = "/enterprises/{uscc}/subscriptions"


@bp.api(PROFILE, summary="An enterprise's profile: each field with its source and date, and what is derived",
        description="The enterprise itself; admin and auditor in their jurisdiction; staff of the jurisdiction read "
                    "it. Another enterprise gets 404. Size class (MIIT 2011) and years since founding are computed "
                    "on reading; a profile never written reads as empty (version 0) to its enterprise.",
        roles=(ENTERPRISE, STAFF, ADMIN, AUDITOR), response=EnterpriseProfileOut, errors=(404,))
def read(call: Call):
    return presenters.profile(service.read(call.caller, call.params["uscc"]))


@bp.api(PROFILE, "PUT", summary="The enterprise declares fields of its own profile",
        description="Each field given is stored as self_declared, as of today; fields left out keep their value. "
                    "Send the `version` you read to refuse a change made since (409).",
        roles=(ENTERPRISE,), body=ProfileDeclareIn, response=EnterpriseProfileOut, errors=(404, 409))
def declare(call: Call):
    body: ProfileDeclareIn = call.body
    return presenters.profile(service.declare(call.uow, call.caller, call.params["uscc"], body.changes(), body.version))


@bp.api(PROFILE + "/import", "POST", summary="Import fields of an enterprise's profile from an authority's data",
        description="Each field given is stored as imported, as of `as_of`. Admins of the enterprise's jurisdiction.",
        roles=(ADMIN,), body=ProfileImportIn, response=EnterpriseProfileOut, errors=(404, 409))
def import_fields(call: Call):
    body: ProfileImportIn = call.body
    return presenters.profile(service.import_fields(call.uow, call.caller, call.params["uscc"], body.as_of,
                                                    body.fields.changes(), body.version))


@bp.api(SUBSCRIPTIONS, summary="The enterprise's notification settings (policy alerts and their topics)",
        description="The enterprise itself. Never saved: alerts on, every topic. Another enterprise gets 404; "
                    "an official who may read the profile gets 403 (the settings are the enterprise's own).",
        roles=(ENTERPRISE, STAFF, ADMIN, AUDITOR), response=NotificationSettingsOut, errors=(403, 404))
def read_subscriptions(call: Call):
    return presenters.settings(service.read_settings(call.caller, call.params["uscc"]))


@bp.api(SUBSCRIPTIONS, "PUT", summary="The enterprise replaces its notification settings",
        description="`policy_alerts`: be told (in-app inbox and the stage's channels) when a policy project is "
                    "published that the profile makes you eligible for; `topics`: only for projects with one of "
                    "these topics (empty: every topic).",
        roles=(ENTERPRISE,), body=NotificationSettingsIn, response=NotificationSettingsOut, errors=(403, 404))
def save_subscriptions(call: Call):
    body: NotificationSettingsIn = call.body
    return presenters.settings(service.save_settings(call.uow, call.caller, call.params["uscc"], body.policy_alerts,
                                                     body.topics))
