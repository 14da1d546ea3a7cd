"""Apply, review in two stages, public notice with an objection, payment and rating, over the API; and the
refusals: wrong organisation, wrong status, amounts beyond the cap, forms that do not satisfy the schema."""
from __future__ import annotations

import json

import boto3
import pytest

from functions.settings import get_settings
from tests.support import assert_problem, bearer, body, json_headers

PROJECT = "proj-qd-high-tech-first-2026"  # 市科技局, fixed 200,000 yuan, two stages; 蓝海软件 qualifies
APPLICANT = "ent-bluesea-soft"
USCC = "91370212MA3EK9W53N"
REVIEWER = "staff-science"
CONTENT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = {"contact": "李娜", "phone": "13912345678", "cert_no": "GR202637020001", "cert_date": "2026-10-28", "rd_expense": 3200000}


class Api:
    def __init__(self, client, token, keep_tokens: bool = False):
        self.client, self._token, self._tokens, self.keep_tokens = client, token, {}, keep_tokens

    def token(self, user: str) -> str:
        # keep_tokens: one token per user, for call budgets (issuing one reads the dev users); tests
        # that move the clock by days need fresh ones.
        if not self.keep_tokens:
            return self._token(user)
        if user not in self._tokens:
            self._tokens[user] = self._token(user)
        return self._tokens[user]

    def post(self, user: str | None, path: str, **fields):
        return self.client.http.post(path, headers=json_headers(self.token(user) if user else None),
                                     body=json.dumps(fields, ensure_ascii=False))

    def get(self, user: str | None, path: str):
        return self.client.http.get(path, headers=bearer(self.token(user)) if user else {})

    def ok(self, response, status: int = 200) -> dict:
        assert response.status_code == status, response.body
        return body(response)

    def uploaded(self, user: str = APPLICANT) -> str:
        granted = self.ok(self.post(user, "/api/files", filename="高企证书.pdf", content_type="application/pdf",
                                    size=len(CONTENT)), 201)
        boto3.client("s3", region_name="us-east-1").put_object(
            Bucket=get_settings().bucket_name, Key=granted["upload"]["fields"]["key"], Body=CONTENT, ContentType="application/pdf")
        return granted["ref"] if "ref" in granted else f"file:{granted['id']}"

    def apply(self, user: str = APPLICANT, project: str = PROJECT, **fields):
        return self.post(user, f"/api/projects/{project}/applications", **{"form": FORM, "attachments": [], **fields})

    def act(self, user: str, app_id: str, action: str, status: int = 200, **fields) -> dict:
        return self.ok(self.post(user, f"/api/applications/{app_id}/{action}", **fields), status)

    def sweep(self) -> dict:
        return self.ok(self.client.http.post("/api/dev/jobs/sweep_clocks/run"))["result"]


@pytest.fixture
def api(client, token):
    return Api(client, token)


def form_of(api) -> dict:
    return api.ok(api.get(None, f"/api/projects/{PROJECT}"))["content"]["form"]


