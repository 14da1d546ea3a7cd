"""The SLA sweeper on appeal clocks: warnings at 80%, breaches escalated and counted, auto-close."""
from __future__ import annotations

import json

from tests.support import bearer, body


def run_sweep(client):
    response = client.http.post("/api/dev/jobs/sweep_clocks/run")
    assert response.status_code == 200, response.body
    return body(response)["result"]


def mailbox(client, recipient):
    return [m["topic"] for m in body(client.http.get(f"/api/dev/mailbox?recipient={recipient}"))]


def test_warning_then_breach_then_nothing_twice(api, client, clock):
    appeal_id = api.ok(api.submit("ent-zhengrixin"), 201)["id"]
    assert run_sweep(client) == {"seen": 0, "changed": 0, "warned": 0, "breached": 0, "skipped": 0, "unhandled": 0}
    clock.advance(minutes=96)  # 80% of the 2-hour contact clock
    assert run_sweep(client)["warned"] == 1
    assert run_sweep(client)["seen"] == 0  # idempotent: the warning is not sent twice
    clock.advance(minutes=24)
    result = run_sweep(client)
    assert result["breached"] == 1
    assert run_sweep(client)["seen"] == 0
    client.http.post("/api/dev/jobs/relay_outbox/run")
    assert mailbox(client, "org:unit-tax").count("appeal.clock_warning") == 1
    assert mailbox(client, "org:unit-tax").count("appeal.clock_breached") == 1
    assert "appeal.clock_breached" in mailbox(client, "org:unit-supervision")  # escalated
    view = api.ok(api.get("staff-tax", appeal_id))
    assert view["breached"] is True
    assert view["deadlines"]["contact_by"]["breached"] is True
    assert view["deadlines"]["contact_by"]["met_at"] is None
    assert any(e["text"].startswith("超过时限") for e in view["timeline"])
    queue = body(client.http.get("/api/units/unit-tax/appeals?breached=true", headers=bearer(api.token("staff-tax"))))
    assert [a["id"] for a in queue["items"]] == [appeal_id]


def test_breach_counts_in_the_denominator_and_late_contact_adds_nothing(api, client, clock, token):
    appeal_id = api.ok(api.submit("ent-zhengrixin"), 201)["id"]
    api.ok(api.act("staff-tax", appeal_id, "accept"))
    clock.advance(hours=3)
    run_sweep(client)
    stats = body(client.http.get("/api/units/unit-tax/appeal-stats", headers=bearer(token("staff-tax"))))
    assert stats["counts"]["contact_due"] == 1 and stats["counts"]["contact_on_time"] == 0
    assert stats["rates"]["contact_on_time"] == 0.0
    clock.advance(minutes=10)
    api.ok(api.act("staff-tax", appeal_id, "contact", method="phone"))
    stats = body(client.http.get("/api/units/unit-tax/appeal-stats", headers=bearer(token("staff-tax"))))
    assert stats["counts"]["contact_due"] == 1 and stats["counts"]["contact_on_time"] == 0


def test_on_time_contact_is_counted_on_time(api, client, clock, token):
    appeal_id = api.ok(api.submit("ent-zhengrixin"), 201)["id"]
    clock.advance(minutes=1)
    api.ok(api.act("staff-tax", appeal_id, "accept"))
    clock.advance(minutes=30)
    api.ok(api.act("staff-tax", appeal_id, "contact", method="onsite"))
    stats = body(client.http.get("/api/units/unit-tax/appeal-stats", headers=bearer(token("staff-tax"))))
    assert stats["counts"]["received"] == 1
    assert (stats["counts"]["contact_due"], stats["counts"]["contact_on_time"]) == (1, 1)
    assert stats["rates"]["feedback_on_time"] is None  # no data yet, not 0%
    district = body(client.http.get("/api/districts/370202/appeal-stats", headers=bearer(token("supervisor-city"))))
    assert district["counts"]["contact_on_time"] == 1


def test_unconfirmed_resolution_auto_closes(api, client, clock):
    appeal_id = api.ok(api.submit("ent-zhengrixin"), 201)["id"]
    for step, fields in (("accept", {}), ("contact", {"method": "phone"}), ("feedback", {"text": "正在核实"}),
                         ("resolve", {"result": "已办结"})):
        clock.advance(minutes=5)
        api.ok(api.act("staff-tax", appeal_id, step, **fields))
    view = api.ok(api.get("ent-zhengrixin", appeal_id))
    assert view["status"] == "resolved" and view["confirm_by"] is not None
    clock.advance(days=8)
    run_sweep(client)
    view = api.ok(api.get("ent-zhengrixin", appeal_id))
    assert view["status"] == "closed" and view["closed_reason"] == "auto_closed"
    assert "自动办结" in view["timeline"][-1]["text"]


def test_sweeper_with_nothing_due_is_one_query(api, clock, dynamo_calls):
    from functions.calendar.sweeper import sweep

    api.ok(api.submit("ent-zhengrixin"), 201)  # an open appeal whose clocks are not due yet
    dynamo_calls.reset()
    sweep(clock.now())
    assert dynamo_calls.by_operation == {"Query": 1}


def test_a_provisional_resolve_clock_is_recomputed_when_the_notice_is_loaded(api, client, clock, token):
    from pathlib import Path

    from tests.support import json_headers

    clock.advance(days=30)  # 2026-12-20, a Sunday: 15 working days reach into 2027
    created = api.ok(api.submit("ent-zhengrixin"), 201)
    assert created["deadlines"]["resolve_by"]["provisional"] is True
    notice = json.loads((Path(__file__).parents[2] / "unit" / "calendar" / "example_notice_2027.json").read_text("utf-8"))
    response = client.http.put("/api/calendar/notices/2027", headers=json_headers(token("admin-city")), body=json.dumps(notice))
    assert body(response)["recomputed_clocks"] >= 1
    view = api.ok(api.get("ent-zhengrixin", created["id"]))
    assert view["deadlines"]["resolve_by"]["provisional"] is False
    assert view["deadlines"]["resolve_by"]["due"] != created["deadlines"]["resolve_by"]["due"]
