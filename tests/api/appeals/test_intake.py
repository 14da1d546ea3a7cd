"""Intake: channels, hotline received_at, duplicates across channels, validation, budgets, tickets."""
from __future__ import annotations

import pytest

from tests.api.appeals.conftest import HAILIAN, ZHENGRIXIN
from tests.support import assert_problem, bearer, body

HOTLINE_TEXT = {
    "title": "企业反映增值税留抵退税款一直没有到账",
    "content": "12345热线来电：青岛正日信企业管理有限公司反映，今年三月提交的增值税留抵退税申请，到现在退税款仍未到账，企业资金紧张，希望税务部门尽快处理。",
}


def test_hotline_intake_keeps_received_at_on_the_timeline_while_clocks_start_at_dispatch(api, clock):
    received = "2026-11-20T08:30:00+08:00"  # the call came in 90 minutes before it was recorded
    created = api.ok(api.submit("dispatcher-city", channel="hotline_12345", received_at=received,
                                enterprise_uscc=ZHENGRIXIN, **HOTLINE_TEXT), 201)
    assert created["deadlines"]["contact_by"]["due"] == "2026-11-20T12:00:00+08:00"  # 10:00 + 2h, not 08:30 + 2h
    view = api.ok(api.get("ent-zhengrixin", created["id"]))
    assert view["received_at"] == received and view["channel"] == "hotline_12345"
    assert view["timeline"][0]["at"] == received and "12345热线受理诉求" in view["timeline"][0]["text"]


def test_the_same_matter_through_a_second_channel_is_merged(api, client, clock):
    first = api.ok(api.submit("ent-zhengrixin"), 201)
    clock.advance(hours=1)
    second = api.submit("dispatcher-city", channel="hotline_12345", enterprise_uscc=ZHENGRIXIN, **HOTLINE_TEXT)
    merged = api.ok(second, 200)
    assert merged["duplicate_of"] == first["id"] and merged["status"] == "merged"
    assert merged["deadlines"]["contact_by"]["due"] == first["deadlines"]["contact_by"]["due"]  # follows the original
    original = api.ok(api.get("staff-tax", first["id"]))
    assert [c["channel"] for c in original["channels"]] == ["web", "hotline_12345"]
    assert original["merged_ids"] == [merged["id"]]
    queue = body(client.http.get("/api/units/unit-tax/appeals", headers=bearer(api.token("staff-tax"))))
    assert [a["id"] for a in queue["items"]] == [first["id"]]  # no second handling task
    stats = body(client.http.get("/api/units/unit-tax/appeal-stats", headers=bearer(api.token("staff-tax"))))
    assert stats["counts"]["received"] == 1


def test_a_different_matter_of_the_same_enterprise_is_not_merged(api, clock):
    api.ok(api.submit("ent-zhengrixin"), 201)
    other = api.ok(api.submit("ent-zhengrixin", title="厂区电力增容申请办理慢", category="help",
                              content="我司在市南区新建生产线，需要电力增容，申请已提交一个月，供电公司尚未答复。"), 201)
    assert other["duplicate_of"] is None and other["assignee_unit"] == "unit-state-grid"


def test_a_closed_appeal_is_not_a_merge_target(api, clock):
    first = api.ok(api.submit("ent-zhengrixin"), 201)
    for step, fields in (("accept", {}), ("contact", {"method": "phone"}), ("feedback", {"text": "核实中"}),
                         ("resolve", {"result": "已到账"})):
        clock.advance(minutes=5)
        api.ok(api.act("staff-tax", first["id"], step, **fields))
    clock.advance(minutes=5)
    api.ok(api.act("ent-zhengrixin", first["id"], "confirm", satisfied=True))
    again = api.ok(api.submit("ent-zhengrixin"), 201)
    assert again["duplicate_of"] is None


def test_no_rule_waits_for_the_dispatch_centre(api, client, clock):
    created = api.ok(api.submit("ent-zhengrixin", category="suggestion", title="建议优化公园开放时间",
                                content="建议延长周边公园的开放时间，方便员工下班后锻炼。"), 201)
    assert created["status"] == "pending_dispatch" and created["assignee_unit"] is None
    assert all(v is None for v in created["deadlines"].values())
    queue = body(client.http.get("/api/dispatch/appeals?district=370202", headers=bearer(api.token("dispatcher-city"))))
    assert [a["id"] for a in queue["items"]] == [created["id"]]
    api.ok(api.act("dispatcher-city", created["id"], "dispatch", unit_id="unit-forestry"))
    assert body(client.http.get("/api/dispatch/appeals?district=370202", headers=bearer(api.token("dispatcher-city"))))["items"] == []


