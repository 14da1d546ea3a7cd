"""The conventions every route shares: problem+json, idempotency, one transaction, pagination, budgets."""
from __future__ import annotations

import json

import pytest

from tests.support import assert_problem, bearer, body, json_headers


# Callers without a token send keys of at least 128 random bits (the dev clock is public).
K1, K2 = "6f1c2a4e-0b7d-4c1e-9a53-1d2e3f405162", "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"


def advance(client, seconds, **headers):
    return client.http.post("/api/dev/clock", headers=json_headers(**headers), body=json.dumps({"advance_seconds": seconds}))


def offset(client) -> int:
    return body(client.http.get("/api/dev/clock"))["offset_seconds"]


def test_malformed_json_is_400_and_changes_nothing(client):
    response = client.http.post("/api/dev/clock", headers=json_headers(), body='{"advance_seconds": ')
    problem = assert_problem(response, 400)
    assert problem["code"] == "malformed_request"
    assert offset(client) == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_non_json_body_is_415(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.http.post("/api/dev/clock", headers=headers, body='{"advance_seconds": 5}')
    assert_problem(response, 415)
    assert offset(client) == 0


def test_a_missing_body_is_400_where_a_field_is_required(client):
    assert_problem(client.http.post("/api/dev/clock", headers=json_headers()), 400)
    assert offset(client) == 0


def test_large_body_is_413(client):
    big = json.dumps({"advance_seconds": 5, "padding": "x" * (1024 * 1024 + 1)})
    assert_problem(client.http.post("/api/dev/clock", headers=json_headers(), body=big), 413)


def test_unknown_fields_are_refused_by_name(client):
    response = client.http.post("/api/dev/clock", headers=json_headers(), body=json.dumps({"advance_seconds": 5, "back": True}))
    assert_problem(response, 422, field="back")


def test_every_bad_field_is_listed(client):
    response = client.http.get("/api/calendar/deadline?from=yesterday&hours=-3")
    problem = assert_problem(response, 422)
    assert {e["field"] for e in problem["errors"]} == {"from", "hours"}


def test_idempotency_key_replays_the_first_response(client):
    first = advance(client, 60, **{"Idempotency-Key": K1})
    again = advance(client, 60, **{"Idempotency-Key": K1})
    assert first.status_code == again.status_code == 200
    assert body(first) == body(again)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert offset(client) == 60
    advance(client, 60, **{"Idempotency-Key": K2})
    assert offset(client) == 120


def test_idempotency_key_with_another_body_is_422_and_changes_nothing(client):
    advance(client, 60, **{"Idempotency-Key": K1})
    response = advance(client, 3600, **{"Idempotency-Key": K1})
    assert_problem(response, 422, field="Idempotency-Key")
    assert offset(client) == 60


def test_idempotency_record_commits_with_the_change(client, aws):
    from functions.shared import idempotency

    advance(client, 60, **{"Idempotency-Key": K1})
    ref = idempotency.resolve(idempotency.ANONYMOUS, "POST", "/api/dev/clock", K1, json.dumps({"advance_seconds": 60}).encode())
    record = idempotency.IdempotencyRecord.get(ref.record_id)
    assert json.loads(ref.seal.decrypt(record.sealed_body.encode()))["offset_seconds"] == 60
    # Nothing in the record says who called or with which key; the answer is sealed under the key.
    assert K1 not in json.dumps(record.attribute_values, default=str)
    assert "anonymous" not in record.key_id and "offset_seconds" not in record.sealed_body


def test_idempotency_key_must_be_sane(client):
    assert_problem(advance(client, 60, **{"Idempotency-Key": "x" * 200}), 422, field="Idempotency-Key")


@pytest.mark.parametrize("key", ["k-1", "1", "retry", "0123456789abcdef"])
def test_a_caller_without_a_token_sends_an_unguessable_key(client, key):
    # A short key from one anonymous client could be hit by another anonymous client sending the
    # same key and body, and get the first one's answer (a receipt code, say).
    assert_problem(advance(client, 60, **{"Idempotency-Key": key}), 422, field="Idempotency-Key")
    assert offset(client) == 0


def test_change_audit_and_outbox_commit_together_or_not_at_all(aws, clock):
    from functions.platform.models import PlatformSetting
    from functions.shared.audit import AuditRecord, OutboxMessage, UnitOfWork
    from functions.shared.errors import Conflict

    PlatformSetting(name="clock", offset_seconds=10).save()
    stale = UnitOfWork("tester", "admin", "unit-big-data", "req-1", clock.now())
    stale.put(PlatformSetting(name="clock", offset_seconds=99), PlatformSetting.offset_seconds == 0)
    stale.audit("platform-setting#clock", "clock.advanced", before={"offset_seconds": 0}, after={"offset_seconds": 99})
    stale.emit("clock.advanced", {"offset_seconds": 99}, recipients=["org:unit-big-data"])
    with pytest.raises(Conflict):
        stale.commit()
    assert PlatformSetting.get("clock").offset_seconds == 10
    assert list(AuditRecord.query("platform-setting#clock")) == []
    assert [m for shard in range(4) for m in OutboxMessage.pending_index.query(f"p{shard}")] == []


def test_two_writers_from_the_same_read_never_both_win(aws, clock):
    from functions.platform.clock import MovableClock
    from functions.platform.models import PlatformSetting
    from functions.shared.audit import UnitOfWork
    from functions.shared.errors import Conflict

    first = UnitOfWork("a", "admin", "u", "req-a", clock.now())
    second = UnitOfWork("b", "admin", "u", "req-b", clock.now())
    MovableClock().advance(first, 100)
    MovableClock().advance(second, 200)  # read the same (absent) offset
    first.commit()
    with pytest.raises(Conflict):
        second.commit()
    assert PlatformSetting.get("clock").offset_seconds == 100


def test_outbox_relay_delivers_once(aws, clock):
    from functions.notifications.models import MailboxMessage
    from functions.notifications.service import relay_pending
    from functions.shared.audit import UnitOfWork

    uow = UnitOfWork("tester", "admin", "unit-big-data", "req-9", clock.now())
    uow.emit("appeal.dispatched", {"ticket_no": "QD-1"}, recipients=["org:unit-tax", "user:staff-tax"])
    uow.commit()
    assert relay_pending(clock.now()).as_dict() == {"seen": 1, "changed": 1, "failed": 0}
    assert relay_pending(clock.now()).as_dict() == {"seen": 0, "changed": 0, "failed": 0}
    (notice,) = list(MailboxMessage.query("org:unit-tax"))
    assert json.loads(notice.payload) == {"ticket_no": "QD-1"}


def test_audit_trail_pages_with_a_cursor(client, token, clock):
    for seconds in (1, 2, 3, 4, 5):
        clock.advance(seconds=1)
        advance(client, seconds)
    auditor = bearer(token("auditor-city"))
    seen, cursor = [], None
    for _ in range(4):
        url = "/api/audit?entity=platform-setting%23clock&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = body(client.http.get(url, headers=auditor))
        seen += [item["after"]["offset_seconds"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [1, 3, 6, 10, 15]


def test_tampered_cursor_is_422(client, token):
    auditor = bearer(token("auditor-city"))
    for cursor in ("not-base64!", "eyJ4IjogMX0", "eyJlbnRpdHkiOnsiUyI6Im90aGVyIn19",
                   "eyJlbnRpdHkiOnsiUyI6InBsYXRmb3JtLXNldHRpbmcjY2xvY2sifX0.AAAAAAAAAAAAAAAAAAAAAA"):
        response = client.http.get(f"/api/audit?entity=platform-setting%23clock&cursor={cursor}", headers=auditor)
        assert_problem(response, 422, field="cursor")


@pytest.mark.parametrize(
    "user, status",
    [("auditor-city", 200), ("admin-city", 200), ("supervisor-city", 200),
     ("admin-laoshan", 404), ("ent-zhengrixin", 403), ("staff-tax", 403), ("bank-qrcb-client", 403)],
)
def test_audit_trail_is_for_oversight_roles_of_the_jurisdiction(client, token, user, status):
    response = client.http.get("/api/audit?entity=platform-setting%23clock", headers=bearer(token(user)))
    assert response.status_code == status, response.body


def test_unexpected_errors_are_problems_without_internals(client, app, monkeypatch):
    from functions.platform import routes

    def explode():
        raise RuntimeError("secret internals")

    monkeypatch.setattr(routes, "get_settings", explode)
    response = client.http.get("/api/health")
    problem = assert_problem(response, 500)
    assert "secret" not in response.body.decode()
    assert problem["code"] == "internal_error"


class TestDynamoCallBudgets:
    """Per-route DynamoDB call counts are deterministic; these are the budgets."""

    def test_health_makes_no_call(self, client, clock, dynamo_calls):
        client.http.get("/api/health")
        assert dynamo_calls.total == 0

    def test_authenticated_read_costs_nothing_once_keys_are_cached(self, client, token, dynamo_calls):
        ent = bearer(token("ent-zhengrixin"))
        client.http.get("/api/auth/me", headers=ent)
        dynamo_calls.reset()
        client.http.get("/api/auth/me", headers=ent)
        assert dynamo_calls.total == 0

    def test_deadline_costs_nothing_once_the_calendar_is_cached(self, client, clock, dynamo_calls):
        url = "/api/calendar/deadline?from=2026-11-20T10:00:00%2B08:00&working_days=15"
        client.http.get(url)
        assert dynamo_calls.by_operation == {"Query": 1}  # the loaded notices, once a minute
        dynamo_calls.reset()
        client.http.get(url)
        assert dynamo_calls.total == 0

    def test_an_idempotent_write_is_one_read_and_one_transaction(self, client, clock, dynamo_calls):
        offset(client)
        dynamo_calls.reset()
        advance(client, 60, **{"Idempotency-Key": K1})
        # the idempotency lookup, the current offset, then one transaction for all the writes
        assert dynamo_calls.by_operation == {"GetItem": 2, "TransactWriteItems": 1}

    def test_audit_page_is_one_query(self, client, token, dynamo_calls):
        auditor = bearer(token("auditor-city"))
        client.http.get("/api/audit?entity=x", headers=auditor)
        dynamo_calls.reset()
        client.http.get("/api/audit?entity=x", headers=auditor)
        assert dynamo_calls.by_operation == {"Query": 1}
