"""The financing statistics over the API: demands driven through the real routes and the bank API (post,
claim, contact, approve 290,000 of 500,000 yuan, disburse; a rejection; a lease that lapses in the
sweeper; a claim in the next month), then every counter, average and rate per bank, branch, district and
the city, for the month and the year; who may read what (a district's reader its district only); bad
queries; the call budget."""
from __future__ import annotations

import pytest

from tests.api.finance.test_demands_and_bank import BANK_A, BANK_B, DEMAND, ENTERPRISE, Api
from tests.support import assert_problem, bearer, body

LAOSHAN_ENTERPRISE, HUANGDAO_ENTERPRISE = "ent-bluesea-soft", "ent-hailian-trade"
SHINAN_BRANCH, LAOSHAN_BRANCH = "bank-qrcb-b002", "bank-qdccb-b001"  # 青岛农商银行湛山支行 (市南), 青岛银行营业部 (崂山)


@pytest.fixture
def api(client, token, clock):
    return Api(client, token, clock)


def stats(api, user="auditor-city", **query) -> dict:
    path = "/api/finance/stats" + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return api.ok(api.get(user, path))


def rows(answer: dict) -> dict[str, dict]:
    return {row["key"]: row for row in answer["items"]}


@pytest.fixture
def story(api, client, clock):
    """November: d1 (市南) claimed by 农商银行's 湛山 branch 3 h after publication, contacted half an hour
    later, approved 290,000 of 500,000 yuan, disbursed; d2 (崂山) claimed by 青岛银行's 营业部 after half an
    hour and rejected; d3 (黄岛) claimed by 农商银行 after an hour, its lease lapses. December: 青岛银行
    claims d3 242 hours (ten days and two hours) after its release put it back in the feed."""
    d1 = api.demand()["id"]  # Friday 2026-11-20 10:01
    clock.advance(hours=2, minutes=59)
    api.ok(api.post(BANK_A, f"/api/bank/v1/demands/{d1}/claim", branch_id=SHINAN_BRANCH))  # 13:01: 3 h after publication
    clock.advance(minutes=29)
    api.outcome(BANK_A, d1, status="contacted")  # half an hour after the claim
    api.outcome(BANK_A, d1, status="approved", amount_fen=29_000_000, annual_rate_bp=385, term_months=12)
    api.outcome(BANK_A, d1, status="disbursed")

    d2 = api.ok(api.post(LAOSHAN_ENTERPRISE, "/api/finance/demands", **{**DEMAND, "amount_fen": 20_000_000,
                                                                        "purpose": "补充流动资金，支付软件外包款"}), 201)["id"]
    clock.advance(minutes=29)
    api.ok(api.post(BANK_B, f"/api/bank/v1/demands/{d2}/claim", branch_id=LAOSHAN_BRANCH))
    api.outcome(BANK_B, d2, status="rejected", reason="insufficient_collateral")

    d3 = api.ok(api.post(HUANGDAO_ENTERPRISE, "/api/finance/demands", **{**DEMAND, "amount_fen": 10_000_000,
                                                                         "purpose": "采购进口原材料，支付信用证保证金"}), 201)["id"]
    clock.advance(minutes=59)
    api.ok(api.post(BANK_A, f"/api/bank/v1/demands/{d3}/claim"))
    clock.advance(days=4)  # Tuesday the 24th: the lease (the end of Monday) has lapsed
    assert body(client.http.post("/api/dev/jobs/sweep_clocks/run"))["result"]["breached"] >= 1
    assert api.ok(api.get(HUANGDAO_ENTERPRISE, f"/api/finance/demands/{d3}"))["status"] == "open"

    clock.advance(days=10, hours=1, minutes=59)  # Friday 2026-12-04
    api.ok(api.post(BANK_B, f"/api/bank/v1/demands/{d3}/claim"))
    return d1, d2, d3


def test_every_counter_per_bank_branch_district_and_city(api, story):
    banks = stats(api, period="2026-11", by="bank")
    assert banks["period"] == "2026-11" and banks["by"] == "bank"
    assert [r["key"] for r in banks["items"]] == ["bank-qrcb", "bank-qdccb"]  # most claims first
    qrcb, qdccb = rows(banks)["bank-qrcb"], rows(banks)["bank-qdccb"]
    assert qrcb == {"key": "bank-qrcb", "name": "青岛农商银行", "name_en": qrcb["name_en"], "claimed": 2, "contacted": 1,
                    "approved": 1, "rejected": 0, "disbursed": 1, "released": 1, "approval_rate": 1.0,
                    "approved_over_asked": 0.58, "avg_publish_to_claim_hours": 2.0, "avg_claim_to_contact_hours": 0.5,
                    "approved_fen": 29_000_000, "disbursed_fen": 29_000_000}
    assert qrcb["name_en"]
    assert qdccb["name"] == "青岛银行" and (qdccb["claimed"], qdccb["rejected"], qdccb["approved"]) == (1, 1, 0)
    assert qdccb["approval_rate"] == 0.0 and qdccb["approved_over_asked"] is None
    assert qdccb["avg_publish_to_claim_hours"] == 0.5 and qdccb["avg_claim_to_contact_hours"] is None  # no contact: no sample
    city = banks["totals"]
    assert city["key"] == "city" and city["name"] == "青岛市"
    assert (city["claimed"], city["contacted"], city["approved"], city["rejected"], city["disbursed"], city["released"]) == (
        3, 1, 1, 1, 1, 1)
    assert city["approval_rate"] == 0.5 and city["approved_over_asked"] == 0.58
    assert city["avg_publish_to_claim_hours"] == 1.5 and city["avg_claim_to_contact_hours"] == 0.5  # (3 + 0.5 + 1) / 3
    assert (city["approved_fen"], city["disbursed_fen"]) == (29_000_000, 29_000_000)

    districts = rows(stats(api, period="2026-11", by="district"))
    assert set(districts) == {"370202", "370211", "370212"}
    assert districts["370202"]["name"] == "市南区" and districts["370202"]["name_en"] == "Shinan District"
    assert (districts["370202"]["claimed"], districts["370202"]["disbursed"], districts["370202"]["approved_fen"]) == (1, 1, 29_000_000)
    assert (districts["370212"]["claimed"], districts["370212"]["rejected"]) == (1, 1)
    assert (districts["370211"]["claimed"], districts["370211"]["released"], districts["370211"]["approval_rate"]) == (1, 1, None)

    branches = rows(stats(api, period="2026-11", by="branch"))
    assert set(branches) == {SHINAN_BRANCH, LAOSHAN_BRANCH}  # d3's claim named no branch
    assert branches[SHINAN_BRANCH]["name"] == "青岛农商银行湛山支行" and branches[SHINAN_BRANCH]["approved"] == 1
    assert branches[LAOSHAN_BRANCH]["rejected"] == 1