def test_apply_review_notice_object_pay_and_rate(api, client, clock):
    assert set(form_of(api)["required"]) == set(FORM)
    ref = api.uploaded()
    app = api.ok(api.apply(attachments=[ref]), 201)
    app_id = app["id"]
    assert app["status"] == "in_review" and app["stage"] == 0 and app["attachments"] == [ref]
    assert [s["step"] for s in app["steps"]] == ["submitted", "review", "review", "notice", "payment"]
    assert [s["state"] for s in app["steps"]] == ["done", "current", "waiting", "waiting", "waiting"]
    assert app["steps"][1]["due"] and app["steps"][1]["owner"] == "unit-science-tech"
    assert app["available_actions"] == ["withdraw"]

    queue = api.ok(api.get(REVIEWER, "/api/units/unit-science-tech/policy-reviews"))
    assert [a["id"] for a in queue["items"]] == [app_id]
    seen = api.ok(api.get(REVIEWER, f"/api/applications/{app_id}"))
    assert seen["available_actions"] == ["approve", "return", "reject"]
    api.ok(api.get(REVIEWER, f"/api/applications/{app_id}/files/{ref.split(':')[1]}"))

    # Stage 1 returns it; the enterprise resubmits; stage 1 approves; stage 2 approves within the cap.
    returned = api.act(REVIEWER, app_id, "return", reason="请补充高新技术企业证书扫描件")
    assert returned["status"] == "returned" and returned["reason"] == "请补充高新技术企业证书扫描件"
    assert api.ok(api.get(REVIEWER, "/api/units/unit-science-tech/policy-reviews"))["items"] == []
    assert api.act(APPLICANT, app_id, "resubmit", form=FORM, attachments=[api.uploaded()])["status"] == "in_review"
    assert_problem(api.post(REVIEWER, f"/api/applications/{app_id}/approve", amount_fen=30_000_000), 422, field="amount_fen")
    first = api.act(REVIEWER, app_id, "approve", amount_fen=20_000_000, comment="材料齐全")
    assert first["status"] == "in_review" and first["stage"] == 1
    approved = api.act(REVIEWER, app_id, "approve", amount_fen=20_000_000)
    assert approved["status"] == "approved" and approved["approved_fen"] == 20_000_000
    assert [d["decision"] for d in approved["decisions"]] == ["returned", "approved", "approved"]

    # The department opens the public notice; a citizen objects; the department dismisses it.
    listed = api.ok(api.get(REVIEWER, f"/api/projects/{PROJECT}/applications?status=approved"))
    assert [a["id"] for a in listed["items"]] == [app_id]
    notice = api.ok(api.post(REVIEWER, f"/api/projects/{PROJECT}/notices", application_ids=[app_id]), 201)
    assert notice["status"] == "open" and notice["entries"][0]["amount_fen"] == 20_000_000
    assert api.ok(api.get(None, "/api/policy-notices"))["items"][0]["id"] == notice["id"]
    objection = api.ok(api.post("ent-zhengrixin", f"/api/policy-notices/{notice['id']}/objections", application_id=app_id,
                                reason="该企业研发人员占比似乎不足百分之十，请核实。", phone="13800001111"), 201)
    assert objection["by_name"] and objection["status"] == "open"
    assert api.ok(api.get("ent-hailian-trade", f"/api/policy-notices/{notice['id']}/objections")) == []
    assert api.ok(api.get(REVIEWER, f"/api/policy-notices/{notice['id']}/objections"))[0]["phone"] == "13800001111"

    # The window ends while the objection is open: the award waits for it.
    clock.advance(days=10)
    assert api.sweep()["breached"] >= 1
    assert api.ok(api.get(None, f"/api/policy-notices/{notice['id']}"))["status"] == "closed"
    assert api.ok(api.get(APPLICANT, f"/api/applications/{app_id}"))["status"] == "in_notice"
    assert_problem(api.post("ent-hailian-trade", f"/api/policy-notices/{notice['id']}/objections", application_id=app_id,
                            reason="公示期结束后提出的异议应当被拒绝。", phone="13800001111"), 409)
    api.ok(api.post(REVIEWER, f"/api/policy-notices/{notice['id']}/objections/{objection['id']}/resolve", upheld=False,
                    response="经核实，研发人员占比为12%，符合条件。"))
    awarded = api.ok(api.get(APPLICANT, f"/api/applications/{app_id}"))
    assert awarded["status"] == "awarded" and awarded["steps"][-1]["state"] == "current" and awarded["steps"][-1]["due"]

    # Two payments, the second completing the award; then a rating.
    assert_problem(api.post(REVIEWER, f"/api/applications/{app_id}/disburse", amount_fen=30_000_000, paid_on="2026-11-30",
                            voucher_no="V1"), 422, field="amount_fen")
    part = api.act(REVIEWER, app_id, "disburse", amount_fen=5_000_000, paid_on="2026-11-30", voucher_no="QDKJ-2026-0001")
    assert part["status"] == "awarded" and part["paid_fen"] == 5_000_000
    assert_problem(api.post(REVIEWER, f"/api/applications/{app_id}/disburse", amount_fen=1, paid_on="2026-11-30",
                            voucher_no="QDKJ-2026-0001"), 422, field="voucher_no")
    paid = api.act(REVIEWER, app_id, "disburse", amount_fen=15_000_000, paid_on="2026-11-30", voucher_no="QDKJ-2026-0002")
    assert paid["status"] == "paid" and [s["state"] for s in paid["steps"]] == ["done"] * 5
    assert paid["available_actions"] == []  # for the department
    assert api.ok(api.get(APPLICANT, f"/api/applications/{app_id}"))["available_actions"] == ["rate"]
    rated = api.act(APPLICANT, app_id, "rate", grade=5, comment="兑现及时")
    assert rated["rating"]["grade"] == 5
    assert_problem(api.post(APPLICANT, f"/api/applications/{app_id}/rate", grade=4), 409)

    stats = api.ok(api.get(REVIEWER, "/api/departments/unit-science-tech/policy-stats"))
    assert stats | {"grades": None} == stats | {
        "applications": 1, "approved": 1, "returned": 1, "rejected": 0, "awarded_fen": 20_000_000, "paid_fen": 20_000_000,
        "ratings": 1, "average_rating": 5.0, "review_on_time_rate": 1.0, "grades": None}
    awards = api.ok(api.get(None, "/api/open-data/policy-awards"))["items"]
    assert [(a["enterprise_uscc"], a["amount_fen"], a["outcome"]) for a in awards] == [(USCC, 20_000_000, "awarded")]
    mine = api.ok(api.get(APPLICANT, "/api/applications"))
    assert [(a["id"], a["status"]) for a in mine["items"]] == [(app_id, "paid")]


