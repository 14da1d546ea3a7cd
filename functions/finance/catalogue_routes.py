"""Routes of the 青融通 catalogue: financial institutions, their branches and their products. Public. Thin."""
from __future__ import annotations

from functions.api.routes import ApiBlueprint, Call
from functions.finance import catalogue, catalogue_presenters as presenters
from functions.finance.catalogue_schemas import (
    InstitutionOut, InstitutionsOut, InstitutionsQuery, ProductOut, ProductsOut, ProductsQuery,
)

bp = ApiBlueprint(__name__, tag="finance")


@bp.api("/finance/products", summary="Loan products of the 57 institutions: filter by category, guarantee type, an "
        "amount or term inside the product's range, institution, district, channel and target; lowest rate first, "
        "with facet counts", query=ProductsQuery, response=ProductsOut, roles=None)
def list_products(call: Call):
    q = call.query
    filters = catalogue.ProductFilters(category=q.category, guarantee=q.guarantee, amount_fen=q.amount_fen,
                                       term_months=q.term_months, institution_id=q.institution_id, district=q.district,
                                       channel=q.channel, target=q.target)
    return presenters.products(catalogue.search_products(filters, q.cursor, q.limit))


@bp.api("/finance/products/{product_id}", summary="One loan product", response=ProductOut, roles=None)
def read_product(call: Call):
    return presenters.product(catalogue.product(call.params["product_id"]))


@bp.api("/finance/institutions", summary="The financial institutions, with their branch counts per district and "
        "their product counts", query=InstitutionsQuery, response=InstitutionsOut, roles=None)
def list_institutions(call: Call):
    return presenters.institutions(catalogue.institutions(call.query.kind, call.query.district))


@bp.api("/finance/institutions/{institution_id}", summary="One financial institution: its branches, district by "
        "district, and its products", response=InstitutionOut, roles=None)
def read_institution(call: Call):
    return presenters.institution(catalogue.institution(call.params["institution_id"]))
