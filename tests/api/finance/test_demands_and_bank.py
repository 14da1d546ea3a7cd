"""Demands and the bank API over the API: post (a second channel merges), poll with cursors (only what is
new), claim (one winner, the key required, replays), outcomes through disbursed and every refusal, the
lease's release across a holiday, consents."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from tests.support import assert_problem, bearer, body, json_headers

ENTERPRISE, USCC = "ent-zhengrixin", "91370202MA3C4R7K75"
BANK_A, BANK_B = "bank-qrcb-client", "bank-qdccb-client"
DEMAND = {"amount_fen": 50_000_000, "term_months": 12, "purpose": "购买生产设备，扩大生产线产能", "guarantee": "credit"}


class Api:
    """Each request a minute after the one before (a timeline sorts by time)."""

    def __init__(self, client, token, clock):
        self.client, self.token, self.clock = client, token, clock

    def post(self, user, path, key: str | None = "new", **fields):
        self.clock.advance(minutes=1)
        headers = json_headers(self.token(user))
        if key is not None:
            headers["Idempotency-Key"] = str(uuid.uuid4()) if key == "new" else key
        return self.client.http.post(path, headers=headers, body=json.dumps(fields, ensure_ascii=False))

    def get(self, user, path):
        return self.client.http.get(path, headers=bearer(self.token(user)) if user else {})

    def ok(self, response, status=200):
        assert response.status_code == status, response.body
        return body(response)

    def demand(self, **fields) -> dict:
        return self.ok(self.post(ENTERPRISE, "/api/finance/demands", **{**DEMAND, **fields}), 201)

    def poll(self, user=BANK_A, cursor: str | None = None) -> dict:
        return self.ok(self.get(user, "/api/bank/v1/demands" + (f"?cursor={cursor}" if cursor else "")))

    def outcome(self, user, demand_id, status_code=200, **fields):
        response = self.post(user, f"/api/bank/v1/demands/{demand_id}/outcomes", **fields)
        if status_code == 200:
            return self.ok(response)
        return assert_problem(response, status_code)


@pytest.fixture
def api(client, token, clock):
    return Api(client, token, clock)


def test_a_demand_through_a_second_channel_is_the_same_demand(api, token):
    first = api.demand()
    assert first["status"] == "open" and first["channels"] == ["platform"] and not first["duplicate"]
    assert [e["action"] for e in first["events"]] == ["finance.demand_published"]
    # 市人社局's staff enter what the enterprise also said on 信易贷: the same matter, one demand
    again = api.ok(api.post("staff-hrss", "/api/finance/demands", **{**DEMAND, "amount_fen": 48_000_000,
                                                                   "purpose": "购买生产设备扩大产能", "source_channel": "xinyidai",
                                                                   "enterprise_uscc": USCC}))
    assert again["id"] == first["id"] and again["duplicate"] and again["channels"] == ["platform", "xinyidai"]
    other = api.demand(purpose="补充流动资金，支付原材料货款", amount_fen=20_000_000)
    assert other["id"] != first["id"]
    mine = api.ok(api.get(ENTERPRISE, "/api/finance/demands"))
    assert [d["id"] for d in mine["items"]] == [other["id"], first["id"]]
    feed = api.poll()
    assert [d["id"] for d in feed["items"]] == [first["id"], other["id"]]  # counted once


def test_bad_demands_change_nothing(api):
    for fields, field in (({"amount_fen": 0}, "amount_fen"), ({"guarantee": "gold"}, "guarantee"),
                          ({"purpose": "钱"}, "purpose"), ({"source_channel": "offline"}, "source_channel")):
        assert_problem(api.post(ENTERPRISE, "/api/finance/demands", **{**DEMAND, **fields}), 422, field=field)
    assert_problem(api.post("staff-hrss", "/api/finance/demands", **DEMAND), 422, field="enterprise_uscc")
    assert_problem(api.post(BANK_A, "/api/finance/demands", **DEMAND), 403)
    assert api.poll()["items"] == []


def test_polling_with_the_cursor_returns_exactly_what_is_new(api):
    first = api.demand()
    page = api.poll()
    assert [d["id"] for d in page["items"]] == [first["id"]]
    shown = page["items"][0]
    assert set(shown) == {"id", "district", "industry_code", "size_class", "amount_fen", "term_months", "guarantee",
                          "published_at"}  # the enterprise masked
    assert api.poll(cursor=page["next_cursor"])["items"] == []
    second = api.demand(purpose="补充流动资金，支付原材料货款", amount_fen=20_000_000)
    later = api.poll(cursor=page["next_cursor"])
    assert [d["id"] for d in later["items"]] == [second["id"]]
    assert [d["id"] for d in api.poll(BANK_B)["items"]] == [first["id"], second["id"]]  # each client its own cursor
    assert_problem(api.get(BANK_A, "/api/bank/v1/demands?cursor=forged"), 422, field="cursor")
    assert_problem(api.get(ENTERPRISE, "/api/bank/v1/demands"), 403)


def test_one_claim_wins_and_the_key_is_required_and_replayed(api):
    demand_id = api.demand()["id"]
    assert_problem(api.post(BANK_A, f"/api/bank/v1/demands/{demand_id}/claim", key=None), 400)
    key = str(uuid.uuid4())
    won = api.ok(api.post(BANK_A, f"/api/bank/v1/demands/{demand_id}/claim", key=key))
    assert won["status"] == "claimed" and won["enterprise_uscc"] == USCC and won["contact_by"]
    replay = api.post(BANK_A, f"/api/bank/v1/demands/{demand_id}/claim", key=key)  # (a minute later: still the first answer)
    assert replay.status_code == 200 and replay.headers.get("Idempotent-Replayed") == "true"
    assert_problem(api.post(BANK_B, f"/api/bank/v1/demands/{demand_id}/claim"), 409)
    assert_problem(api.get(BANK_B, f"/api/bank/v1/demands/{demand_id}"), 404)
    assert api.poll(BANK_B)["items"] == []  # claimed: no longer open
    seen = api.ok(api.get(ENTERPRISE, f"/api/finance/demands/{demand_id}"))
    assert seen["claimed_by"] == "bank-qrcb" and seen["events"][-1]["action"] == "finance.demand_claimed"


def test_outcomes_through_disbursed_and_every_refusal(api):
    demand_id = api.demand()["id"]
    api.ok(api.post(BANK_A, f"/api/bank/v1/demands/{demand_id}/claim"))
    api.outcome(BANK_B, demand_id, 404, status="contacted")  # not the claimer
    api.outcome(BANK_A, demand_id, 409, status="approved", amount_fen=29_000_000, annual_rate_bp=385, term_months=12)
    assert api.outcome(BANK_A, demand_id, status="contacted")["contact_by"] is None  # the lease is met
    api.outcome(BANK_A, demand_id, 422, status="approved", amount_fen=29_000_000)  # rate and term missing
    api.outcome(BANK_A, demand_id, 422, status="approved", amount_fen=60_000_000, annual_rate_bp=385, term_months=12)
    approved = api.outcome(BANK_A, demand_id, status="approved", amount_fen=29_000_000, annual_rate_bp=385, term_months=12)
    assert approved["outcome"] == {"amount_fen": 29_000_000, "annual_rate_bp": 385, "term_months": 12, "guarantee": "credit"}
    api.outcome(BANK_A, demand_id, 422, status="disbursed", amount_fen=30_000_000)
    done = api.outcome(BANK_A, demand_id, status="disbursed")
    assert done["status"] == "disbursed" and done["outcome"]["disbursed_fen"] == 29_000_000
    api.outcome(BANK_A, demand_id, 409, status="rejected", reason="other")
    timeline = [e["action"] for e in api.ok(api.get(ENTERPRISE, f"/api/finance/demands/{demand_id}"))["events"]]
    assert timeline == ["finance.demand_published", "finance.demand_claimed", "finance.demand_contacted",
                        "finance.demand_approved", "finance.demand_disbursed"]
    assert_problem(api.get("ent-hailian-trade", f"/api/finance/demands/{demand_id}"), 404)


def test_a_rejection_needs_a_published_reason(api):
    demand_id = api.demand()["id"]
    api.ok(api.post(BANK_A, f"/api/bank/v1/demands/{demand_id}/claim"))
    problem = api.outcome(BANK_A, demand_id, 422, status="rejected", reason="we just don't like it")
    assert problem["errors"][0]["field"] == "reason"
    assert api.outcome(BANK_A, demand_id, status="rejected", reason="insufficient_collateral")["reason"] == "insufficient_collateral"


def test_a_lapsed_claim_returns_to_the_pool_across_a_holiday(api, client, clock):
    clock.advance(days=41)  # Thursday 2026-12-31, 10:00: the lease runs over 元旦 (Friday) and the weekend
    demand_id = api.demand()["id"]
    cursor = api.poll(BANK_B)["next_cursor"]
    won = api.ok(api.post(BANK_A, f"/api/bank/v1/demands/{demand_id}/claim"))
    assert won["contact_by"] == "2027-01-05T00:00:00+08:00"  # the end of Monday the 4th, the next working day

    def sweep():
        return body(client.http.post("/api/dev/jobs/sweep_clocks/run"))["result"]

    clock.advance(days=4)  # Monday 10:00: still within the lease
    sweep()
    assert api.ok(api.get(ENTERPRISE, f"/api/finance/demands/{demand_id}"))["status"] == "claimed"
    clock.advance(hours=14, minutes=1)  # Tuesday 00:01
    assert sweep()["breached"] >= 1
    released = api.ok(api.get(ENTERPRISE, f"/api/finance/demands/{demand_id}"))
    assert released["status"] == "open" and released["claimed_by"] is None and released["releases"] == 1
    assert released["events"][-1]["action"] == "finance.demand_released"
    assert [d["id"] for d in api.poll(BANK_B, cursor)["items"]] == [demand_id]  # back in the feed, as new
    assert_problem(api.post(BANK_A, f"/api/bank/v1/demands/{demand_id}/claim"), 409)  # barred for a while
    assert api.ok(api.post(BANK_B, f"/api/bank/v1/demands/{demand_id}/claim"))["status"] == "claimed"


def test_consents_are_given_listed_and_revoked(api, clock):
    demand_id = api.demand()["id"]
    expires = (clock.now() + timedelta(days=30)).isoformat()
    given = api.ok(api.post(ENTERPRISE, "/api/finance/consents", institution_id="bank-qrcb", expires_at=expires,
                            demand_id=demand_id), 201)
    assert given["live"] and not given["standing"]
    standing = api.ok(api.post(ENTERPRISE, "/api/finance/consents", institution_id="*", expires_at=expires), 201)
    assert standing["standing"]
    # any institution of the catalogue, not only those with an API client
    api.ok(api.post(ENTERPRISE, "/api/finance/consents", institution_id="bank-boc-qd", expires_at=expires), 201)
    for fields, field in (({"institution_id": "bank-nowhere"}, "institution_id"),
                          ({"expires_at": (clock.now() - timedelta(days=1)).isoformat()}, "expires_at"),
                          ({"expires_at": (clock.now() + timedelta(days=400)).isoformat()}, "expires_at"),
                          ({"demand_id": "fd-nothing"}, "demand_id")):
        assert_problem(api.post(ENTERPRISE, "/api/finance/consents", **{"institution_id": "bank-qrcb", "expires_at": expires,
                                                                        **fields}), 422, field=field)
    assert [c["id"] for c in api.ok(api.get(ENTERPRISE, "/api/finance/consents"))][1:] == [standing["id"], given["id"]]
    revoked = api.ok(api.post(ENTERPRISE, f"/api/finance/consents/{given['id']}/revoke"))
    assert revoked["revoked_at"] and not revoked["live"]
    assert_problem(api.post(ENTERPRISE, f"/api/finance/consents/{given['id']}/revoke"), 409)
    log = [r["action"] for r in api.ok(api.get(ENTERPRISE, "/api/finance/data-reads"))["items"]]
    assert log == ["finance.consent_granted"] * 3 + ["finance.consent_revoked"]
    assert_problem(api.post(BANK_A, "/api/finance/consents", institution_id="*", expires_at=expires), 403)


def test_the_openapi_document_has_the_bank_developers_guide_and_examples_that_hold(client):
    from functions.finance.schemas import BankDemandPageOut, ClaimIn, OutcomeIn

    document = body(client.http.get("/api/openapi.json"))
    (guide,) = [t for t in document["tags"] if t["name"] == "bank API"]
    for step in ("/api/oauth/token", "next_cursor", "Idempotency-Key", "1 working day", "credit-report", "problem+json"):
        assert step in guide["description"], step
    assert {op["tags"][0] for path, ops in document["paths"].items() if path.startswith("/api/bank/v1/") for op in ops.values()} \
        == {"bank API"}
    for model in (BankDemandPageOut, ClaimIn, OutcomeIn):  # every example is one the API accepts or answers
        examples = document["components"]["schemas"][model.__name__]["examples"]
        assert examples
        for example in examples:
            model.model_validate(example)
