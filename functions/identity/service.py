"""Identity use cases: bank client credentials, the demo people of local and dev stages."""
from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import os
from dataclasses import dataclass
from datetime import datetime

from functions.identity import tokens
from functions.identity.models import DevUser, OAuthClient
from functions.identity.principal import BANK, Principal
from functions.shared import ratelimit
from functions.shared.clock import isoformat_utc
from functions.shared.errors import DomainError, NotFound, RateLimited
from functions.shared.models import put_if_absent

DEMO_DIRECTORY = "demo"
# scrypt parameters (RFC 7914): ~16 MiB and tens of milliseconds per check, which is what a
# stored client secret needs and a Lambda can afford.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
# Failed client authentications are counted per (caller network, client id) and per caller network
# (an IPv4 address or an IPv6 /64), never per client id alone: a stranger's failures cannot lock a
# bank out, and one network cannot spray guesses over many client ids.
FAILED_SECRET_LIMIT = 10  # per client id from one network, per window
FAILED_NETWORK_LIMIT = 50  # per network, whatever the client ids, per window
FAILED_SECRET_WINDOW = 300
FAILED_BY_CLIENT = "oauth-failed-client"
FAILED_BY_NETWORK = "oauth-failed-network"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


# A hash no secret matches (its digest is not the scrypt of anything known), with today's
# parameters: unknown and disabled clients are checked against it, so they cost the same scrypt
# work as a known client with a wrong secret and the answer's timing does not tell them apart.
DUMMY_SECRET_HASH = f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(b'qingdao-dummy-16')}${_b64(bytes(32))}"


class InvalidClient(DomainError):
    """RFC 6749 §5.2 `invalid_client`; the route answers 401 in the OAuth error format."""

    status = 401
    code = "invalid_client"
    title = "Client authentication failed"


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def _parse_hash(stored: str) -> tuple[bytes, int, int, int, bytes] | None:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return None
        return base64.b64decode(salt, validate=True), int(n), int(r), int(p), base64.b64decode(digest, validate=True)
    except ValueError:  # binascii.Error is a ValueError
        return None


def check_secret(secret: str, stored: str) -> bool:
    """Whether `secret` matches the stored hash. Always one scrypt evaluation: a malformed stored
    hash is checked against the dummy hash and then refused."""
    parsed = _parse_hash(stored)
    usable = parsed is not None
    salt, n, r, p, digest = parsed if parsed is not None else _parse_hash(DUMMY_SECRET_HASH)  # type: ignore[misc]
    candidate = hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return hmac.compare_digest(candidate, digest) and usable


def caller_network(address: str) -> str:
    """What failed attempts are counted against: an IPv4 address, or an IPv6 /64 (one subscriber's
    allocation, so walking through it gives no fresh windows). Anything unparseable shares one bucket."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return "unparseable"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    token_type: str
    expires_in: int
    scope: str


BANK_SCOPES = ("demands:read", "demands:claim", "demands:outcome", "credit-reports:read")
BRANCH_SCOPE = "branch:"  # "branch:<catalogue branch id>": the client is narrowed to that branch (one or more)


def branch_scope(branch_id: str) -> str:
    return BRANCH_SCOPE + branch_id


def branches_of(scopes: tuple[str, ...]) -> frozenset[str]:
    """The branches a client's scopes narrow it to; empty: the whole institution."""
    return frozenset(scope[len(BRANCH_SCOPE):] for scope in scopes if scope.startswith(BRANCH_SCOPE))


def client_credentials(client_id: str, client_secret: str, now: datetime, client_address: str) -> TokenGrant:
    """RFC 6749 §4.4 for a bank's machine client.

    Raises RateLimited (before any secret is checked) while the caller's network has too many
    recent failures, for this client id or for all of them; InvalidClient for an unknown or
    disabled client or a wrong secret, after the same scrypt work in every case.
    """
    network = caller_network(client_address)
    pair = f"{network}\n{client_id}"  # a network never contains a newline
    ratelimit.refuse_if_limited(FAILED_BY_NETWORK, network, FAILED_NETWORK_LIMIT, FAILED_SECRET_WINDOW, now)
    ratelimit.refuse_if_limited(FAILED_BY_CLIENT, pair, FAILED_SECRET_LIMIT, FAILED_SECRET_WINDOW, now)
    try:
        client = OAuthClient.get(client_id)
    except OAuthClient.DoesNotExist:
        client = None
    active = client if client is not None and not client.disabled else None
    # An unknown or disabled client is checked against the dummy hash: the same scrypt work as a wrong secret.
    matches = check_secret(client_secret, active.secret_hash if active is not None else DUMMY_SECRET_HASH)
    if active is None or not matches:
        for name, subject, limit in (
            (FAILED_BY_NETWORK, network, FAILED_NETWORK_LIMIT),
            (FAILED_BY_CLIENT, pair, FAILED_SECRET_LIMIT),
        ):
            try:
                ratelimit.count(name, subject, limit, FAILED_SECRET_WINDOW, now)
            except RateLimited:
                pass  # full already (a concurrent attempt): the next attempt is refused up front
        raise InvalidClient("Unknown client, or wrong secret.")
    principal = Principal(
        sub=f"client:{active.client_id}",
        role=BANK,
        org_id=active.institution_id,
        district=active.district,
        name=active.display_name,
        scopes=tuple(active.scopes or BANK_SCOPES),
    )
    token, expires_in = tokens.issue(principal, now, tokens.BANK_TOKEN_TTL)
    return TokenGrant(token, "Bearer", expires_in, " ".join(principal.scopes))


def register_client(client_id: str, secret: str, institution_id: str, district: str, display_name: str, now: datetime,
                    branches: tuple[str, ...] = ()) -> bool:
    """Create a bank client once (idempotent); returns whether it was created. `branches` narrow it to
    those branches of its institution (their districts' demands; claims in their name)."""
    client = OAuthClient(
        client_id=client_id,
        secret_hash=hash_secret(secret),
        institution_id=institution_id,
        district=district,
        display_name=display_name,
        scopes=list(BANK_SCOPES) + [branch_scope(b) for b in branches],
        created_at=isoformat_utc(now),
    )
    return put_if_absent(client, OAuthClient.client_id)


def list_dev_users() -> list[DevUser]:
    return list(DevUser.query(DEMO_DIRECTORY))


def dev_login(user_id: str, now: datetime) -> TokenGrant:
    try:
        user = DevUser.get(DEMO_DIRECTORY, user_id)
    except DevUser.DoesNotExist:
        raise NotFound(f"No demo user {user_id!r}; see GET /api/auth/dev-users.") from None
    scopes: tuple[str, ...] = ()
    if user.client_id:  # a demo bank client: the scopes its credentials would give (its branches, say)
        try:
            scopes = tuple(OAuthClient.get(user.client_id).scopes or ())
        except OAuthClient.DoesNotExist:
            pass
    principal = Principal(
        sub=user.user_id, role=user.role, org_id=user.org_id, district=user.district, name=user.display_name, scopes=scopes
    )
    token, expires_in = tokens.issue(principal, now, tokens.PEOPLE_TOKEN_TTL)
    return TokenGrant(token, "Bearer", expires_in, " ".join(scopes))


def add_dev_user(user: DevUser) -> bool:
    user.directory = DEMO_DIRECTORY
    return put_if_absent(user, DevUser.user_id)
