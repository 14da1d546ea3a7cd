"""Bearer tokens: issued by the platform's own issuer, verified by one code path against a JWKS.

Trusted issuers per stage:
- the platform issuer (`urn:qingdao-platform:<stage>`): bank client-credential tokens on every
  stage, and people's tokens on local and dev stages (the built-in dev issuer);
- on production stages, the stage's Cognito user pool for people (ID tokens, `aud` = app client).
Every token, whoever issued it, goes through `verify`: signature against the issuer's JWKS,
issuer, audience, and the time claims against the platform clock.

The trusted issuers are built once per process (per settings), and the platform issuer's key set is
loaded once per `KEY_CACHE_SECONDS`; both are process caches of `functions.shared.cache`, so one
`clear_all()` resets them. A Cognito pool's key set (held by its issuer) is fetched once and kept:
a token whose `kid` is already known is verified without any network call; an unknown `kid` makes
one refresh, and refreshes (failed ones included) happen at most once per
`JWKS_REFRESH_MIN_SECONDS`, so tokens with made-up kids cannot make the function hammer Cognito.
"""
from __future__ import annotations

import json
import math
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import jwt
from jwt import PyJWK

from functions.identity.models import SigningKey
from functions.identity.principal import BANK, ROLES, Principal
from functions.settings import Settings, get_settings
from functions.shared.cache import KeyedCache
from functions.shared.clock import isoformat_utc
from functions.shared.errors import DomainError, Unauthenticated
from functions.shared.keyring import KeySet
from functions.shared.logs import get_logger

ALGORITHM = "RS256"
PLATFORM_KEY_SET = "platform"
PEOPLE_TOKEN_TTL = timedelta(hours=8)
BANK_TOKEN_TTL = timedelta(hours=1)
CLOCK_LEEWAY = timedelta(seconds=60)
KEY_CACHE_SECONDS = 300
# A kid this process does not know reloads the platform key set, at most this often.
KEY_RELOAD_MIN_SECONDS = 5.0
# A Cognito JWKS fetch: how long it may take, how often it may happen (per issuer, per process,
# failed attempts included), and how large an answer is read.
JWKS_FETCH_TIMEOUT_SECONDS = 3.0
JWKS_REFRESH_MIN_SECONDS = 30.0
JWKS_MAX_BYTES = 256 * 1024
UNKNOWN_KEY = "The token was signed by a key this issuer does not publish."
log = get_logger(__name__)


class KeysUnavailable(DomainError):
    """The issuer's key set could not be fetched, so the token could not be checked: 503, retry later."""

    status = 503
    code = "identity_provider_unavailable"
    title = "The identity provider's keys are unavailable"

    def __init__(self, detail: str, retry_after_seconds: float):
        super().__init__(detail)
        self.headers["Retry-After"] = str(max(1, math.ceil(retry_after_seconds)))


def audience(settings: Settings) -> str:
    return f"qingdao-platform:{settings.stage}"


# -- the platform's signing keys ---------------------------------------------------------------
@dataclass(frozen=True)
class _KeyPair:
    kid: str
    private_pem: str
    public_jwk: dict[str, Any]
    # The verification key, parsed once per load; None when the stored JWK does not parse.
    public: PyJWK | None = field(default=None, compare=False, repr=False)


def _key_pair(item: SigningKey) -> _KeyPair:
    jwk = json.loads(item.public_jwk)
    try:
        public: PyJWK | None = PyJWK(jwk, ALGORITHM)
    except jwt.PyJWTError:
        public = None
    return _KeyPair(item.kid, item.private_pem, jwk, public)


def _create_signing_key(now: datetime) -> None:
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


class PlatformKeys:
    """The platform issuer's key set (created once per stage), cached per process for `KEY_CACHE_SECONDS`.

    Concurrent first starts may each create a key; everyone signs with the oldest, and every key
    stays in the JWKS, so tokens from either verify. A kid not in this process's copy reloads the
    set, at most once per `KEY_RELOAD_MIN_SECONDS`.
    """

    def __init__(self, key_set: KeySet[_KeyPair]) -> None:
        self._set = key_set

    def keys(self, now: datetime) -> list[_KeyPair]:
        return [pair for _, pair in self._set.all(now)]

    def signing_key(self, now: datetime) -> _KeyPair:
        return self._set.current(now)[1]

    def jwks(self, now: datetime) -> dict[str, Any]:
        return {"keys": [k.public_jwk for k in self.keys(now)]}

    def public_key(self, kid: str, now: datetime) -> PyJWK:
        """The verification key `kid`, or Unauthenticated."""
        try:
            pair = self._set.by_id(kid)
        except KeyError:
            raise Unauthenticated(UNKNOWN_KEY) from None
        if pair.public is None:
            raise Unauthenticated(UNKNOWN_KEY)
        return pair.public


