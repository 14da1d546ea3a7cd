"""The key ring: a named key set loaded once per process, created once per stage, oldest key current.

"Processes" here are KeySet instances over one shared table (a dict with a conditional put), so the
races of concurrent first starts can be played out exactly; the last tests run the vault and the
platform issuer over moto.
"""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet, InvalidToken

from functions.shared import keyring
from functions.shared.errors import Unauthenticated
from functions.shared.keyring import KeySet

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


class Table:
    """One key set's partition: {key_id: secret}, written only with a conditional put."""

    def __init__(self) -> None:
        self.items: dict[str, str] = {}
        self.lock = threading.Lock()
        self.queries = 0
        self.puts = 0

    def query(self) -> list[tuple[str, str]]:
        with self.lock:
            self.queries += 1
            return sorted(self.items.items())

    def put_if_absent(self, key_id: str, secret: str) -> bool:
        with self.lock:
            self.puts += 1
            if key_id in self.items:
                return False  # ConditionalCheckFailed: the lost race is swallowed
            self.items[key_id] = secret
            return True


def process(
    table: Table, *, list_hook=None, create_hook=None, key_id_for=None, unknown_reload_seconds: float = 0.0
) -> KeySet[Fernet]:
    """One process's view of the key set: its own cache (a registry name of its own)."""

    def list_items():
        items = table.query()
        if list_hook is not None:
            list_hook(items)
        return items

    def create_item(now: datetime) -> None:
        key_id = key_id_for(now) if key_id_for else now.strftime("%Y-%m-%dT%H:%M:%SZ")
        table.put_if_absent(key_id, Fernet.generate_key().decode())
        if create_hook is not None:
            create_hook()

    return KeySet(
        f"test.keyset.{uuid.uuid4().hex}",
        list_items=list_items,
        create_item=create_item,
        key_id_of=lambda item: item[0],
        parse=lambda item: Fernet(item[1].encode()),
        unknown_reload_seconds=unknown_reload_seconds,
    )


def test_a_first_start_creates_one_key_and_later_uses_it():
    table = Table()
    ring = process(table)
    key_id, key = ring.current(T0)
    assert list(table.items) == [key_id] and table.puts == 1
    assert table.queries == 2  # empty, then the key just created
    for _ in range(10):
        assert ring.current(T0 + timedelta(hours=1)) == (key_id, key)
    assert ring.by_id(key_id) is key
    assert table.queries == 2 and table.puts == 1

    later = process(table)  # another process, started later: reads, creates nothing
    assert later.current(T0 + timedelta(days=1))[0] == key_id
    assert table.puts == 1


