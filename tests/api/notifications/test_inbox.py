"""GET /api/inbox: a signed-in person reads the notices to them and to their organisation, in words, and nobody else's."""
from __future__ import annotations

import json

from tests.support import SAMPLE_APPEAL, assert_problem, body, json_headers


def submit_and_relay(client, token, status: int = 201) -> dict:
    response = client.http.post("/api/appeals", headers=json_headers(token("ent-zhengrixin")),
                                body=json.dumps(SAMPLE_APPEAL, ensure_ascii=False))
    assert response.status_code == status, response.body
    assert client.http.post("/api/dev/jobs/relay_outbox/run").status_code == 200
    return body(response)


def inbox(client, token, user, **query):
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return client.http.get(f"/api/inbox{suffix}", headers=json_headers(token(user)))


def test_the_enterprise_and_the_unit_each_see_their_own_notice_in_words(client, token):
    appeal = submit_and_relay(client, token)
    mine = body(inbox(client, token, "ent-zhengrixin"))
    assert [n["topic"] for n in mine] == ["appeal.received"]
    assert mine[0]["recipient"] == "user:ent-zhengrixin" and appeal["ticket_no"] in mine[0]["text"]
    assert mine[0]["data"]["appeal_id"] == appeal["id"] and mine[0]["at"].endswith("+08:00")
    unit = body(inbox(client, token, "staff-tax"))
    assert [n["topic"] for n in unit] == ["appeal.dispatched"]  # to the unit, through its organisation
    assert "2小时内联系" in unit[0]["text"] and unit[0]["recipient"] == "org:unit-tax"


def test_nobody_reads_another_inbox(client, token):
    submit_and_relay(client, token)
    assert body(inbox(client, token, "ent-hailian-trade")) == []
    assert body(inbox(client, token, "staff-customs")) == []
    assert_problem(client.http.get("/api/inbox"), 401)


def test_newest_first_limited_and_two_queries(client, token, dynamo_calls):
    submit_and_relay(client, token)
    submit_and_relay(client, token, status=200)  # the same matter again: merged, and the unit is told
    staff = json_headers(token("staff-tax"))  # signing in reads the demo user: not the route's budget
    client.http.get("/api/inbox", headers=staff)
    dynamo_calls.reset()
    notices = body(client.http.get("/api/inbox?limit=1", headers=staff))
    assert len(notices) == 1
    assert dynamo_calls.by_operation == {"Query": 2}
    everything = body(inbox(client, token, "staff-tax"))
    assert [n["at"] for n in everything] == sorted((n["at"] for n in everything), reverse=True)
    assert_problem(inbox(client, token, "staff-tax", limit=0), 422, field="limit")
