"""Authenticators end to end on moto: the unit of work, its audit records and its idempotency record
are the authenticated principal's from the start, for a route's own authenticator and for the
Open311 channel keys (the toolkit's side, without the app: tests/unit/api/test_authenticators.py).
"""
from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.appeals.test_open311 import (  # noqa: F401 - fixtures are used by name
    BASE,
    HOTLINE,
    HOTLINE_KEY,
    appeal_of,
    channels,
    created,
    form,
    http,
    listing,
    o311_app,
    open311,
    open311_error,
    post,
    submission,
)
from tests.support import Machine

CHANNEL = "open311:hotline_12345@370200"


ROBOTS = {"robot-7-key": Machine("robot:7", "robot", "lab:1"), "robot-8-key": Machine("robot:8", "robot", "lab:1")}


class RobotKey:
    """A test authenticator: the `X-Robot-Key` header names one of ROBOTS."""

    name = "robot_key"
    scheme: dict[str, Any] = {"type": "apiKey", "in": "header", "name": "X-Robot-Key"}

    def authenticate(self, request):
        from functions.shared.errors import Unauthenticated

        robot = ROBOTS.get(request.headers.get("x-robot-key", ""))
        if robot is None:
            raise Unauthenticated("Send a robot's key in X-Robot-Key.")
        return robot


@pytest.fixture
def robots(aws, clock, monkeypatch):
    """An app with one route of a custom authenticator, kept out of the real OpenAPI document."""
    from chalice import Chalice
    from chalice.test import Client
    from pydantic import BaseModel

    from functions.api.routes import ApiBlueprint, Call
    from functions.shared import openapi

    monkeypatch.setattr(openapi, "_ROUTES", list(openapi._ROUTES))
    monkeypatch.setattr(openapi, "_SECURITY_SCHEMES", dict(openapi._SECURITY_SCHEMES))

    class Widget(BaseModel):
        name: str

    bp = ApiBlueprint(__name__, tag="test")
    runs: list[str] = []

    @bp.api("/test/widgets", "POST", summary="make a widget", body=Widget, status=201, authenticator=RobotKey())
    def make(call: Call):
        runs.append(call.caller.sub)
        call.uow.audit(f"widget#{call.body.name}", "widget.made", after={"name": call.body.name})
        return {"made": call.body.name, "by": call.caller.sub}

    app = Chalice("robots")
    app.register_blueprint(bp)
    with Client(app) as client:
        client.runs = runs
        yield client


def make_widget(client, robot_key: str, name: str, idempotency_key: str | None = None):
    headers = {"Content-Type": "application/json", "X-Robot-Key": robot_key}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    return client.http.post("/api/test/widgets", headers=headers, body=json.dumps({"name": name}))


def test_a_routes_own_authenticator_names_the_actor_of_its_audit_records(robots):
    from functions.shared.audit import AuditRecord

    response = make_widget(robots, "robot-7-key", "gear")
    assert response.status_code == 201, response.body
    assert json.loads(response.body) == {"made": "gear", "by": "robot:7"}
    (record,) = AuditRecord.query("widget#gear")
    assert (record.action, record.actor_sub, record.actor_role, record.actor_org) == (
        "widget.made", "robot:7", "robot", "lab:1")
    problem = json.loads(make_widget(robots, "guess", "sprocket").body)
    assert problem["status"] == 401 and "X-Robot-Key" in problem["detail"]
    assert list(AuditRecord.query("widget#sprocket")) == []


def test_idempotency_records_are_scoped_to_the_principal(robots):
    key = "widget-order-0001"  # not a random key: callers with credentials may choose their own
    first = make_widget(robots, "robot-7-key", "gear", key)
    again = make_widget(robots, "robot-7-key", "gear", key)
    assert again.headers.get("Idempotent-Replayed") == "true" and again.body == first.body
    other = make_widget(robots, "robot-8-key", "gear", key)  # the same key is another robot's own
    assert other.status_code == 201 and "Idempotent-Replayed" not in other.headers
    assert json.loads(other.body) == {"made": "gear", "by": "robot:8"}
    assert robots.runs == ["robot:7", "robot:8"]


