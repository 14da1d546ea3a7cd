"""Demo profiles, loaded once (conditional puts) for local and dev stages. The figures agree with
the organisation directory (functions/refdata/data/demo.json): the same industry codes, employees,
revenue and assets; the rest is what a profile page would show. Some fields are imported (from the
market regulator, the tax bureau, the science and industry bureaus, with the day their data
describes), others self-declared."""
from __future__ import annotations

from datetime import date

from functions.enterprises.models import EnterpriseProfile, SourcedList, SourcedNumber, SourcedText, district_of
from functions.enterprises.service import LIST_FIELDS, TEXT_FIELDS
from functions.shared.models import put_if_absent

WAN = 1_000_000  # fen in 1 万元
MARKET = date(2026, 6, 30)  # the market regulator's registration data
TAX = date(2026, 4, 30)  # the tax bureau's annual credit rating
DECLARED = date(2026, 11, 2)  # what the enterprises said on their profile pages

# uscc → field → (value, source, as_of)
PROFILES: dict[str, dict[str, tuple]] = {
    # 青岛正日信企业管理有限公司: a small business-services firm (L7211) in 市南区.
    "91370202MA3C4R7K75": {
        "name": ("青岛正日信企业管理有限公司", "imported", MARKET),
        "industry_code": ("L7211", "imported", MARKET),
        "founded_on": ("2016-05-18", "imported", MARKET),
        "registered_capital_fen": (500 * WAN, "imported", MARKET),
        "employees": (12, "self_declared", DECLARED),
        "revenue_fen": (380 * WAN, "self_declared", DECLARED),
        "assets_fen": (650 * WAN, "self_declared", DECLARED),
        "certifications": ([], "self_declared", DECLARED),
        "tax_credit_rating": ("A", "imported", TAX),
    },
    # 海联国际贸易: a wholesale trader (F5111) in 黄岛区, medium-sized; no R&D.
    "91370211MA3D2H8N0J": {
        "name": ("青岛西海岸新区海联国际贸易有限公司", "imported", MARKET),
        "industry_code": ("F5111", "imported", MARKET),
        "founded_on": ("2018-09-06", "imported", MARKET),
        "registered_capital_fen": (2000 * WAN, "imported", MARKET),
        "employees": (45, "self_declared", DECLARED),
        "revenue_fen": (18600 * WAN, "self_declared", DECLARED),
        "assets_fen": (7200 * WAN, "self_declared", DECLARED),
        "tax_credit_rating": ("B", "imported", TAX),
    },
    # 蓝海智联软件: a small software company (I6513) in 崂山区, a high-tech and technology-based SME.
    "91370212MA3EK9W53N": {
        "name": ("青岛蓝海智联软件有限公司", "imported", MARKET),
        "industry_code": ("I6513", "imported", MARKET),
        "founded_on": ("2019-03-12", "imported", MARKET),
        "registered_capital_fen": (1000 * WAN, "imported", MARKET),
        "employees": (86, "self_declared", DECLARED),
        "revenue_fen": (4200 * WAN, "self_declared", DECLARED),
        "assets_fen": (3100 * WAN, "self_declared", DECLARED),
        "rd_expense_fen": (620 * WAN, "self_declared", DECLARED),
        "certifications": (["high_tech", "tech_sme"], "imported", date(2025, 12, 15)),
        "tax_credit_rating": ("A", "imported", TAX),
    },
    # 恒信针织服饰: a medium knitwear manufacturer (C1830) in 即墨区, 专精特新 and innovative.
    "91370215MA3BX6T2X4": {
        "name": ("青岛即墨恒信针织服饰有限公司", "imported", MARKET),
        "industry_code": ("C1830", "imported", MARKET),
        "founded_on": ("2009-07-20", "imported", MARKET),
        "registered_capital_fen": (3000 * WAN, "imported", MARKET),
        "employees": (380, "imported", MARKET),
        "revenue_fen": (26500 * WAN, "self_declared", DECLARED),
        "assets_fen": (19800 * WAN, "self_declared", DECLARED),
        "rd_expense_fen": (980 * WAN, "self_declared", DECLARED),
        "certifications": (["innovative_sme", "specialized_sme"], "imported", date(2026, 3, 31)),
        "tax_credit_rating": ("A", "imported", TAX),
    },
}


def demo_profiles() -> list[EnterpriseProfile]:
    profiles = []
    for uscc, fields in PROFILES.items():
        profile = EnterpriseProfile(uscc=uscc, district=district_of(uscc), updated_at="2026-11-02T02:00:00.000000Z")
        for name, (value, source, as_of) in fields.items():
            kind = SourcedList if name in LIST_FIELDS else SourcedText if name in TEXT_FIELDS else SourcedNumber
            setattr(profile, name, kind(value=sorted(value) if name in LIST_FIELDS else value, source=source,
                                        as_of=as_of.isoformat()))
        profiles.append(profile)
    return profiles


def seed() -> dict[str, int]:
    return {"enterprise_profiles": sum(put_if_absent(p, EnterpriseProfile.uscc) for p in demo_profiles())}
