"""Credit reports: the enterprise's own report (JSON, HTML, PDF), each call a new report number with its
SHA-256 stored; public verification that says issued or not, when, and nothing else; admins import
public credit items with a source and date per item."""
from __future__ import annotations

import hashlib
import json
import re

import pytest

from tests.support import assert_problem, bearer, body, json_headers

ZHENGRIXIN = "91370202MA3C4R7K75"  # 市南区: demo credit items seeded (functions/finance/reports/seed.py)
HAILIAN = "91370211MA3D2H8N0J"  # 黄岛区
REPORT = f"/api/enterprises/{ZHENGRIXIN}/credit-report"
ITEMS = f"/api/enterprises/{ZHENGRIXIN}/credit-items"
PENALTY = {"kind": "penalty", "source": "信用中国（山东青岛）", "as_of": "2026-11-10",
           "data": {"decision_no": "青南市监罚〔2026〕77号", "authority": "青岛市市南区市场监督管理局",
                    "reason": "未按规定明码标价", "penalty": "警告", "amount_fen": 200000, "decided_on": "2026-11-09"}}


@pytest.fixture
def api(client, token):
    issued: dict[str, str] = {}

    def token_of(user: str) -> str:
        if user not in issued:
            issued[user] = token(user)
        return issued[user]

    class Api:
        def report(self, user, uscc=ZHENGRIXIN, fmt=None):
            url = f"/api/enterprises/{uscc}/credit-report" + (f"?format={fmt}" if fmt else "")
            # A binary answer needs an Accept that names it (API Gateway's rule, which Chalice's local gateway keeps).
            accept = {"Accept": "application/pdf"} if fmt == "pdf" else {}
            return client.http.get(url, headers=bearer(token_of(user), **accept))

        def import_(self, user, payload, uscc=ZHENGRIXIN):
            return client.http.post(f"/api/enterprises/{uscc}/credit-items", headers=json_headers(token_of(user)),
                                    body=json.dumps(payload, ensure_ascii=False))

        def verify(self, report_no, sha256=None):
            return client.http.get(f"/api/credit-reports/{report_no}/verify" + (f"?sha256={sha256}" if sha256 else ""))

    return Api()


