from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from functions.enterprises.facts import CERTIFICATIONS, INDUSTRY_CODE, SOURCES, TAX_CREDIT_RATINGS
from functions.refdata.enterprise_size import SIZES
from functions.shared.schemas import Day, Instant, Schema

Certification = Literal[tuple(CERTIFICATIONS)]
TaxCreditRating = Literal[TAX_CREDIT_RATINGS]
Source = Literal[SOURCES]
MAX_FEN = 10**17  # far above any enterprise's figures; keeps numbers exact in JSON and DynamoDB
EARLIEST_FOUNDING_YEAR = 1900
Fen = Field(default=None, strict=True, ge=0, le=MAX_FEN, description="in fen (1 yuan = 100 fen)")


class ProfileFieldsIn(Schema):
    """Fields of the profile; a field left out (or null) keeps its value."""

    name: str | None = Field(default=None, min_length=1, max_length=200, description="the registered name")
    industry_code: str | None = Field(default=None, description="GB/T 4754: a letter A–T, then up to 4 digits, "
                                                                "e.g. C3911")
    founded_on: date | None = Field(default=None, description="the day of establishment (成立日期)")
    registered_capital_fen: int | None = Fen
    employees: int | None = Field(default=None, strict=True, ge=0, le=10_000_000, description="persons employed")
    revenue_fen: int | None = Field(default=None, strict=True, ge=0, le=MAX_FEN, description="last year's revenue, in fen")
    assets_fen: int | None = Field(default=None, strict=True, ge=0, le=MAX_FEN, description="total assets, in fen")
    rd_expense_fen: int | None = Field(default=None, strict=True, ge=0, le=MAX_FEN,
                                       description="last year's R&D expenses, in fen")
    certifications: list[Certification] | None = Field(default=None, max_length=len(CERTIFICATIONS),
                                                       description="the whole set held now (replaces the old one)")
    tax_credit_rating: TaxCreditRating | None = None

    @field_validator("industry_code")
    @classmethod
    def _industry_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.upper()
        if not INDUSTRY_CODE.match(value):
            raise ValueError("must be a GB/T 4754 code: a letter A–T, then up to 4 digits, e.g. C3911")
        return value

    @field_validator("founded_on")
    @classmethod
    def _founded_on(cls, value: date | None) -> date | None:
        if value is not None and value.year < EARLIEST_FOUNDING_YEAR:
            raise ValueError(f"must lie in {EARLIEST_FOUNDING_YEAR} or later")
        return value

    @field_validator("certifications")
    @classmethod
    def _no_repeats(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("names a certification twice")
        return value

    @model_validator(mode="after")
    def _something(self) -> "ProfileFieldsIn":
        if not any(getattr(self, name) is not None for name in type(self).model_fields if name != "version"):
            raise ValueError("give at least one field")
        return self

    def changes(self) -> dict:
        return {name: getattr(self, name) for name in ProfileFieldsIn.model_fields if getattr(self, name) is not None}


class ProfileDeclareIn(ProfileFieldsIn):
    version: int | None = Field(default=None, strict=True, ge=0,
                                description="the version you read; if the profile has changed since, 409")


class ProfileImportIn(Schema):
    as_of: Day = Field(description="the day the imported data describes")
    fields: ProfileFieldsIn
    version: int | None = Field(default=None, strict=True, ge=0,
                                description="the version you read; if the profile has changed since, 409")


class SourcedTextOut(Schema):
    value: str
    source: Source
    as_of: date


class SourcedDateOut(Schema):
    value: date
    source: Source
    as_of: date


class SourcedIntOut(Schema):
    value: int
    source: Source
    as_of: date


class SourcedSetOut(Schema):
    value: list[Certification]
    source: Source
    as_of: date


class DistrictOut(Schema):
    code: str
    name_zh: str
    name_en: str


class SizeClassOut(Schema):
    value: Literal[SIZES] | None = Field(description="MIIT 2011 (工信部联企业〔2011〕300号); null when undecided")
    basis: str = Field(description="why, citing the article (zh)")
    missing: list[str] = Field(description="profile fields the size still needs")
    possible: list[Literal[SIZES]] = Field(description="sizes still possible with what is known")


class EnterpriseProfileOut(Schema):
    uscc: str
    district: DistrictOut = Field(description="from the credit code (positions 3–8), never typed")
    name: SourcedTextOut | None
    industry_code: SourcedTextOut | None
    founded_on: SourcedDateOut | None
    registered_capital_fen: SourcedIntOut | None
    employees: SourcedIntOut | None
    revenue_fen: SourcedIntOut | None
    assets_fen: SourcedIntOut | None
    rd_expense_fen: SourcedIntOut | None
    certifications: SourcedSetOut | None
    tax_credit_rating: SourcedTextOut | None
    size_class: SizeClassOut = Field(description="derived from industry, employees, revenue and assets")
    years_since_founding: int | None = Field(description="derived: whole years from founding to today")
    version: int = Field(description="0 until the profile is first written; send it back to change safely")
    updated_at: Instant | None


MAX_TOPICS = 20


class NotificationSettingsIn(Schema):
    """The whole settings (what is left out takes its default: alerts on, every topic)."""

    policy_alerts: bool = Field(default=True, strict=True,
                                description="be told of newly published policy projects you may be eligible for")
    topics: list[str] = Field(default_factory=list, max_length=MAX_TOPICS,
                              description="only projects with one of these policy topics (e.g. 专精特新); "
                                          "empty: every topic")

    @field_validator("topics")
    @classmethod
    def _topics(cls, value: list[str]) -> list[str]:
        for topic in value:
            if not topic or len(topic) > 50:
                raise ValueError("each topic has 1 to 50 characters")
        if len(set(value)) != len(value):
            raise ValueError("names a topic twice")
        return value


class NotificationSettingsOut(Schema):
    uscc: str
    policy_alerts: bool
    topics: list[str] = Field(description="empty: every topic")
    updated_at: Instant | None = Field(description="null until the enterprise first saves its settings")
