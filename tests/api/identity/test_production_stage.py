"""On a production stage the dev issuer's endpoints do not exist."""
from __future__ import annotations

import json

import pytest

from tests.support import assert_problem


@pytest.fixture
def production_stage(monkeypatch):
    from functions.settings import get_settings

    monkeypatch.setenv("IDENTITY_MODE", "cognito")
    monkeypatch.setenv("COGNITO_USER_POOL_ID", "cn-north-1_TestPool")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize(
    "method, path, payload",
    [
        ("GET", "/api/auth/dev-users", None),
        ("POST", "/api/auth/dev-login", {"user_id": "admin-city"}),
        ("GET", "/api/dev/clock", None),
        ("POST", "/api/dev/clock", {"advance_seconds": 60}),
        ("GET", "/api/dev/jobs", None),
        ("POST", "/api/dev/jobs/relay_outbox/run", None),
    ],
)
def test_dev_endpoints_answer_404(client, seeded, production_stage, method, path, payload):
    headers = {"Content-Type": "application/json"}
    response = getattr(client.http, method.lower())(path, headers=headers, body=json.dumps(payload) if payload else None)
    assert_problem(response, 404)
