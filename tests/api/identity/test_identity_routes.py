"""Identity over the API: dev users and login, bank client credentials, token verification."""
from __future__ import annotations

import json
from urllib.parse import urlencode

import jwt
import pytest

from tests.support import assert_problem, bearer, body, json_headers

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_dev_users_cover_every_role_and_carry_bank_credentials(client, seeded):
    users = body(client.http.get("/api/auth/dev-users"))
    roles = {u["role"] for u in users}
    assert roles == {"enterprise", "staff", "dispatcher", "supervisor", "custodian", "bank", "admin", "auditor"}
    assert len([u for u in users if u["role"] == "enterprise"]) >= 2
    banks = [u for u in users if u["role"] == "bank"]
    assert len(banks) >= 2 and all(u["client_id"] and u["client_secret"] for u in banks)
    assert {"user_id", "role", "org_id", "display_name"} <= set(users[0])


def test_dev_login_issues_a_token_the_platform_accepts(client, seeded):
    response = client.http.post("/api/auth/dev-login", headers=json_headers(), body=json.dumps({"user_id": "ent-zhengrixin"}))
    assert response.status_code == 200, response.body
    grant = body(response)
    assert grant["token_type"] == "Bearer" and grant["expires_in"] > 0
    me = body(client.http.get("/api/auth/me", headers=bearer(grant["access_token"])))
    assert me["role"] == "enterprise" and me["org_id"] == "91370202MA3C4R7K75" and me["district"] == "370202"


def test_dev_login_unknown_user_is_404(client, seeded):
    response = client.http.post("/api/auth/dev-login", headers=json_headers(), body=json.dumps({"user_id": "nobody"}))
    assert_problem(response, 404)


def test_bank_client_credentials(client, seeded):
    form = urlencode({"grant_type": "client_credentials", "client_id": "bank-qrcb-client",
                      "client_secret": "demo-only-qrcb-secret-9f4c2e7a"})
    response = client.http.post("/api/oauth/token", headers=FORM, body=form)
    assert response.status_code == 200, response.body
    grant = body(response)
    assert grant["token_type"] == "Bearer" and "demands:claim" in grant["scope"]
    assert response.headers["Cache-Control"] == "no-store"
    me = body(client.http.get("/api/auth/me", headers=bearer(grant["access_token"])))
    assert me["role"] == "bank" and me["org_id"] == "bank-qrcb"


def test_bank_secret_is_stored_hashed(seeded):
    from functions.identity.models import OAuthClient

    stored = OAuthClient.get("bank-qrcb-client")
    assert "demo-only-qrcb-secret" not in stored.secret_hash
    assert stored.secret_hash.startswith("scrypt$")


@pytest.mark.parametrize(
    "fields, status, error",
    [
        ({"client_id": "bank-qrcb-client", "client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "no-such-client", "client_secret": "x"}, 401, "invalid_client"),
    ],
)
def test_bank_client_credentials_refused(client, seeded, fields, status, error):
    response = client.http.post("/api/oauth/token", headers=FORM, body=urlencode({"grant_type": "client_credentials", **fields}))
    assert response.status_code == status
    assert body(response)["error"] == error


def test_unsupported_grant_type(client, seeded):
    form = urlencode({"grant_type": "password", "client_id": "bank-qrcb-client", "client_secret": "x"})
    response = client.http.post("/api/oauth/token", headers=FORM, body=form)
    assert response.status_code == 400 and body(response)["error"] == "unsupported_grant_type"


def test_missing_form_field_names_the_field(client, seeded):
    response = client.http.post("/api/oauth/token", headers=FORM, body=urlencode({"grant_type": "client_credentials"}))
    assert_problem(response, 422, field="client_id")


def test_guessing_a_secret_is_rate_limited(client, seeded):
    form = urlencode({"grant_type": "client_credentials", "client_id": "bank-qdccb-client", "client_secret": "guess"})
    statuses = [client.http.post("/api/oauth/token", headers=FORM, body=form).status_code for _ in range(12)]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429] * 2
    limited = client.http.post("/api/oauth/token", headers=FORM, body=form)
    assert limited.status_code == 429
    assert limited.headers["Content-Type"] == "application/json" and limited.headers["Cache-Control"] == "no-store"
    assert body(limited)["error"] == "slow_down" and body(limited)["error_description"]
    assert 0 < int(limited.headers["Retry-After"]) <= 300
    # From the same address even the right secret waits until the window passes.
    right = urlencode({"grant_type": "client_credentials", "client_id": "bank-qdccb-client",
                       "client_secret": "demo-only-qdccb-secret-3b8d1f6c"})
    assert client.http.post("/api/oauth/token", headers=FORM, body=right).status_code == 429


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer not-a-jwt", "Basic abc"])
def test_protected_route_without_a_valid_token_is_401(client, seeded, header):
    headers = {"Authorization": header} if header else {}
    response = client.http.get("/api/auth/me", headers=headers)
    problem = assert_problem(response, 401)
    assert problem["code"] == "unauthenticated"


def test_token_signed_by_another_key_is_refused(client, seeded, clock):
    from cryptography.hazmat.primitives.asymmetric import rsa

    from functions.settings import get_settings

    forged_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(clock.now().timestamp())
    claims = {"iss": get_settings().issuer, "aud": "qingdao-platform:test", "sub": "x", "iat": now, "exp": now + 600,
              "role": "admin", "org_id": "unit-big-data", "district": "370200"}
    forged = jwt.encode(claims, forged_key, algorithm="RS256", headers={"kid": "made-up"})
    assert_problem(client.http.get("/api/auth/me", headers=bearer(forged)), 401)


def test_token_expires_on_the_platform_clock(client, token, clock):
    ent = token("ent-zhengrixin")
    assert client.http.get("/api/auth/me", headers=bearer(ent)).status_code == 200
    clock.advance(hours=9)
    assert_problem(client.http.get("/api/auth/me", headers=bearer(ent)), 401)


def test_token_for_another_audience_or_issuer_is_refused(client, seeded, clock):
    from functions.identity.tokens import platform_keys

    key = platform_keys.signing_key(clock.now())
    now = int(clock.now().timestamp())
    base = {"sub": "x", "iat": now, "exp": now + 600, "role": "admin", "org_id": "unit-big-data", "district": "370200"}
    for claims in ({**base, "iss": "urn:qingdao-platform:test", "aud": "someone-else"},
                   {**base, "iss": "urn:qingdao-platform:laoshan", "aud": "qingdao-platform:laoshan"}):
        forged = jwt.encode(claims, key.private_pem, algorithm="RS256", headers={"kid": key.kid})
        assert_problem(client.http.get("/api/auth/me", headers=bearer(forged)), 401)


def test_jwks_publishes_the_public_key_only(client, seeded, token):
    token("ent-zhengrixin")
    keys = body(client.http.get("/api/auth/jwks.json"))["keys"]
    assert keys and all(k["kty"] == "RSA" and "d" not in k for k in keys)
