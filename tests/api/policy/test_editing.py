"""A department's staff at work on its policies over the API: their department's list (newest change
first, drafts and withdrawn items too, page by page) and the editor's starting point (the draft, or the
published content). Another department's staff and enterprises are refused; the list costs one Query
and one BatchGetItem a page."""
from __future__ import annotations

import json
from urllib.parse import urlencode

from tests.api.policy.test_library import DOC, PROJECT, publish, put_draft
from tests.support import assert_problem, body, json_headers

# The demo library's 市税务局 (unit-tax) items: one document and two projects.
TAX_DOC_ID = "doc-qd-sw-tax-2026-002"
TAX_ITEMS = {TAX_DOC_ID, "proj-qd-vat-refund", "proj-qd-small-micro-income-tax"}
TAX_DOC = {**DOC, "department_id": "unit-tax", "issuer": "国家税务总局青岛市税务局", "doc_number": "青税发〔2026〕1号",
           "title": "青岛市税务局关于优化研发费用加计扣除服务的通知"}


def listing(client, token, user, unit_id="unit-tax", **query):
    suffix = f"?{urlencode(query)}" if query else ""
    return client.http.get(f"/api/departments/{unit_id}/policy-items{suffix}", headers=json_headers(token(user)))


def read_draft(client, token, user, item_id):
    return client.http.get(f"/api/policy-items/{item_id}/draft", headers=json_headers(token(user)))


def tax_items(library_items):
    return {i["item_id"] for i in library_items}


def test_staff_list_their_departments_items_newest_change_first(client, token, clock):
    first = body(listing(client, token, "staff-tax"))
    assert tax_items(first["items"]) >= TAX_ITEMS and first["next_cursor"] is None
    row = next(i for i in first["items"] if i["item_id"] == "proj-qd-vat-refund")
    assert row["kind"] == "project" and row["published_version"] == 1 and row["has_draft"] is False
    assert row["title"] and row["status"] in ("open", "upcoming", "closed")

    # A new draft (never published) and a revision of a published project: both come first, newest first.
    clock.advance(seconds=5)
    assert put_draft(client, token, "staff-tax", "doc-tax-test-new", TAX_DOC).status_code == 200
    clock.advance(seconds=5)
    project = body(read_draft(client, token, "staff-tax", "proj-qd-vat-refund"))
    assert project["has_draft"] is False and project["published_version"] == 1
    revised = {**project["content"], "title": "增值税期末留抵退税（修订）"}
    assert put_draft(client, token, "staff-tax", "proj-qd-vat-refund", revised).status_code == 200

    items = body(listing(client, token, "staff-tax"))["items"]
    assert [i["item_id"] for i in items[:2]] == ["proj-qd-vat-refund", "doc-tax-test-new"]
    assert items[0]["title"] == "增值税期末留抵退税（修订）" and items[0]["has_draft"] is True
    assert items[0]["published_version"] == 1
    assert (items[1]["status"], items[1]["published_version"], items[1]["has_draft"]) == ("draft", 0, True)
    assert [i["updated_at"] for i in items] == sorted((i["updated_at"] for i in items), reverse=True)


def test_the_editor_starts_from_the_draft_or_the_published_content(client, token, clock):
    published = body(read_draft(client, token, "staff-tax", TAX_DOC_ID))
    assert published["has_draft"] is False and published["published_version"] == 1
    assert published["department_id"] == "unit-tax" and published["content"]["id"] == TAX_DOC_ID
    assert published["withdrawn_at"] is None and published["status"] != "draft"

    put_draft(client, token, "staff-tax", TAX_DOC_ID, {**published["content"], "title": "新标题"})
    drafted = body(read_draft(client, token, "staff-tax", TAX_DOC_ID))
    assert drafted["has_draft"] is True and drafted["content"]["title"] == "新标题" and drafted["published_version"] == 1

    publish(client, token, "staff-tax", TAX_DOC_ID)
    response = client.http.post(f"/api/policy-items/{TAX_DOC_ID}/withdraw", headers=json_headers(token("staff-tax")),
                                body=json.dumps({"reason": "已被新通知替代"}, ensure_ascii=False))
    assert response.status_code == 200, response.body
    withdrawn = body(read_draft(client, token, "staff-tax", TAX_DOC_ID))
    assert (withdrawn["status"], withdrawn["withdrawn_reason"]) == ("withdrawn", "已被新通知替代")
    assert withdrawn["published_version"] == 2
    row = next(i for i in body(listing(client, token, "staff-tax"))["items"] if i["item_id"] == TAX_DOC_ID)
    assert row["status"] == "withdrawn" and row["title"] == "新标题"

    assert_problem(read_draft(client, token, "staff-tax", "doc-nothing-here"), 404)


