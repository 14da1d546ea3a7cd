"""The process cache utility: TTLs, forgetting, the registry, eviction and one load under contention."""
from __future__ import annotations

import threading
import time
import uuid

import pytest

from functions.shared import cache
from functions.shared.cache import KeyedCache, ProcessCache, clear_all, registered


class Clock:
    def __init__(self) -> None:
        self.t = 5000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(cache, "_monotonic", fake)
    return fake


class Loader:
    """Counts its loads; each answers the load's number (or load(key) → (key, number))."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *key):
        self.calls += 1
        return (key[0], self.calls) if key else self.calls


def name() -> str:
    return f"test.{uuid.uuid4().hex}"


def test_a_value_is_loaded_once_and_kept_until_its_ttl(clock):
    load = Loader()
    c = ProcessCache(name(), load, ttl_seconds=30)
    assert load.calls == 0  # loaded on demand, not when made
    assert [c.get() for _ in range(5)] == [1] * 5
    clock.advance(29.9)
    assert c.get() == 1
    clock.advance(0.1)  # 30 s after the load: expired
    assert c.get() == 2
    assert load.calls == 2


def test_no_ttl_keeps_the_value_until_forgotten(clock):
    load = Loader()
    c = ProcessCache(name(), load)
    assert c.get() == 1
    clock.advance(10 * 365 * 24 * 3600)
    assert c.get() == 1
    c.forget()
    assert c.get() == 2


def test_forget_makes_the_next_get_load_again(clock):
    load = Loader()
    c = ProcessCache(name(), load, ttl_seconds=300)
    assert c.get() == 1
    c.forget()
    c.forget()  # twice is harmless
    assert c.get() == 2 and c.get() == 2


def test_a_failed_load_keeps_nothing(clock):
    attempts = []

    def load():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("the table is down")
        return "ok"

    c = ProcessCache(name(), load, ttl_seconds=30)
    with pytest.raises(RuntimeError):
        c.get()
    assert c.get() == "ok" and c.get() == "ok"
    assert len(attempts) == 2


def test_names_are_unique_and_registered():
    n = name()
    first = ProcessCache(n, Loader())
    assert registered()[n] is first
    with pytest.raises(ValueError):
        ProcessCache(n, Loader())
    with pytest.raises(ValueError):
        KeyedCache(n, Loader())
    with pytest.raises(ValueError):
        ProcessCache("", Loader())


def test_a_cache_nothing_refers_to_leaves_the_registry():
    n = name()
    ProcessCache(n, Loader())  # dropped at once
    assert n not in registered()
    ProcessCache(n, Loader())  # so its name is free again


def test_the_platform_caches_are_registered():
    import functions.appeals.routing  # noqa: F401
    import functions.appeals.vault  # noqa: F401
    import functions.calendar.service  # noqa: F401
    import functions.identity.tokens  # noqa: F401
    import functions.platform.clock  # noqa: F401

    assert {
        "keyring.master_secret",
        "identity.platform_keys",
        "identity.trusted_issuers",
        "appeals.vault_keys",
        "appeals.routing_rules",
        "calendar.working_day_calendar",
        "platform.clock_offset",
    } <= set(registered())


def test_clear_all_forgets_every_registered_cache(clock):
    plain, keyed = Loader(), Loader()
    p = ProcessCache(name(), plain)
    k = KeyedCache(name(), keyed)
    assert p.get() == 1 and k.get("a") == ("a", 1)
    clear_all()
    assert p.get() == 2 and k.get("a") == ("a", 2)


def test_keyed_values_expire_and_are_forgotten_per_key(clock):
    load = Loader()
    c = KeyedCache(name(), load, ttl_seconds=10)
    assert c.get("a") == ("a", 1) and c.get("b") == ("b", 2)
    assert c.get("a") == ("a", 1)
    c.forget("a")
    assert c.get("a") == ("a", 3) and c.get("b") == ("b", 2)
    clock.advance(10)
    assert c.get("b") == ("b", 4)
    c.forget()  # every key
    assert c.get("a") == ("a", 5) and c.get("b") == ("b", 6)


def test_keyed_cache_evicts_the_least_recently_used_beyond_max_entries(clock):
    load = Loader()
    c = KeyedCache(name(), load, max_entries=2)
    c.get("a"), c.get("b")
    c.get("a")  # a was used after b
    c.get("c")  # three keys: b goes
    assert len(c) == 2
    calls = load.calls
    assert c.get("a") == ("a", 1) and c.get("c") == ("c", 3)
    assert load.calls == calls
    assert c.get("b") == ("b", 4)  # loaded again
    assert len(c) == 2


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        KeyedCache(name(), Loader(), max_entries=0)
    with pytest.raises(ValueError):
        ProcessCache(name(), Loader(), ttl_seconds=-1)


def test_concurrent_gets_load_once():
    calls = []
    started = threading.Event()

    def slow_load():
        calls.append(1)
        started.set()
        time.sleep(0.05)  # every other thread arrives while this load runs
        return "value"

    c = ProcessCache(name(), slow_load, ttl_seconds=60)
    barrier = threading.Barrier(16)
    results = []

    def worker():
        barrier.wait()
        results.append(c.get())

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["value"] * 16
    assert len(calls) == 1


def test_concurrent_gets_of_one_key_load_once_and_other_keys_do_not_wait():
    calls: list[str] = []
    release = threading.Event()

    def load(key: str) -> str:
        calls.append(key)
        if key == "slow":
            assert release.wait(5)
        return key.upper()

    c = KeyedCache(name(), load)
    results = []
    threads = [threading.Thread(target=lambda: results.append(c.get("slow"))) for _ in range(8)]
    for t in threads:
        t.start()
    assert c.get("fast") == "FAST"  # not held up by the slow key's load
    release.set()
    for t in threads:
        t.join()
    assert results == ["SLOW"] * 8
    assert calls.count("slow") == 1 and calls.count("fast") == 1


def test_a_forget_during_a_load_is_not_undone_by_it():
    release, loading = threading.Event(), threading.Event()
    values = iter(["stale", "fresh"])

    def load():
        value = next(values)
        if value == "stale":
            loading.set()
            assert release.wait(5)
        return value

    c = ProcessCache(name(), load)
    got = []
    t = threading.Thread(target=lambda: got.append(c.get()))
    t.start()
    assert loading.wait(5)
    c.forget()  # e.g. this process wrote a new value meanwhile
    release.set()
    t.join()
    assert got == ["stale"]  # the caller that loaded it gets it ...
    assert c.get() == "fresh"  # ... but it is not kept
