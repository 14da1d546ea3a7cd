"""Financing over real HTTP on the local stack (started as `make run` starts it): an enterprise posts a
demand, two bank clients authenticate with client credentials and poll with their cursors, twenty
concurrent claims on one demand give exactly one 200, and the winner records outcomes through disbursed
(the seed's example: 500,000 asked, 290,000 lent); the credit report reaches the claimer only under
consent and its PDF's hash verifies; concurrent posts all enter the feed; a monthly snapshot run twice
writes one snapshot."""
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

    # The credit report: to the claimer only, and only under the enterprise's consent; its PDF's hash verifies.
    report = f"/api/bank/v1/demands/{first['id']}/credit-report"
    assert stack.json("GET", report, headers=auth)[0] == 403  # no consent yet
    institution = stack.json("GET", f"/api/bank/v1/demands/{first['id']}", headers=auth)[1]
    status, consent = stack.json("POST", "/api/finance/consents", {
        "institution_id": "bank-qrcb" if winner == "bank-qrcb-client" else "bank-qdccb", "scope": "credit_report",
        "demand_id": first["id"], "expires_at": "2027-06-30T00:00:00+08:00"}, keyed(enterprise))
    assert status == 201, consent
    assert institution["enterprise_uscc"] == "91370202MA3C4R7K75"
    status, got = stack.json("GET", report, headers=auth)
    assert status == 200 and got["report"]["subject"]["uscc"] == "91370202MA3C4R7K75", got
    assert stack.json("GET", report, headers=loser)[0] == 404  # the other bank: not its demand
    status, pdf, headers = stack.request("GET", report + "?format=pdf", headers={**auth, "Accept": "application/pdf"})
    assert status == 200 and pdf.startswith(b"%PDF-")
    number, digest = headers["X-Report-No"], headers["X-Report-SHA256"]
    assert f"/api/credit-reports/{number}/verify?sha256={digest}".encode() in pdf  # what its QR code and link carry
    status, verified = stack.json("GET", f"/api/credit-reports/{number}/verify?sha256={digest}")
    assert status == 200 and verified["issued"] is True and verified["sha256_matches"] is True
    status, forged = stack.json("GET", f"/api/credit-reports/{number}/verify?sha256={'0' * 64}")
    assert forged["sha256_matches"] is False


def cursor_of(cursor: str) -> str:
    return urllib.parse.quote(cursor, safe="")


def test_demands_posted_concurrently_all_enter_the_feed_in_order(running):
    """Three enterprises posting at once take numbers from one counter: every post is acknowledged (a
    lost race for the next number runs again), and a bank polling from the start sees every demand once."""
    stack = running
    users = ("ent-zhengrixin", "ent-bluesea-soft", "ent-hailian-trade")
    auth = {user: signed_in(stack, user) for user in users}
    bank = client_token(stack, "bank-qdccb-client")
    status, page = stack.json("GET", "/api/bank/v1/demands?limit=200", headers=bank)
    before = cursor_of(page["next_cursor"]) if page.get("next_cursor") else None
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()
    start = threading.Barrier(12)

    def post(user, n):
        start.wait()
        answer = stack.json("POST", "/api/finance/demands", {
            "amount_fen": (100 + 37 * n) * 1_000_000, "term_months": 6 + n,
            "purpose": ["采购原材料", "购置检测设备", "支付研发人员工资", "扩建仓储设施"][n % 4] + f"（第{n}批）",
            "guarantee": "credit"}, {**auth[user], "Idempotency-Key": str(uuid.uuid4())})
        with lock:
            results.append(answer)

    threads = [threading.Thread(target=post, args=(users[n % 3], n)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(status for status, _ in results) == [201] * 12, results
    posted = {demand["id"] for _, demand in results}
    seen: list[str] = []
    cursor = before
    while True:
        status, page = stack.json("GET", "/api/bank/v1/demands?limit=50" + (f"&cursor={cursor}" if cursor else ""), headers=bank)
        assert status == 200, page
        seen += [d["id"] for d in page["items"]]
        if not page["items"]:
            break
        cursor = cursor_of(page["next_cursor"])
    assert posted <= set(seen) and len(seen) == len(set(seen))


def test_a_monthly_snapshot_run_twice_writes_one_snapshot(running):
    """The schedule's job run twice on the stack (its queue drained by the stack's job runner, as Lambda
    would): every enterprise has one snapshot of the month, and the second run wrote nothing."""
    import time

    stack = running
    admin, enterprise = signed_in(stack, "admin-city"), signed_in(stack, "ent-zhengrixin")

    def run_once() -> dict:
        status, answer = stack.json("POST", "/api/dev/jobs/start_credit_snapshots/run")
        assert status == 200, answer
        month = answer["result"]["month"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status, runs = stack.json("GET", "/api/finance/snapshots", headers=admin)
            assert status == 200, runs
            run = next(r for r in runs["items"] if r["month"] == month)
            if run["chains_done"] == run["chains"] and run["status"] == "completed":
                return run
            time.sleep(0.5)
        raise AssertionError(f"the snapshot run did not finish: {run}")

    first = run_once()
    assert first["written"] >= 4 and first["failed_pages"] == 0 and first["starts"] == 1
    again = run_once()  # completed already: it returns at once, so let the runner take the 198 pages first
    time.sleep(4)  # the runner takes up to 200 messages a queue a second
    status, runs = stack.json("GET", "/api/finance/snapshots", headers=admin)
    again = next(r for r in runs["items"] if r["month"] == first["month"])
    assert again["starts"] == 2 and (again["written"], again["pages"]) == (first["written"], first["pages"])
    status, mine = stack.json("GET", "/api/enterprises/91370202MA3C4R7K75/credit-snapshots", headers=enterprise)
    assert status == 200 and [s["month"] for s in mine["items"]].count(first["month"]) == 1, mine
