"""The 青融通 catalogue: financial institutions, their branches and their loan products. No Chalice.

Reads answer from this process's copy of the whole listed catalogue (`_catalogue`, two Queries of the
`listed-index`es, refreshed every 60 s; catalogue_models.py says why the filters read no index of their
own): a warm process reads no table per request. Products are listed in one stable order, the lowest
indicative rate first, then by id; a page's cursor holds the last (rate, id) shown and the filters it was
made for, signed (functions/shared/pagination.py), so paging never repeats or skips a product even when
the catalogue is refreshed between two pages, and a cursor of other filters is refused (422 `cursor`).
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from functions.finance.catalogue_models import LISTED, FinanceInstitution, FinanceProduct
from functions.shared.cache import ProcessCache
from functions.shared.clock import isoformat_utc
from functions.shared.errors import FieldError, NotFound, ValidationFailed
from functions.shared.pagination import decode_cursor, encode_cursor

FACETS = ("category", "guarantee", "channel")


@dataclass(frozen=True)
class Institution:
    id: str
    name_zh: str
    name_en: str
    short_zh: str
    kind: str
    district: str
    hotline: str | None
    branches: tuple[dict[str, Any], ...]

    @property
    def branches_by_district(self) -> dict[str, int]:
        return dict(sorted(Counter(b["district"] for b in self.branches).items()))


@dataclass(frozen=True)
class Product:
    id: str
    institution: Institution
    content: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.content[name]

    @property
    def order(self) -> str:
        """The listing's sort key: the lowest indicative rate, then the id."""
        return f"{int(self.content['annual_rate_min_bp']):06d}#{self.id}"


@dataclass
class Catalogue:
    institutions: dict[str, Institution]  # by id, in id order
    products: list[Product]  # in listing order
    by_id: dict[str, Product] = field(default_factory=dict)
    by_institution: dict[str, list[Product]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.products}
        for product in self.products:
            self.by_institution.setdefault(product.institution.id, []).append(product)


def _institution(item: FinanceInstitution) -> Institution:
    return Institution(item.institution_id, item.name_zh, item.name_en, item.short_zh, item.kind, item.district,
                       item.hotline, tuple(item.branches or ()))


def _load() -> Catalogue:
    """Two Queries (one page each at today's size): every listed institution, every listed product."""
    institutions = {i.institution_id: _institution(i) for i in FinanceInstitution.listed_index.query(LISTED)}
    products = [Product(p.product_id, institutions[p.institution_id], p.content)
                for p in FinanceProduct.listed_index.query(LISTED) if p.institution_id in institutions]
    products.sort(key=lambda p: p.order)
    return Catalogue(institutions, products)


# The catalogue changes a few times a month and every request reads all of it: one read a minute per process.
_catalogue = ProcessCache("finance.catalogue", _load, ttl_seconds=60)


def catalogue() -> Catalogue:
    return _catalogue.get()