platform_keys = PlatformKeys(
    KeySet(
        "identity.platform_keys",
        list_items=lambda: SigningKey.query(PLATFORM_KEY_SET, consistent_read=True),
        create_item=_create_signing_key,
        key_id_of=lambda item: item.kid,
        parse=_key_pair,
        ttl_seconds=KEY_CACHE_SECONDS,
        unknown_reload_seconds=KEY_RELOAD_MIN_SECONDS,
    )
)


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
    # kid → the issuer's verification key; raises Unauthenticated (no such key) or KeysUnavailable.
    public_key: Callable[[str, datetime], PyJWK]
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch_jwks(url: str) -> dict[str, Any]:
    """GET a JWKS over HTTPS: a short timeout, no redirects, a bounded body."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    opener = urllib.request.build_opener(_NoRedirect())
    with opener.open(request, timeout=JWKS_FETCH_TIMEOUT_SECONDS) as response:
        raw = response.read(JWKS_MAX_BYTES + 1)
    if len(raw) > JWKS_MAX_BYTES:
        raise ValueError(f"the JWKS is larger than {JWKS_MAX_BYTES} bytes")
    return json.loads(raw)


def _signing_keys(data: Any) -> dict[str, PyJWK]:
    """The RS256 signing keys of a JWKS document, by kid; ValueError when there are none."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise ValueError("the answer is not a JWKS document")
    keys: dict[str, PyJWK] = {}
    for jwk in data["keys"]:
        if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str) or not jwk["kid"]:
            continue
        if jwk.get("kty") != "RSA" or jwk.get("use", "sig") != "sig" or jwk.get("alg", ALGORITHM) != ALGORITHM:
            continue
        try:
            keys[jwk["kid"]] = PyJWK(jwk, ALGORITHM)
        except jwt.PyJWTError:
            continue
    if not keys:
        raise ValueError("the JWKS has no RS256 signing keys")
    return keys


class CognitoJwks:
    """A user pool's public keys, kept for the life of the process.

    A known kid costs no network call. An unknown kid makes one refresh, which replaces the key set
    (so a key the pool withdrew stops verifying then); fetches, failed ones included, happen at most
    once per `JWKS_REFRESH_MIN_SECONDS`, and a fetch that fails or times out is a 503 with Retry-After.
    `fetch` (url → JWKS dict) and `monotonic` are injectable for tests.
    """

    def __init__(
        self,
        url: str,
        fetch: Callable[[str], dict[str, Any]] | None = None,
        monotonic: Callable[[], float] | None = None,
    ):
        self.url = url
        self._fetch = fetch or fetch_jwks
        self._monotonic = monotonic or time.monotonic
        self._lock = threading.Lock()
        self._keys: dict[str, PyJWK] = {}
        self._last_attempt: float | None = None
        self._last_failed = False

    def __call__(self, kid: str, now: datetime) -> PyJWK:
        key = self._keys.get(kid)
        if key is not None:
            return key  # the request path: no lock, no network
        with self._lock:
            key = self._keys.get(kid)  # another thread may have refreshed meanwhile
            if key is not None:
                return key
            wait = self._wait()
            if wait > 0:
                if self._last_failed or not self._keys:
                    raise KeysUnavailable(self._unavailable(wait), wait)
                raise Unauthenticated(UNKNOWN_KEY)
            self._refresh()
            key = self._keys.get(kid)
        if key is None:
            raise Unauthenticated(UNKNOWN_KEY)
        return key

    def _wait(self) -> float:
        if self._last_attempt is None:
            return 0.0
        return self._last_attempt + JWKS_REFRESH_MIN_SECONDS - self._monotonic()

    def _unavailable(self, wait: float) -> str:
        return f"The identity provider's signing keys could not be fetched; try again in {max(1, math.ceil(wait))} seconds."

    def _refresh(self) -> None:
        self._last_attempt = self._monotonic()
        try:
            keys = _signing_keys(self._fetch(self.url))
        except Exception as error:  # noqa: BLE001 - network, HTTP, JSON or JWKS errors alike
            self._last_failed = True
            log.warning("JWKS fetch failed", extra={"fields": {"jwks_url": self.url, "error": repr(error)}})
            raise KeysUnavailable(self._unavailable(JWKS_REFRESH_MIN_SECONDS), JWKS_REFRESH_MIN_SECONDS) from None
        self._keys, self._last_failed = keys, False


def trusted_issuers(
    settings: Settings | None = None,
    cognito_fetch: Callable[[str], dict[str, Any]] | None = None,
    monotonic: Callable[[], float] | None = None,
) -> dict[str, TrustedIssuer]:
    """Build the stage's trusted issuers (each with its own key cache); `verify` uses `issuers_for`."""
    settings = settings or get_settings()
    platform_roles = frozenset(ROLES) if settings.dev_features else frozenset({BANK})
    issuers = {
        settings.issuer: TrustedIssuer(
            issuer=settings.issuer,
            audiences=(audience(settings),),
            public_key=platform_keys.public_key,
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
            public_key=CognitoJwks(f"{url}/.well-known/jwks.json", cognito_fetch, monotonic),
            to_principal=_cognito_principal,
            roles=frozenset(ROLES) - {BANK},
        )
    return issuers


# The issuers hold their key caches (a Cognito pool's JWKS), so forgetting them drops those too.
_issuers: KeyedCache[Settings, dict[str, TrustedIssuer]] = KeyedCache(
    "identity.trusted_issuers", lambda settings: trusted_issuers(settings), max_entries=4
)


def issuers_for(settings: Settings | None = None) -> dict[str, TrustedIssuer]:
    """The trusted issuers of these settings (the stage's by default), built once per process."""
    return _issuers.get(settings or get_settings())


def forget_issuers() -> None:
    """Drop the per-process issuers and their cached key sets."""
    _issuers.forget()


def verify(token: str, now: datetime, issuers: dict[str, TrustedIssuer] | None = None) -> Principal:
    """The one code path that turns a bearer token into a Principal, or raises Unauthenticated
    (or KeysUnavailable, 503, when the issuer's key set cannot be fetched)."""
    issuers = issuers if issuers is not None else issuers_for()
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
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise Unauthenticated(UNKNOWN_KEY)
    key = trusted.public_key(kid, now)
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
