"""Bearer tokens: issued by the platform's own issuer, verified by one code path against a JWKS.

Trusted issuers per stage:
- the platform issuer (`urn:qingdao-platform:<stage>`): bank client-credential tokens on every
  stage, and people's tokens on local and dev stages (the built-in dev issuer);
- on production stages, the stage's Cognito user pool for people (ID tokens, `aud` = app client).
Every token, whoever issued it, goes through `verify`: signature against the issuer's JWKS,
issuer, audience, and the time claims against the platform clock.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import jwt
from jwt import PyJWK, PyJWKSet

from functions.identity.models import SigningKey
from functions.identity.principal import BANK, ROLES, Principal
from functions.settings import Settings, get_settings
from functions.shared.clock import isoformat_utc
from functions.shared.errors import Unauthenticated

ALGORITHM = "RS256"
PLATFORM_KEY_SET = "platform"
PEOPLE_TOKEN_TTL = timedelta(hours=8)
BANK_TOKEN_TTL = timedelta(hours=1)
CLOCK_LEEWAY = timedelta(seconds=60)
KEY_CACHE_SECONDS = 300


def audience(settings: Settings) -> str:
    return f"qingdao-platform:{settings.stage}"


# -- the platform's signing keys ---------------------------------------------------------------
@dataclass(frozen=True)
class _KeyPair:
    kid: str
    private_pem: str
    public_jwk: dict[str, Any]


class PlatformKeys:
    """Loads (or creates, once) the platform issuer's key; cached per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: list[_KeyPair] = []
        self._loaded_at = 0.0

    def _load(self) -> list[_KeyPair]:
        return [
            _KeyPair(k.kid, k.private_pem, json.loads(k.public_jwk))
            for k in SigningKey.query(PLATFORM_KEY_SET, consistent_read=True)
        ]

    def _create(self, now: datetime) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        kid = f"{isoformat_utc(now)}-{uuid.uuid4().hex[:8]}"
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
        jwk.update({"kid": kid, "use": "sig", "alg": ALGORITHM})
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        SigningKey(
            key_set=PLATFORM_KEY_SET, kid=kid, private_pem=pem, public_jwk=json.dumps(jwk), created_at=isoformat_utc(now)
        ).save(SigningKey.kid.does_not_exist())

    def keys(self, now: datetime) -> list[_KeyPair]:
        with self._lock:
            if self._keys and time.monotonic() - self._loaded_at < KEY_CACHE_SECONDS:
                return self._keys
            keys = self._load()
            if not keys:
                self._create(now)
                keys = self._load()
            self._keys, self._loaded_at = keys, time.monotonic()
            return keys

    def signing_key(self, now: datetime) -> _KeyPair:
        # Concurrent first starts may each create a key; everyone signs with the oldest, and
        # every key stays in the JWKS, so tokens from either verify.
        return min(self.keys(now), key=lambda k: k.kid)

    def jwks(self, now: datetime) -> dict[str, Any]:
        return {"keys": [k.public_jwk for k in self.keys(now)]}

    def forget(self) -> None:
        with self._lock:
            self._keys, self._loaded_at = [], 0.0


platform_keys = PlatformKeys()


def issue(principal: Principal, now: datetime, ttl: timedelta, settings: Settings | None = None) -> tuple[str, int]:
    settings = settings or get_settings()
    key = platform_keys.signing_key(now)
    claims = {
        "iss": settings.issuer,
        "aud": audience(settings),
        "sub": principal.sub,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "jti": uuid.uuid4().hex,
        "role": principal.role,
        "org_id": principal.org_id,
        "district": principal.district,
        "name": principal.name,
    }
    if principal.scopes:
        claims["scope"] = " ".join(principal.scopes)
    token = jwt.encode(claims, key.private_pem, algorithm=ALGORITHM, headers={"kid": key.kid})
    return token, int(ttl.total_seconds())


# -- trusted issuers ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TrustedIssuer:
    issuer: str
    audiences: tuple[str, ...]
    jwks: Callable[[datetime], dict[str, Any]]
    to_principal: Callable[[dict[str, Any], str], Principal]
    # Roles a token of this issuer may carry (the platform issuer signs only bank tokens in production).
    roles: frozenset[str]


