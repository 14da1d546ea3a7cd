"""One verification path for every issuer, including a production stage's Cognito pool."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from functions.identity.tokens import TrustedIssuer, trusted_issuers, verify
from functions.settings import get_settings
from functions.shared.errors import Unauthenticated

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
POOL = "cn-north-1_TestPool"
POOL_URL = f"https://cognito-idp.cn-north-1.amazonaws.com/{POOL}"


@pytest.fixture(scope="module")
def pool_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "pool-1", "alg": "RS256", "use": "sig"})
    return key, {"keys": [jwk]}


@pytest.fixture
def production(pool_key):
    settings = replace(get_settings(), stage="laoshan", identity_mode="cognito", cognito_user_pool_id=POOL,
                       cognito_app_client_ids=("web-client",))
    fetched = []

    def fetch(url):
        fetched.append(url)
        return pool_key[1]

    return settings, trusted_issuers(settings, cognito_fetch=fetch), fetched


def cognito_token(key, **overrides):
    claims = {"iss": POOL_URL, "aud": "web-client", "sub": "u-1", "token_use": "id",
              "iat": int(NOW.timestamp()), "exp": int((NOW + timedelta(hours=1)).timestamp()),
              "custom:role": "staff", "custom:org_id": "unit-laoshan-approval", "custom:district": "370212", "name": "孙倩"}
    claims.update(overrides)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "pool-1"})


def test_cognito_id_token_is_verified_against_the_pool_jwks(production, pool_key):
    settings, issuers, fetched = production
    principal = verify(cognito_token(pool_key[0]), NOW, issuers)
    assert (principal.role, principal.org_id, principal.district) == ("staff", "unit-laoshan-approval", "370212")
    assert fetched == [f"{POOL_URL}/.well-known/jwks.json"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"aud": "another-client"},
        {"exp": int((NOW - timedelta(minutes=5)).timestamp())},
        {"iat": int((NOW + timedelta(hours=2)).timestamp()), "nbf": int((NOW + timedelta(hours=2)).timestamp())},
        {"custom:role": "bank"},  # banks never come from the people's pool
        {"custom:org_id": ""},
    ],
)
def test_cognito_token_refused(production, pool_key, overrides):
    _, issuers, _ = production
    with pytest.raises(Unauthenticated):
        verify(cognito_token(pool_key[0], **overrides), NOW, issuers)


def test_production_platform_issuer_signs_only_bank_tokens(production):
    settings, issuers, _ = production
    platform = issuers[settings.issuer]
    assert isinstance(platform, TrustedIssuer) and platform.roles == frozenset({"bank"})


def test_unsigned_or_hs256_tokens_are_refused(production, pool_key):
    _, issuers, _ = production
    claims = {"iss": POOL_URL, "aud": "web-client", "sub": "x", "iat": 1, "exp": 9999999999}
    for token in (jwt.encode(claims, "secret", algorithm="HS256"), jwt.encode(claims, None, algorithm="none")):
        with pytest.raises(Unauthenticated):
            verify(token, NOW, issuers)
