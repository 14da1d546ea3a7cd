"""The stage's server secret, and what is derived from it: keyed hashes, signatures, sealing keys.

Values that must be findable but never readable at rest (receipt codes, idempotency keys, rate-limit
subjects such as client addresses) are stored as HMAC-SHA256 under a per-purpose key; values handed
to clients and trusted when they come back (pagination cursors) are signed. An unkeyed SHA-256 of a
short value can be reversed by trying every value; a keyed hash cannot without the secret.

Access pattern
| pattern                       | key                                   | call |
|-------------------------------|---------------------------------------|------|
| the stage's master secret     | server-secrets: hash `name`="master"  | GetItem, once per process (created once per stage with a conditional put) |
| a named key set (`KeySet`)    | the caller's table: hash = set name   | Query, once per process (per TTL); created once with a conditional put |

Production note: the master secret belongs in KMS/Secrets Manager; here it is a table only the
stage's functions can read, like the vault's data keys.

`KeySet` is the one algorithm behind the stage's other keys (the platform issuer's signing keys,
the identity vault's data keys): load the named set; if it is empty, create a key with a conditional
put; sign or encrypt with the OLDEST key (the least id), so processes that started at the same time
and each created a key converge on one; look any key up by id, so what was signed or sealed with
another key of the set still verifies or opens.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Generic, Iterable, TypeVar

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from functions.shared.cache import ProcessCache
from functions.shared.models import BaseMeta, put_if_absent, table_name

T = TypeVar("T")
Item = TypeVar("Item")  # a stored item of the key set's table

MASTER = "master"


class ServerSecret(Model):
    class Meta(BaseMeta):
        table_name = table_name("server-secrets")

    name = UnicodeAttribute(hash_key=True)
    secret = UnicodeAttribute()  # base64 of 32 random bytes


@dataclass(frozen=True)
class _Master:
    secret: bytes
    derived: dict[str, bytes] = field(default_factory=dict)  # purpose → key, dropped with the secret


def _read_master() -> _Master:
    try:
        item = ServerSecret.get(MASTER, consistent_read=True)
    except ServerSecret.DoesNotExist:
        # Concurrent first starts: one conditional put wins, everyone reads the winner.
        put_if_absent(ServerSecret(name=MASTER, secret=base64.b64encode(os.urandom(32)).decode()), ServerSecret.name)
        item = ServerSecret.get(MASTER, consistent_read=True)
    return _Master(base64.b64decode(item.secret))


_master: ProcessCache[_Master] = ProcessCache("keyring.master_secret", _read_master)


def purpose_key(purpose: str) -> bytes:
    """A key for one purpose only, so a hash made for one use is worthless for another."""
    master = _master.get()
    key = master.derived.get(purpose)
    if key is None:
        key = hmac.new(master.secret, b"purpose\n" + purpose.encode(), hashlib.sha256).digest()
        master.derived[purpose] = key
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
    _master.get()


def forget() -> None:
    _master.forget()


# -- named key sets --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Loaded(Generic[T]):
    keys: dict[str, T]  # by id, in id order: the first is the oldest
    at: float  # time.monotonic() of the load


class KeySet(Generic[T]):
    """A named key set stored in a table, loaded once per process (and again after `ttl_seconds`).

    - `list_items()`: every stored item of the set (one Query on its partition);
    - `create_item(now)`: store one new key with a conditional put, swallowing the lost race;
    - `key_id_of(item)`: the item's key id; ids sort oldest first (they start with the creation time);
    - `parse(item)`: the usable key (a Fernet, a key pair), made once per load;
    - `unknown_reload_seconds`: an id not in the loaded set reloads it, unless the set was loaded
      less than this long ago (so made-up ids cannot make every request a Query).

    The registry name of its cache is `name`; `clear_all()` forgets it like every other cache.
    """

    def __init__(
        self,
        name: str,
        list_items: Callable[[], Iterable[Item]],
        create_item: Callable[[datetime], None],
        key_id_of: Callable[[Item], str],
        parse: Callable[[Item], T],
        ttl_seconds: float | None = None,
        unknown_reload_seconds: float = 0.0,
    ) -> None:
        self.name = name
        self._list_items = list_items
        self._create_item = create_item
        self._key_id_of = key_id_of
        self._parse = parse
        self._unknown_reload_seconds = unknown_reload_seconds
        self._cache: ProcessCache[_Loaded[T]] = ProcessCache(name, self._load, ttl_seconds)
        self._lock = threading.Lock()  # one creation, one reload for an unknown id, at a time

    def _load(self) -> _Loaded[T]:
        items = {self._key_id_of(item): item for item in self._list_items()}
        return _Loaded({key_id: self._parse(items[key_id]) for key_id in sorted(items)}, time.monotonic())

    def _keys(self, now: datetime) -> dict[str, T]:
        """The loaded set; an empty one gets its first key (each process may create one)."""
        keys = self._cache.get().keys
        if keys:
            return keys
        with self._lock:
            keys = self._cache.get().keys  # another thread may have created it meanwhile
            if keys:
                return keys
            self._create_item(now)
            self._cache.forget()
            keys = self._cache.get().keys
        if not keys:
            raise RuntimeError(f"the key set {self.name!r} is still empty after creating a key")
        return keys

    def current(self, now: datetime) -> tuple[str, T]:
        """(id, key) to sign or encrypt with: the oldest key of the set."""
        keys = self._keys(now)
        key_id = next(iter(keys))
        return key_id, keys[key_id]

    def all(self, now: datetime) -> list[tuple[str, T]]:
        """Every key of the set, oldest first (a JWKS lists them all)."""
        return list(self._keys(now).items())

    def by_id(self, key_id: str) -> T:
        """The key `key_id`, reloading the set once if it is not known here; KeyError if there is none."""
        keys = self._cache.get().keys
        if key_id in keys:
            return keys[key_id]
        with self._lock:
            loaded = self._cache.get()  # another thread may have reloaded meanwhile
            if key_id not in loaded.keys and time.monotonic() - loaded.at >= self._unknown_reload_seconds:
                self._cache.forget()
                loaded = self._cache.get()
        try:
            return loaded.keys[key_id]
        except KeyError:
            raise KeyError(f"no key {key_id!r} in the key set {self.name!r}") from None

    def forget(self) -> None:
        """The next use reloads the set (after this process stored a key itself, say)."""
        self._cache.forget()