def test_an_upheld_objection_withdraws_the_award(api, clock):
    app_id = api.ok(api.apply(), 201)["id"]
    for _ in range(2):
        api.act(REVIEWER, app_id, "approve", amount_fen=20_000_000)
    notice = api.ok(api.post(REVIEWER, f"/api/projects/{PROJECT}/notices", application_ids=[app_id]), 201)
    objection = api.ok(api.post("ent-zhengrixin", f"/api/policy-notices/{notice['id']}/objections", application_id=app_id,
                                reason="该企业高新技术企业证书已被撤销，请核实。", phone="13800001111"), 201)
    api.ok(api.post(REVIEWER, f"/api/policy-notices/{notice['id']}/objections/{objection['id']}/resolve", upheld=True,
                    response="经核实，证书已于2026年10月撤销。"))
    app = api.ok(api.get(APPLICANT, f"/api/applications/{app_id}"))
    assert app["status"] == "rejected" and app["reason"].startswith("公示异议成立")
    assert api.ok(api.get(None, f"/api/policy-notices/{notice['id']}"))["entries"][0]["outcome"] == "withdrawn"
    clock.advance(days=10)
    api.sweep()
    assert api.ok(api.get(APPLICANT, f"/api/applications/{app_id}"))["status"] == "rejected"


def test_the_form_is_held_to_its_schema_and_changes_nothing(api, dynamo_calls):
    response = api.apply(form={"contact": "李" * 30, "phone": "12345", "cert_date": "2026-13-01", "rd_expense": -1, "extra": 1})
    problem = assert_problem(response, 422)
    fields = {e["field"] for e in problem["errors"]}
    assert {"form.contact", "form.phone", "form.cert_no", "form.cert_date", "form.rd_expense", "form.extra"} <= fields
    assert api.ok(api.get(APPLICANT, "/api/applications"))["items"] == []


def test_one_application_per_project_and_only_while_open(api, clock):
    api.ok(api.apply(), 201)
    assert_problem(api.apply(), 409)
    assert_problem(api.apply(project="proj-qd-stable-jobs-2026"), 409)  # 免申即享: nobody applies
    clock.advance(days=40)  # past the window (2026-12-20)
    assert_problem(api.apply(user="ent-zhengrixin"), 409)


def test_an_enterprise_that_fails_the_conditions_is_told_why(api):
    problem = assert_problem(api.apply(user="ent-zhengrixin"), 409)
    assert "高新技术企业" in problem["detail"]


def test_others_cannot_see_or_act(api):
    app_id = api.ok(api.apply(), 201)["id"]
    assert_problem(api.get("ent-zhengrixin", f"/api/applications/{app_id}"), 404)
    assert_problem(api.get("staff-tax", f"/api/applications/{app_id}"), 404)
    assert_problem(api.post("staff-tax", f"/api/applications/{app_id}/approve", amount_fen=1), 404)
    assert_problem(api.post(APPLICANT, f"/api/applications/{app_id}/approve", amount_fen=1), 403)
    assert_problem(api.post(REVIEWER, f"/api/applications/{app_id}/disburse", amount_fen=1, paid_on="2026-11-20",
                            voucher_no="X"), 409)
    assert_problem(api.get("staff-tax", "/api/units/unit-science-tech/policy-reviews"), 403)
    assert_problem(api.get("staff-tax", f"/api/projects/{PROJECT}/applications"), 403)
    assert_problem(api.post("staff-tax", f"/api/projects/{PROJECT}/notices", application_ids=[app_id]), 403)
    assert api.ok(api.get("supervisor-city", f"/api/applications/{app_id}"))["id"] == app_id
    assert_problem(api.post(REVIEWER, f"/api/projects/{PROJECT}/notices", application_ids=[app_id]), 422,
                   field="application_ids[0]")