def canonical_sha256(report: dict) -> str:
    return hashlib.sha256(json.dumps(report, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                          .encode()).hexdigest()


# -- the enterprise's report -----------------------------------------------------------------------
def test_the_enterprise_gets_its_report_with_number_time_and_sha256(api, dynamo_calls):
    api.report("ent-zhengrixin")  # tokens and first reads out of the count
    dynamo_calls.reset()
    response = api.report("ent-zhengrixin")
    assert response.status_code == 200, response.body
    got = body(response)
    assert re.fullmatch(r"CR-20261120-[0-9A-HJKMNP-TV-Z]{10}", got["report_no"])
    assert got["generated_at"] == "2026-11-20T10:00:00+08:00"
    assert got["sha256"] == canonical_sha256(got["report"])  # a bank recomputes it from what it received
    assert got["verify_url"].endswith(f"/api/credit-reports/{got['report_no']}/verify?sha256={got['sha256']}")
    assert response.headers["X-Report-No"] == got["report_no"] and response.headers["X-Report-SHA256"] == got["sha256"]
    report = got["report"]
    assert report["subject"]["uscc"] == ZHENGRIXIN and report["subject"]["name"] == "青岛正日信企业管理有限公司"
    sections = {s["key"]: s for s in report["sections"]}
    assert sections["registration"]["entries"][0]["data"]["legal_representative"] == "郑镕喆"
    assert sections["registration"]["sources"] == ["国家企业信用信息公示系统"]
    assert sections["tax_credit"]["as_of"] == "2026-04-30"
    for section in report["sections"]:
        for entry in section["entries"]:
            assert entry["source"] and entry["as_of"], section["key"]
    # One GetItem (profile), a Query each for the credit items, the paid policy awards and the financing
    # demands (no demand here: no institution's name to read), one transaction.
    assert dynamo_calls.by_operation == {"GetItem": 1, "Query": 3, "TransactWriteItems": 1}, dynamo_calls.by_operation


def test_each_call_issues_a_new_report_number_and_is_audited(api):
    first, second = body(api.report("ent-zhengrixin")), body(api.report("ent-zhengrixin"))
    assert first["report_no"] != second["report_no"]
    from functions.shared.audit import AuditRecord

    records = list(AuditRecord.query(f"credit-reports#{ZHENGRIXIN}"))
    issued = [json.loads(r.after)["report_no"] for r in records if r.action == "issue"]
    # (both at the same instant of the fixed clock: the audit trail orders them by request id, not by call)
    assert sorted(issued) == sorted([first["report_no"], second["report_no"]])
    assert all(json.loads(r.after)["issued_to"] == ZHENGRIXIN for r in records)


def test_paid_policy_awards_are_in_the_report(api, clock):
    from functions.policy.application_models import PAID, Application

    Application(application_id=f"app-{ZHENGRIXIN}-p1", project_id="p1", project_title="科技型中小企业研发投入补助",
                department_id="dept-kj", enterprise_uscc=ZHENGRIXIN, district="370202", status=PAID,
                paid_fen=5_000_000, payments=[{"amount_fen": 5_000_000, "paid_on": "2026-09-15", "voucher_no": "V1"}],
                submitted_at="2026-06-01T00:00:00.000000Z", updated_at="2026-09-15T00:00:00.000000Z").save()
    Application(application_id=f"app-{ZHENGRIXIN}-p2", project_id="p2", project_title="尚在评审", department_id="d",
                enterprise_uscc=ZHENGRIXIN, district="370202", status="in_review",
                submitted_at="2026-10-01T00:00:00.000000Z", updated_at="2026-10-01T00:00:00.000000Z").save()
    sections = {s["key"]: s for s in body(api.report("ent-zhengrixin"))["report"]["sections"]}
    funds = sections["policy_funds"]
    assert [e["project_title"] for e in funds["entries"]] == ["科技型中小企业研发投入补助"]
    assert funds["entries"][0]["paid_fen"] == 5_000_000 and funds["entries"][0]["as_of"] == "2026-09-15"
    assert funds["sources"] and funds["as_of"] == "2026-11-20"
    assert sections["financing"]["entries"] == []  # the hook answers nothing until the demands fill it


def test_html_has_the_chinese_text(api):
    response = api.report("ent-zhengrixin", fmt="html")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    page = response.body.decode() if isinstance(response.body, bytes) else response.body
    assert "企业信用报告" in page and "青岛正日信企业管理有限公司" in page and "郑镕喆" in page
    assert response.headers["X-Report-No"] in page and response.headers["X-Report-SHA256"] in page
    assert "<svg" in page


def test_pdf_is_a_pdf_with_the_font_embedded(api):
    response = api.report("ent-zhengrixin", fmt="pdf")
    assert response.status_code == 200, response.body
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{response.headers["X-Report-No"]}.pdf"'
    data = response.body
    assert data.startswith(b"%PDF-") and b"/FontFile2" in data and b"WenQuanYiMicroHei" in data
    # The address under the QR code is a link to the same place the code points: number and hash.
    links = re.findall(rb"/URI \(([^)]*)\)", data)
    number, sha256 = response.headers["X-Report-No"], response.headers["X-Report-SHA256"]
    # (one annotation per line the wrapped address takes)
    assert links and {link.decode() for link in links} == {f"/api/credit-reports/{number}/verify?sha256={sha256}"}
    verified = body(api.verify(number, sha256))
    assert verified["issued"] is True and verified["sha256_matches"] is True


def test_pdf_is_a_binary_type_of_the_app(app):
    assert "application/pdf" in app.api.binary_types


def test_a_bad_format_is_422(api):
    assert_problem(api.report("ent-zhengrixin", fmt="docx"), 422, "format")


# -- who may read it -------------------------------------------------------------------------------
@pytest.mark.parametrize("user,uscc,status", [
    ("ent-hailian-trade", ZHENGRIXIN, 404),  # another enterprise
    ("admin-city", ZHENGRIXIN, 403),  # may read the profile, but the report is the enterprise's
    ("auditor-city", ZHENGRIXIN, 403),
    ("staff-tax", HAILIAN, 403),  # staff of the jurisdiction read the profile only
    ("admin-laoshan", ZHENGRIXIN, 404),  # outside the admin's district
    ("staff-laoshan", ZHENGRIXIN, 404),
    ("ent-zhengrixin", "91370202MA3C4R7K7X", 404),  # not a credit code
])
def test_only_the_enterprise_reads_its_report(api, user, uscc, status):
    assert_problem(api.report(user, uscc), status)


def test_signed_out_is_401(client, seeded):
    assert_problem(client.http.get(REPORT), 401)


# -- verification ----------------------------------------------------------------------------------
def test_verification_says_issued_and_when_and_nothing_more(api):
    got = body(api.report("ent-zhengrixin"))
    response = api.verify(got["report_no"], got["sha256"])
    assert response.status_code == 200
    assert body(response) == {"report_no": got["report_no"], "issued": True,
                              "issued_at": "2026-11-20T10:00:00+08:00", "sha256_matches": True}
    assert body(api.verify(got["report_no"]))["sha256_matches"] is None
    assert body(api.verify(got["report_no"].lower(), got["sha256"].upper()))["sha256_matches"] is True
    wrong = "0" * 64
    assert body(api.verify(got["report_no"], wrong)) == {**body(response), "sha256_matches": False}
    text = response.body.decode() if isinstance(response.body, bytes) else response.body
    assert ZHENGRIXIN not in text and "正日信" not in text and got["sha256"] not in text


def test_a_browser_following_the_qr_code_is_sent_to_the_verification_page(api, client):
    got = body(api.report("ent-zhengrixin"))
    scanned = client.http.get(got["verify_url"], headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
    assert scanned.status_code == 303
    assert scanned.headers["Location"] == f"/verify/{got['report_no']}?sha256={got['sha256']}"
    # The page asks the same address for JSON (its client lists JSON first); so does any program.
    for accept in ("application/json, application/problem+json", "*/*"):
        answer = client.http.get(got["verify_url"], headers={"Accept": accept})
        assert answer.status_code == 200 and body(answer)["sha256_matches"] is True
    # Unknown numbers go to the page too, which says so; a program gets the 404.
    assert client.http.get("/api/credit-reports/CR-20261120-0000000000/verify",
                           headers={"Accept": "text/html"}).headers["Location"] == "/verify/CR-20261120-0000000000"


def test_an_unknown_report_is_404_and_a_malformed_hash_422(api, seeded):
    assert_problem(api.verify("CR-20261120-0000000000"), 404)
    assert_problem(api.verify("CR-20261120-0000000000", "xyz"), 422, "sha256")


# -- admins import credit items --------------------------------------------------------------------
def test_an_admin_imports_items_and_the_report_shows_them(api):
    response = api.import_("admin-city", {"items": [PENALTY]})
    assert response.status_code == 200, response.body
    assert body(response)["imported"] == [{"item_id": "penalty#青南市监罚〔2026〕77号", **PENALTY}]
    again = api.import_("admin-city", {"items": [{**PENALTY, "source": "信用中国"}]})  # the same item: replaced
    assert again.status_code == 200
    sections = {s["key"]: s for s in body(api.report("ent-zhengrixin"))["report"]["sections"]}
    assert [(e["item_id"], e["source"], e["as_of"]) for e in sections["penalty"]["entries"]] == [
        ("penalty#青南市监罚〔2026〕77号", "信用中国", "2026-11-10")]
    from functions.shared.audit import AuditRecord

    assert [r.action for r in AuditRecord.query(f"credit-items#{ZHENGRIXIN}")] == ["import", "import"]


@pytest.mark.parametrize("user,uscc,status", [
    ("ent-zhengrixin", ZHENGRIXIN, 403),  # the enterprise does not import its own credit data
    ("staff-laoshan", ZHENGRIXIN, 403),
    ("auditor-city", ZHENGRIXIN, 403),
    ("admin-laoshan", ZHENGRIXIN, 404),  # another district's enterprise
])
def test_only_admins_of_the_jurisdiction_import(api, user, uscc, status):
    assert_problem(api.import_(user, {"items": [PENALTY]}, uscc), status)


@pytest.mark.parametrize("item,field", [
    ({**PENALTY, "data": {k: v for k, v in PENALTY["data"].items() if k != "decided_on"}}, "items[0].data.decided_on"),
    ({**PENALTY, "data": {**PENALTY["data"], "amount_fen": -1}}, "items[0].data.amount_fen"),
    ({**PENALTY, "data": {**PENALTY["data"], "surprise": 1}}, "items[0].data.surprise"),
    ({**PENALTY, "kind": "gossip"}, "items[0].kind"),
    ({**PENALTY, "source": ""}, "items[0].source"),
    ({**PENALTY, "as_of": "2026-11-21"}, "items[0].as_of"),  # after today
    ({"kind": "tax_credit", "source": "税务局", "as_of": "2026-04-30", "data": {"rating": "AA", "year": 2025}},
     "items[0].data.rating"),
    ({"kind": "social_insurance", "source": "人社局", "as_of": "2026-10-31", "data": {"headcount": 3, "month": "2026-13"}},
     "items[0].data.month"),
])
def test_bad_items_are_422_per_field(api, item, field):
    assert_problem(api.import_("admin-city", {"items": [item]}), 422, field)


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(api):
    bad = {**PENALTY, "data": {**PENALTY["data"], "decided_on": "soon"}}
    problem = assert_problem(api.import_("admin-city", {"items": [PENALTY, bad, {**bad, "kind": "honour"}]}), 422)
    fields = [e["field"] for e in problem["errors"]]
    assert "items[1].data.decided_on" in fields and "items[2].data.title" in fields
    assert_problem(api.import_("admin-city", {"items": [PENALTY, PENALTY]}), 422, "items[1]")  # the same item twice
    sections = {s["key"]: s for s in body(api.report("ent-zhengrixin"))["report"]["sections"]}
    assert sections["penalty"]["entries"] == []
