"""The policy library over the API: publish, read with links and derived status, revise with changes
field by field, withdraw; only the owning department's staff edit."""
from __future__ import annotations

import json

from tests.support import assert_problem, body, json_headers

DOC = {
    "level": "municipal", "issuer": "青岛市科学技术局", "department_id": "unit-science-tech",
    "doc_number": "青科规〔2026〕9号", "title": "青岛市科技型中小企业研发投入补助办法",
    "issued_on": "2026-01-10", "effective_from": "2026-02-01", "effective_to": "2027-01-31",
    "topics": ["研发投入", "科技型中小企业"], "body": "第一条 为鼓励企业加大研发投入，制定本办法。",
}
PROJECT = {
    "title": "2026年度科技型中小企业研发投入补助", "summary": "按上年度研发投入的10%给予补助。",
    "department_id": "unit-science-tech", "documents": ["doc-test-rd"], "topics": ["研发投入"],
    "eligibility": {"all": [{"field": "certifications", "op": "contains", "value": "tech_sme"}]},
    "amount": {"kind": "ratio", "base": "rd_expense_fen", "rate": 0.1, "cap_fen": 100000000},
    "window": {"opens_on": "2026-11-01", "closes_on": "2026-12-31"}, "no_application": False,
    "review_stages": [{"name": "市科技局审核", "unit_id": "unit-science-tech"}],
    "form": {"type": "object", "properties": {"rd_expense": {"type": "integer", "title": "研发投入（元）"}}},
}


def put_draft(client, token, user, item_id, content):
    return client.http.put(f"/api/policy-items/{item_id}/draft", headers=json_headers(token(user)),
                           body=json.dumps({"content": content}, ensure_ascii=False))


def publish(client, token, user, item_id):
    return client.http.post(f"/api/policy-items/{item_id}/publish", headers=json_headers(token(user)))


def test_a_department_publishes_a_document_and_a_project_that_link_and_read_with_status(client, token, clock):
    # clock: 2026-11-20, inside the document's validity and the project's window
    assert put_draft(client, token, "admin-city", "doc-test-rd", DOC).status_code == 200
    assert publish(client, token, "admin-city", "doc-test-rd").status_code == 200
    assert put_draft(client, token, "admin-city", "proj-test-rd", PROJECT).status_code == 200
    published = body(publish(client, token, "admin-city", "proj-test-rd"))
    assert published["items"][0]["version"] == 1

    document = body(client.http.get("/api/policies/doc-test-rd"))
    assert document["status"] == "effective" and document["content"]["doc_number"] == "青科规〔2026〕9号"
    assert [(r["id"], r["kind"], r["status"]) for r in document["related"]] == [("proj-test-rd", "project", "open")]
    project = body(client.http.get("/api/projects/proj-test-rd"))
    assert project["status"] == "open" and [r["id"] for r in project["related"]] == ["doc-test-rd"]
    assert_problem(client.http.get("/api/projects/doc-test-rd"), 404)  # a document is not a project
    assert_problem(client.http.get("/api/policies/doc-nothing"), 404)


def test_status_follows_the_platform_clock(client, token, clock):
    put_draft(client, token, "admin-city", "doc-test-rd", DOC)
    publish(client, token, "admin-city", "doc-test-rd")
    clock.advance(days=80)  # 2027-02-08: past effective_to
    assert body(client.http.get("/api/policies/doc-test-rd"))["status"] == "expired"


def test_a_revision_keeps_versions_and_says_what_changed(client, token, clock):
    put_draft(client, token, "admin-city", "doc-test-rd", DOC)
    publish(client, token, "admin-city", "doc-test-rd")
    clock.advance(seconds=5)
    revised = {**DOC, "effective_to": "2027-12-31", "topics": ["研发投入", "科技型中小企业", "专精特新"]}
    put_draft(client, token, "admin-city", "doc-test-rd", revised)
    assert body(client.http.get("/api/policies/doc-test-rd"))["content"]["effective_to"] == "2027-01-31"  # draft unseen
    publish(client, token, "admin-city", "doc-test-rd")
    versions = body(client.http.get("/api/policy-items/doc-test-rd/versions"))["items"]
    assert [v["version"] for v in versions] == [2, 1]
    assert {c["field"]: (c["before"], c["after"]) for c in versions[0]["changes"]} == {
        "effective_to": ("2027-01-31", "2027-12-31"),
        "topics": (["研发投入", "科技型中小企业"], ["研发投入", "科技型中小企业", "专精特新"]),
    }


def test_only_the_owning_department_edits_and_bad_content_is_named(client, token, clock):
    assert_problem(put_draft(client, token, "staff-tax", "doc-test-rd", DOC), 403)  # 市税务局 is not 市科技局
    assert_problem(put_draft(client, token, "ent-zhengrixin", "doc-test-rd", DOC), 403)
    assert_problem(put_draft(client, token, "staff-tax", "doc-test-rd", {"title": "x"}), 403)  # refused before validated
    assert_problem(put_draft(client, token, "admin-city", "doc-test-rd", {**DOC, "level": "galactic"}), 422, field="content.level")
    assert_problem(put_draft(client, token, "admin-city", "doc-test-rd", {**DOC, "effective_to": "2025-01-01"}), 422,
                   field="content.effective_to")
    assert_problem(put_draft(client, token, "admin-city", "thing-1", DOC), 422, field="item_id")
    assert_problem(publish(client, token, "admin-city", "doc-test-rd"), 404)  # nothing was saved


def test_withdrawal_hides_the_item_and_keeps_its_versions(client, token, clock):
    put_draft(client, token, "admin-city", "doc-test-rd", DOC)
    publish(client, token, "admin-city", "doc-test-rd")
    response = client.http.post("/api/policy-items/doc-test-rd/withdraw", headers=json_headers(token("admin-city")),
                                body=json.dumps({"reason": "被新办法替代"}, ensure_ascii=False))
    assert response.status_code == 200, response.body
    assert_problem(client.http.get("/api/policies/doc-test-rd"), 404)
    assert len(body(client.http.get("/api/policy-items/doc-test-rd/versions"))["items"]) == 1