def _platform_principal(claims: dict[str, Any], issuer: str) -> Principal:
    return Principal(
        sub=claims["sub"],
        role=claims.get("role", ""),
        org_id=claims.get("org_id", ""),
        district=claims.get("district", ""),
        name=claims.get("name", ""),
        issuer=issuer,
        scopes=tuple(str(claims.get("scope", "")).split()),
    )


def _cognito_principal(claims: dict[str, Any], issuer: str) -> Principal:
    # The user pool's pre-token-generation trigger copies these custom attributes into ID tokens.
    return Principal(
        sub=claims["sub"],
        role=claims.get("custom:role", ""),
        org_id=claims.get("custom:org_id", ""),
        district=claims.get("custom:district", ""),
        name=claims.get("name", ""),
        issuer=issuer,
    )


class CognitoJwks:
    """The user pool's public keys, fetched over HTTPS and cached (jwt.PyJWKClient does both)."""

    def __init__(self, url: str, fetch: Callable[[str], dict[str, Any]] | None = None):
        self._url = url
        self._fetch = fetch
        self._client = jwt.PyJWKClient(url, cache_jwk_set=True, lifespan=KEY_CACHE_SECONDS) if fetch is None else None

    def __call__(self, now: datetime) -> dict[str, Any]:
        if self._fetch is not None:
            return self._fetch(self._url)
        return self._client.fetch_data()  # type: ignore[union-attr]


def trusted_issuers(settings: Settings | None = None, cognito_fetch=None) -> dict[str, TrustedIssuer]:
    settings = settings or get_settings()
    platform_roles = frozenset(ROLES) if settings.dev_features else frozenset({BANK})
    issuers = {
        settings.issuer: TrustedIssuer(
            issuer=settings.issuer,
            audiences=(audience(settings),),
            jwks=platform_keys.jwks,
            to_principal=_platform_principal,
            roles=platform_roles,
        )
    }
    if settings.identity_mode == "cognito" and settings.cognito_user_pool_id:
        pool = settings.cognito_user_pool_id
        region = pool.split("_", 1)[0]
        url = f"https://cognito-idp.{region}.amazonaws.com/{pool}"
        issuers[url] = TrustedIssuer(
            issuer=url,
            audiences=settings.cognito_app_client_ids,
            jwks=CognitoJwks(f"{url}/.well-known/jwks.json", cognito_fetch),
            to_principal=_cognito_principal,
            roles=frozenset(ROLES) - {BANK},
        )
    return issuers


def verify(token: str, now: datetime, issuers: dict[str, TrustedIssuer] | None = None) -> Principal:
    """The one code path that turns a bearer token into a Principal, or raises Unauthenticated."""
    issuers = issuers if issuers is not None else trusted_issuers()
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise Unauthenticated("The bearer token is not a well-formed JWT.") from None
    trusted = issuers.get(str(unverified.get("iss", "")))
    if trusted is None:
        raise Unauthenticated("The token's issuer is not trusted by this stage.")
    if header.get("alg") != ALGORITHM:
        raise Unauthenticated(f"Only {ALGORITHM} tokens are accepted.")
    try:
        key_set = PyJWKSet.from_dict(trusted.jwks(now))
        key: PyJWK = key_set[header.get("kid", "")]
    except (KeyError, jwt.PyJWTError):
        raise Unauthenticated("The token was signed by a key this issuer does not publish.") from None
    try:
        # Time claims are checked below against the platform clock, which a demo can move forward.
        claims = jwt.decode(
            token,
            key.key,
            algorithms=[ALGORITHM],
            audience=list(trusted.audiences),
            issuer=trusted.issuer,
            options={"require": ["exp", "iat", "sub"], "verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
    except jwt.PyJWTError as error:
        raise Unauthenticated(f"The token is not valid: {error}.") from None
    current = now.astimezone(timezone.utc).timestamp()
    leeway = CLOCK_LEEWAY.total_seconds()
    if claims["exp"] <= current - leeway:
        raise Unauthenticated("The token has expired.")
    if claims.get("nbf", claims["iat"]) > current + leeway:
        raise Unauthenticated("The token is not valid yet.")
    principal = trusted.to_principal(claims, trusted.issuer)
    if principal.role not in trusted.roles or not principal.org_id or not principal.district:
        raise Unauthenticated("The token does not name a role, organisation and district this stage accepts.")
    return principal
