"""Input that used to reach a 500 or a wrong answer: each gets a clear 4xx problem+json and changes nothing."""
from __future__ import annotations

import json

import pytest

from tests.support import SAMPLE_APPEAL, assert_problem, bearer, body, json_headers


def offset(client) -> int:
    return body(client.http.get("/api/dev/clock"))["offset_seconds"]


@pytest.mark.parametrize("depth", [40, 5000, 100_000])
def test_deeply_nested_json_is_400_and_changes_nothing(client, token, depth):
    nested = "[" * depth + "]" * depth
    payload = json.dumps({**SAMPLE_APPEAL, "attachments": "PLACEHOLDER"}).replace('"PLACEHOLDER"', nested)
    response = client.http.post("/api/appeals", headers=json_headers(token("ent-zhengrixin")), body=payload)
    problem = assert_problem(response, 400)
    assert "nests" in problem["detail"]
    from functions.appeals.models import Appeal

    assert list(Appeal.enterprise_index.query("91370202MA3C4R7K75")) == []


@pytest.mark.parametrize("query, field", [
    ("/api/calendar/deadline?from=0001-01-01T00:00:00%2B14:00&hours=5", "from"),
    ("/api/calendar/deadline?from=9999-12-31T23:00:00%2B00:00&working_days=15", "from"),
    ("/api/calendar/deadline?from=9999-12-31T23:00:00-12:00&hours=5", "from"),
    ("/api/calendar/deadline?from=1900-01-01T00:00:00%2B08:00&working_days=3", "from"),
    ("/api/calendar/days?from=0001-01-01&to=0001-01-05", "from"),
    ("/api/calendar/days?from=2026-12-28&to=9999-12-31", "to"),
])
def test_dates_near_year_1_or_9999_are_refused(client, query, field):
    assert_problem(client.http.get(query), 422, field=field)


@pytest.mark.parametrize("path", ["/api/appeals/{id}", "/api/units/{id}/appeals", "/api/appeals/{id}/accept"])
def test_path_ids_longer_than_any_real_id_are_refused(client, token, path):
    headers = json_headers(token("dispatcher-city"))
    url = path.format(id="a" * 3000)
    response = client.http.post(url, headers=headers, body="{}") if url.endswith("accept") else client.http.get(url, headers=headers)
    field = "appeal_id" if "/appeals/a" in url else "unit_id"
    assert_problem(response, 422, field=field)


def test_an_unknown_units_queue_is_404_not_an_empty_list(client, token):
    headers = bearer(token("supervisor-city"))
    assert_problem(client.http.get("/api/units/unit-nobody/appeals", headers=headers), 404)
    assert_problem(client.http.get("/api/units/unit-nobody/appeal-stats", headers=headers), 404)
    assert client.http.get("/api/units/unit-tax/appeals", headers=headers).status_code == 200


def test_a_forged_cursor_never_reaches_the_table(client, token, dynamo_calls):
    import base64

    # A well-formed LastEvaluatedKey for the right partition, but not one this listing signed.
    forged = base64.urlsafe_b64encode(json.dumps(
        {"assignee_unit": {"S": "unit-tax"}, "appeal_id": {"S": "x"}, "queue_key": {"N": "not-a-number"}}).encode()).decode()
    headers = bearer(token("staff-tax"))
    client.http.get("/api/units/unit-tax/appeals", headers=headers)  # the unit directory, cached per process
    dynamo_calls.reset()
    for cursor in (forged, forged + ".AAAAAAAAAAAAAAAAAAAAAA", forged + ".%E7%AD%BE%E5%90%8D", "%%%", "a" * 1900):
        assert_problem(client.http.get(f"/api/units/unit-tax/appeals?cursor={cursor}", headers=headers), 422, field="cursor")
    assert dynamo_calls.by_operation.get("Query", 0) == 0


def test_the_dev_clock_cannot_be_moved_past_a_sensible_bound(client, aws):
    from functions.platform.clock import MAX_OFFSET_SECONDS

    step = 10 * 366 * 24 * 3600
    assert client.http.post("/api/dev/clock", headers=json_headers(), body=json.dumps({"advance_seconds": step})).status_code == 200
    for _ in range(3):
        response = client.http.post("/api/dev/clock", headers=json_headers(), body=json.dumps({"advance_seconds": step}))
        assert_problem(response, 422, field="advance_seconds")
    assert offset(client) == step <= MAX_OFFSET_SECONDS
    assert client.http.get("/api/calendar/deadline?from=2026-11-20T10:00:00%2B08:00&working_days=15").status_code == 200