# -- Open311's channel keys ----------------------------------------------------------------------------
def test_a_wrong_or_missing_open311_key_is_refused_as_before(http, channels):
    not_valid = [{"code": 403, "description": "api_key: is not valid"}]
    required = [{"code": 403, "description": "api_key: is required"}]
    assert open311_error(post(http, **submission(api_key="guess")), 403) == not_valid
    assert open311_error(post(http, **submission(api_key=None)), 403) == required
    assert open311_error(http.get(f"{BASE}/requests.json?api_key=guess"), 403) == not_valid
    assert open311_error(http.get(f"{BASE}/requests/370200-0000001.json"), 403) == required
    as_xml = http.post(f"{BASE}/requests.xml", **form(**submission(api_key="guess")))
    assert (as_xml.status_code, as_xml.headers["Content-Type"]) == (403, "text/xml; charset=utf-8")
    assert b"<description>api_key: is not valid</description>" in as_xml.body
    # services.* stay public; a bearer token sent there is verified as on any public route.
    assert http.get(f"{BASE}/services.json?api_key=guess").status_code == 200
    assert http.get(f"{BASE}/services.json", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert listing(http) == []  # nothing was submitted


def test_the_toolkits_own_checks_still_come_before_the_path_and_the_key(http, channels, token):
    """README-open311.md: a bearer token that does not verify (401) and a body that is not a form (415)
    are refused first, then a path naming no document (404), then the key (403)."""
    from tests.support import assert_problem

    raw_key_as_bearer = {"Authorization": f"Bearer {HOTLINE_KEY}"}
    assert_problem(http.get(f"{BASE}/requests.json", headers=raw_key_as_bearer), 401)
    one = f"{BASE}/requests/370200-0000001.json?api_key={HOTLINE_KEY}"
    assert_problem(http.get(one, headers=raw_key_as_bearer), 401)
    assert_problem(http.post(f"{BASE}/requests.yaml", headers={"Content-Type": "application/json"},
                             body=json.dumps(submission(api_key="guess"))), 415)
    assert_problem(http.post(f"{BASE}/requests.yaml", **form(**submission(api_key="guess"))), 404)
    assert_problem(http.get(f"{BASE}/requests/370200-0000001?api_key=guess"), 404)
    # A platform token that verifies changes nothing: the key names the caller of a channel's route.
    staff = {"Authorization": f"Bearer {token('staff-tax')}"}
    request_id = created(http.post(f"{BASE}/requests.json", body=form(**submission())["body"],
                                   headers={**form()["headers"], **staff}))
    assert appeal_of(channels, HOTLINE, request_id).submitted_by == CHANNEL


def test_the_open311_key_names_the_channel_from_the_first_audit_record(http, channels, monkeypatch):
    from functions.shared.audit import AuditRecord, UnitOfWork

    opened, repointed = [], []
    for_actor = UnitOfWork.for_actor.__func__

    def recording_for_actor(cls, actor, request_id, now):
        opened.append(getattr(actor, "sub", None))
        return for_actor(cls, actor, request_id, now)

    act_as = UnitOfWork.act_as

    def recording_act_as(self, sub, role, org):
        repointed.append(sub)
        return act_as(self, sub, role, org)

    monkeypatch.setattr(UnitOfWork, "for_actor", classmethod(recording_for_actor))
    monkeypatch.setattr(UnitOfWork, "act_as", recording_act_as)

    request_id = created(post(http, **submission()))
    assert opened == [CHANNEL]  # the unit of work was the channel's when it was opened
    assert CHANNEL not in repointed  # and nobody had to re-point it at the channel
    appeal = appeal_of(channels, HOTLINE, request_id)
    records = list(AuditRecord.query(f"appeal#{appeal.appeal_id}"))
    assert records, "the submission is audited"
    first = records[0]
    assert (first.actor_sub, first.actor_role, first.actor_org) == (CHANNEL, "staff", "channel:hotline_12345")
    assert {r.actor_sub for r in records} == {CHANNEL}


def test_the_openapi_document_lists_the_open311_key_scheme(http, channels):
    document = json.loads(http.get("/api/openapi.json").body)
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}  # as it was
    key = schemes["open311_api_key"]
    assert (key["type"], key["in"], key["name"]) == ("apiKey", "query", "api_key")
    assert "form field" in key["description"]
    paths = document["paths"]
    assert paths[f"{BASE}/{{document}}"]["post"]["security"] == [{"open311_api_key": []}]
    assert paths[f"{BASE}/requests/{{request_file}}"]["get"]["security"] == [{"open311_api_key": []}]
    assert paths[f"{BASE}/{{document}}"]["get"]["security"] == [{"open311_api_key": []}, {}]  # services.* are public
    assert "security" not in paths[f"{BASE}/services/{{service_file}}"]["get"]
    assert paths["/api/audit"]["get"]["security"] == [{"bearer": []}]
