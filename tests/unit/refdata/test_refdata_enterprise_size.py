"""Boundaries of every group of 工信部联企业〔2011〕300号 第四条.

`REGULATION` is typed in again from the regulation text (not imported), so a wrong number in the
module's table fails here.
"""
import math

import pytest

from functions.refdata.enterprise_size import STANDARDS, Industry, classify, industry_group
from functions.shared.errors import ValidationFailed

E, R, A = "employees", "revenue_wan", "assets_wan"

# group: {indicator: (SME ceiling "以下", medium floor "及以上", small floor "及以上")}
REGULATION = {
    Industry.AGRICULTURE: {R: (20000, 500, 50)},
    Industry.INDUSTRY: {E: (1000, 300, 20), R: (40000, 2000, 300)},
    Industry.CONSTRUCTION: {R: (80000, 6000, 300), A: (80000, 5000, 300)},
    Industry.WHOLESALE: {E: (200, 20, 5), R: (40000, 5000, 1000)},
    Industry.RETAIL: {E: (300, 50, 10), R: (20000, 500, 100)},
    Industry.TRANSPORT: {E: (1000, 300, 20), R: (30000, 3000, 200)},
    Industry.WAREHOUSING: {E: (200, 100, 20), R: (30000, 1000, 100)},
    Industry.POSTAL: {E: (1000, 300, 20), R: (30000, 2000, 100)},
    Industry.ACCOMMODATION: {E: (300, 100, 10), R: (10000, 2000, 100)},
    Industry.CATERING: {E: (300, 100, 10), R: (10000, 2000, 100)},
    Industry.INFORMATION_TRANSMISSION: {E: (2000, 100, 10), R: (100000, 1000, 100)},
    Industry.SOFTWARE_IT: {E: (300, 100, 10), R: (10000, 1000, 50)},
    Industry.REAL_ESTATE_DEVELOPMENT: {R: (200000, 1000, 100), A: (10000, 5000, 2000)},
    Industry.PROPERTY_MANAGEMENT: {E: (1000, 300, 100), R: (5000, 1000, 500)},
    Industry.LEASING_BUSINESS: {E: (300, 100, 10), A: (120000, 8000, 100)},
    Industry.OTHER: {E: (300, 100, 10)},
}

TIER = {"ceiling": 0, "medium": 1, "small": 2}
BELOW = {"ceiling": "medium", "medium": "small", "small": "micro"}
AT = {"ceiling": "large", "medium": "medium", "small": "small"}


def test_sixteen_groups():
    assert len(Industry) == 16 and set(STANDARDS) == set(Industry)


@pytest.mark.parametrize("industry", list(Industry))
def test_module_table_matches_regulation(industry):
    table = {t.indicator: (t.sme_ceiling, t.medium_floor, t.small_floor) for t in STANDARDS[industry].thresholds}
    assert table == REGULATION[industry]


def _figures(industry, tier, lowered=None, delta=1):
    values = {E: None, R: None, A: None}
    for indicator, limits in REGULATION[industry].items():
        values[indicator] = limits[TIER[tier]]
    if lowered:
        values[lowered] -= delta
    if values[E] is not None:
        values[E] = int(values[E])
    return values


def _cases():
    for industry, limits in REGULATION.items():
        for tier in TIER:
            yield pytest.param(industry, _figures(industry, tier), AT[tier], id=f"{industry}-at-{tier}")
            for indicator in limits:
                yield pytest.param(industry, _figures(industry, tier, indicator), BELOW[tier],
                                   id=f"{industry}-{indicator}-one-below-{tier}")
                if indicator != E:
                    yield pytest.param(industry, _figures(industry, tier, indicator, 0.01), BELOW[tier],
                                       id=f"{industry}-{indicator}-0.01-below-{tier}")
        yield pytest.param(industry, {E: 0, R: 0, A: 0}, "micro", id=f"{industry}-zero")
        yield pytest.param(industry, {E: 10**6, R: 10.0**7, A: 10.0**7}, "large", id=f"{industry}-huge")


@pytest.mark.parametrize("industry,figures,expected", list(_cases()))
def test_boundaries(industry, figures, expected):
    result = classify(industry, figures[E], figures[R], figures[A])
    assert result.size == expected
    assert result.possible == (expected,)
    assert result.missing == []
    assert "工信部联企业〔2011〕300号" in result.basis and STANDARDS[industry].article in result.basis


