"""Financing over real HTTP on the local stack (started as `make run` starts it): an enterprise posts a
demand, two bank clients authenticate with client credentials and poll with their cursors, twenty
concurrent claims on one demand give exactly one 200, and the winner records outcomes through disbursed
(the seed's example: 500,000 asked, 290,000 lent)."""
from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
import uuid

import pytest

pytestmark = [pytest.mark.local_stack, pytest.mark.slow]

CLIENTS = {"bank-qrcb-client": "demo-only-qrcb-secret-9f4c2e7a", "bank-qdccb-client": "demo-only-qdccb-secret-3b8d1f6c"}


def client_token(stack, client_id: str) -> dict[str, str]:
    """RFC 6749 §4.4: a form post of the client's credentials."""
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client_id,
                                   "client_secret": CLIENTS[client_id]}).encode()
    request = urllib.request.Request(stack.url + "/api/oauth/token", data=form, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=30) as response:
        grant = json.loads(response.read())
    assert "demands:claim" in grant["scope"]
    return {"Authorization": f"Bearer {grant['access_token']}"}


def signed_in(stack, user: str) -> dict[str, str]:
    status, grant = stack.json("POST", "/api/auth/dev-login", {"user_id": user})
    assert status == 200, grant
    return {"Authorization": f"Bearer {grant['access_token']}"}


def keyed(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Idempotency-Key": str(uuid.uuid4())}


def test_post_poll_race_to_claim_and_outcomes(running):
    stack = running
    enterprise = signed_in(stack, "ent-zhengrixin")
    banks = {client: client_token(stack, client) for client in CLIENTS}

    status, first = stack.json("POST", "/api/finance/demands", {"amount_fen": 50_000_000, "term_months": 12,
                                                                "purpose": "购买数控机床，扩大生产线", "guarantee": "credit"}, enterprise)
    assert status == 201, first
    cursors = {}
    for client, auth in banks.items():
        status, page = stack.json("GET", "/api/bank/v1/demands", headers=auth)
        assert status == 200 and first["id"] in [d["id"] for d in page["items"]], page
        cursors[client] = page["next_cursor"]
    status, second = stack.json("POST", "/api/finance/demands", {"amount_fen": 10_000_000, "term_months": 6,
                                                                 "purpose": "支付原材料采购款", "guarantee": "guarantee"}, enterprise)
    assert status == 201, second
    for client, auth in banks.items():  # each client's cursor: only what is new
        status, page = stack.json("GET", f"/api/bank/v1/demands?cursor={cursor_of(cursors[client])}", headers=auth)
        assert [d["id"] for d in page["items"]] == [second["id"]], page

    # Twenty claims at once, ten from each institution's client: exactly one wins.
    results: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(20)

    def claim(auth):
        start.wait()
        status, _, _ = stack.request("POST", f"/api/bank/v1/demands/{first['id']}/claim", headers=keyed(auth))
        with lock:
            results.append(status)

    threads = [threading.Thread(target=claim, args=(banks[client],)) for client in CLIENTS for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [200] + [409] * 19, results

    winner = next(client for client, auth in banks.items()
                  if stack.json("GET", f"/api/bank/v1/demands/{first['id']}", headers=auth)[0] == 200)
    auth = banks[winner]
    path = f"/api/bank/v1/demands/{first['id']}/outcomes"
    for step in ({"status": "contacted"},
                 {"status": "approved", "amount_fen": 29_000_000, "annual_rate_bp": 385, "term_months": 12},
                 {"status": "disbursed"}):
        status, answer = stack.json("POST", path, step, keyed(auth))
        assert status == 200, answer
    assert answer["status"] == "disbursed" and answer["outcome"]["disbursed_fen"] == 29_000_000
    loser = next(a for c, a in banks.items() if c != winner)
    assert stack.json("POST", path, {"status": "rejected", "reason": "other"}, keyed(loser))[0] == 404


def cursor_of(cursor: str) -> str:
    return urllib.parse.quote(cursor, safe="")
