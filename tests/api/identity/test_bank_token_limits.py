"""The bank token endpoint: failures are limited per caller address, never per client id alone,
and an unknown client id costs the same scrypt work as a wrong secret."""
from __future__ import annotations

from urllib.parse import urlencode


from tests.support import body

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
QDCCB = ("bank-qdccb-client", "demo-only-qdccb-secret-3b8d1f6c")
QRCB = ("bank-qrcb-client", "demo-only-qrcb-secret-9f4c2e7a")
ATTACKER = "203.0.113.7"
BANK = "198.51.100.20"


def ask(client, client_id, secret, address, port=40000):
    form = urlencode({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    headers = {**FORM, "X-Forwarded-For": f"{address}"}
    return client.http.post("/api/oauth/token", headers=headers, body=form)


def test_a_stranger_cannot_lock_a_bank_out(client, seeded):
    client_id, secret = QDCCB
    statuses = [ask(client, client_id, f"guess-{i}", ATTACKER).status_code for i in range(15)]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429] * 5

    # The bank, from its own address, with its secret: not held up by the stranger's failures.
    granted = ask(client, client_id, secret, BANK)
    assert granted.status_code == 200, granted.body
    assert body(granted)["token_type"] == "Bearer"

    # The limit still stops the stranger's address, in the OAuth error format, right secret or not.
    for guess in ("guess-again", secret):
        limited = ask(client, client_id, guess, ATTACKER, port=40001)
        assert limited.status_code == 429
        assert body(limited)["error"] == "slow_down"
        assert 0 < int(limited.headers["Retry-After"]) <= 300


def test_one_address_cannot_spray_guesses_over_many_client_ids(client, seeded):
    from functions.identity.service import FAILED_NETWORK_LIMIT, FAILED_SECRET_LIMIT

    ids = [f"made-up-{i}" for i in range(FAILED_NETWORK_LIMIT // (FAILED_SECRET_LIMIT - 1) + 1)]
    failures = 0
    for client_id in ids:
        for _ in range(FAILED_SECRET_LIMIT - 1):  # stays under each id's own limit
            if failures < FAILED_NETWORK_LIMIT:
                assert ask(client, client_id, "x", ATTACKER).status_code == 401
                failures += 1
    limited = ask(client, QRCB[0], "x", ATTACKER)
    assert limited.status_code == 429 and body(limited)["error"] == "slow_down"
    # Other addresses are unaffected.
    assert ask(client, *QRCB, BANK).status_code == 200


def test_walking_through_an_ipv6_64_gives_no_fresh_windows(client, seeded):
    client_id, _ = QDCCB
    statuses = [ask(client, client_id, "guess", f"2001:db8:1:2::{i:x}").status_code for i in range(1, 12)]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429
    # Another /64 is another network.
    assert ask(client, *QDCCB, "2001:db8:1:3::1").status_code == 200


def test_an_unknown_client_costs_the_same_scrypt_work_as_a_wrong_secret(client, seeded, scrypt_calls):
    from functions.identity.models import OAuthClient

    def work(client_id, secret, address):
        scrypt_calls.clear()
        response = ask(client, client_id, secret, address)
        assert response.status_code == 401 and body(response)["error"] == "invalid_client"
        return list(scrypt_calls)

    known_wrong = work(QRCB[0], "wrong", "192.0.2.1")
    unknown = work("no-such-client", "wrong", "192.0.2.2")
    assert len(known_wrong) == 1
    assert unknown == known_wrong  # as many evaluations, with the same parameters

    disabled = OAuthClient.get(QDCCB[0])
    disabled.disabled = True
    disabled.save()
    assert work(QDCCB[0], QDCCB[1], "192.0.2.3") == known_wrong  # even with its right secret
