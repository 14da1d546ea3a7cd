"""An enterprise's notification settings: its own to read and change; bad input named; defaults."""
from __future__ import annotations

import json

import pytest

from tests.support import assert_problem, bearer, body, json_headers

ZHENGRIXIN = "91370202MA3C4R7K75"  # 市南区
HAILIAN = "91370211MA3D2H8N0J"  # 黄岛区
BLUESEA = "91370212MA3EK9W53N"  # 崂山区


def url(uscc: str) -> str:
    return f"/api/enterprises/{uscc}/subscriptions"


@pytest.fixture
def api(client, token):
    issued: dict[str, str] = {}

    def token_of(user: str) -> str:
        if user not in issued:
            issued[user] = token(user)
        return issued[user]

    class Api:
        def get(self, user, uscc):
            return client.http.get(url(uscc), headers=bearer(token_of(user)))

        def put(self, user, uscc, payload):
            return client.http.put(url(uscc), headers=json_headers(token_of(user)),
                                   body=json.dumps(payload, ensure_ascii=False))

    return Api()


def test_never_saved_reads_as_alerts_on_for_every_topic(api):
    response = api.get("ent-zhengrixin", ZHENGRIXIN)
    assert response.status_code == 200, response.body
    assert body(response) == {"uscc": ZHENGRIXIN, "policy_alerts": True, "topics": [], "updated_at": None}


def test_the_enterprise_saves_and_reads_back_its_settings_with_an_audit_record(api, clock):
    from functions.shared.audit import recent_audit

    saved = api.put("ent-zhengrixin", ZHENGRIXIN, {"policy_alerts": True, "topics": ["专精特新", " 研发投入 "]})
    assert saved.status_code == 200, saved.body
    assert body(saved)["topics"] == ["专精特新", "研发投入"]  # trimmed, kept sorted
    assert body(saved)["updated_at"] is not None
    assert body(api.get("ent-zhengrixin", ZHENGRIXIN))["topics"] == ["专精特新", "研发投入"]
    off = api.put("ent-zhengrixin", ZHENGRIXIN, {"policy_alerts": False})
    assert body(off)["policy_alerts"] is False and body(off)["topics"] == []  # the whole settings: topics cleared
    actions = [r.action for r in recent_audit(f"enterprise#{ZHENGRIXIN}", 10)]
    assert actions.count("enterprise_settings.changed") == 2


@pytest.mark.parametrize("user,uscc", [
    ("ent-zhengrixin", HAILIAN),  # another enterprise: its settings do not exist for this caller
    ("ent-hailian-trade", ZHENGRIXIN),
    ("admin-laoshan", HAILIAN),  # outside the admin's district
    ("staff-laoshan", ZHENGRIXIN),
    ("ent-zhengrixin", "91370202MA3C4R7K7X"),  # not a credit code
])
def test_another_organisation_reading_gets_404(api, user, uscc):
    assert_problem(api.get(user, uscc), 404)


@pytest.mark.parametrize("user,uscc", [("admin-city", HAILIAN), ("staff-laoshan", BLUESEA), ("auditor-city", ZHENGRIXIN)])
def test_officials_who_may_read_the_profile_may_not_read_the_settings(api, user, uscc):
    assert_problem(api.get(user, uscc), 403)


def test_another_organisation_changing_gets_404_or_403_and_nothing_is_written(api):
    assert_problem(api.put("ent-hailian-trade", ZHENGRIXIN, {"policy_alerts": False}), 404)
    assert_problem(api.put("admin-city", ZHENGRIXIN, {"policy_alerts": False}), 403)  # enterprises only
    assert body(api.get("ent-zhengrixin", ZHENGRIXIN))["policy_alerts"] is True


@pytest.mark.parametrize("payload,field", [
    ({"policy_alerts": "yes"}, "policy_alerts"),
    ({"topics": "专精特新"}, "topics"),
    ({"topics": ["专精特新", "专精特新"]}, "topics"),
    ({"topics": [""]}, "topics"),
    ({"topics": ["长" * 51]}, "topics"),
    ({"topics": [f"t{i}" for i in range(21)]}, "topics"),
    ({"policy_alerts": True, "email": "x@example.com"}, "email"),
])
def test_bad_input_is_422_naming_the_field(api, payload, field):
    assert_problem(api.put("ent-zhengrixin", ZHENGRIXIN, payload), 422, field=field)
