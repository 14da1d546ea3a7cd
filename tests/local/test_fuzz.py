"""Schemathesis fuzzes the running local stack against its own /api/openapi.json.

Bounded (a fixed seed, a few examples per operation, loopback only). Checks: no server error, every
response matches its documented schema and media type, and no status code the document omits.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = [pytest.mark.local_stack, pytest.mark.slow]


@pytest.mark.parametrize("user", ["admin-city", "ent-zhengrixin", "staff-tax"])
def test_the_api_keeps_its_own_contract_under_fuzzing(stack, user):
    status, grant = stack.json("POST", "/api/auth/dev-login", {"user_id": user})
    assert status == 200
    result = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "--no-color", "run", f"{stack.url}/api/openapi.json", "--url", stack.url,
         "-H", f"Authorization: Bearer {grant['access_token']}",
         "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance",
         "--max-examples", "5", "--seed", "20261122", "--generation-deterministic",
         "--workers", "1", "--phases", "examples,fuzzing,stateful",
         ],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
