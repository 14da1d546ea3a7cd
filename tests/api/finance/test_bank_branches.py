"""Bank clients narrowed to branches: they see their branches' districts' demands, claim in a branch's
name, and work only on what was claimed for their branches; a whole-institution client may name a
branch of its own institution when it claims."""
from __future__ import annotations

import pytest

from tests.api.finance.test_demands_and_bank import DEMAND, Api
from tests.support import assert_problem

NARROWED, WHOLE, OTHER_BANK = "bank-qrcb-laoshan-client", "bank-qrcb-client", "bank-qdccb-client"
LAOSHAN, SHINAN = "ent-bluesea-soft", "ent-zhengrixin"  # 崂山区, 市南区
MIAOLING, SONGLING, ZHANSHAN = "bank-qrcb-b005", "bank-qrcb-b060", "bank-qrcb-b002"  # 崂山, 崂山, 市南


@pytest.fixture
def api(client, token, clock):
    return Api(client, token, clock)


def post(api, user, **fields) -> str:
    return api.ok(api.post(user, "/api/finance/demands", **{**DEMAND, **fields}), 201)["id"]


def claim(api, user, demand_id, **body):
    return api.post(user, f"/api/bank/v1/demands/{demand_id}/claim", **body)


def test_a_narrowed_client_sees_only_its_branches_districts_and_its_cursor_passes_the_rest(api):
    start = api.poll(NARROWED)["next_cursor"]
    shinan = post(api, SHINAN)
    laoshan = post(api, LAOSHAN, purpose="采购服务器，扩建研发测试环境")
    page = api.poll(NARROWED, cursor=start)
    assert [d["id"] for d in page["items"]] == [laoshan]
    assert {d["id"] for d in api.poll(WHOLE, cursor=start)["items"]} == {shinan, laoshan}  # the institution's client: both
    # Nothing new: the cursor had passed 市南's demand too.
    assert api.poll(NARROWED, cursor=page["next_cursor"])["items"] == []


def test_a_narrowed_client_claims_for_its_branch_in_the_demands_district(api):
    shinan = post(api, SHINAN)
    assert_problem(claim(api, NARROWED, shinan), 403)  # no branch of it stands in 市南区
    laoshan = post(api, LAOSHAN, purpose="采购服务器，扩建研发测试环境")
    assert_problem(claim(api, NARROWED, laoshan, branch_id=ZHANSHAN), 422, "branch_id")  # the bank's, not the client's
    assert_problem(claim(api, NARROWED, laoshan, branch_id="bank-qdccb-b001"), 422, "branch_id")
    claimed = api.ok(claim(api, NARROWED, laoshan))
    assert claimed["branch_id"] == MIAOLING  # its first branch in 崂山区
    seen = api.ok(api.get(LAOSHAN, f"/api/finance/demands/{laoshan}"))  # the enterprise sees which branch
    assert seen["claimed_by"] == "bank-qrcb" and seen["claimed_branch_name"] == "青岛农商银行苗岭路支行"
    other = post(api, LAOSHAN, purpose="支付原材料采购款项", amount_fen=3_000_000)
    assert api.ok(claim(api, NARROWED, other, branch_id=SONGLING))["branch_id"] == SONGLING


def test_a_whole_institution_client_may_name_its_own_branch_and_works_on_every_claim_of_its_institution(api):
    laoshan = post(api, LAOSHAN, purpose="采购服务器，扩建研发测试环境")
    assert_problem(claim(api, WHOLE, laoshan, branch_id="bank-qdccb-b001"), 422, "branch_id")
    assert api.ok(claim(api, WHOLE, laoshan, branch_id=ZHANSHAN))["branch_id"] == ZHANSHAN  # any branch of its own
    # Claimed for a branch outside the narrowed client's: not its to see or act on.
    assert_problem(api.get(NARROWED, f"/api/bank/v1/demands/{laoshan}"), 404)
    api.outcome(NARROWED, laoshan, 404, status="contacted")
    assert_problem(api.get(NARROWED, f"/api/bank/v1/demands/{laoshan}/credit-report"), 404)
    # The narrowed client's claims are its institution's: the whole-institution client works on them.
    other = post(api, LAOSHAN, purpose="支付原材料采购款项", amount_fen=3_000_000)
    api.ok(claim(api, NARROWED, other))
    assert api.outcome(WHOLE, other, status="contacted")["status"] == "contacted"
    assert api.ok(api.get(NARROWED, f"/api/bank/v1/demands/{other}"))["branch_id"] == MIAOLING
    # Another bank: none of it.
    assert_problem(api.get(OTHER_BANK, f"/api/bank/v1/demands/{other}"), 404)


def test_the_token_carries_the_branches(api, client):
    import json
    import urllib.parse

    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": NARROWED,
                                   "client_secret": "demo-only-qrcb-laoshan-secret-5e1a9c3d"})
    answer = client.http.post("/api/oauth/token", headers={"Content-Type": "application/x-www-form-urlencoded"}, body=form)
    assert answer.status_code == 200, answer.body
    scope = json.loads(answer.body)["scope"].split()
    assert {f"branch:{MIAOLING}", f"branch:{SONGLING}", "demands:claim"} <= set(scope)


def test_a_claim_needs_no_body_at_all(api, client, token):
    """The body's fields are all optional: no body (and no Content-Type) is none of them; a body that is
    there must still be JSON."""
    import uuid

    laoshan = post(api, LAOSHAN, purpose="采购服务器，扩建研发测试环境")
    headers = {"Authorization": f"Bearer {token(WHOLE)}", "Idempotency-Key": str(uuid.uuid4())}
    wrong = client.http.post(f"/api/bank/v1/demands/{laoshan}/claim", headers={**headers, "Content-Type": "text/plain"},
                             body="branch")
    assert_problem(wrong, 415)
    answer = client.http.post(f"/api/bank/v1/demands/{laoshan}/claim", headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
    assert answer.status_code == 200, answer.body