# Hand-picked cases, read straight off the regulation's sentences.
@pytest.mark.parametrize("industry,employees,revenue,assets,expected", [
    # 工业: 1000人以下或40000万元以下为中小微 — large needs both.
    (Industry.INDUSTRY, 1000, 40000, None, "large"),
    (Industry.INDUSTRY, 5000, 39999, None, "medium"),
    (Industry.INDUSTRY, 999, 1_000_000, None, "medium"),
    (Industry.INDUSTRY, 300, 1999, None, "small"),
    (Industry.INDUSTRY, 20, 300, None, "small"),
    (Industry.INDUSTRY, 19, 100000, None, "micro"),
    (Industry.INDUSTRY, 5000, 299, None, "micro"),
    # 批发业: 中型 20人且5000万元.
    (Industry.WHOLESALE, 20, 5000, None, "medium"),
    (Industry.WHOLESALE, 4, 30000, None, "micro"),
    # 房地产开发经营: revenue + assets, no employees.
    (Industry.REAL_ESTATE_DEVELOPMENT, 9999, 300000, 9999, "medium"),
    (Industry.REAL_ESTATE_DEVELOPMENT, None, 200000, 10000, "large"),
    (Industry.REAL_ESTATE_DEVELOPMENT, None, 5000, 1999, "micro"),
    # 租赁和商务服务业: employees + assets; revenue does not matter.
    (Industry.LEASING_BUSINESS, 300, 0, 120000, "large"),
    (Industry.LEASING_BUSINESS, 12, None, 650, "small"),
    # 农林牧渔业: revenue only.
    (Industry.AGRICULTURE, 100000, 499, 10**6, "small"),
    (Industry.AGRICULTURE, None, 20000, None, "large"),
    # 其他未列明行业: employees only.
    (Industry.OTHER, 300, None, None, "large"),
    (Industry.OTHER, 299, 10**7, 10**7, "medium"),
    (Industry.OTHER, 9, None, None, "micro"),
])
def test_regulation_examples(industry, employees, revenue, assets, expected):
    assert classify(industry, employees, revenue, assets).size == expected


@pytest.mark.parametrize("industry,employees,revenue,assets,size,missing,possible", [
    # A known figure below the small floor decides micro whatever the missing one is.
    (Industry.INDUSTRY, 19, None, None, "micro", [R], ("micro",)),
    (Industry.CONSTRUCTION, None, 200, None, "micro", [A], ("micro",)),
    (Industry.INDUSTRY, None, 299.99, None, "micro", [E], ("micro",)),
    # Otherwise the size stays open: no guess.
    (Industry.INDUSTRY, 1500, None, None, None, [R], ("large", "medium", "small", "micro")),
    (Industry.INDUSTRY, 999, None, None, None, [R], ("medium", "small", "micro")),
    (Industry.INDUSTRY, 300, None, None, None, [R], ("medium", "small", "micro")),
    (Industry.INDUSTRY, 100, None, None, None, [R], ("small", "micro")),
    (Industry.INDUSTRY, None, 50000, None, None, [E], ("large", "medium", "small", "micro")),
    (Industry.INDUSTRY, None, None, None, None, [E, R], ("large", "medium", "small", "micro")),
    (Industry.AGRICULTURE, 50, None, 100, None, [R], ("large", "medium", "small", "micro")),
    (Industry.OTHER, None, 100, 100, None, [E], ("large", "medium", "small", "micro")),
    (Industry.REAL_ESTATE_DEVELOPMENT, None, 1000, None, None, [A], ("medium", "small", "micro")),
    (Industry.LEASING_BUSINESS, 150, 100, None, None, [A], ("medium", "small", "micro")),
    (Industry.LEASING_BUSINESS, 300, 100, None, None, [A], ("large", "medium", "small", "micro")),
    # Figures the group does not use are never reported as missing.
    (Industry.INDUSTRY, 350, 2500, None, "medium", [], ("medium",)),
    (Industry.LEASING_BUSINESS, 12, None, 650, "small", [], ("small",)),
])
def test_missing_figures(industry, employees, revenue, assets, size, missing, possible):
    result = classify(industry, employees, revenue, assets)
    assert result.size == size
    assert result.missing == missing
    assert result.possible == possible
    if size is None:
        assert "缺少" in result.basis and result.size_zh is None


