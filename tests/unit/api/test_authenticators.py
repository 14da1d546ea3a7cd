"""Pluggable authenticators: a route names its own (`bp.api(..., authenticator=...)`, default bearer),
and the toolkit opens the unit of work in the name of whoever it says the caller is.

Routes here are mounted on an app of their own; nothing reaches DynamoDB (commits are captured).
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from chalice import Chalice, Response
from chalice.test import Client
from pydantic import BaseModel

from functions.api.routes import BEARER, ApiBlueprint, AuthRequest, Call, Refusal
from functions.shared import openapi
from functions.shared.audit import UnitOfWork
from functions.shared.errors import Forbidden
from tests.support import Machine, assert_problem


ROBOT = Machine("robot:7", "robot", "lab:1")


class HeaderKey:
    """A test authenticator: `X-Robot-Key: let-me-in` is ROBOT; any other key is refused; none is anonymous."""

    name = "robot_key"
    scheme: dict[str, Any] = {"type": "apiKey", "in": "header", "name": "X-Robot-Key"}

    def __init__(self) -> None:
        self.seen: list[AuthRequest] = []

    def authenticate(self, request: AuthRequest):
        self.seen.append(request)
        key = request.headers.get("x-robot-key")
        if key is None:
            return None
        if key != "let-me-in":
            raise Forbidden("That is not a robot's key.")
        return ROBOT


class FormKey:
    """A test authenticator that reads a form field, the way Open311's api_key comes."""

    name = "form_key"
    scheme: dict[str, Any] = {"type": "apiKey", "in": "query", "name": "key"}

    def authenticate(self, request: AuthRequest):
        fields = request.form if request.form is not None else request.query_params
        if fields.get("key") != "let-me-in":
            raise Refusal(Response(json.dumps([{"code": 403, "description": "key: is not valid"}]), status_code=403,
                                   headers={"Content-Type": "application/json"}))
        return ROBOT


class Thing(BaseModel):
    name: str


class ThingForm(BaseModel):
    key: str | None = None
    name: str


@pytest.fixture
def routes(monkeypatch, clock):
    """A blueprint whose routes stay out of the real OpenAPI document, and the commits made through it
    (a fixed clock: the stage's movable one, once app.py is imported, would read DynamoDB)."""
    monkeypatch.setattr(openapi, "_ROUTES", [])
    monkeypatch.setattr(openapi, "_SECURITY_SCHEMES", {openapi.BEARER_SCHEME: dict(openapi.BEARER_SECURITY_SCHEME)})
    committed: list[UnitOfWork] = []
    monkeypatch.setattr(UnitOfWork, "commit", lambda self, *args, **kwargs: committed.append(self))
    bp = ApiBlueprint(__name__, tag="test")
    bp.committed = committed
    return bp


def client_of(bp: ApiBlueprint) -> Client:
    app = Chalice("authenticator-test")
    app.register_blueprint(bp)
    return Client(app)


def test_the_unit_of_work_is_the_principals_from_the_start(routes):
    robot_key, seen = HeaderKey(), {}

    @routes.api("/test/things", "POST", summary="make a thing", body=Thing, idempotent=False, authenticator=robot_key)
    def make(call: Call):
        seen["principal"] = call.principal
        seen["actor"] = (call.uow.actor_sub, call.uow.actor_role, call.uow.actor_org)
        record = call.uow.audit("thing#1", "thing.made", after={"name": call.body.name})
        seen["audit"] = (record.actor_sub, record.actor_role, record.actor_org)
        return {"ok": True}

    with client_of(routes) as client:
        headers = {"Content-Type": "application/json", "X-Robot-Key": "let-me-in"}
        response = client.http.post("/api/test/things", headers=headers, body=json.dumps({"name": "gear"}))
    assert response.status_code == 200, response.body
    assert seen["principal"] is ROBOT
    assert seen["actor"] == seen["audit"] == ("robot:7", "robot", "lab:1")
    (uow,) = routes.committed
    assert [(a.entity, a.actor_sub) for a in uow.audits] == [("thing#1", "robot:7")]
    (request,) = robot_key.seen
    assert request.method == "POST" and request.path == "/api/test/things" and request.required