def test_no_application_list_goes_to_notice_and_may_be_declined(api, clock):
    project = "proj-qd-first-above-scale-2026"  # 免申即享, 市民营经济局, fixed 100,000 yuan
    staff = "staff-private-economy"
    problem = assert_problem(api.post(staff, f"/api/projects/{project}/confirmed-list",
                                      entries=[{"uscc": "91370215MA3BX6T2X4", "amount_fen": 10_000_000},
                                               {"uscc": USCC, "amount_fen": 10_000_000},
                                               {"uscc": "91370215MA3BX6T2X4", "amount_fen": 20_000_000}]), 422)
    assert {e["field"] for e in problem["errors"]} >= {"entries[1].uscc", "entries[2].uscc"}
    created = api.ok(api.post(staff, f"/api/projects/{project}/confirmed-list",
                              entries=[{"uscc": "91370215MA3BX6T2X4", "amount_fen": 10_000_000}]), 201)["items"]
    app_id = created[0]["id"]
    assert created[0]["status"] == "approved"
    notice = api.ok(api.post(staff, f"/api/projects/{project}/notices", application_ids=[app_id]), 201)
    assert notice["entries"][0]["application_id"] == app_id
    assert_problem(api.post("staff-science", f"/api/projects/{project}/confirmed-list",
                            entries=[{"uscc": USCC, "amount_fen": 1}]), 403)


def test_call_budgets(client, token, dynamo_calls):
    """What each route costs in DynamoDB calls (deterministic; the process caches are warm after the first)."""
    api = Api(client, token, keep_tokens=True)
    app_id = api.ok(api.apply(), 201)["id"]
    api.ok(api.get(APPLICANT, f"/api/applications/{app_id}"))

    def cost(response_of, warm: bool = True) -> dict:
        if warm:
            response_of()  # process caches (the unit directory, the calendar) filled by a first call
        dynamo_calls.reset()
        response_of()
        return dict(dynamo_calls.by_operation)

    # the application, its clocks, its audit records
    assert cost(lambda: api.ok(api.get(APPLICANT, f"/api/applications/{app_id}"))) == {"GetItem": 1, "Query": 2}
    assert cost(lambda: api.ok(api.get(APPLICANT, "/api/applications"))) == {"Query": 1}
    assert cost(lambda: api.ok(api.get(REVIEWER, "/api/units/unit-science-tech/policy-reviews"))) == {"Query": 1}
    # load, clocks; then the one transaction; then the view's audit records
    assert cost(lambda: api.act(REVIEWER, app_id, "approve", amount_fen=1), warm=False) == {"GetItem": 1, "Query": 2, "TransactWriteItems": 1}
    assert cost(lambda: api.ok(api.get(None, "/api/policy-notices"))) == {"Query": 1}


def test_candidates_for_a_no_application_list(api):
    project, staff = "proj-qd-first-above-scale-2026", "staff-private-economy"  # 免申即享, ¥100,000
    found = api.ok(api.get(staff, f"/api/projects/{project}/candidates?district=370215"))
    assert "370215" in found["districts"] and found["district"] == "370215"
    assert [(c["uscc"], c["listed"], c["amount_fen"]) for c in found["items"]] == [("91370215MA3BX6T2X4", False, 10_000_000)]
    api.ok(api.post(staff, f"/api/projects/{project}/confirmed-list", entries=[{"uscc": "91370215MA3BX6T2X4", "amount_fen": 10_000_000}]), 201)
    assert api.ok(api.get(staff, f"/api/projects/{project}/candidates?district=370215"))["items"][0]["listed"] is True
    # none of 蓝海软件's district qualifies (not above scale for the first time)
    assert api.ok(api.get(staff, f"/api/projects/{project}/candidates?district=370212"))["items"] == []
    assert_problem(api.get(staff, f"/api/projects/{project}/candidates?district=999999"), 422, field="district")
    assert_problem(api.get("staff-science", f"/api/projects/{project}/candidates"), 403)
    assert_problem(api.get(REVIEWER, f"/api/projects/{PROJECT}/candidates"), 409)  # enterprises apply for this one
