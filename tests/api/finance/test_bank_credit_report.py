"""The credit report through the bank API: only to the claiming bank, only under a live consent (none,
revoked, expired: 403), every read in the enterprise's data log, and the report verifiable by its number."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.finance.test_demands_and_bank import BANK_A, BANK_B, ENTERPRISE, Api
from tests.support import assert_problem, bearer, body


@pytest.fixture
def api(client, token, clock):
    return Api(client, token, clock)


def report(api, user, demand_id, fmt: str = "json"):
    headers = bearer(api.token(user))
    if fmt == "pdf":
        headers["Accept"] = "application/pdf"
    return api.client.http.get(f"/api/bank/v1/demands/{demand_id}/credit-report?format={fmt}", headers=headers)


def test_the_claimer_reads_the_report_under_a_live_consent_and_the_read_is_logged(api, clock):
    demand_id = api.demand()["id"]
    api.ok(api.post(BANK_A, f"/api/bank/v1/demands/{demand_id}/claim"))
    assert_problem(report(api, BANK_A, demand_id), 403)  # no consent yet
    assert_problem(report(api, BANK_B, demand_id), 404)  # not the claimer
    expires = (clock.now() + timedelta(days=30)).isoformat()
    consent = api.ok(api.post(ENTERPRISE, "/api/finance/consents", institution_id="bank-qrcb", expires_at=expires,
                              demand_id=demand_id), 201)

    answer = report(api, BANK_A, demand_id)
    assert answer.status_code == 200, answer.body
    issued = body(answer)
    assert issued["report_no"] and len(issued["sha256"]) == 64
    verified = api.ok(api.get(None, f"/api/credit-reports/{issued['report_no']}/verify?sha256={issued['sha256']}"))
    assert verified["issued"] is True and verified.get("matches") in (True, None)
    pdf = report(api, BANK_A, demand_id, "pdf")
    assert pdf.status_code == 200 and pdf.body[:5] == b"%PDF-"

    log = api.ok(api.get(ENTERPRISE, "/api/finance/data-reads"))["items"]
    reads = [r for r in log if r["action"] == "finance.data_read"]
    assert len(reads) == 2 and {r["data"]["consent_id"] for r in reads} == {consent["id"]}
    assert reads[0]["actor_org"] == "bank-qrcb" and reads[0]["data"]["demand_id"] == demand_id

    api.ok(api.post(ENTERPRISE, f"/api/finance/consents/{consent['id']}/revoke"))
    assert_problem(report(api, BANK_A, demand_id), 403)  # revoked


def test_an_expired_standing_consent_is_no_consent(api, clock):
    demand_id = api.demand()["id"]
    api.ok(api.post(BANK_A, f"/api/bank/v1/demands/{demand_id}/claim"))
    api.ok(api.post(ENTERPRISE, "/api/finance/consents", institution_id="*",
                    expires_at=(clock.now() + timedelta(days=2)).isoformat()), 201)
    assert report(api, BANK_A, demand_id).status_code == 200  # standing, for every institution
    clock.advance(days=3)
    assert_problem(report(api, BANK_A, demand_id), 403)


def test_the_report_carries_the_financing_history(api, clock):
    demand_id = api.demand()["id"]
    api.ok(api.post(BANK_A, f"/api/bank/v1/demands/{demand_id}/claim"))
    api.outcome(BANK_A, demand_id, status="contacted")
    api.outcome(BANK_A, demand_id, status="approved", amount_fen=29_000_000, annual_rate_bp=385, term_months=12)
    api.outcome(BANK_A, demand_id, status="disbursed")
    own = api.ok(api.get(ENTERPRISE, "/api/enterprises/91370202MA3C4R7K75/credit-report"))
    entries = next(s for s in own["report"]["sections"] if s["key"] == "financing")["entries"]
    assert [(e["demand_id"], e["status"], e.get("disbursed_fen"), e["institution_id"]) for e in entries] == [
        (demand_id, "disbursed", 29_000_000, "bank-qrcb")]
