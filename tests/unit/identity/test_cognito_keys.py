"""A production stage's Cognito key set: fetched once per process, refreshed only for an unknown
kid and at most once per JWKS_REFRESH_MIN_SECONDS, never a hang."""
from __future__ import annotations

import io
import json
import urllib.request
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from functions.identity.tokens import JWKS_REFRESH_MIN_SECONDS, KeysUnavailable, trusted_issuers, verify
from functions.settings import get_settings
from functions.shared.errors import Unauthenticated

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
POOL = "cn-north-1_TestPool"
POOL_URL = f"https://cognito-idp.cn-north-1.amazonaws.com/{POOL}"
JWKS_URL = f"{POOL_URL}/.well-known/jwks.json"


def new_key(kid: str):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    jwk.update({"kid": kid, "alg": "RS256", "use": "sig"})
    return private, jwk


@pytest.fixture(scope="module")
def keys():
    return {kid: new_key(kid) for kid in ("pool-1", "pool-2", "stranger")}


def id_token(private, kid: str, sub: str = "u-1") -> str:
    claims = {"iss": POOL_URL, "aud": "web-client", "sub": sub, "token_use": "id",
              "iat": int(NOW.timestamp()), "exp": int((NOW + timedelta(hours=1)).timestamp()),
              "custom:role": "staff", "custom:org_id": "unit-laoshan-approval", "custom:district": "370212"}
    return jwt.encode(claims, private, algorithm="RS256", headers={"kid": kid})


class Pool:
    """Cognito's JWKS endpoint, faked: what it publishes, how often it was asked, whether it is down."""

    def __init__(self, *published):
        self.published = list(published)
        self.fetches = 0
        self.down = False

    def fetch(self, url):
        assert url == JWKS_URL
        self.fetches += 1
        if self.down:
            raise TimeoutError("timed out")
        return {"keys": list(self.published)}


class Monotonic:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t

    def advance(self, seconds):
        self.t += seconds


@pytest.fixture
def settings():
    return replace(get_settings(), stage="laoshan", identity_mode="cognito", cognito_user_pool_id=POOL,
                   cognito_app_client_ids=("web-client",))


@pytest.fixture
def clock():
    return Monotonic()


def test_a_known_key_is_fetched_once_for_many_tokens(settings, keys, clock):
    pool = Pool(keys["pool-1"][1])
    issuers = trusted_issuers(settings, cognito_fetch=pool.fetch, monotonic=clock)
    for i in range(100):
        assert verify(id_token(keys["pool-1"][0], "pool-1", sub=f"u-{i}"), NOW, issuers).sub == f"u-{i}"
        clock.advance(60)  # well past the cache lifetime of the old client: a known key never expires
    assert pool.fetches == 1


def test_a_rotated_key_costs_exactly_one_more_fetch(settings, keys, clock):
    pool = Pool(keys["pool-1"][1])
    issuers = trusted_issuers(settings, cognito_fetch=pool.fetch, monotonic=clock)
    for _ in range(100):
        verify(id_token(keys["pool-1"][0], "pool-1"), NOW, issuers)
    assert pool.fetches == 1

    clock.advance(3600)
    pool.published = [keys["pool-2"][1], keys["pool-1"][1]]  # Cognito rotates: the new key appears
    assert verify(id_token(keys["pool-2"][0], "pool-2"), NOW, issuers).sub == "u-1"
    assert pool.fetches == 2
    for _ in range(50):
        verify(id_token(keys["pool-2"][0], "pool-2"), NOW, issuers)
        verify(id_token(keys["pool-1"][0], "pool-1"), NOW, issuers)
    assert pool.fetches == 2


def test_a_withdrawn_key_stops_verifying_after_the_next_refresh(settings, keys, clock):
    pool = Pool(keys["pool-1"][1])
    issuers = trusted_issuers(settings, cognito_fetch=pool.fetch, monotonic=clock)
    verify(id_token(keys["pool-1"][0], "pool-1"), NOW, issuers)
    clock.advance(3600)
    pool.published = [keys["pool-2"][1]]
    verify(id_token(keys["pool-2"][0], "pool-2"), NOW, issuers)
    with pytest.raises(Unauthenticated):
        verify(id_token(keys["pool-1"][0], "pool-1"), NOW, issuers)


