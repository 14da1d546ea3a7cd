"""Search over the published library (index built by the job, opened from the bucket) and an
enterprise's matches with reasons."""
from __future__ import annotations

from tests.support import assert_problem, bearer, body

BLUESEA = "91370212MA3EK9W53N"  # 蓝海软件, 崂山区: high_tech and tech_sme in the demo profile


def build_index(client):
    response = client.http.post("/api/dev/jobs/build_policy_index/run")
    assert response.status_code == 200, response.body
    return body(response)["result"]


def search(client, **query):
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return client.http.get(f"/api/policies/search?{params}")


def test_search_waits_for_the_first_build_then_finds_in_chinese_with_facets(client, token, clock, dynamo_calls):
    assert_problem(search(client, q="小巨人"), 503)
    built = build_index(client)
    assert built["built"] > 100
    assert build_index(client)["built"] == 0  # nothing changed since: one GetItem, nothing stored

    dynamo_calls.reset()
    found = body(search(client, q="小巨人奖励"))
    assert dynamo_calls.total == 0  # a query reads the index, never a table
    ids = [item["id"] for item in found["items"][:5]]
    assert "proj-qd-little-giant-reward-2026" in ids
    assert found["mode"] == "all" and "<mark>" in found["items"][0]["title"]
    assert found["facets"]["kind"] and found["total"] >= len(found["items"])

    by_number = body(search(client, q="工信部企业〔2022〕63号"))
    assert by_number["items"][0]["id"] == "doc-nat-miit-2022-063" and by_number["mode"] == "doc_number"

    projects = body(search(client, q="高新技术企业", kind="project", status="open"))
    assert projects["items"] and {i["kind"] for i in projects["items"]} == {"project"}
    assert {i["status"] for i in projects["items"]} == {"open"}
    assert_problem(search(client, q="x", level="galactic"), 422, field="level")
    assert_problem(search(client, q="x", cursor="forged!"), 422, field="cursor")


def test_a_withdrawal_leaves_the_index_at_the_next_build(client, token, clock):
    build_index(client)
    assert "doc-nat-miit-2022-063" in [i["id"] for i in body(search(client, q="工信部企业〔2022〕63号"))["items"]]
    withdrawn = client.http.post("/api/policy-items/doc-nat-miit-2022-063/withdraw",
                                 headers={**bearer(token("admin-city")), "Content-Type": "application/json"},
                                 body='{"reason": "演示撤回"}')
    assert withdrawn.status_code == 200, withdrawn.body
    assert build_index(client)["built"] > 0
    assert "doc-nat-miit-2022-063" not in [i["id"] for i in body(search(client, q="工信部企业〔2022〕63号"))["items"]]


def test_an_enterprise_sees_its_matches_with_reasons_and_nobody_else_does(client, token, clock):
    found = client.http.get(f"/api/enterprises/{BLUESEA}/matches", headers=bearer(token("ent-bluesea-soft")))
    assert found.status_code == 200, found.body
    items = body(found)["items"]
    verdicts = [item["eligible"] for item in items]
    order = {True: 0, None: 1, False: 2}
    assert verdicts == sorted(verdicts, key=lambda v: order[v]) and True in verdicts
    for item in items:
        assert item["conditions"] or item["eligible"] is True
        for condition in item["conditions"]:
            assert condition["status"] in ("met", "failed", "missing_data") and condition["label"]["zh"]
            if condition["status"] != "met":
                assert condition["fix"]["zh"] and condition["fix"]["en"]
    assert_problem(client.http.get(f"/api/enterprises/{BLUESEA}/matches", headers=bearer(token("ent-zhengrixin"))), 404)


def test_do_i_qualify_for_one_project(client, token, clock):
    answer = client.http.get("/api/projects/proj-laoshan-high-tech-bonus-2026/eligibility", headers=bearer(token("ent-bluesea-soft")))
    assert answer.status_code == 200, answer.body
    found = body(answer)
    assert found["project_id"] == "proj-laoshan-high-tech-bonus-2026" and found["eligible"] is True
    assert all(c["status"] == "met" for c in found["conditions"])
    other = body(client.http.get("/api/projects/proj-laoshan-high-tech-bonus-2026/eligibility",
                                 headers=bearer(token("ent-zhengrixin"))))
    assert other["eligible"] is False and any(c["status"] == "failed" and c["fix"] for c in other["conditions"])
    assert_problem(client.http.get("/api/projects/proj-laoshan-high-tech-bonus-2026/eligibility",
                                   headers=bearer(token("staff-tax"))), 403)
    assert_problem(client.http.get("/api/projects/proj-nothing/eligibility", headers=bearer(token("ent-bluesea-soft"))), 404)
