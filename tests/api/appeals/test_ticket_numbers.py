"""Ticket numbers: claimed without contention, never reused, and every one accounted for."""
from __future__ import annotations

import json

from chalice import Chalice
from chalice.test import Client

from tests.support import bearer, body


def test_a_number_claimed_but_never_committed_is_voided_by_the_audit(api, client, token, clock):
    from functions.appeals import service
    from functions.shared.audit import UnitOfWork

    committed = api.ok(api.submit("ent-zhengrixin"), 201)
    # A submission that claimed the next number and died before its transaction.
    service.TicketBook().claim(UnitOfWork("x", "staff", "unit-tax", "req-dead", clock.now()), "never-committed")
    later = api.ok(api.submit("ent-hailian-trade", district="370211"), 201)
    assert [committed["ticket_no"][-1], later["ticket_no"][-1]] == ["1", "3"]

    assert service.audit_tickets(clock.now()) == {"seen": 0, "changed": 0}  # notes the counter, judges nothing yet
    clock.advance(minutes=2)
    assert service.audit_tickets(clock.now())["changed"] == 0  # too young: its submitter may still be committing
    clock.advance(minutes=4)
    assert service.audit_tickets(clock.now()) == {"seen": 3, "changed": 1}
    assert service.audit_tickets(clock.now())["changed"] == 0  # idempotent

    ledger = body(client.http.get("/api/appeal-tickets", headers=bearer(token("auditor-city"))))
    states = [(line["number"], line["state"]) for line in ledger["items"]]
    assert ledger["claimed"] == 3 and states == [(1, "appeal"), (2, "void"), (3, "appeal")]
    assert ledger["items"][1]["void_reason"].startswith("abandoned")
    assert ledger["items"][0]["appeal_id"] == committed["id"]


def test_the_ticket_ledger_is_for_oversight_roles(client, token):
    for user, status in [("auditor-city", 200), ("supervisor-city", 200), ("staff-tax", 403), ("ent-zhengrixin", 403)]:
        assert client.http.get("/api/appeal-tickets", headers=bearer(token(user))).status_code == status


def test_a_request_that_ends_without_committing_runs_its_abort_hooks(aws, clock, monkeypatch):
    """What the submit route relies on to void its number when its transaction is refused."""
    from functions.shared import openapi
    from functions.shared.errors import Conflict
    from functions.api.routes import ApiBlueprint, Call

    monkeypatch.setattr(openapi, "_ROUTES", list(openapi._ROUTES))  # keep this test's route out of the real document

    voided, attempts = [], []
    bp = ApiBlueprint(__name__, tag="test")

    @bp.api("/test/abort", "POST", summary="claims, then loses", roles=None, idempotent=False)
    def claim_then_lose(call: Call):
        attempts.append(1)
        call.on_abort(voided.append)
        raise Conflict("the object changed")

    app = Chalice("abort-test")
    app.register_blueprint(bp)
    with Client(app) as test_client:
        response = test_client.http.post("/api/test/abort", headers={"Content-Type": "application/json"}, body=json.dumps({}))
    assert response.status_code == 409
    assert voided == ["refused: conflict"] and len(attempts) == 1


def test_submitting_claims_with_one_atomic_add_and_no_read(api, clock, dynamo_calls):
    api.ok(api.submit("ent-hailian-trade", district="370211"), 201)
    token = api.token("ent-zhengrixin")
    api.token = lambda user: token  # signing in reads the directory; submitting is what is counted
    dynamo_calls.reset()
    api.ok(api.submit("ent-zhengrixin"), 201)
    assert dynamo_calls.by_operation.get("UpdateItem") == 1 and "GetItem" not in dynamo_calls.by_operation
