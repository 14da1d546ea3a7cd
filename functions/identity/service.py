"""Identity use cases: bank client credentials, the demo people of local and dev stages."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime

from functions.identity import tokens
from functions.identity.models import DevUser, OAuthClient
from functions.identity.principal import BANK, Principal
from functions.shared import ratelimit
from functions.shared.clock import isoformat_utc
from functions.shared.errors import DomainError, NotFound
from functions.shared.models import put_if_absent

DEMO_DIRECTORY = "demo"
# scrypt parameters (RFC 7914): ~16 MiB and tens of milliseconds per check, which is what a
# stored client secret needs and a Lambda can afford.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
FAILED_SECRET_LIMIT = 10  # per client per 5 minutes
FAILED_SECRET_WINDOW = 300


class InvalidClient(DomainError):
    """RFC 6749 §5.2 `invalid_client`; the route answers 401 in the OAuth error format."""

    status = 401
    code = "invalid_client"
    title = "Client authentication failed"


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    encode = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt)}${encode(digest)}"


def check_secret(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        secret.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate, base64.b64decode(digest))


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    token_type: str
    expires_in: int
    scope: str


BANK_SCOPES = ("demands:read", "demands:claim", "demands:outcome", "credit-reports:read")


def client_credentials(client_id: str, client_secret: str, now: datetime) -> TokenGrant:
    # Failed attempts are limited per client id so a secret cannot be guessed online.
    ratelimit.refuse_if_limited("oauth-failed", client_id, FAILED_SECRET_LIMIT, FAILED_SECRET_WINDOW, now)
    try:
        client = OAuthClient.get(client_id)
    except OAuthClient.DoesNotExist:
        client = None
    if client is None or client.disabled or not check_secret(client_secret, client.secret_hash):
        ratelimit.count("oauth-failed", client_id, FAILED_SECRET_LIMIT, FAILED_SECRET_WINDOW, now)
        raise InvalidClient("Unknown client, or wrong secret.")
    principal = Principal(
        sub=f"client:{client.client_id}",
        role=BANK,
        org_id=client.institution_id,
        district=client.district,
        name=client.display_name,
        scopes=tuple(client.scopes or BANK_SCOPES),
    )
    token, expires_in = tokens.issue(principal, now, tokens.BANK_TOKEN_TTL)
    return TokenGrant(token, "Bearer", expires_in, " ".join(principal.scopes))


def register_client(client_id: str, secret: str, institution_id: str, district: str, display_name: str, now: datetime) -> bool:
    """Create a bank client once (idempotent); returns whether it was created."""
    client = OAuthClient(
        client_id=client_id,
        secret_hash=hash_secret(secret),
        institution_id=institution_id,
        district=district,
        display_name=display_name,
        scopes=list(BANK_SCOPES),
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
    principal = Principal(
        sub=user.user_id, role=user.role, org_id=user.org_id, district=user.district, name=user.display_name
    )
    token, expires_in = tokens.issue(principal, now, tokens.PEOPLE_TOKEN_TTL)
    return TokenGrant(token, "Bearer", expires_in, "")


def add_dev_user(user: DevUser) -> bool:
    user.directory = DEMO_DIRECTORY
    return put_if_absent(user, DevUser.user_id)
