"""The profile's fields as facts: their kinds, their words in both languages, and what is derived.

Pure (no I/O): the contract between the stored profile (models.py) and whoever reasons about it
(policy eligibility now, the credit report later). A fact is a value with where it came from
(`source`: self_declared | imported, and `as_of`); derived facts (district, size_class,
years_since_founding) are computed here, never stored by hand.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from functions.refdata.enterprise_size import SIZES, SizeResult, classify, industry_group
from functions.shared.errors import ValidationFailed

SELF_DECLARED = "self_declared"
IMPORTED = "imported"
DERIVED = "derived"
SOURCES = (SELF_DECLARED, IMPORTED)

CERTIFICATIONS: dict[str, tuple[str, str]] = {
    "high_tech": ("高新技术企业", "high-tech enterprise"),
    "specialized_sme": ("专精特新中小企业", "specialised and sophisticated SME"),
    "little_giant": ("专精特新“小巨人”企业", "specialised “little giant”"),
    "tech_sme": ("科技型中小企业", "technology-based SME"),
    "innovative_sme": ("创新型中小企业", "innovative SME"),
}
TAX_CREDIT_RATINGS = ("A", "B", "M", "C", "D")
SIZE_WORDS: dict[str, tuple[str, str]] = {"large": ("大型", "large"), "medium": ("中型", "medium"),
                                          "small": ("小型", "small"), "micro": ("微型", "micro")}
# GB/T 4754: a section letter A–T, then the division, group or class (up to 4 digits).
INDUSTRY_CODE = re.compile(r"^[A-T]\d{0,4}$")
FEN_PER_WAN = 1_000_000  # 1 万元 = 10 000 yuan = 1 000 000 fen

# Kinds of value, which decide the operators a rule may apply (functions/policy/eligibility.py).
NUMBER, DAY, CODE, CHOICE, SET = "number", "date", "code", "choice", "set"


@dataclass(frozen=True)
class FieldInfo:
    name: str
    kind: str
    zh: str  # the field as a label says it
    en: str
    en_noun: str  # "Fill in your … in your profile"
    unit: str = ""  # "fen", "persons", "years"
    derived_from: tuple[str, ...] = ()  # a derived field: what to fill in when it is unknown
    choices: tuple[str, ...] = ()


FIELDS: dict[str, FieldInfo] = {f.name: f for f in (
    FieldInfo("district", CHOICE, "所在区（市）", "District", "district", derived_from=("uscc",)),
    FieldInfo("industry_code", CODE, "所属行业代码", "Industry code", "industry code (GB/T 4754)"),
    FieldInfo("founded_on", DAY, "成立日期", "Founding date", "founding date"),
    FieldInfo("years_since_founding", NUMBER, "成立年限", "Years since founding", "founding date", unit="years",
              derived_from=("founded_on",)),
    FieldInfo("registered_capital_fen", NUMBER, "注册资本", "Registered capital", "registered capital", unit="fen"),
    FieldInfo("employees", NUMBER, "从业人员", "Employees", "number of employees", unit="persons"),
    FieldInfo("revenue_fen", NUMBER, "上年营业收入", "Last year's revenue", "last year's revenue", unit="fen"),
    FieldInfo("assets_fen", NUMBER, "资产总额", "Total assets", "total assets", unit="fen"),
    FieldInfo("rd_expense_fen", NUMBER, "研发费用", "R&D expenses", "R&D expenses", unit="fen"),
    FieldInfo("size_class", CHOICE, "企业规模", "Enterprise size", "enterprise size", choices=SIZES,
              derived_from=("industry_code", "employees", "revenue_fen", "assets_fen")),
    FieldInfo("certifications", SET, "资质认定", "Certifications", "certifications", choices=tuple(CERTIFICATIONS)),
    FieldInfo("tax_credit_rating", CHOICE, "纳税信用等级", "Tax credit rating", "tax credit rating",
              choices=TAX_CREDIT_RATINGS),
)}
# What an enterprise declares or an import brings (the rest is derived).
STORED_FIELDS = ("name", "industry_code", "founded_on", "registered_capital_fen", "employees", "revenue_fen",
                 "assets_fen", "rd_expense_fen", "certifications", "tax_credit_rating")
FIELD_NOUNS = {**{name: (info.zh, info.en_noun) for name, info in FIELDS.items()}, "name": ("企业名称", "name")}


def years_since(founded_on: date, today: date) -> int:
    """Whole years from founding to `today`: the count goes up on the anniversary itself (a company
    founded on 29 February has its anniversary on 1 March in other years)."""
    return today.year - founded_on.year - ((today.month, today.day) < (founded_on.month, founded_on.day))


def size_of(industry_code: str | None, employees: int | None, revenue_fen: int | None,
            assets_fen: int | None) -> SizeResult:
    """MIIT 2011 size (functions/refdata/enterprise_size.py) from the profile's figures."""
    if industry_code is None:
        return SizeResult(None, "缺少所属行业代码，无法划型", ["industry_code"], SIZES)
    try:
        group = industry_group(industry_code)
    except ValidationFailed as error:
        return SizeResult(None, f"行业代码 {industry_code} 无法按划型标准归类：{error.errors[0].message}", [], SIZES)
    to_wan = (lambda fen: None if fen is None else fen / FEN_PER_WAN)
    result = classify(group, employees, to_wan(revenue_fen), to_wan(assets_fen))
    # classify names its own figures (revenue_wan); say them as the profile does.
    names = {"employees": "employees", "revenue_wan": "revenue_fen", "assets_wan": "assets_fen"}
    return SizeResult(result.size, result.basis, [names[m] for m in result.missing], result.possible)


@dataclass(frozen=True)
class Fact:
    value: Any
    source: str  # self_declared | imported | derived
    as_of: date | None = None


@dataclass(frozen=True)
class ProfileFacts:
    """What is known about one enterprise, as eligibility reads it: field → Fact (absent = unknown).

    `years_since_founding` depends on the day asked about, so it is computed by `get(name, today)`.
    """

    uscc: str
    facts: Mapping[str, Fact] = field(default_factory=dict)
    size_missing: tuple[str, ...] = ()  # what the size class still needs, when it is unknown

    def get(self, name: str, today: date) -> Fact | None:
        if name == "years_since_founding":
            founded = self.facts.get("founded_on")
            if founded is None:
                return None
            return Fact(years_since(founded.value, today), DERIVED, today)
        return self.facts.get(name)

    def needs(self, name: str) -> tuple[str, ...]:
        """The stored fields to fill in for an unknown field to become known."""
        if name == "size_class":
            return self.size_missing or FIELDS[name].derived_from
        info = FIELDS.get(name)
        return info.derived_from if info and info.derived_from else (name,)


def facts_of(uscc: str, district: str, stored: Mapping[str, Fact]) -> ProfileFacts:
    """The facts of a profile: its stored fields, its district and its size class."""
    facts: dict[str, Fact] = {"district": Fact(district, DERIVED)}
    facts.update({name: fact for name, fact in stored.items() if fact is not None and fact.value is not None})
    value = (lambda name: facts[name].value if name in facts else None)
    size = size_of(value("industry_code"), value("employees"), value("revenue_fen"), value("assets_fen"))
    if size.size is not None:
        facts["size_class"] = Fact(size.size, DERIVED)
    missing = tuple(size.missing) if size.size is None else ()
    return ProfileFacts(uscc, facts, missing)
