"""Credit items in (admin import), credit reports and their verification out."""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from functions.finance.reports.compose import KINDS, TAX_RATINGS, UTILITIES
from functions.shared.errors import FieldError, ValidationFailed
from functions.shared.schemas import Day, Instant, Schema, field_errors

MAX_FEN = 10**17
Kind = Literal[tuple(KINDS)]
Text = Field(min_length=1, max_length=200)
LongText = Field(min_length=1, max_length=2000)
Fen = Field(strict=True, ge=0, le=MAX_FEN, description="in fen (1 yuan = 100 fen)")
MONTH = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")


# -- each kind's data (compose.KINDS names the same fields, with their words) ---------------------
class RegistrationData(Schema):
    name: str = Text
    legal_representative: str = Field(min_length=1, max_length=50)
    status: str = Field(min_length=1, max_length=20, description="登记状态, e.g. 存续（在营、开业、在册）")
    registered_capital_fen: int = Fen
    founded_on: date
    address: str | None = Field(default=None, min_length=1, max_length=200)
    authority: str | None = Field(default=None, min_length=1, max_length=100)


class LicenceData(Schema):
    licence_no: str = Text
    title: str = Text
    authority: str = Text
    valid_from: Day
    valid_to: Day | None = None

    @model_validator(mode="after")
    def _order(self) -> "LicenceData":
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to lies before valid_from")
        return self


class PenaltyData(Schema):
    decision_no: str = Text
    authority: str = Text
    reason: str = LongText
    penalty: str = LongText
    amount_fen: int | None = Field(default=None, strict=True, ge=0, le=MAX_FEN)
    decided_on: Day


class EnforcementData(Schema):
    case_no: str = Text
    court: str = Text
    amount_fen: int = Fen
    filed_on: Day
    status: str | None = Field(default=None, min_length=1, max_length=20)


class DishonestData(Schema):
    case_no: str = Text
    court: str = Text
    obligation: str = LongText
    published_on: Day


class TaxCreditData(Schema):
    rating: Literal[TAX_RATINGS]
    year: int = Field(strict=True, ge=2000, le=2099)


class SocialInsuranceData(Schema):
    headcount: int = Field(strict=True, ge=0, le=10_000_000)
    month: str = Field(description="YYYY-MM")

    @field_validator("month")
    @classmethod
    def _month(cls, value: str) -> str:
        if not MONTH.match(value):
            raise ValueError("must be a month YYYY-MM, e.g. 2026-10")
        return value


class UtilityData(Schema):
    utility: Literal[tuple(UTILITIES)]
    months: int = Field(strict=True, ge=1, le=120)
    on_time_months: int = Field(strict=True, ge=0, le=120)
    arrears_fen: int = Fen

    @model_validator(mode="after")
    def _within(self) -> "UtilityData":
        if self.on_time_months > self.months:
            raise ValueError("on_time_months exceeds months")
        return self


class HonourData(Schema):
    title: str = Text
    awarded_by: str = Text
    awarded_on: Day


DATA_MODELS: dict[str, type[Schema]] = {
    "registration": RegistrationData, "licence": LicenceData, "penalty": PenaltyData, "enforcement": EnforcementData,
    "dishonest": DishonestData, "tax_credit": TaxCreditData, "social_insurance": SocialInsuranceData,
    "utility": UtilityData, "honour": HonourData,
}
assert set(DATA_MODELS) == set(KINDS)


class CreditItemIn(Schema):
    kind: Kind
    source: str = Field(min_length=1, max_length=100, description="who published it, e.g. 信用中国, 国家企业信用信息公示系统")
    as_of: Day = Field(description="the day the data describes (not after today)")
    data: dict[str, Any] = Field(description="the kind's fields: registration {name, legal_representative, status, "
                                             "registered_capital_fen, founded_on, address?, authority?}; licence "
                                             "{licence_no, title, authority, valid_from, valid_to?}; penalty "
                                             "{decision_no, authority, reason, penalty, amount_fen?, decided_on}; "
                                             "enforcement {case_no, court, amount_fen, filed_on, status?}; dishonest "
                                             "{case_no, court, obligation, published_on}; tax_credit {rating, year}; "
                                             "social_insurance {headcount, month}; utility {utility, months, "
                                             "on_time_months, arrears_fen}; honour {title, awarded_by, awarded_on}")


class CreditItemsIn(Schema):
    items: list[CreditItemIn] = Field(min_length=1, max_length=50)


def validated_items(body: CreditItemsIn) -> list[tuple[str, str, date, dict[str, Any]]]:
    """(kind, source, as_of, data as JSON) of each item, its data checked against its kind: every bad
    field is reported at once (`items[2].data.decided_on`), 422."""
    errors: list[FieldError] = []
    found = []
    for index, item in enumerate(body.items):
        try:
            data = DATA_MODELS[item.kind].model_validate(item.data)
        except ValidationError as error:
            errors += field_errors(error, f"items[{index}].data.")
            continue
        found.append((item.kind, item.source, item.as_of, data.model_dump(mode="json", exclude_none=True)))
    if errors:
        raise ValidationFailed(errors)
    return found


class CreditItemOut(Schema):
    item_id: str
    kind: Kind
    source: str
    as_of: date
    data: dict[str, Any]


class CreditItemsOut(Schema):
    uscc: str
    imported: list[CreditItemOut]


class ReportQuery(Schema):
    format: Literal["json", "html", "pdf"] = "json"


class CreditReportOut(Schema):
    report_no: str
    generated_at: Instant
    sha256: str = Field(description="hex SHA-256 of the canonical JSON of `report` (sorted keys, no whitespace, UTF-8)")
    verify_url: str
    report: dict[str, Any] = Field(description="the report: format, report_no, generated_at, subject, summary, "
                                               "sections [{key, title_zh, title_en, origin, sources, as_of, entries}]")


class VerifyQuery(Schema):
    sha256: str | None = Field(default=None, description="the SHA-256 printed on the report, to compare")

    @field_validator("sha256")
    @classmethod
    def _hex(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.lower()
        if not re.fullmatch(r"[0-9a-f]{64}", value):
            raise ValueError("must be 64 hexadecimal digits")
        return value


class VerifyOut(Schema):
    report_no: str
    issued: bool
    issued_at: Instant | None = None
    sha256_matches: bool | None = Field(default=None, description="null when no sha256 was given")
