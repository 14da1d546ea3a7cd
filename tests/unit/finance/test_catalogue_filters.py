"""The catalogue's filters and pages in memory (functions/finance/catalogue.py), with no table at all."""
from __future__ import annotations

import pytest

from functions.finance import catalogue
from functions.finance.catalogue_data import institutions, products
from functions.shared.errors import ValidationFailed


@pytest.fixture
def offline(monkeypatch):
    """The process's catalogue built from the data module instead of the two Queries, and a cursor key."""
    from functions.shared import keyring

    def load():
        found = {i["id"]: catalogue.Institution(i["id"], i["name_zh"], i["name_en"], i["short_zh"], i["kind"],
                                                i["district"], i["hotline"], tuple(i["branches"])) for i in institutions()}
        listed = sorted((catalogue.Product(p["id"], found[p["institution_id"]], p) for p in products()),
                        key=lambda p: p.order)
        return catalogue.Catalogue(found, listed)

    monkeypatch.setattr(catalogue._catalogue, "_load", load)
    monkeypatch.setattr(keyring, "sign", lambda purpose, raw: "sig")
    monkeypatch.setattr(keyring, "verify", lambda purpose, raw, signature: signature == "sig")


def pages(filters: catalogue.ProductFilters, limit: int) -> list[str]:
    ids, cursor = [], None
    while True:
        page = catalogue.search_products(filters, cursor, limit)
        ids += [p.id for p in page.items]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


@pytest.mark.parametrize("limit", [1, 7, 100])
def test_pages_cover_the_matches_once_in_order(offline, limit):
    filters = catalogue.ProductFilters(guarantee="credit")
    expected = [p.id for p in catalogue.catalogue().products if p["guarantee"] == "credit"]
    assert pages(filters, limit) == expected


def test_an_amount_or_term_on_the_edge_of_a_range_is_inside_it(offline):
    one = catalogue.product("prod-qdccb-01")
    for amount in (one["amount_min_fen"], one["amount_max_fen"]):
        assert catalogue.ProductFilters(amount_fen=amount).matches(one)
    assert not catalogue.ProductFilters(amount_fen=one["amount_max_fen"] + 1).matches(one)
    assert catalogue.ProductFilters(term_months=one["term_max_months"]).matches(one)
    assert not catalogue.ProductFilters(term_months=one["term_min_months"] - 1).matches(one)


def test_facets_count_each_value_against_the_other_filters(offline):
    page = catalogue.search_products(catalogue.ProductFilters(category="agricultural", channel="jinnongtong"), None, 5)
    assert page.facets["channel"] == {"jinnongtong": page.total}  # every agricultural product comes through 金农通
    assert sum(page.facets["category"].values()) == sum(1 for p in catalogue.catalogue().products
                                                        if p["channel"] == "jinnongtong")


def test_an_unknown_institution_is_named(offline):
    with pytest.raises(ValidationFailed) as refused:
        catalogue.search_products(catalogue.ProductFilters(institution_id="bank-nowhere"), None, 5)
    assert [e.field for e in refused.value.errors] == ["institution_id"]
