"""Per-process caches: one utility, one registry, one reset.

A Lambda execution environment serves many invocations with the same Python process, so a value
kept in module state outlives the request that loaded it: the stage's keys, the routing rules, the
working-day calendar are read from DynamoDB once and then answered from memory. Every process
(every concurrent Lambda instance, every local server thread pool) has its own copy, and nothing
tells it when another process changed the table; `ttl_seconds` bounds how stale a copy may be (a
change made elsewhere is seen within the TTL), and `forget()` makes this process's next read go to
the table at once (after its own write). `None` keeps a value until it is forgotten: for values
that never change once written (a stage's key set, looked up again only for an unknown id).

Every cache registers itself by a unique name, so a test can drop them all in one call
(`clear_all()`, from one autouse fixture) instead of knowing each module's private state, and a
new cache cannot be forgotten by the tests. The registry holds its caches weakly: a cache that
nothing else refers to any more leaves it, and its name can be used again.

Loading happens under a lock, so a burst of concurrent first requests loads once; a value that is
fresh is answered without taking a lock. A `forget()` during a load wins: the value loaded then is
returned to its caller but not kept. Expiry uses `time.monotonic()` (unaffected by the platform
clock, which a demo can move). Only the standard library is imported here: this is the ground floor.
"""
from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar, Union

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

_registry: "weakref.WeakValueDictionary[str, Union[ProcessCache, KeyedCache]]" = weakref.WeakValueDictionary()
_registry_lock = threading.Lock()


def _monotonic() -> float:
    # Looked up at each call, so a test may monkeypatch `time.monotonic` or this function.
    return time.monotonic()


def _register(name: str, cache: ProcessCache | KeyedCache) -> None:
    if not isinstance(name, str) or not name:
        raise ValueError("a cache needs a non-empty name")
    with _registry_lock:
        if _registry.get(name) is not None:
            raise ValueError(f"a cache named {name!r} is already registered")
        _registry[name] = cache


def _check_ttl(ttl_seconds: float | None) -> float | None:
    if ttl_seconds is not None and ttl_seconds < 0:
        raise ValueError("ttl_seconds must be None or at least 0")
    return ttl_seconds


def _fresh(loaded_at: float, ttl_seconds: float | None) -> bool:
    return ttl_seconds is None or _monotonic() - loaded_at < ttl_seconds


class ProcessCache(Generic[T]):
    """A value loaded on demand and kept for `ttl_seconds` (None = until cleared), per process, thread-safe."""

    def __init__(self, name: str, load: Callable[[], T], ttl_seconds: float | None = None) -> None:
        self.name = name
        self._load = load
        self._ttl = _check_ttl(ttl_seconds)
        self._load_lock = threading.Lock()  # held while loading: one load at a time
        self._state_lock = threading.Lock()  # held only to swap the entry
        self._entry: tuple[T, float] | None = None  # (value, monotonic time loaded)
        self._generation = 0  # bumped by forget(): a load begun before it is not kept
        _register(name, self)

    def get(self) -> T:
        entry = self._entry
        if entry is not None and _fresh(entry[1], self._ttl):
            return entry[0]
        with self._load_lock:
            with self._state_lock:
                entry = self._entry
                generation = self._generation
            if entry is not None and _fresh(entry[1], self._ttl):
                return entry[0]  # another thread loaded it while this one waited
            value = self._load()
            with self._state_lock:
                if self._generation == generation:
                    self._entry = (value, _monotonic())
            return value

    def forget(self) -> None:
        with self._state_lock:
            self._entry = None
            self._generation += 1

    def __repr__(self) -> str:
        return f"ProcessCache({self.name!r}, ttl_seconds={self._ttl})"


class _Loading:
    """The lock that one key's loaders queue on, and how many are queued."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0


class KeyedCache(Generic[K, T]):
    """Like ProcessCache, but one value per key: load(key).

    At most `max_entries` values are kept; beyond that the least recently used goes. Loads of
    different keys run in parallel; concurrent loads of one key run once.
    """

    def __init__(
        self, name: str, load: Callable[[K], T], ttl_seconds: float | None = None, max_entries: int = 1024
    ) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ValueError("max_entries must be a whole number of at least 1")
        self.name = name
        self._load = load
        self._ttl = _check_ttl(ttl_seconds)
        self.max_entries = max_entries
        self._lock = threading.Lock()  # guards the entries, never held while loading
        self._entries: OrderedDict[K, tuple[T, float]] = OrderedDict()  # least recently used first
        self._loading: dict[K, _Loading] = {}
        self._generation = 0
        _register(name, self)

    def _fresh_value(self, key: K) -> tuple[bool, T | None]:
        """(True, value) when a fresh value is kept (marking it recently used); call under the lock."""
        entry = self._entries.get(key)
        if entry is None:
            return False, None
        if not _fresh(entry[1], self._ttl):
            del self._entries[key]
            return False, None
        self._entries.move_to_end(key)
        return True, entry[0]

    def get(self, key: K) -> T:
        with self._lock:
            found, value = self._fresh_value(key)
            if found:
                return value  # type: ignore[return-value]
            loading = self._loading.get(key)
            if loading is None:
                loading = self._loading[key] = _Loading()
            loading.users += 1
        try:
            with loading.lock:
                with self._lock:
                    found, value = self._fresh_value(key)  # another thread may have loaded it meanwhile
                    generation = self._generation
                if found:
                    return value  # type: ignore[return-value]
                value = self._load(key)
                with self._lock:
                    if self._generation == generation:
                        self._entries[key] = (value, _monotonic())
                        self._entries.move_to_end(key)
                        while len(self._entries) > self.max_entries:
                            self._entries.popitem(last=False)
                return value
        finally:
            with self._lock:
                loading.users -= 1
                if loading.users == 0:
                    del self._loading[key]

    def forget(self, key: K | None = None) -> None:
        with self._lock:
            if key is None:
                self._entries.clear()
            else:
                self._entries.pop(key, None)
            self._generation += 1

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __repr__(self) -> str:
        return f"KeyedCache({self.name!r}, ttl_seconds={self._ttl}, max_entries={self.max_entries})"


def registered() -> dict[str, ProcessCache | KeyedCache]:
    """Every live cache of this process, by name."""
    with _registry_lock:
        return dict(_registry.items())


def clear_all() -> None:
    """Forget every registered cache (tests call this from one autouse fixture)."""
    for cache in registered().values():
        cache.forget()
