"""The 青融通 catalogue over the API: 57 institutions, 546 branches, 300+ products; every filter alone and
together, paging without repeats, 422s naming the field, and what each route reads (a warm process: nothing)."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.support import assert_problem, body


def products(client, **query):
    return client.http.get("/api/finance/products?" + urlencode({k: v for k, v in query.items() if v is not None}))


def every(client, **query) -> list[dict]:
    """Every page of a listing, following next_cursor."""
    found, cursor = [], None
    while True:
        page = body(products(client, cursor=cursor, limit=37, **query))
        found += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found


@pytest.fixture
def all_products(client, seeded):
    return every(client)


def test_the_catalogue_has_its_institutions_branches_and_products(client, seeded):
    assert seeded["finance_institutions"] == 57 and seeded["finance_branches"] == 546
    assert seeded["finance_products"] >= 300
    listed = body(client.http.get("/api/finance/institutions"))
    assert listed["total"] == 57 and listed["branch_total"] == 546 and listed["product_total"] >= 300
    ids = [i["id"] for i in listed["items"]]
    assert {"bank-qdccb", "bank-qrcb", "bank-icbc-qd"} <= set(ids)
    assert sum(sum(i["branches_by_district"].values()) for i in listed["items"]) == 546
    kinds = {i["kind"] for i in listed["items"]}
    assert {"policy", "state_owned", "joint_stock", "city_commercial", "rural_commercial", "guarantee", "microcredit",
            "leasing"} <= kinds
    qrcb = next(i for i in listed["items"] if i["id"] == "bank-qrcb")
    assert qrcb["name_zh"] == "青岛农商银行" and qrcb["branch_count"] == sum(qrcb["branches_by_district"].values())
    assert set(qrcb["branches_by_district"]) <= {"370202", "370203", "370211", "370212", "370213", "370214", "370215",
                                                 "370281", "370283", "370285"}


def test_paging_returns_each_product_once_in_a_stable_order(client, all_products):
    ids = [p["id"] for p in all_products]
    assert len(ids) == len(set(ids)) >= 300
    keys = [(p["annual_rate_min_bp"], p["id"]) for p in all_products]
    assert keys == sorted(keys)  # the lowest indicative rate first
    first = body(products(client, limit=20))
    assert first["total"] == len(ids) and len(first["items"]) == 20 and first["next_cursor"]
    assert [p["id"] for p in first["items"]] == ids[:20]
    assert {p["channel"] for p in all_products} == {"xinyidai", "rongzitong", "jinnongtong", "platform"}


@pytest.mark.parametrize("name, value, holds", [
    ("category", "ip_pledge", lambda p, v: p["category"] == v),
    ("guarantee", "pledge", lambda p, v: p["guarantee"] == v),
    ("amount_fen", 500_000_000, lambda p, v: p["amount_min_fen"] <= v <= p["amount_max_fen"]),
    ("term_months", 48, lambda p, v: p["term_min_months"] <= v <= p["term_max_months"]),
    ("institution_id", "bank-qdccb", lambda p, v: p["institution_id"] == v),
    ("district", "370285", lambda p, v: v in p["districts"]),
    ("channel", "jinnongtong", lambda p, v: p["channel"] == v),
    ("target", "tech", lambda p, v: v in p["targets"]),
])
def test_each_filter_alone_finds_exactly_the_products_it_describes(client, all_products, name, value, holds):
    expected = [p["id"] for p in all_products if holds(p, value)]
    assert 0 < len(expected) < len(all_products)
    assert [p["id"] for p in every(client, **{name: value})] == expected
    assert body(products(client, **{name: value}))["total"] == len(expected)


def test_filters_combine_and_facets_count_the_other_filters(client, all_products):
    query = {"category": "credit", "guarantee": "credit", "amount_fen": 2_000_000_000, "term_months": 12,
             "district": "370212"}
    expected = [p["id"] for p in all_products if p["category"] == "credit" and p["guarantee"] == "credit"
                and p["amount_min_fen"] <= 2_000_000_000 <= p["amount_max_fen"]
                and p["term_min_months"] <= 12 <= p["term_max_months"] and "370212" in p["districts"]]
    assert expected
    page = body(products(client, **query))
    assert [p["id"] for p in every(client, **query)] == expected and page["total"] == len(expected)
    # category's counts ignore the category filter (what choosing another category would find)
    others = [p for p in all_products if p["guarantee"] == "credit" and p["amount_min_fen"] <= 2_000_000_000 <=
              p["amount_max_fen"] and p["term_min_months"] <= 12 <= p["term_max_months"] and "370212" in p["districts"]]
    assert page["facets"]["category"]["credit"] == len(expected)
    assert sum(page["facets"]["category"].values()) == len(others)
    nothing = body(products(client, category="leasing", institution_id="bank-qrcb"))
    assert nothing == {**nothing, "items": [], "total": 0, "next_cursor": None}


@pytest.mark.parametrize("query, field", [
    ({"category": "lottery"}, "category"), ({"guarantee": "goodwill"}, "guarantee"),
    ({"amount_fen": "ten"}, "amount_fen"), ({"amount_fen": 0}, "amount_fen"), ({"term_months": 0}, "term_months"),
    ({"term_months": 361}, "term_months"), ({"district": "110101"}, "district"), ({"district": "370200"}, "district"),
    ({"institution_id": "bank-nowhere"}, "institution_id"), ({"institution_id": "Bank Of!"}, "institution_id"),
    ({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"cursor": "forged!"}, "cursor"), ({"colour": "red"}, "colour"),
])
def test_bad_filters_are_refused_naming_the_field(client, seeded, query, field):
    assert_problem(products(client, **query), 422, field=field)


def test_a_cursor_of_other_filters_is_refused(client, seeded):
    cursor = body(products(client, category="credit", limit=5))["next_cursor"]
    assert_problem(products(client, category="mortgage", cursor=cursor), 422, field="cursor")
    assert body(products(client, category="credit", cursor=cursor, limit=5))["items"]


def test_an_institution_with_its_branches_and_products(client, seeded):
    found = body(client.http.get("/api/finance/institutions/bank-qdccb"))
    assert found["name_zh"] == "青岛银行" and found["kind"] == "city_commercial"
    assert len(found["branches"]) == found["branch_count"] == sum(found["branches_by_district"].values())
    assert [b["district"] for b in found["branches"]] == sorted(b["district"] for b in found["branches"])
    assert found["products"] and {p["institution_id"] for p in found["products"]} == {"bank-qdccb"}
    assert "青银科创贷" in {p["name_zh"] for p in found["products"]}
    one = found["products"][0]
    assert body(client.http.get(f"/api/finance/products/{one['id']}")) == one
    assert_problem(client.http.get("/api/finance/institutions/bank-nowhere"), 404)
    assert_problem(client.http.get("/api/finance/products/prod-nothing"), 404)
    rural = body(client.http.get("/api/finance/institutions?district=370285"))
    assert rural["items"] and all(i["branches_by_district"].get("370285") for i in rural["items"])
    guarantors = body(client.http.get("/api/finance/institutions?kind=guarantee"))["items"]
    assert guarantors and {i["kind"] for i in guarantors} == {"guarantee"}
    assert_problem(client.http.get("/api/finance/institutions?kind=casino"), 422, field="kind")


def test_a_cold_process_reads_two_queries_and_a_warm_one_nothing(client, seeded, dynamo_calls):
    from functions.finance.catalogue import _catalogue

    for path in ("/api/finance/products?category=credit", "/api/finance/institutions",
                 "/api/finance/institutions/bank-qrcb", "/api/finance/products/prod-qdccb-01"):
        _catalogue.forget()  # a new process
        dynamo_calls.reset()
        assert client.http.get(path).status_code == 200
        assert dict(dynamo_calls.by_operation) == {"Query": 2}, path  # one page of each listed-index
        dynamo_calls.reset()
        assert client.http.get(path).status_code == 200
        assert dynamo_calls.total == 0, path


def test_the_seed_is_idempotent(seeded):
    from functions.finance.catalogue_seed import seed

    assert seed() == {"finance_institutions": 0, "finance_branches": 0, "finance_products": 0}
