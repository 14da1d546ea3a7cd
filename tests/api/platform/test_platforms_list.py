"""GET /api/platforms: the business platforms the stage lists, in its order, and which are built."""
from __future__ import annotations

import dataclasses

from tests.support import body


def test_lists_the_stage_platforms_in_order_with_what_is_built(client, clock, dynamo_calls):
    # `clock`: the fixed clock, as the health budget test has it (a dev stage's movable clock reads its offset).
    dynamo_calls.reset()
    response = client.http.get("/api/platforms")  # public: the home page asks before anyone signs in
    assert response.status_code == 200, response.body
    # The test stage's PLATFORMS is the default "policy,finance,appeals"; each has its package.
    assert body(response) == {"items": [{"name": "policy", "built": True}, {"name": "finance", "built": True},
                                        {"name": "appeals", "built": True}]}
    assert dynamo_calls.total == 0, dynamo_calls.by_operation


def test_follows_the_setting_and_leaves_the_core_out(client, monkeypatch):
    from functions import platforms
    from functions.platform import routes
    from functions.settings import get_settings

    stage = dataclasses.replace(get_settings(), platforms=("appeals", "notifications", "finance", "files", "appeals", "lending"))
    monkeypatch.setattr(platforms, "get_settings", lambda: stage)
    monkeypatch.setattr(routes, "get_settings", lambda: stage)
    assert body(client.http.get("/api/platforms")) == {"items": [{"name": "appeals", "built": True},
                                                                 {"name": "finance", "built": True},
                                                                 {"name": "lending", "built": False}]}


def test_is_in_the_openapi_document(client):
    document = body(client.http.get("/api/openapi.json"))
    answer = document["paths"]["/api/platforms"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["$ref"].endswith("/PlatformsOut")