def test_accepts_group_value_string():
    assert classify("software_it", 86, 4200, 3100).size == "small"


@pytest.mark.parametrize("kwargs,field", [
    (dict(employees=-1), E),
    (dict(employees=True), E),
    (dict(employees=2.5), E),
    (dict(revenue_wan=-0.01), R),
    (dict(revenue_wan=math.nan), R),
    (dict(assets_wan=math.inf), A),
    (dict(assets_wan="100"), A),
])
def test_rejects_bad_figures(kwargs, field):
    figures = {E: 10, R: 10, A: 10} | kwargs
    with pytest.raises(ValidationFailed) as info:
        classify(Industry.INDUSTRY, figures[E], figures[R], figures[A])
    assert [e.field for e in info.value.errors] == [field]


def test_rejects_unknown_group():
    with pytest.raises(ValidationFailed):
        classify("banking", 1, 1, 1)


@pytest.mark.parametrize("code,group", [
    ("A", Industry.AGRICULTURE), ("A0141", Industry.AGRICULTURE), ("05", Industry.AGRICULTURE),
    ("B", Industry.INDUSTRY), ("06", Industry.INDUSTRY), ("C", Industry.INDUSTRY), ("C1830", Industry.INDUSTRY),
    ("c18", Industry.INDUSTRY), (" D4411 ", Industry.INDUSTRY), ("46", Industry.INDUSTRY),
    ("E", Industry.CONSTRUCTION), ("4710", Industry.CONSTRUCTION), ("E50", Industry.CONSTRUCTION),
    ("F51", Industry.WHOLESALE), ("5111", Industry.WHOLESALE), ("F52", Industry.RETAIL), ("5211", Industry.RETAIL),
    ("G54", Industry.TRANSPORT), ("G5810", Industry.TRANSPORT), ("56", Industry.TRANSPORT),
    ("G591", Industry.TRANSPORT), ("G5910", Industry.TRANSPORT),
    ("G59", Industry.WAREHOUSING), ("G5920", Industry.WAREHOUSING), ("5990", Industry.WAREHOUSING),
    ("G60", Industry.POSTAL), ("6010", Industry.POSTAL),
    ("G53", Industry.OTHER),  # 交通运输业不含铁路运输业
    ("H61", Industry.ACCOMMODATION), ("6110", Industry.ACCOMMODATION), ("H62", Industry.CATERING), ("H6210", Industry.CATERING),
    ("I63", Industry.INFORMATION_TRANSMISSION), ("I64", Industry.INFORMATION_TRANSMISSION), ("6410", Industry.INFORMATION_TRANSMISSION),
    ("I65", Industry.SOFTWARE_IT), ("I6513", Industry.SOFTWARE_IT),
    ("K7010", Industry.REAL_ESTATE_DEVELOPMENT), ("701", Industry.REAL_ESTATE_DEVELOPMENT),
    ("K7020", Industry.PROPERTY_MANAGEMENT), ("7020", Industry.PROPERTY_MANAGEMENT),
    ("K7030", Industry.OTHER), ("K7090", Industry.OTHER),
    ("L", Industry.LEASING_BUSINESS), ("L7211", Industry.LEASING_BUSINESS), ("72", Industry.LEASING_BUSINESS),
    ("M", Industry.OTHER), ("N", Industry.OTHER), ("O", Industry.OTHER), ("P", Industry.OTHER),
    ("Q", Industry.OTHER), ("R", Industry.OTHER), ("S", Industry.OTHER), ("M7310", Industry.OTHER),
])
def test_industry_group(code, group):
    assert industry_group(code) == group


@pytest.mark.parametrize("code,fragment", [
    ("", "GB/T 4754 code"),
    ("X", "GB/T 4754 code"),
    ("C1", "GB/T 4754 code"),
    ("C18300", "GB/T 4754 code"),
    ("00", "does not exist"),
    ("99", "does not exist"),
    ("C51", "belongs to section F"),
    ("F", "split"), ("G", "split"), ("H", "split"), ("I", "split"), ("K", "split"), ("K70", "split"),
    ("J", "not covered"), ("J6620", "not covered"), ("T", "not covered"),
    (None, "GB/T 4754 code"),
])
def test_industry_group_errors(code, fragment):
    with pytest.raises(ValidationFailed) as info:
        industry_group(code, field="industry")
    [error] = info.value.errors
    assert error.field == "industry" and fragment in error.message
