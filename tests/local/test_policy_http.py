"""The policy platform over real HTTP on the local stack (started as `make run` starts it): search in
Chinese with filters, a match with reasons and missing data, an application with an attachment uploaded
straight to the bucket, two review stages, a public notice with an objection, the window closed by the
sweeper on the platform clock, two payments and a rating."""
from __future__ import annotations

import pytest

from tests.local.test_file_uploads import PDF, grant, post_form, sign_in

pytestmark = [pytest.mark.local_stack, pytest.mark.slow]

PROJECT = "proj-qd-high-tech-first-2026"
FORM = {"contact": "李娜", "phone": "13912345678", "cert_no": "GR202637020001", "cert_date": "2026-10-28", "rd_expense": 3200000}


def call(stack, auth, method, path, body=None, expect=200):
    status, answer = stack.json(method, path, body, auth)
    assert status == expect, (method, path, status, answer)
    return answer


def test_search_match_apply_review_notice_pay_and_rate(running):
    stack = running
    enterprise, reviewer, neighbour = (sign_in(stack, u) for u in ("ent-bluesea-soft", "staff-science", "ent-zhengrixin"))

    # Search, once the index job has built the library's index.
    call(stack, None, "POST", "/api/dev/jobs/build_policy_index/run")
    found = call(stack, None, "GET", "/api/policies/search?q=%E9%AB%98%E6%96%B0%E6%8A%80%E6%9C%AF%E4%BC%81%E4%B8%9A%E8%AE%A4%E5%AE%9A"
                 "%E5%A5%96%E5%8A%B1&kind=project")  # 高新技术企业认定奖励, projects only
    assert PROJECT in [hit["id"] for hit in found["items"][:5]] and {hit["kind"] for hit in found["items"]} == {"project"}

    # A match with reasons, and one with missing data.
    matches = call(stack, enterprise, "GET", "/api/enterprises/91370212MA3EK9W53N/matches")["items"]
    mine = next(m for m in matches if m["project_id"] == PROJECT)
    assert mine["eligible"] is True and all(c["status"] == "met" for c in mine["conditions"])
    trading = call(stack, sign_in(stack, "ent-hailian-trade"), "GET", "/api/enterprises/91370211MA3D2H8N0J/matches")["items"]
    missing = [c for m in trading if m["eligible"] is None for c in m["conditions"] if c["status"] == "missing_data"]
    assert missing and all(c["fix"] for c in missing)  # what to fill in to know

    # Apply with an attachment sent straight to the bucket.
    granted = grant(stack, enterprise, filename="高企证书.pdf")
    status, answer, _ = post_form(granted["upload"], PDF, stack.url)
    assert status == 204, answer
    app = call(stack, enterprise, "POST", f"/api/projects/{PROJECT}/applications",
               {"form": FORM, "attachments": [f"file:{granted['id']}"]}, expect=201)
    path = f"/api/applications/{app['id']}"

    # Two review stages.
    call(stack, reviewer, "POST", f"{path}/approve", {"amount_fen": 20_000_000, "comment": "初审通过"})
    approved = call(stack, reviewer, "POST", f"{path}/approve", {"amount_fen": 20_000_000, "comment": "复审通过"})
    assert approved["status"] == "approved"

    # Public notice; an objection; the window closes on the platform clock; the objection is dismissed.
    notice = call(stack, reviewer, "POST", f"/api/projects/{PROJECT}/notices", {"application_ids": [app["id"]]}, expect=201)
    objection = call(stack, neighbour, "POST", f"/api/policy-notices/{notice['id']}/objections",
                     {"application_id": app["id"], "reason": "请核实该企业研发人员占比是否达标。", "phone": "13800001111"}, expect=201)
    call(stack, None, "POST", "/api/dev/clock", {"advance_seconds": 10 * 86400})
    call(stack, None, "POST", "/api/dev/jobs/sweep_clocks/run")
    enterprise, reviewer = sign_in(stack, "ent-bluesea-soft"), sign_in(stack, "staff-science")  # tokens expired meanwhile
    assert call(stack, None, "GET", f"/api/policy-notices/{notice['id']}")["status"] == "closed"
    call(stack, reviewer, "POST", f"/api/policy-notices/{notice['id']}/objections/{objection['id']}/resolve",
         {"upheld": False, "response": "经核实，研发人员占比12%，符合条件。"})
    assert call(stack, enterprise, "GET", path)["status"] == "awarded"

    # Two payments, then the rating.
    today = call(stack, None, "GET", "/api/dev/clock")["now"][:10]
    call(stack, reviewer, "POST", f"{path}/disburse", {"amount_fen": 5_000_000, "paid_on": today, "voucher_no": "QDKJ-1"})
    paid = call(stack, reviewer, "POST", f"{path}/disburse", {"amount_fen": 15_000_000, "paid_on": today, "voucher_no": "QDKJ-2"})
    assert paid["status"] == "paid" and [s["state"] for s in paid["steps"]] == ["done"] * 5
    rated = call(stack, enterprise, "POST", f"{path}/rate", {"grade": 5, "comment": "兑现及时"})
    assert rated["rating"]["grade"] == 5
    awards = call(stack, None, "GET", "/api/open-data/policy-awards")["items"]
    assert [(a["enterprise_uscc"], a["amount_fen"]) for a in awards] == [("91370212MA3EK9W53N", 20_000_000)]
