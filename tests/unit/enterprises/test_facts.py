"""The profile's facts: derived fields (years since founding, size class), and what an unknown needs."""
from __future__ import annotations

from datetime import date

import pytest

from functions.enterprises.facts import DERIVED, Fact, facts_of, size_of, years_since
from functions.enterprises.seed import PROFILES
from functions.refdata.demo import load_demo


@pytest.mark.parametrize("founded,today,years", [
    (date(2016, 11, 21), date(2026, 11, 20), 9),
    (date(2016, 11, 21), date(2026, 11, 21), 10),
    (date(2016, 11, 21), date(2026, 12, 31), 10),
    (date(2024, 2, 29), date(2025, 2, 28), 0),
    (date(2024, 2, 29), date(2025, 3, 1), 1),
    (date(2024, 2, 29), date(2028, 2, 29), 4),
    (date(2026, 11, 20), date(2026, 11, 20), 0),
])
def test_years_since_founding(founded, today, years):
    assert years_since(founded, today) == years


@pytest.mark.parametrize("code,employees,revenue_fen,assets_fen,size,missing", [
    ("C1830", 380, 26500 * 10**6, None, "medium", []),  # 工业: assets are not an indicator
    ("C1830", 15, 200 * 10**6, None, "micro", []),
    ("I6513", 86, 4200 * 10**6, None, "small", []),  # software: medium needs 100 persons
    ("F5111", 45, None, None, None, ["revenue_fen"]),
    ("L7211", 12, None, 650 * 10**6, "small", []),
    (None, 12, 1, 1, None, ["industry_code"]),
    ("J6620", 100, 1, 1, None, []),  # finance: another standard; never guessed
    ("F", 10, 1, 1, None, []),  # a split section needs its division
])
def test_size_of(code, employees, revenue_fen, assets_fen, size, missing):
    result = size_of(code, employees, revenue_fen, assets_fen)
    assert (result.size, list(result.missing)) == (size, missing)
    assert result.basis


def test_facts_derive_district_and_size_and_say_what_an_unknown_size_needs():
    known = facts_of("91370212MA3EK9W53N", "370212", {
        "industry_code": Fact("I6513", "imported", date(2026, 6, 30)), "employees": Fact(86, "self_declared", None),
        "revenue_fen": Fact(4200 * 10**6, "self_declared", None)})
    assert known.facts["district"] == Fact("370212", DERIVED)
    assert known.facts["size_class"] == Fact("small", DERIVED)
    unknown = facts_of("91370212MA3EK9W53N", "370212", {"industry_code": Fact("C3911", "imported", None)})
    assert "size_class" not in unknown.facts
    assert unknown.needs("size_class") == ("employees", "revenue_fen")
    assert unknown.needs("years_since_founding") == ("founded_on",)
    assert unknown.get("years_since_founding", date(2026, 11, 20)) is None


def test_demo_profiles_agree_with_the_organisation_directory():
    directory = {e.uscc: e for e in load_demo().enterprises}
    for uscc, fields in PROFILES.items():
        enterprise = directory[uscc]
        assert fields["industry_code"][0] == enterprise.industry_code
        assert fields["employees"][0] == enterprise.employees
        assert fields["revenue_fen"][0] == enterprise.revenue_wan * 10**6
        assert fields["assets_fen"][0] == enterprise.assets_wan * 10**6
        assert fields["name"][0] == enterprise.name_zh
        assert uscc[2:8] == enterprise.district