def test_another_departments_staff_and_enterprises_are_refused(client, token, clock):
    assert_problem(listing(client, token, "staff-customs"), 403)
    assert_problem(listing(client, token, "ent-zhengrixin"), 403)
    assert_problem(listing(client, token, "dispatcher-city"), 403)
    assert_problem(listing(client, token, "admin-laoshan"), 403)  # a district's administrator; the unit is the city's
    assert_problem(read_draft(client, token, "staff-customs", TAX_DOC_ID), 403)
    assert_problem(read_draft(client, token, "ent-zhengrixin", TAX_DOC_ID), 403)
    assert_problem(read_draft(client, token, "auditor-city", TAX_DOC_ID), 403)  # auditors read, never edit

    # The city's administrators and auditors read any department's list.
    assert tax_items(body(listing(client, token, "admin-city"))["items"]) >= TAX_ITEMS
    assert tax_items(body(listing(client, token, "auditor-city"))["items"]) >= TAX_ITEMS
    assert_problem(listing(client, token, "admin-city", unit_id="unit-nowhere"), 404)
    assert body(read_draft(client, token, "admin-city", TAX_DOC_ID))["id"] == TAX_DOC_ID


def test_pages_follow_the_cursor_and_refuse_another_listings(client, token, clock):
    clock.advance(seconds=5)
    put_draft(client, token, "staff-tax", "doc-tax-test-new", TAX_DOC)
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = body(listing(client, token, "staff-tax", **query))
        assert len(page["items"]) <= 2
        seen += [i["item_id"] for i in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and set(seen) >= TAX_ITEMS | {"doc-tax-test-new"} and pages >= 2
    assert seen[0] == "doc-tax-test-new"

    tax_cursor = body(listing(client, token, "staff-tax", limit=1))["next_cursor"]
    assert_problem(listing(client, token, "admin-city", unit_id="unit-customs", cursor=tax_cursor), 422, field="cursor")
    assert_problem(listing(client, token, "staff-tax", cursor="forged!"), 422, field="cursor")
    assert_problem(listing(client, token, "staff-tax", limit=0), 422, field="limit")
    assert_problem(listing(client, token, "staff-tax", limit=101), 422, field="limit")


def test_a_page_is_one_query_and_one_batch_get(client, token, clock, dynamo_calls):
    staff, laoshan = json_headers(token("staff-tax")), json_headers(token("staff-laoshan"))  # signing in reads the user
    for limit in (1, 20):
        dynamo_calls.reset()
        assert body(client.http.get(f"/api/departments/unit-tax/policy-items?limit={limit}", headers=staff))["items"]
        assert dynamo_calls.by_operation == {"Query": 1, "BatchGetItem": 1}

    dynamo_calls.reset()
    assert body(client.http.get("/api/departments/unit-laoshan-approval/policy-items", headers=laoshan))["items"] == []
    assert dynamo_calls.by_operation == {"Query": 1}  # nothing to fetch: no BatchGetItem


def test_a_new_project_is_drafted_listed_and_published_by_its_staff(client, token, clock):
    project = {**PROJECT, "department_id": "unit-tax", "review_stages": [{"name": "市税务局审核", "unit_id": "unit-tax"}]}
    assert put_draft(client, token, "staff-tax", "proj-tax-test-new", project).status_code == 200
    assert body(publish(client, token, "staff-tax", "proj-tax-test-new"))["items"][0]["version"] == 1
    row = body(listing(client, token, "staff-tax"))["items"][0]
    assert (row["item_id"], row["status"]) == ("proj-tax-test-new", "open")
    assert (row["published_version"], row["has_draft"]) == (1, False)