def test_a_burst_of_unknown_kids_makes_bounded_fetches(settings, keys, clock):
    pool = Pool(keys["pool-1"][1])
    issuers = trusted_issuers(settings, cognito_fetch=pool.fetch, monotonic=clock)
    verify(id_token(keys["pool-1"][0], "pool-1"), NOW, issuers)

    # 500 tokens with made-up kids within one refresh interval: not one fetch more.
    for _ in range(500):
        with pytest.raises(Unauthenticated):
            verify(id_token(keys["stranger"][0], uuid.uuid4().hex), NOW, issuers)
    assert pool.fetches == 1

    # A sustained flood, 2 tokens a second for 10 minutes: at most one fetch per interval.
    seconds = 600
    for _ in range(seconds * 2):
        clock.advance(0.5)
        with pytest.raises(Unauthenticated):
            verify(id_token(keys["stranger"][0], uuid.uuid4().hex), NOW, issuers)
    assert 1 < pool.fetches <= 1 + seconds / JWKS_REFRESH_MIN_SECONDS + 1
    # ... and people with the known key were never held up by it.
    fetches = pool.fetches
    assert verify(id_token(keys["pool-1"][0], "pool-1"), NOW, issuers).role == "staff"
    assert pool.fetches == fetches


def test_a_failed_fetch_is_a_503_and_is_not_retried_at_once(settings, keys, clock):
    pool = Pool(keys["pool-1"][1])
    pool.down = True
    issuers = trusted_issuers(settings, cognito_fetch=pool.fetch, monotonic=clock)
    token = id_token(keys["pool-1"][0], "pool-1")
    with pytest.raises(KeysUnavailable) as failed:
        verify(token, NOW, issuers)
    assert failed.value.status == 503 and int(failed.value.headers["Retry-After"]) > 0
    for _ in range(20):  # within the interval: answered at once, no new fetch
        with pytest.raises(KeysUnavailable):
            verify(token, NOW, issuers)
    assert pool.fetches == 1

    pool.down = False
    clock.advance(JWKS_REFRESH_MIN_SECONDS + 1)
    assert verify(token, NOW, issuers).sub == "u-1"
    assert pool.fetches == 2


def test_a_failed_refresh_keeps_the_known_keys(settings, keys, clock):
    pool = Pool(keys["pool-1"][1])
    issuers = trusted_issuers(settings, cognito_fetch=pool.fetch, monotonic=clock)
    verify(id_token(keys["pool-1"][0], "pool-1"), NOW, issuers)
    clock.advance(3600)
    pool.down = True
    with pytest.raises(KeysUnavailable):  # unknown kid and Cognito down: cannot tell, so 503
        verify(id_token(keys["pool-2"][0], "pool-2"), NOW, issuers)
    assert verify(id_token(keys["pool-1"][0], "pool-1"), NOW, issuers).sub == "u-1"
    assert pool.fetches == 2


@pytest.mark.parametrize("answer", [{"keys": []}, {"nope": 1}, ["not", "a", "jwks"], {"keys": [{"kty": "oct", "k": "AA", "kid": "x"}]}])
def test_a_jwks_without_usable_keys_counts_as_a_failed_fetch(settings, keys, clock, answer):
    issuers = trusted_issuers(settings, cognito_fetch=lambda url: answer, monotonic=clock)
    with pytest.raises(KeysUnavailable):
        verify(id_token(keys["pool-1"][0], "pool-1"), NOW, issuers)


# -- the production default path: issuers built once, real fetch function, network faked -------
@pytest.fixture
def production_env(monkeypatch):
    monkeypatch.setenv("IDENTITY_MODE", "cognito")
    monkeypatch.setenv("COGNITO_USER_POOL_ID", POOL)
    monkeypatch.setenv("COGNITO_APP_CLIENT_IDS", "web-client")
    get_settings.cache_clear()  # the issuers cache is emptied by tests/conftest.py `fresh_process_caches`
    yield
    get_settings.cache_clear()


@pytest.fixture
def network(monkeypatch, keys):
    """Every urllib request, recorded and answered with the pool's JWKS."""
    calls = []

    def open_(self, request, data=None, timeout=None):
        url = request if isinstance(request, str) else request.full_url
        calls.append((url, timeout))
        return io.BytesIO(json.dumps({"keys": [keys["pool-1"][1]]}).encode())

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", open_)
    return calls


def test_production_verification_fetches_once_per_process_with_a_short_timeout(production_env, network, keys):
    for i in range(100):
        assert verify(id_token(keys["pool-1"][0], "pool-1", sub=f"u-{i}"), NOW).sub == f"u-{i}"
    assert len(network) == 1
    url, timeout = network[0]
    assert url == JWKS_URL
    assert timeout is not None and 0 < timeout <= 5
