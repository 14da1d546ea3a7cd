"""Health, OpenAPI, the dev clock and dev jobs through chalice.test.Client on moto."""
from __future__ import annotations

import json

import pytest

from tests.support import assert_problem, body, json_headers


def test_health_names_stage_and_version(client):
    response = client.http.get("/api/health")
    assert response.status_code == 200
    assert body(response) == {"status": "ok", "stage": "test", "version": "dev"}
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Request-Id"]


def test_a_client_request_id_is_a_correlation_id_only(client):
    response = client.http.get("/api/health", headers={"X-Request-Id": "abc-123"})
    assert response.headers["X-Correlation-Id"] == "abc-123"
    assert response.headers["X-Request-Id"] != "abc-123"  # the platform's own id


def test_reusing_a_request_id_never_makes_later_writes_fail(client, token):
    # Outbox message ids and audit sequences derive from the request id; were it the client's, a
    # reused one would collide with the first submission's records and every later write be 409.
    from tests.support import SAMPLE_APPEAL

    ent = token("ent-zhengrixin")
    titles = ["留抵退税迟迟未到账", "厂区电力增容申请办理慢", "公园开放时间建议调整"]
    for title, category in zip(titles, ["help", "help", "suggestion"]):
        payload = {**SAMPLE_APPEAL, "title": title, "category": category, "content": title + "，请有关部门协调处理。"}
        response = client.http.post("/api/appeals", headers=json_headers(ent, **{"X-Request-Id": "same-id"}),
                                    body=json.dumps(payload, ensure_ascii=False))
        assert response.status_code == 201, response.body
        assert response.headers["X-Correlation-Id"] == "same-id"


def test_openapi_document_lists_every_route_with_schemas(client, app):
    document = body(client.http.get("/api/openapi.json"))
    assert document["openapi"] == "3.1.0"
    declared = {(path, method) for path, methods in app.routes.items() for method in methods}
    from functions.shared.openapi import registered_routes

    assert {(r.path, r.method) for r in registered_routes()} == {(p, m) for p, m in declared}
    advance = document["paths"]["/api/dev/clock"]["post"]
    schema_ref = advance["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    assert schema["properties"]["advance_seconds"]["exclusiveMinimum"] == 0
    assert "422" in advance["responses"] and "415" in advance["responses"]
    deadline = document["paths"]["/api/calendar/deadline"]["get"]
    assert {p["name"] for p in deadline["parameters"]} >= {"from", "hours", "working_days"}


def test_dev_clock_moves_forward_and_is_audited(client, aws):
    before = body(client.http.get("/api/dev/clock"))
    assert before["offset_seconds"] == 0
    assert before["now"].endswith("+08:00")
    moved = client.http.post("/api/dev/clock", headers=json_headers(), body=json.dumps({"advance_seconds": 7200}))
    assert moved.status_code == 200, moved.body
    assert body(moved)["offset_seconds"] == 7200
    assert body(client.http.get("/api/dev/clock"))["offset_seconds"] == 7200
    from functions.shared.audit import AuditRecord

    (record,) = list(AuditRecord.query("platform-setting#clock"))
    assert record.action == "clock.advanced"
    assert json.loads(record.before) == {"offset_seconds": 0}
    assert json.loads(record.after) == {"offset_seconds": 7200}


@pytest.mark.parametrize("value", [0, -60, "soon", 1.5, None])
def test_dev_clock_never_moves_back_and_refuses_bad_input(client, value):
    response = client.http.post("/api/dev/clock", headers=json_headers(), body=json.dumps({"advance_seconds": value}))
    assert_problem(response, 422, field="advance_seconds")
    assert body(client.http.get("/api/dev/clock"))["offset_seconds"] == 0


def test_platform_clock_reads_the_offset(client):
    from functions.shared.clock import get_clock, set_clock

    set_clock(None)
    client.http.post("/api/dev/clock", headers=json_headers(), body=json.dumps({"advance_seconds": 86400 * 3}))
    from datetime import datetime, timezone

    assert (get_clock().now() - datetime.now(timezone.utc)).total_seconds() > 86400 * 3 - 5
    set_clock(None)


def test_dev_jobs_lists_registered_jobs_and_runs_one(client, app):
    jobs = body(client.http.get("/api/dev/jobs"))
    assert {"name": "relay_outbox", "kind": "schedule", "schedule": "rate(1 minute)", "queue": None,
            "description": "Deliver committed outbox messages"} in jobs
    assert {j["name"] for j in jobs} == {s.name for s in app.event_sources}
    run = client.http.post("/api/dev/jobs/relay_outbox/run")
    assert run.status_code == 200, run.body
    assert body(run)["result"] == {"seen": 0, "changed": 0, "failed": 0}
    assert_problem(client.http.post("/api/dev/jobs/nope/run"), 404)
