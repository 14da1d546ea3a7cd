"""Request and answer shapes of the catalogue's routes (青融通: institutions, branches, products)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from functions.finance.catalogue_data import CATEGORIES, CHANNELS, GUARANTEES, KINDS, TARGETS
from functions.refdata.divisions import DISTRICT_CODES
from functions.shared.schemas import Schema

Category = Literal[CATEGORIES]  # type: ignore[valid-type]
Guarantee = Literal[GUARANTEES]  # type: ignore[valid-type]
ProductChannel = Literal[CHANNELS]  # type: ignore[valid-type]
Target = Literal[TARGETS]  # type: ignore[valid-type]
Kind = Literal[KINDS]  # type: ignore[valid-type]
District = Literal[DISTRICT_CODES]  # type: ignore[valid-type]
MAX_AMOUNT_FEN = 100_000_000_000  # 10 亿元


class ProductsQuery(Schema):
    category: Category | None = None
    guarantee: Guarantee | None = None
    amount_fen: int | None = Field(default=None, ge=1, le=MAX_AMOUNT_FEN,
                                   description="products whose amount range contains this amount (fen)")
    term_months: int | None = Field(default=None, ge=1, le=360, description="products whose term range contains it")
    institution_id: str | None = Field(default=None, max_length=64, pattern=r"^[a-z0-9-]+$")
    district: District | None = Field(default=None, description="products offered in this district (GB/T 2260)")
    channel: ProductChannel | None = Field(default=None, description="the channel it comes through")
    target: Target | None = Field(default=None, description="products meant for this kind of enterprise")
    cursor: str | None = Field(default=None, max_length=2000)
    limit: int = Field(default=20, ge=1, le=100)


class ProductOut(Schema):
    id: str
    institution_id: str
    institution_name_zh: str
    institution_name_en: str
    name_zh: str
    name_en: str
    category: Category
    guarantee: Guarantee
    amount_min_fen: int
    amount_max_fen: int
    term_min_months: int
    term_max_months: int
    annual_rate_min_bp: int = Field(description="indicative annual rate, lowest, in basis points (345 = 3.45%)")
    annual_rate_max_bp: int
    channel: ProductChannel = Field(description="信易贷 xinyidai, 融资通 rongzitong, 金农通 jinnongtong, or this platform")
    targets: list[Target]
    districts: list[str] = Field(description="the districts it is offered in (GB/T 2260)")
    description_zh: str


class FacetsOut(Schema):
    category: dict[str, int]
    guarantee: dict[str, int]
    channel: dict[str, int]


class ProductsOut(Schema):
    items: list[ProductOut]
    total: int = Field(description="products matching every filter")
    facets: FacetsOut = Field(description="per value, the products matching every other filter")
    next_cursor: str | None


class InstitutionsQuery(Schema):
    kind: Kind | None = None
    district: District | None = Field(default=None, description="institutions with a branch in this district")


class InstitutionSummaryOut(Schema):
    id: str
    name_zh: str
    name_en: str
    short_zh: str
    kind: Kind
    district: str = Field(description="where its Qingdao head office is")
    hotline: str | None
    branch_count: int
    branches_by_district: dict[str, int] = Field(description="branch counts per district code")
    product_count: int
    categories: list[Category]


class InstitutionsOut(Schema):
    items: list[InstitutionSummaryOut]
    total: int
    branch_total: int
    product_total: int


class BranchOut(Schema):
    id: str
    name_zh: str
    district: str
    address_zh: str
    phone: str


class InstitutionOut(InstitutionSummaryOut):
    branches: list[BranchOut]
    products: list[ProductOut]