def test_roles_still_decide_who_may_call(routes):
    robot_key = HeaderKey()

    @routes.api("/test/robots-only", summary="robots", roles=("robot",), authenticator=robot_key)
    def robots(call: Call):
        return {"sub": call.caller.sub}

    @routes.api("/test/humans-only", summary="humans", roles=("staff",), authenticator=robot_key)
    def humans(call: Call):
        return {"sub": call.caller.sub}

    @routes.api("/test/anyone", summary="anyone", roles=None, authenticator=robot_key)
    def anyone(call: Call):
        return {"sub": call.principal.sub if call.principal else None, "actor": call.uow.actor_sub}

    with client_of(routes) as client:
        robot = {"X-Robot-Key": "let-me-in"}
        assert json.loads(client.http.get("/api/test/robots-only", headers=robot).body) == {"sub": "robot:7"}
        assert_problem(client.http.get("/api/test/robots-only"), 401)  # nobody named: the route has roles
        assert_problem(client.http.get("/api/test/humans-only", headers=robot), 403)
        assert_problem(client.http.get("/api/test/robots-only", headers={"X-Robot-Key": "guess"}), 403)
        # Optional authentication (roles=None): anonymous callers get in as nobody, named ones as themselves.
        assert json.loads(client.http.get("/api/test/anyone").body) == {"sub": None, "actor": "system"}
        named = client.http.get("/api/test/anyone", headers=robot)
        assert json.loads(named.body) == {"sub": "robot:7", "actor": "robot:7"}
        assert_problem(client.http.get("/api/test/anyone", headers={"X-Robot-Key": "guess"}), 403)


def test_bearer_is_the_default_and_refuses_before_the_body_is_read(routes):
    @routes.api("/test/staff", "POST", summary="staff", body=Thing, roles=("staff",), idempotent=False)
    def staff(call: Call):
        return {}

    @routes.api("/test/public", summary="public", roles=None)
    def public(call: Call):
        return {"anonymous": call.principal is None}

    assert routes.api.__kwdefaults__["authenticator"] is BEARER
    with client_of(routes) as client:
        not_json = client.http.post("/api/test/staff", headers={"Content-Type": "text/plain"}, body="{")
        problem = assert_problem(not_json, 401)
        assert "bearer token" in problem["detail"]
        assert client.http.post("/api/test/staff", body="{").headers["WWW-Authenticate"].startswith("Bearer")
        assert json.loads(client.http.get("/api/test/public").body) == {"anonymous": True}
        assert json.loads(client.http.get("/api/test/public", headers={"Authorization": "Basic eDp5"}).body) == {
            "anonymous": True}


def test_a_form_field_key_is_read_after_the_form_and_the_view_gets_the_same_form(routes):
    @routes.api("/test/forms", "POST", summary="a form", form=ThingForm, idempotent=False, authenticator=FormKey())
    def take(call: Call):
        return {"name": call.body.name, "actor": call.uow.actor_sub}

    @routes.api("/test/forms", summary="a query key", authenticator=FormKey())
    def read(call: Call):
        return {"actor": call.uow.actor_sub}

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    with client_of(routes) as client:
        ok = client.http.post("/api/test/forms", headers=form, body=urlencode({"key": "let-me-in", "name": "gear"}))
        assert json.loads(ok.body) == {"name": "gear", "actor": "robot:7"}
        # The route's own refusal of the body comes first: a JSON body is not a form, key or no key.
        assert_problem(client.http.post("/api/test/forms", headers={"Content-Type": "application/json"},
                                        body=json.dumps({"key": "let-me-in", "name": "gear"})), 415)
        refused = client.http.post("/api/test/forms", headers=form, body=urlencode({"key": "guess", "name": "gear"}))
        assert refused.status_code == 403  # the authenticator's own error body, as it made it
        assert json.loads(refused.body) == [{"code": 403, "description": "key: is not valid"}]
        assert json.loads(client.http.get("/api/test/forms?key=let-me-in").body) == {"actor": "robot:7"}
        assert client.http.get("/api/test/forms?key=guess").status_code == 403
    assert len(routes.committed) == 2  # the refused requests opened nothing


def test_the_openapi_document_lists_each_authenticators_scheme(routes):
    @routes.api("/test/robots-only", summary="robots", authenticator=HeaderKey())
    def robots(call: Call):
        return {}

    @routes.api("/test/anyone", summary="anyone", roles=None, authenticator=HeaderKey())
    def anyone(call: Call):
        return {}

    @routes.api("/test/staff", summary="staff", roles=("staff",))
    def staff(call: Call):
        return {}

    @routes.api("/test/public", summary="public", roles=None)
    def public(call: Call):
        return {}

    document = openapi.build_document("t", "1")
    assert document["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        "robot_key": {"type": "apiKey", "in": "header", "name": "X-Robot-Key"},
    }
    paths = document["paths"]
    assert paths["/api/test/robots-only"]["get"]["security"] == [{"robot_key": []}]
    assert paths["/api/test/anyone"]["get"]["security"] == [{"robot_key": []}, {}]  # anonymous too
    assert paths["/api/test/staff"]["get"]["security"] == [{"bearer": []}]
    assert "security" not in paths["/api/test/public"]["get"]  # as before: any request may carry a token

    class Impostor(HeaderKey):
        scheme = {"type": "http", "scheme": "basic"}

    with pytest.raises(ValueError):
        routes.api("/test/impostor", summary="another scheme under a known name", authenticator=Impostor())