@pytest.mark.parametrize(
    "user, fields, field",
    [
        ("ent-zhengrixin", {"channel": "hotline_12345"}, "channel"),
        ("ent-zhengrixin", {"received_at": "2026-11-20T08:00:00+08:00"}, "received_at"),
        ("ent-zhengrixin", {"enterprise_uscc": HAILIAN}, "enterprise_uscc"),
        ("ent-zhengrixin", {"category": "gossip"}, "category"),
        ("ent-zhengrixin", {"district": "110101"}, "district"),
        ("ent-zhengrixin", {"district": "370285"}, None),  # Laixi is in the city stack's jurisdiction: fine
        ("ent-zhengrixin", {"title": ""}, "title"),
        ("ent-zhengrixin", {"contact": None}, "contact"),
        ("ent-zhengrixin", {"contact": {"name": "王敏", "phone": "call me"}}, "contact.phone"),
        ("ent-zhengrixin", {"anonymous": True}, "anonymous"),
        ("dispatcher-city", {"channel": "web"}, "channel"),
        ("dispatcher-city", {"channel": "hotline_12345", "enterprise_uscc": "91370202MA3C4R7K76"}, "enterprise_uscc"),
        ("dispatcher-city", {"channel": "hotline_12345", "received_at": "2030-01-01T00:00:00+08:00"}, "received_at"),
        ("dispatcher-city", {"channel": "hotline_12345", "received_at": "2026-11-20T08:00:00"}, "received_at"),
        ("ent-zhengrixin", {"subject_unit_id": "unit-nowhere"}, "subject_unit_id"),
        ("ent-zhengrixin", {"surprise": 1}, "surprise"),
    ],
)
def test_bad_submissions_name_the_field_and_create_nothing(api, client, clock, user, fields, field):
    response = api.submit(user, **fields)
    if field is None:
        assert response.status_code == 201
        return
    assert_problem(response, 422, field=field)
    from functions.appeals.models import Appeal, TicketCounter

    assert list(Appeal.enterprise_index.query(ZHENGRIXIN)) == []
    assert TicketCounter.count() == 0


@pytest.mark.parametrize("user, status", [("bank-qrcb-client", 403), ("auditor-city", 403), ("custodian-city", 403), (None, 401)])
def test_who_may_not_submit(api, user, status):
    assert_problem(api.submit(user), status)


def test_malformed_and_non_json_bodies(client, token):
    headers = {"Authorization": f"Bearer {token('ent-zhengrixin')}", "Content-Type": "application/json"}
    assert_problem(client.http.post("/api/appeals", headers=headers, body="{"), 400)
    assert_problem(client.http.post("/api/appeals", headers={**headers, "Content-Type": "text/plain"}, body="hi"), 415)


def test_submit_costs_at_most_three_calls(api, client, dynamo_calls, clock):
    api.submit("ent-hailian-trade", district="370211")  # warm the per-process caches (rules, units, calendar)
    clock.advance(seconds=1)
    token = api.token("ent-zhengrixin")
    api.token = lambda user: token
    dynamo_calls.reset()
    response = api.submit("ent-zhengrixin")
    assert response.status_code == 201
    assert dynamo_calls.total <= 3, dynamo_calls.by_operation
    # the duplicate check, the ticket number (an atomic ADD: nothing to contend for), one transaction
    assert dynamo_calls.by_operation == {"Query": 1, "UpdateItem": 1, "TransactWriteItems": 1}


def test_unit_queue_page_is_one_query_and_one_batch_of_its_deadlines(api, client, dynamo_calls, clock):
    api.ok(api.submit("ent-zhengrixin"), 201)
    staff = bearer(api.token("staff-tax"))
    client.http.get("/api/units/unit-tax/appeals", headers=staff)
    dynamo_calls.reset()
    page = body(client.http.get("/api/units/unit-tax/appeals?status=dispatched", headers=staff))
    assert len(page["items"]) == 1
    assert dynamo_calls.by_operation == {"Query": 1, "BatchGetItem": 1}
    contact = page["items"][0]["deadlines"]["contact_by"]  # what a countdown needs: its start and its due
    assert contact["started"] == "2026-11-20T10:00:00+08:00" and contact["due"] == "2026-11-20T12:00:00+08:00"
    assert contact["met_at"] is None and contact["breached"] is False


def test_a_list_of_appeals_no_unit_handles_reads_no_deadlines(api, client, dynamo_calls, clock):
    api.ok(api.submit("ent-zhengrixin", category="suggestion", title="建议优化公园开放时间",
                      content="建议延长周边公园的开放时间，方便员工下班后锻炼。"), 201)
    dispatcher = bearer(api.token("dispatcher-city"))
    client.http.get("/api/dispatch/appeals?district=370202", headers=dispatcher)
    dynamo_calls.reset()
    page = body(client.http.get("/api/dispatch/appeals?district=370202", headers=dispatcher))
    assert [item["deadlines"] for item in page["items"]] == [None]
    assert dynamo_calls.by_operation == {"Query": 1}
