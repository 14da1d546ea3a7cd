"""A supervisor's view across units: deadlines breached, and deadlines past their warning."""
from __future__ import annotations

from tests.api.appeals.test_sweeper import run_sweep
from tests.support import assert_problem, bearer, body


def attention(client, token, user="supervisor-city", headers=None, **query):
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return client.http.get(f"/api/supervision/appeals?{params}", headers=headers or bearer(token(user)))


def rows(response):
    assert response.status_code == 200, response.body
    return [(item["appeal"]["id"], item["clock"], item["unit_id"]) for item in body(response)["items"]]


def test_a_deadline_enters_at_its_warning_moves_at_its_breach_and_leaves_when_met(api, client, clock, token):
    appeal_id = api.ok(api.submit("ent-zhengrixin"), 201)["id"]
    assert rows(attention(client, token, state="warned")) == []
    clock.advance(minutes=96)  # 80% of the 2-hour contact clock
    run_sweep(client)
    assert rows(attention(client, token, state="warned")) == [(appeal_id, "contact_by", "unit-tax")]
    assert rows(attention(client, token, state="breached")) == []
    clock.advance(minutes=25)
    run_sweep(client)
    assert rows(attention(client, token, state="warned")) == []
    found = body(attention(client, token))  # breached is the default
    [item] = found["items"]
    assert (item["appeal"]["id"], item["clock"], item["unit_id"]) == (appeal_id, "contact_by", "unit-tax")
    assert item["deadline"]["breached"] is True and item["warned_at"] is not None
    assert item["appeal"]["ticket_no"] and item["appeal"]["title"]
    api.ok(api.act("staff-tax", appeal_id, "accept"))
    api.ok(api.act("staff-tax", appeal_id, "contact", method="phone"))  # met late: still counted, no longer open
    assert rows(attention(client, token, state="breached")) == []


def test_most_overdue_first_across_units_and_pages_follow(api, client, clock, token):
    first = api.ok(api.submit("ent-zhengrixin"), 201)["id"]
    clock.advance(minutes=30)
    second = api.ok(api.submit("ent-hailian-trade", district="370211", title="新建生产线电力增容迟迟未答复",
                               content="我司在西海岸新区新建生产线，需要电力增容，申请已提交一个月，供电公司尚未答复。"), 201)["id"]
    clock.advance(hours=3)
    run_sweep(client)
    everything = rows(attention(client, token, state="breached"))
    assert [row[0] for row in everything] == [first, second]
    page = body(attention(client, token, state="breached", limit=1))
    assert [item["appeal"]["id"] for item in page["items"]] == [first]
    following = body(attention(client, token, state="breached", limit=1, cursor=page["next_cursor"]))
    assert [item["appeal"]["id"] for item in following["items"]] == [second]
    # A cursor of the breached list does not page the warned one.
    assert_problem(attention(client, token, state="warned", cursor=page["next_cursor"]), 422, field="cursor")


def test_an_approved_extension_moves_the_warning_and_the_deadline_leaves_the_near_list(api, client, clock, token):
    appeal_id = api.ok(api.submit("ent-zhengrixin"), 201)["id"]
    for step, fields in (("accept", {}), ("contact", {"method": "phone"}), ("feedback", {"text": "正在核实"})):
        api.ok(api.act("staff-tax", appeal_id, step, **fields))
    clock.advance(days=19)  # past 80% of the 15 working days (21.6 calendar days), before the end
    run_sweep(client)
    assert rows(attention(client, token, state="warned")) == [(appeal_id, "resolve_by", "unit-tax")]
    api.ok(api.act("staff-tax", appeal_id, "request-extension", working_days=10, reason="需要跨部门会商"))
    api.ok(api.act("supervisor-city", appeal_id, "decide-extension", approve=True))
    assert rows(attention(client, token, state="warned")) == []


def test_one_query_and_one_batch_read_per_page(api, client, clock, token, dynamo_calls):
    api.ok(api.submit("ent-zhengrixin"), 201)
    clock.advance(hours=3)
    run_sweep(client)
    supervisor = bearer(token("supervisor-city"))  # signing in reads the demo user: not the route's budget
    dynamo_calls.reset()
    assert len(rows(attention(client, token, headers=supervisor))) == 1
    assert dynamo_calls.by_operation == {"Query": 1, "BatchGetItem": 1}
    dynamo_calls.reset()
    assert rows(attention(client, token, headers=supervisor, state="warned")) == []
    assert dynamo_calls.by_operation == {"Query": 1}


def test_who_may_look(api, client, clock, token):
    api.ok(api.submit("ent-zhengrixin"), 201)
    for user in ("admin-city", "auditor-city"):
        assert attention(client, token, user).status_code == 200
    for user in ("ent-zhengrixin", "staff-tax"):
        assert_problem(attention(client, token, user), 403)
    assert_problem(attention(client, token, "admin-laoshan"), 403)  # one district's admin: not this stack's units
    assert_problem(attention(client, token, state="late"), 422, field="state")
    assert_problem(attention(client, token, limit=101), 422, field="limit")
