"""The catalogue as the API shows it, from what the service read (no table reads here)."""
from __future__ import annotations

from functions.finance.catalogue import InstitutionView, Product, ProductPage
from functions.finance.catalogue_data import CATEGORIES
from functions.finance.catalogue_schemas import (
    BranchOut, FacetsOut, InstitutionOut, InstitutionsOut, InstitutionSummaryOut, ProductOut, ProductsOut,
)

PRODUCT_FIELDS = ("name_zh", "name_en", "category", "guarantee", "amount_min_fen", "amount_max_fen", "term_min_months",
                  "term_max_months", "annual_rate_min_bp", "annual_rate_max_bp", "channel", "targets", "districts",
                  "description_zh")


def product(found: Product) -> ProductOut:
    return ProductOut(id=found.id, institution_id=found.institution.id, institution_name_zh=found.institution.name_zh,
                      institution_name_en=found.institution.name_en,
                      **{name: found.content[name] for name in PRODUCT_FIELDS})


def products(page: ProductPage) -> ProductsOut:
    return ProductsOut(items=[product(p) for p in page.items], total=page.total, facets=FacetsOut(**page.facets),
                       next_cursor=page.next_cursor)


def _summary_fields(view: InstitutionView) -> dict:
    i = view.institution
    present = {p.content["category"] for p in view.products}
    return dict(id=i.id, name_zh=i.name_zh, name_en=i.name_en, short_zh=i.short_zh, kind=i.kind, district=i.district,
                hotline=i.hotline, branch_count=len(i.branches), branches_by_district=i.branches_by_district,
                product_count=len(view.products), categories=[c for c in CATEGORIES if c in present])


def institutions(views: list[InstitutionView]) -> InstitutionsOut:
    return InstitutionsOut(items=[InstitutionSummaryOut(**_summary_fields(v)) for v in views], total=len(views),
                           branch_total=sum(len(v.institution.branches) for v in views),
                           product_total=sum(len(v.products) for v in views))


def institution(view: InstitutionView) -> InstitutionOut:
    return InstitutionOut(**_summary_fields(view),
                          branches=[BranchOut(**b) for b in sorted(view.institution.branches,
                                                                   key=lambda b: (b["district"], b["id"]))],
                          products=[product(p) for p in view.products])
