"""Open311 channel administration: /api/open311/channels (the rules: functions/appeals/channels.py).

Admins only; a district admin reaches its district's channels, the city admin every one. A new or
rotated key is answered once and works at once against /api/open311/v2; a rotated or disabled one
is refused at once. Every change is audited in its own transaction.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from tests.support import assert_problem, body, json_headers

BASE = "/api/open311/channels"
HOTLINE_KEY = "hotline-12345-demo-key"
LAOSHAN_KEY = "laoshan-district-demo-key"
HOTLINE_ID = "demo-hotline_12345-370200"
LAOSHAN_ID = "demo-district_window-370212"
NEW_CHANNEL = {"channel": "department", "district": "370202", "display_name": "市南区商务局来访接待"}
TAX_MATTER = "我司今年3月申请的增值税留抵退税，至今未到账，影响资金周转，请税务部门帮助查询。"

USERS = (None, "ent-zhengrixin", "staff-tax", "staff-laoshan", "dispatcher-city", "supervisor-city",
         "custodian-city", "auditor-city", "bank-qrcb-client", "admin-city", "admin-laoshan")
ADMINS = {"admin-city", "admin-laoshan"}


# -- helpers -------------------------------------------------------------------------------------
def call(client, token, method: str, path: str, user: str | None, payload: dict | None = None, **headers: str):
    data = None if payload is None else json.dumps(payload, ensure_ascii=False)
    return getattr(client.http, method.lower())(path, headers=json_headers(token(user) if user else None, **headers),
                                                body=data)


def ok(response, status: int = 200):
    assert response.status_code == status, (response.status_code, response.body.decode())
    assert response.headers["Content-Type"].startswith("application/json")
    return body(response)


def open311_get(client, key: str):
    return client.http.get("/api/open311/v2/requests.json?" + urlencode({"api_key": key}))


def open311_post(client, key: str):
    fields = {"api_key": key, "service_code": "help", "description": TAX_MATTER, "first_name": "敏", "last_name": "王",
              "phone": "13805321234"}
    return client.http.post("/api/open311/v2/requests.json", body=urlencode(fields),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})


def refused(response, mentions: str) -> None:
    assert response.status_code == 403, (response.status_code, response.body.decode())
    assert any(mentions in e["description"] for e in json.loads(response.body))


def audits(channel_id: str) -> list:
    from functions.shared.audit import AuditRecord

    return list(AuditRecord.query(f"open311-channel#{channel_id}"))


def by_id(listed: list[dict]) -> dict[str, dict]:
    return {c["channel_id"]: c for c in listed}


def expected(user: str | None, ok_status: int = 200) -> int:
    return 401 if user is None else ok_status if user in ADMINS else 403


# -- who may ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("user", USERS, ids=lambda u: u or "anonymous")
def test_only_admins_list_and_each_sees_its_jurisdiction(client, token, user):
    response = call(client, token, "GET", BASE, user)
    status = expected(user)
    if status != 200:
        assert_problem(response, status)
        return
    listed = by_id(ok(response))
    assert set(listed) == ({HOTLINE_ID, LAOSHAN_ID} if user == "admin-city" else {LAOSHAN_ID})
    laoshan = listed[LAOSHAN_ID]
    assert laoshan == {"channel_id": LAOSHAN_ID, "channel": "district_window", "district": "370212",
                       "display_name": "崂山区政务服务大厅", "enabled": True, "created_at": laoshan["created_at"],
                       "key_rotated_at": None}
    assert laoshan["created_at"].endswith("+08:00")


ROUTES = [("POST", BASE, NEW_CHANNEL, 201), ("POST", f"{BASE}/{LAOSHAN_ID}/disable", None, 200),
          ("POST", f"{BASE}/{LAOSHAN_ID}/enable", None, 200), ("POST", f"{BASE}/{LAOSHAN_ID}/rotate-key", None, 200)]


@pytest.mark.parametrize("user", [u for u in USERS if u not in ADMINS], ids=lambda u: u or "anonymous")
@pytest.mark.parametrize("method, path, payload, _", ROUTES, ids=lambda v: v if isinstance(v, str) else "")
def test_no_one_but_an_admin_changes_a_channel(client, token, user, method, path, payload, _):
    assert_problem(call(client, token, method, path, user, payload), expected(user))
    assert open311_get(client, LAOSHAN_KEY).status_code == 200  # nothing changed
    assert audits(LAOSHAN_ID) == []


@pytest.mark.parametrize("action", ["disable", "enable", "rotate-key"])
def test_a_district_admin_cannot_reach_another_jurisdictions_channel(client, token, action):
    assert_problem(call(client, token, "POST", f"{BASE}/{HOTLINE_ID}/{action}", "admin-laoshan"), 404)
    assert open311_get(client, HOTLINE_KEY).status_code == 200
    assert audits(HOTLINE_ID) == []


def test_a_district_admin_creates_in_its_district_only(client, token):
    assert_problem(call(client, token, "POST", BASE, "admin-laoshan", NEW_CHANNEL), 403)
    created = ok(call(client, token, "POST", BASE, "admin-laoshan", {**NEW_CHANNEL, "district": "370212"}), 201)
    assert created["channel"]["district"] == "370212"
    assert open311_get(client, created["api_key"]).status_code == 200


# -- create ----------------------------------------------------------------------------------------
def test_a_created_channel_answers_its_key_once_and_the_key_works(client, token):
    created = ok(call(client, token, "POST", BASE, "admin-city", NEW_CHANNEL), 201)
    key, channel = created["api_key"], created["channel"]
    assert len(key) >= 40 and channel["channel_id"].startswith("och-")
    assert {k: channel[k] for k in NEW_CHANNEL} == NEW_CHANNEL and channel["enabled"] is True

    assert ok(open311_get(client, key)) == []
    request_id = json.loads(open311_post(client, key).body)[0]["service_request_id"]
    assert [r["service_request_id"] for r in ok(open311_get(client, key))] == [request_id]
    assert ok(open311_get(client, HOTLINE_KEY)) == []  # another channel sees none of it

    listed = by_id(ok(call(client, token, "GET", BASE, "admin-city")))
    assert listed[channel["channel_id"]] == channel and "api_key" not in listed[channel["channel_id"]]
    (record,) = audits(channel["channel_id"])
    assert (record.action, record.actor_sub, record.actor_role) == ("open311_channel.created", "admin-city", "admin")
    assert json.loads(record.after)["display_name"] == NEW_CHANNEL["display_name"]
    assert key not in json.dumps(record.serialize(), ensure_ascii=False)


def test_the_key_is_stored_nowhere_and_a_retried_create_does_not_replay_it(client, token):
    from functions.appeals import open311
    from functions.shared import idempotency

    headers = {"Idempotency-Key": "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"}
    created = ok(call(client, token, "POST", BASE, "admin-city", NEW_CHANNEL, **headers), 201)
    stored = open311.Open311Channel.get(open311.hash_key(created["api_key"]))
    assert created["api_key"] not in json.dumps(stored.serialize(), ensure_ascii=False)
    assert stored.channel_id == created["channel"]["channel_id"]
    # The retry runs again and is refused: the pair is registered. The key is never answered again.
    retried = call(client, token, "POST", BASE, "admin-city", NEW_CHANNEL, **headers)
    assert_problem(retried, 409)
    assert created["api_key"] not in retried.body.decode()
    raw = json.dumps(NEW_CHANNEL, ensure_ascii=False).encode()
    ref = idempotency.resolve("admin-city", "POST", BASE, headers["Idempotency-Key"], raw)
    record = idempotency.IdempotencyRecord.get(ref.record_id)
    assert record.sealed_body is None and record.replay is False


def test_the_same_channel_twice_is_a_conflict(client, token):
    assert_problem(call(client, token, "POST", BASE, "admin-city",
                        {"channel": "hotline_12345", "district": "370200", "display_name": "另一条热线"}), 409)
    assert len(ok(call(client, token, "GET", BASE, "admin-city"))) == 2


@pytest.mark.parametrize("payload, field", [
    ({**NEW_CHANNEL, "channel": "web"}, "channel"),
    ({**NEW_CHANNEL, "channel": "fax"}, "channel"),
    ({**NEW_CHANNEL, "district": "999999"}, "district"),
    ({**NEW_CHANNEL, "district": "3702"}, "district"),
    ({**NEW_CHANNEL, "display_name": "  "}, "display_name"),
    ({**NEW_CHANNEL, "display_name": "名" * 101}, "display_name"),
    ({"channel": "department", "district": "370202"}, "display_name"),
    ({**NEW_CHANNEL, "api_key": "chosen-by-me"}, "api_key"),
])
def test_bad_input_is_422_naming_the_field(client, token, payload, field):
    problem = assert_problem(call(client, token, "POST", BASE, "admin-city", payload), 422, field)
    assert problem["code"] == "validation_failed"
    assert len(ok(call(client, token, "GET", BASE, "admin-city"))) == 2


# -- disable, enable -------------------------------------------------------------------------------
def test_disable_refuses_the_key_at_once_and_is_idempotent_then_enable_restores_it(client, token, clock):
    disabled = ok(call(client, token, "POST", f"{BASE}/{LAOSHAN_ID}/disable", "admin-laoshan"))
    assert disabled["enabled"] is False and disabled["channel_id"] == LAOSHAN_ID
    refused(open311_get(client, LAOSHAN_KEY), "disabled")
    refused(open311_post(client, LAOSHAN_KEY), "disabled")
    assert ok(open311_get(client, HOTLINE_KEY)) == []  # the other channel goes on

    again = ok(call(client, token, "POST", f"{BASE}/{LAOSHAN_ID}/disable", "admin-city"))
    assert again == disabled  # idempotent: 200, nothing written
    assert [r.action for r in audits(LAOSHAN_ID)] == ["open311_channel.disabled"]
    assert by_id(ok(call(client, token, "GET", BASE, "admin-laoshan")))[LAOSHAN_ID]["enabled"] is False

    clock.advance(seconds=1)  # audit records sort by time, then by request id: a later second is later
    enabled = ok(call(client, token, "POST", f"{BASE}/{LAOSHAN_ID}/enable", "admin-laoshan"))
    assert enabled["enabled"] is True
    assert ok(open311_get(client, LAOSHAN_KEY)) == []
    ok(call(client, token, "POST", f"{BASE}/{LAOSHAN_ID}/enable", "admin-laoshan"))
    records = audits(LAOSHAN_ID)
    assert [r.action for r in records] == ["open311_channel.disabled", "open311_channel.enabled"]
    assert json.loads(records[1].before)["enabled"] is False and json.loads(records[1].after)["enabled"] is True
    assert {r.actor_sub for r in records} == {"admin-laoshan"}


@pytest.mark.parametrize("action", ["disable", "enable", "rotate-key"])
def test_an_unknown_channel_is_404(client, token, action):
    assert_problem(call(client, token, "POST", f"{BASE}/och-000000000000/{action}", "admin-city"), 404)


# -- rotate ----------------------------------------------------------------------------------------
def test_rotation_answers_a_new_key_once_and_the_old_one_stops_at_once(client, token):
    request_id = json.loads(open311_post(client, HOTLINE_KEY).body)[0]["service_request_id"]
    rotated = ok(call(client, token, "POST", f"{BASE}/{HOTLINE_ID}/rotate-key", "admin-city"))
    key, channel = rotated["api_key"], rotated["channel"]
    assert key != HOTLINE_KEY and channel["channel_id"] == HOTLINE_ID and channel["key_rotated_at"]
    refused(open311_get(client, HOTLINE_KEY), "not valid")
    refused(open311_post(client, HOTLINE_KEY), "not valid")
    # The same channel: the new key sees the requests the old one sent.
    assert [r["service_request_id"] for r in ok(open311_get(client, key))] == [request_id]

    listed = by_id(ok(call(client, token, "GET", BASE, "admin-city")))
    assert listed[HOTLINE_ID] == channel and len(listed) == 2
    (record,) = audits(HOTLINE_ID)
    assert record.action == "open311_channel.key_rotated" and key not in json.dumps(record.serialize())

    again = ok(call(client, token, "POST", f"{BASE}/{HOTLINE_ID}/rotate-key", "admin-city"))
    refused(open311_get(client, key), "not valid")
    assert ok(open311_get(client, again["api_key"]))


def test_a_disabled_channel_stays_disabled_through_a_rotation(client, token):
    ok(call(client, token, "POST", f"{BASE}/{LAOSHAN_ID}/disable", "admin-city"))
    rotated = ok(call(client, token, "POST", f"{BASE}/{LAOSHAN_ID}/rotate-key", "admin-city"))
    assert rotated["channel"]["enabled"] is False
    refused(open311_get(client, rotated["api_key"]), "disabled")


# -- storage ---------------------------------------------------------------------------------------
def test_seeding_fills_in_ids_of_demo_channels_stored_before_them(seeded):
    from functions.appeals import open311

    item = open311.Open311Channel.get(open311.hash_key(HOTLINE_KEY))
    item.update([open311.Open311Channel.channel_id.remove(), open311.Open311Channel.registry.remove()])
    assert {c.channel_id for c in open311.Open311Channel.registry_index.query(open311.REGISTRY)} == {LAOSHAN_ID}
    assert open311.seed_open311_channels() == 0
    assert open311.seed_open311_channels() == 0
    listed = {c.channel_id: c for c in open311.Open311Channel.registry_index.query(open311.REGISTRY)}
    assert set(listed) == {HOTLINE_ID, LAOSHAN_ID} and listed[HOTLINE_ID].display_name == "12345政务服务便民热线"


def test_the_list_is_one_query(client, token, dynamo_calls):
    user = token("admin-city")
    dynamo_calls.reset()
    response = client.http.get(BASE, headers=json_headers(user))
    assert response.status_code == 200
    assert dynamo_calls.by_operation["Query"] == 1 and "Scan" not in dynamo_calls.by_operation
