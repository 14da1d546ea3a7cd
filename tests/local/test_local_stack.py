"""Over real HTTP against the local stack started the way `make run` starts it."""
from __future__ import annotations

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = [pytest.mark.local_stack, pytest.mark.slow]


def test_serves_the_api_and_the_page_on_one_origin(stack):
    status, health = stack.json("GET", "/api/health")
    assert status == 200 and health["status"] == "ok" and health["stage"] == "local"
    status, page, headers = stack.request("GET", "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "青岛市服务企业统一平台" in page.decode()
    status, document = stack.json("GET", "/api/openapi.json")
    assert status == 200 and "/api/calendar/deadline" in document["paths"]


def test_demo_people_can_sign_in_and_bad_input_is_a_problem(stack):
    status, users = stack.json("GET", "/api/auth/dev-users")
    assert status == 200 and {u["role"] for u in users} >= {"enterprise", "bank", "dispatcher", "custodian"}
    status, grant = stack.json("POST", "/api/auth/dev-login", {"user_id": "dispatcher-city"})
    assert status == 200
    status, me = stack.json("GET", "/api/auth/me", headers={"Authorization": f"Bearer {grant['access_token']}"})
    assert status == 200 and me["role"] == "dispatcher"
    status, raw, headers = stack.request("POST", "/api/dev/clock", headers={"Content-Type": "application/json"})
    assert status == 400 and headers["Content-Type"] == "application/problem+json"


def test_calendar_deadline_crosses_into_2027_provisionally(stack):
    status, answer = stack.json("GET", "/api/calendar/deadline?from=2026-12-20T09:00:00%2B08:00&working_days=15")
    assert status == 200, answer
    assert answer["provisional"] is True
    assert answer["deadline"].endswith("+08:00")


def test_acknowledged_writes_survive_sigkill_and_sigterm(stack_factory, tmp_path):
    data = tmp_path / "durable"
    first = stack_factory(data_dir=data)
    status, moved = first.json("POST", "/api/dev/clock", {"advance_seconds": 5400})
    assert status == 200 and moved["offset_seconds"] == 5400
    first.kill()  # no chance to flush anything: only what was journaled before the 200 survives

    second = stack_factory(data_dir=data, port=first.port)
    status, clock = second.json("GET", "/api/dev/clock")
    assert clock["offset_seconds"] == 5400
    status, moved = second.json("POST", "/api/dev/clock", {"advance_seconds": 600})
    assert moved["offset_seconds"] == 6000
    assert second.terminate() == 0

    third = stack_factory(data_dir=data, port=first.port)
    assert third.json("GET", "/api/dev/clock")[1]["offset_seconds"] == 6000
    # Demo data is loaded once: restarts add no second copy of anyone.
    users = third.json("GET", "/api/auth/dev-users")[1]
    assert len(users) == len({u["user_id"] for u in users})


def test_registered_jobs_run_on_demand(stack):
    status, jobs = stack.json("GET", "/api/dev/jobs")
    assert status == 200 and "relay_outbox" in {j["name"] for j in jobs}
    status, run = stack.json("POST", "/api/dev/jobs/relay_outbox/run")
    assert status == 200 and set(run["result"]) >= {"seen", "changed"}


def _assert_problem(status, raw, headers, expected_status, code):
    from functions.shared.middleware import SECURITY_HEADERS

    assert status == expected_status, raw
    assert headers["Content-Type"] == "application/problem+json"
    problem = json.loads(raw)
    assert {"type", "title", "status", "detail", "code"} <= set(problem)
    assert problem["status"] == expected_status and problem["code"] == code
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name
    assert headers.get("X-Request-Id")
    return problem


def test_unrouted_paths_and_unsupported_methods_are_problems_with_the_security_headers(stack):
    _assert_problem(*stack.request("GET", "/api/no-such-thing"), 404, "not_found")
    _assert_problem(*stack.request("POST", "/api/no/such/thing", {"with": "a body"}), 404, "not_found")
    _assert_problem(*stack.request("GET", "/api"), 404, "not_found")

    status, raw, headers = stack.request("DELETE", "/api/health")
    _assert_problem(status, raw, headers, 405, "method_not_allowed")
    assert headers["Allow"] == "GET"
    status, raw, headers = stack.request("PUT", "/api/dev/clock", {"advance_seconds": 1})
    _assert_problem(status, raw, headers, 405, "method_not_allowed")
    assert set(headers["Allow"].split(", ")) == {"GET", "POST"}
    status, raw, headers = stack.request("TRACE", "/api/health")
    _assert_problem(status, raw, headers, 405, "method_not_allowed")
    assert headers["Allow"] == "GET"

    # Routed requests still reach the app; CORS preflights are still answered by the gateway.
    assert stack.request("GET", "/api/health/")[0] == 200
    assert stack.request("OPTIONS", "/api/health")[0] == 200


def test_a_burst_of_connections_is_answered(stack):
    from tests.local.test_journal import listen_backlog

    backlog = listen_backlog(stack.port)
    assert backlog is None or backlog >= 1024
    count = 64
    barrier = threading.Barrier(count)

    def call(_):
        barrier.wait()
        connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=10)
        try:
            connection.request("GET", "/api/health")
            response = connection.getresponse()
            response.read()
            return response.status
        except OSError as error:
            return repr(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        statuses = list(pool.map(call, range(count)))
    assert statuses == [200] * count
