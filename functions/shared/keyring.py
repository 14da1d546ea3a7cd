"""The stage's server secret, and what is derived from it: keyed hashes, signatures, sealing keys.

Values that must be findable but never readable at rest (receipt codes, idempotency keys, rate-limit
subjects such as client addresses) are stored as HMAC-SHA256 under a per-purpose key; values handed
to clients and trusted when they come back (pagination cursors) are signed. An unkeyed SHA-256 of a
short value can be reversed by trying every value; a keyed hash cannot without the secret.

Access pattern
| pattern                       | key                                   | call |
|-------------------------------|---------------------------------------|------|
| the stage's master secret     | server-secrets: hash `name`="master"  | GetItem, once per process (created once per stage with a conditional put) |

Production note: the master secret belongs in KMS/Secrets Manager; here it is a table only the
stage's functions can read, like the vault's data keys.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from functions.shared.models import BaseMeta, put_if_absent, table_name

MASTER = "master"


class ServerSecret(Model):
    class Meta(BaseMeta):
        table_name = table_name("server-secrets")

    name = UnicodeAttribute(hash_key=True)
    secret = UnicodeAttribute()  # base64 of 32 random bytes


_lock = threading.Lock()
_master: bytes | None = None
_derived: dict[str, bytes] = {}


def _load_master() -> bytes:
    global _master
    with _lock:
        if _master is None:
            try:
                item = ServerSecret.get(MASTER, consistent_read=True)
            except ServerSecret.DoesNotExist:
                # Concurrent first starts: one conditional put wins, everyone reads the winner.
                put_if_absent(ServerSecret(name=MASTER, secret=base64.b64encode(os.urandom(32)).decode()), ServerSecret.name)
                item = ServerSecret.get(MASTER, consistent_read=True)
            _master = base64.b64decode(item.secret)
            _derived.clear()
        return _master


def purpose_key(purpose: str) -> bytes:
    """A key for one purpose only, so a hash made for one use is worthless for another."""
    key = _derived.get(purpose)
    if key is None:
        key = hmac.new(_load_master(), b"purpose\n" + purpose.encode(), hashlib.sha256).digest()
        _derived[purpose] = key
    return key


def keyed_hash(purpose: str, value: str | bytes) -> str:
    data = value if isinstance(value, bytes) else value.encode()
    return hmac.new(purpose_key(purpose), data, hashlib.sha256).hexdigest()


def sign(purpose: str, data: bytes) -> str:
    """A short base64url signature of `data` (128 bits of HMAC-SHA256)."""
    mac = hmac.new(purpose_key(purpose), data, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def verify(purpose: str, data: bytes, signature: str) -> bool:
    # As bytes: compare_digest refuses non-ASCII text, and a forged signature may hold anything.
    return hmac.compare_digest(sign(purpose, data).encode(), signature.encode("utf-8", "replace"))


def warm() -> None:
    """Load the master secret now (start-up, test set-up), so request budgets do not include it."""
    _load_master()


def forget() -> None:
    global _master
    with _lock:
        _master = None
        _derived.clear()