# -- products -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProductFilters:
    category: str | None = None
    guarantee: str | None = None
    amount_fen: int | None = None
    term_months: int | None = None
    institution_id: str | None = None
    district: str | None = None
    channel: str | None = None
    target: str | None = None

    def fingerprint(self) -> str:
        raw = json.dumps(self.__dict__, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    def matches(self, product: Product, skip: str | None = None) -> bool:
        c = product.content
        for name in ("category", "guarantee", "channel"):
            wanted = getattr(self, name)
            if wanted is not None and name != skip and c[name] != wanted:
                return False
        if self.amount_fen is not None and not c["amount_min_fen"] <= self.amount_fen <= c["amount_max_fen"]:
            return False
        if self.term_months is not None and not c["term_min_months"] <= self.term_months <= c["term_max_months"]:
            return False
        if self.institution_id is not None and product.institution.id != self.institution_id:
            return False
        if self.district is not None and self.district not in c["districts"]:
            return False
        return self.target is None or self.target in c["targets"]


@dataclass
class ProductPage:
    items: list[Product]
    total: int  # products matching every filter
    facets: dict[str, dict[str, int]]  # per value of category, guarantee, channel: matches of the other filters
    next_cursor: str | None


def search_products(filters: ProductFilters, cursor: str | None, limit: int) -> ProductPage:
    """The products matching every filter, a page at a time in the listing's order, with facet counts.

    A facet counts, for each of its values, the products matching every *other* filter (so the page can
    show how many a change of that one filter would find). No table is read by a warm process."""
    fingerprint = filters.fingerprint()
    after = decode_cursor(cursor, expected={"filters": fingerprint}) if cursor else None
    found = catalogue()
    if filters.institution_id is not None and filters.institution_id not in found.institutions:
        raise ValidationFailed([FieldError("institution_id", "is not an institution of the catalogue")])
    matching = [p for p in found.products if filters.matches(p)]
    facets: dict[str, dict[str, int]] = {}
    for name in FACETS:
        counts = Counter(p.content[name] for p in found.products if filters.matches(p, skip=name))
        facets[name] = dict(sorted(counts.items()))
    start = (after or {}).get("after", {}).get("S", "")
    remaining = [p for p in matching if p.order > start]
    page = remaining[:limit]
    next_cursor = encode_cursor({"after": {"S": page[-1].order}, "filters": {"S": fingerprint}}) \
        if len(remaining) > limit else None
    return ProductPage(page, len(matching), facets, next_cursor)


def product(product_id: str) -> Product:
    found = catalogue().by_id.get(product_id)
    if found is None:
        raise NotFound(f"No product {product_id} in the catalogue.")
    return found


# -- institutions ---------------------------------------------------------------------------------------
@dataclass
class InstitutionView:
    institution: Institution
    products: list[Product]


def institutions(kind: str | None = None, district: str | None = None) -> list[InstitutionView]:
    """Every institution (of a kind, with a branch in a district), in id order, with its products."""
    found = catalogue()
    return [InstitutionView(i, found.by_institution.get(i.id, [])) for i in found.institutions.values()
            if (kind is None or i.kind == kind)
            and (district is None or any(b["district"] == district for b in i.branches))]


def institution(institution_id: str) -> InstitutionView:
    found = catalogue()
    if institution_id not in found.institutions:
        raise NotFound(f"No institution {institution_id} in the catalogue.")
    return InstitutionView(found.institutions[institution_id], found.by_institution.get(institution_id, []))


def totals() -> dict[str, int]:
    found = catalogue()
    return {"institutions": len(found.institutions),
            "branches": sum(len(i.branches) for i in found.institutions.values()), "products": len(found.products)}


# -- the demo catalogue ------------------------------------------------------------------------------------
def seed_catalogue(institutions_data: list[dict[str, Any]], products_data: list[dict[str, Any]],
                   now: datetime) -> dict[str, int]:
    """Write every institution and product of the catalogue that is not there yet (idempotent): one
    BatchGetItem per 100 ids to see what exists, then BatchWriteItem per 25 items. Answers how many
    institutions, branches and products were created (0 each when all were there)."""
    stamp = isoformat_utc(now)
    have_institutions = {i.institution_id
                         for i in FinanceInstitution.batch_get([i["id"] for i in institutions_data])}
    have_products = {p.product_id for p in FinanceProduct.batch_get([p["id"] for p in products_data])}
    new_institutions = [i for i in institutions_data if i["id"] not in have_institutions]
    new_products = [p for p in products_data if p["id"] not in have_products]
    with FinanceInstitution.batch_write() as writes:
        for entry in new_institutions:
            writes.save(FinanceInstitution(
                institution_id=entry["id"], name_zh=entry["name_zh"], name_en=entry["name_en"],
                short_zh=entry["short_zh"], kind=entry["kind"], district=entry["district"],
                hotline=entry.get("hotline"), branches=entry["branches"], listed=LISTED, updated_at=stamp))
    with FinanceProduct.batch_write() as writes:
        for entry in new_products:
            writes.save(FinanceProduct(product_id=entry["id"], institution_id=entry["institution_id"], content=entry,
                                       listed=LISTED, updated_at=stamp))
    if new_institutions or new_products:
        _catalogue.forget()
    return {"finance_institutions": len(new_institutions),
            "finance_branches": sum(len(i["branches"]) for i in new_institutions),
            "finance_products": len(new_products)}
