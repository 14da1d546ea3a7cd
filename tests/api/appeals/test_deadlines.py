"""Clocks across holidays and swapped working weekends, and extensions (the only thing that moves a deadline)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.support import bearer, body


@pytest.mark.parametrize(
    "dispatched_at, contact_by, feedback_by, resolve_by",
    [
        # Wednesday before National Day 2026: Oct 1-7 rest, Oct 10 (Sat) is a swapped working day.
        ("2026-09-30T10:00:00+08:00", "2026-09-30T12:00:00+08:00", "2026-10-09T00:00:00+08:00", "2026-10-28T00:00:00+08:00"),
        # Friday evening, 23:00: the 2-hour clock runs across midnight on the wall clock.
        ("2026-11-20T23:00:00+08:00", "2026-11-21T01:00:00+08:00", "2026-11-24T00:00:00+08:00", "2026-12-12T00:00:00+08:00"),
        # Dispatched on a Sunday that is a swapped working day (2026-09-20): the day itself does not count.
        ("2026-09-20T09:00:00+08:00", "2026-09-20T11:00:00+08:00", "2026-09-22T00:00:00+08:00", "2026-10-17T00:00:00+08:00"),
    ],
)
def test_clocks_follow_the_official_calendar(api, clock, dispatched_at, contact_by, feedback_by, resolve_by):
    clock._now = datetime.fromisoformat(dispatched_at).astimezone(timezone.utc)
    created = api.ok(api.submit("ent-zhengrixin"), 201)
    deadlines = created["deadlines"]
    assert (deadlines["contact_by"]["due"], deadlines["feedback_by"]["due"], deadlines["resolve_by"]["due"]) == (
        contact_by, feedback_by, resolve_by)
    assert not any(d["provisional"] for d in deadlines.values())


def prepare(api, clock):
    appeal_id = api.ok(api.submit("ent-zhengrixin"), 201)["id"]
    for step, fields in (("accept", {}), ("contact", {"method": "phone"}), ("feedback", {"text": "需要协调多部门"})):
        clock.advance(minutes=5)
        api.ok(api.act("staff-tax", appeal_id, step, **fields))
    return appeal_id


def test_an_approved_extension_moves_resolve_by_and_tells_the_enterprise(api, client, clock):
    appeal_id = prepare(api, clock)
    before = api.ok(api.get("staff-tax", appeal_id))["deadlines"]["resolve_by"]["due"]
    clock.advance(minutes=5)
    view = api.ok(api.act("staff-tax", appeal_id, "request-extension", working_days=5, reason="需省级部门复核"))
    assert view["pending_extension"]["working_days"] == 5
    assert view["deadlines"]["resolve_by"]["due"] == before  # a request alone moves nothing
    clock.advance(minutes=5)
    view = api.ok(api.act("supervisor-city", appeal_id, "decide-extension", approve=True))
    assert view["deadlines"]["resolve_by"]["due"] == "2026-12-19T00:00:00+08:00" != before
    assert view["extension_count"] == 1 and view["pending_extension"] is None
    client.http.post("/api/dev/jobs/relay_outbox/run")
    inbox = body(client.http.get("/api/dev/mailbox?recipient=org:91370202MA3C4R7K75"))
    assert any(m["topic"] == "appeal.extension_approved" for m in inbox)
    enterprise_view = api.ok(api.get("ent-zhengrixin", appeal_id))
    assert any("延期已批准" in e["text"] for e in enterprise_view["timeline"])
    assert enterprise_view["pending_extension"] is None
    stats = body(client.http.get("/api/units/unit-tax/appeal-stats", headers=bearer(api.token("staff-tax"))))
    assert stats["counts"]["extensions"] == 1


def test_a_refused_extension_moves_nothing(api, clock):
    appeal_id = prepare(api, clock)
    before = api.ok(api.get("staff-tax", appeal_id))["deadlines"]["resolve_by"]["due"]
    clock.advance(minutes=5)
    api.ok(api.act("staff-tax", appeal_id, "request-extension", working_days=3, reason="需要更多时间核实"))
    clock.advance(minutes=5)
    view = api.ok(api.act("dispatcher-city", appeal_id, "decide-extension", approve=False))
    assert view["deadlines"]["resolve_by"]["due"] == before and view["extension_count"] == 0


def test_not_satisfied_reopens_against_the_original_deadline_and_counts(api, client, clock):
    appeal_id = prepare(api, clock)
    clock.advance(minutes=5)
    api.ok(api.act("staff-tax", appeal_id, "resolve", result="已协调"))
    clock.advance(minutes=5)
    view = api.ok(api.act("ent-zhengrixin", appeal_id, "confirm", satisfied=False, comment="问题没有解决"))
    assert view["status"] == "in_progress" and view["reopen_count"] == 1
    assert view["deadlines"]["resolve_by"]["met_at"] is None
    stats = body(client.http.get("/api/units/unit-tax/appeal-stats", headers=bearer(api.token("staff-tax"))))
    assert stats["counts"]["reopens"] == 1 and stats["rates"]["reopen"] == 1.0
    clock.advance(minutes=5)
    api.ok(api.act("staff-tax", appeal_id, "resolve", result="已彻底解决"))
    clock.advance(minutes=5)
    assert api.ok(api.act("ent-zhengrixin", appeal_id, "confirm", satisfied=True))["status"] == "closed"


def test_co_handling_units_have_their_own_clock(api, clock):
    created = api.ok(api.submit("ent-zhengrixin", category="suggestion", title="建议优化园区企业服务",
                                content="建议相关部门联合为园区企业提供政策宣讲。"), 201)
    clock.advance(minutes=5)
    view = api.ok(api.act("dispatcher-city", created["id"], "dispatch", unit_id="unit-tax", co_unit_ids=["unit-customs"]))
    (co,) = view["co_units"]
    assert co["unit_id"] == "unit-customs" and co["reply_by"]["due"] == "2026-12-05T00:00:00+08:00" and not co["replied"]
    clock.advance(minutes=5)
    view = api.ok(api.act("staff-customs", created["id"], "co-reply", text="海关可安排专场宣讲"))
    assert view["co_units"][0]["replied"] is True and view["co_units"][0]["reply_by"]["met_at"]