def test_two_concurrent_first_starts_converge_on_the_oldest_key():
    table = Table()
    both_listed, both_created = threading.Barrier(2, timeout=5), threading.Barrier(2, timeout=5)
    first_list = {"a": True, "b": True}

    def hook(name):
        def wait_for_the_other(items):
            if first_list[name]:  # both see the empty table before either creates a key
                first_list[name] = False
                assert items == []
                both_listed.wait()
        return wait_for_the_other

    # ... and both have written theirs before either reads the set again.
    a, b = (
        process(table, list_hook=hook(p), create_hook=both_created.wait, key_id_for=lambda now, p=p: f"{now:%H%M%S}-{p}")
        for p in ("a", "b")
    )
    results: dict[str, tuple[str, Fernet]] = {}
    threads = [
        threading.Thread(target=lambda: results.__setitem__("a", a.current(T0 + timedelta(seconds=1)))),
        threading.Thread(target=lambda: results.__setitem__("b", b.current(T0))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(table.items) == 2  # each created one ...
    oldest = min(table.items)
    assert results["a"][0] == results["b"][0] == oldest  # ... and both sign with the oldest

    # Sealed by either process, opened by the other.
    sealed_by_a = results["a"][1].encrypt(b"from a")
    assert b.by_id(oldest).decrypt(sealed_by_a) == b"from a"
    assert {key_id for key_id, _ in a.all(T0)} == {key_id for key_id, _ in b.all(T0)} == set(table.items)


def test_a_process_that_missed_the_other_key_opens_its_items_and_then_converges():
    table = Table()
    a = process(table)
    b = process(table)
    # Both list the empty table first (looking a key up creates none) ...
    for ring in (a, b):
        with pytest.raises(KeyError):
            ring.by_id("none")
    # ... then A creates its key and reloads before B has written: A knows only its own key.
    a_id, a_key = a.current(T0 + timedelta(seconds=1))
    b_id, b_key = b.current(T0)  # B creates an older key and sees both
    assert b_id < a_id
    assert b.current(T0)[0] == b_id and a.current(T0)[0] == a_id  # not converged yet

    sealed_by_b = b_key.encrypt(b"from b")
    queries = table.queries
    assert a.by_id(b_id).decrypt(sealed_by_b) == b"from b"  # unknown to A: one reload finds it
    assert table.queries == queries + 1
    assert a.current(T0)[0] == b_id  # ... and now A signs with the oldest too
    assert b.by_id(a_id).decrypt(a_key.encrypt(b"from a")) == b"from a"  # B knew A's key already


def test_concurrent_first_starts_in_the_same_second_share_one_key():
    table = Table()
    rings = [process(table) for _ in range(8)]
    barrier = threading.Barrier(len(rings), timeout=5)
    results = [None] * len(rings)

    def start(i):
        barrier.wait()
        results[i] = rings[i].current(T0)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(len(rings))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(table.items) == 1
    token = results[0][1].encrypt(b"x")
    for key_id, key in results:
        assert key_id == results[0][0] and key.decrypt(token) == b"x"


def test_an_unknown_id_is_a_key_error_and_reloads_at_most_as_often_as_allowed(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(keyring, "time", SimpleNamespace(monotonic=lambda: now[0]))
    table = Table()
    ring = process(table, unknown_reload_seconds=5)
    ring.current(T0)
    queries = table.queries
    for _ in range(50):  # made-up ids right after a load: no reload
        with pytest.raises(KeyError):
            ring.by_id(uuid.uuid4().hex)
    assert table.queries == queries
    now[0] += 5
    for _ in range(50):  # one reload, then the set is fresh again
        with pytest.raises(KeyError):
            ring.by_id(uuid.uuid4().hex)
    assert table.queries == queries + 1


def test_an_unknown_id_reloads_every_time_without_a_minimum():
    table = Table()
    ring = process(table)
    ring.current(T0)
    queries = table.queries
    for _ in range(3):
        with pytest.raises(KeyError):
            ring.by_id("nope")
    assert table.queries == queries + 3


def test_by_id_creates_nothing():
    table = Table()
    ring = process(table)
    with pytest.raises(KeyError):
        ring.by_id("2026-11-20T02:00:00Z")
    assert table.items == {} and table.puts == 0


def test_the_key_set_is_forgotten_with_every_cache():
    from functions.shared.cache import clear_all

    table = Table()
    ring = process(table)
    ring.current(T0)
    queries = table.queries
    clear_all()
    ring.current(T0)
    assert table.queries == queries + 1


# -- the two key sets of the platform, over moto ----------------------------------------------------
def test_the_vault_opens_an_item_sealed_with_a_key_another_process_created(aws, clock):
    from functions.appeals import vault
    from functions.appeals.models import VaultKey
    from functions.shared.audit import UnitOfWork

    uow = UnitOfWork("u-1", "enterprise", "org", f"req-{uuid.uuid4().hex}", clock.now())
    vault.seal(uow, "A-1", {"name": "甲"})
    uow.commit()
    mine = next(iter(VaultKey.query(vault.KEY_SET))).key_id

    # Another process started a second earlier and created its own key: it seals with that one.
    older = (clock.now() - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    secret = Fernet.generate_key()
    VaultKey(key_set=vault.KEY_SET, key_id=older, secret=secret.decode(), created_at=older).save()
    from functions.appeals.models import ReporterIdentity

    token = Fernet(secret).encrypt('{"name": "乙"}'.encode()).decode()
    ReporterIdentity(appeal_id="A-2", key_id=older, ciphertext=token, created_at=older).save()

    assert vault.reveal("A-1") == {"name": "甲"}
    assert vault.reveal("A-2") == {"name": "乙"}  # unknown here: the set is reloaded once
    assert vault.vault_keys.current(clock.now())[0] == older < mine  # and the oldest is current now
    with pytest.raises(InvalidToken):
        Fernet(secret).decrypt(ReporterIdentity.get("A-1").ciphertext.encode())


def test_the_platform_jwks_lists_every_key_and_tokens_of_either_verify(aws, clock):
    from functions.identity import tokens
    from functions.identity.models import SigningKey
    from functions.identity.principal import Principal

    bank = Principal(sub="bank-1", role="bank", org_id="bank-qd", district="370200", name="Bank")
    first, _ = tokens.issue(bank, clock.now(), timedelta(hours=1))
    kid = tokens.platform_keys.signing_key(clock.now()).kid
    assert [k["kid"] for k in tokens.platform_keys.jwks(clock.now())["keys"]] == [kid]

    # A second key, as a concurrent first start elsewhere would have left it (the newer one here).
    tokens._create_signing_key(clock.now() + timedelta(seconds=1))
    keys = list(SigningKey.query(tokens.PLATFORM_KEY_SET))
    assert len(keys) == 2
    tokens.platform_keys._set.forget()
    assert [k["kid"] for k in tokens.platform_keys.jwks(clock.now())["keys"]] == sorted(k.kid for k in keys)
    assert tokens.platform_keys.signing_key(clock.now()).kid == kid  # still the oldest
    assert tokens.verify(first, clock.now()).sub == "bank-1"
    with pytest.raises(Unauthenticated):
        tokens.platform_keys.public_key("made-up", clock.now())