def test_events_count_in_their_month_and_in_the_year(api, story):
    december = stats(api, period="2026-12", by="bank")
    assert [(r["key"], r["claimed"], r["released"]) for r in december["items"]] == [("bank-qdccb", 1, 0)]
    assert december["items"][0]["avg_publish_to_claim_hours"] == 242.0  # from its publication again, at the release
    assert december["totals"]["claimed"] == 1 and december["totals"]["approved"] == 0
    year = stats(api, period="2026", by="bank")
    assert year["period"] == "2026"
    assert {r["key"]: r["claimed"] for r in year["items"]} == {"bank-qrcb": 2, "bank-qdccb": 2}
    assert year["totals"]["claimed"] == 4 and year["totals"]["released"] == 1 and year["totals"]["disbursed"] == 1
    assert year["totals"]["avg_publish_to_claim_hours"] == round((3 + 0.5 + 1 + 242) / 4, 2)
    assert stats(api, period="2025", by="district") == {"period": "2025", "by": "district", "items": [], "totals": {
        **year["totals"], "claimed": 0, "contacted": 0, "approved": 0, "rejected": 0, "disbursed": 0, "released": 0,
        "approval_rate": None, "approved_over_asked": None, "avg_publish_to_claim_hours": None,
        "avg_claim_to_contact_hours": None, "approved_fen": 0, "disbursed_fen": 0}}
    this_month = stats(api)  # this month (December, by the test's clock), by district
    assert this_month["period"] == "2026-12" and this_month["by"] == "district"


def test_a_district_reads_its_own_district_only(api, story):
    for user in ("admin-laoshan", "staff-laoshan"):
        mine = stats(api, user, period="2026-11", by="district")
        assert [r["key"] for r in mine["items"]] == ["370212"]
        assert mine["totals"]["key"] == "370212" and mine["totals"]["claimed"] == 1 and mine["totals"]["rejected"] == 1
        branches = stats(api, user, period="2026-11", by="branch")
        assert [r["key"] for r in branches["items"]] == [LAOSHAN_BRANCH]  # the 市南 branch is not theirs
        problem = assert_problem(api.get(user, "/api/finance/stats?period=2026-11&by=bank"), 403)
        assert "district" in problem["detail"]
    jimo = stats(api, "staff-jimo", period="2026-11", by="district")  # another district: nothing of 崂山's
    assert jimo["items"] == [] and jimo["totals"]["key"] == "370215" and jimo["totals"]["claimed"] == 0
    assert stats(api, "staff-jimo", period="2026-11", by="branch")["items"] == []
    for user in ("supervisor-city", "admin-city", "staff-tax"):
        assert len(stats(api, user, period="2026-11", by="bank")["items"]) == 2


@pytest.mark.parametrize("user", [BANK_A, ENTERPRISE, "dispatcher-city", "custodian-city"])
def test_banks_enterprises_and_other_roles_may_not_read(api, seeded, user):
    assert_problem(api.get(user, "/api/finance/stats?period=2026-11&by=district"), 403)


def test_without_a_token_401(api, seeded):
    assert api.get(None, "/api/finance/stats").status_code == 401


@pytest.mark.parametrize("query, field", [("period=2026-13", "period"), ("period=26-11", "period"),
                                          ("period=2026-1", "period"), ("period=november", "period"),
                                          ("by=product", "by"), ("by=city", "by")])
def test_a_bad_period_or_scope_is_422_naming_it(api, seeded, query, field):
    assert_problem(api.get("auditor-city", f"/api/finance/stats?{query}"), 422, field=field)


def test_one_query_and_one_get_item(client, token, story, dynamo_calls):
    def calls(user_token: str, by: str) -> dict[str, int]:
        dynamo_calls.reset()
        response = client.http.get(f"/api/finance/stats?period=2026-11&by={by}", headers=bearer(user_token))
        assert response.status_code == 200, response.body
        return dict(dynamo_calls.by_operation)

    city, laoshan = token("auditor-city"), token("admin-laoshan")
    for by in ("bank", "branch", "district"):
        calls(city, by)  # warms the catalogue (its names; two Queries a minute per process)
        assert calls(city, by) == {"Query": 1, "GetItem": 1}, by
        if by != "bank":
            assert calls(laoshan, by) == {"Query": 1, "GetItem": 1}, by
