"""Enterprise size (大型/中型/小型/微型) under the MIIT 2011 standard.

Source: 工业和信息化部、国家统计局、国家发展和改革委员会、财政部《关于印发中小企业划型标准规定的
通知》（工信部联企业〔2011〕300号）, annex 《中小企业划型标准规定》. Article numbers below refer to
that annex:

- 第二条: SMEs are split into medium, small and micro by employees (从业人员), revenue
  (营业收入) and total assets (资产总额), per industry.
- 第三条: the industries covered (16 groups; 交通运输业 excludes railway transport).
- 第四条（一）–（十六）: the thresholds, in `STANDARDS` below.
- 第六条: industries not listed are classified by reference to these rules (参照).
- 第七条: the upper limit of "medium" is the lower limit of "large".

Rule shapes (the same in every group; an indicator is one of the group's one or two figures):

- SME ceiling  "A 以下 或 B 以下的为中小微型企业": large only if *every* indicator is at or
  above its ceiling;
- medium/small "A 及以上，且 B 及以上": every indicator at or above the floor;
- micro        "A 以下 或 B 以下": any indicator below the small floor.

"以下" is strictly below and "及以上" is at or above (the regulation pairs them so that each
value falls in exactly one tier: 20 employees in 工业 is small, 19 is micro).

A figure the group needs but that is missing is never guessed: `classify` decides the size only
if every possible value of the missing figures leads to the same size; otherwise `size` is None
and `possible` lists the sizes still open.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import StrEnum

from functions.shared.errors import FieldError, ValidationFailed

SOURCE = "《中小企业划型标准规定》（工信部联企业〔2011〕300号）"

SIZES = ("large", "medium", "small", "micro")
SIZE_NAMES_ZH = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}

EMPLOYEES = "employees"
REVENUE = "revenue_wan"
ASSETS = "assets_wan"
INDICATOR_NAMES_ZH = {EMPLOYEES: "从业人员", REVENUE: "营业收入", ASSETS: "资产总额"}
INDICATOR_UNITS_ZH = {EMPLOYEES: "人", REVENUE: "万元", ASSETS: "万元"}


class Industry(StrEnum):
    """The 16 industry groups of 第三条/第四条, in the regulation's order."""

    AGRICULTURE = "agriculture"                          # 农、林、牧、渔业
    INDUSTRY = "industry"                                # 工业
    CONSTRUCTION = "construction"                        # 建筑业
    WHOLESALE = "wholesale"                              # 批发业
    RETAIL = "retail"                                    # 零售业
    TRANSPORT = "transport"                              # 交通运输业（不含铁路运输业）
    WAREHOUSING = "warehousing"                          # 仓储业
    POSTAL = "postal"                                    # 邮政业
    ACCOMMODATION = "accommodation"                      # 住宿业
    CATERING = "catering"                                # 餐饮业
    INFORMATION_TRANSMISSION = "information_transmission"  # 信息传输业
    SOFTWARE_IT = "software_it"                          # 软件和信息技术服务业
    REAL_ESTATE_DEVELOPMENT = "real_estate_development"  # 房地产开发经营
    PROPERTY_MANAGEMENT = "property_management"          # 物业管理
    LEASING_BUSINESS = "leasing_business"                # 租赁和商务服务业
    OTHER = "other"                                      # 其他未列明行业


@dataclass(frozen=True)
class Threshold:
    """One indicator of a group: SME ceiling, medium floor, small floor (same unit as the input)."""

    indicator: str
    sme_ceiling: float
    medium_floor: float
    small_floor: float


@dataclass(frozen=True)
class Standard:
    article: str  # item of 第四条
    name_zh: str
    thresholds: tuple[Threshold, ...]

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(t.indicator for t in self.thresholds)


def _std(article: str, name_zh: str, **limits: tuple[float, float, float]) -> Standard:
    return Standard(article, name_zh, tuple(Threshold(k, *v) for k, v in limits.items()))


# 第四条 各行业划型标准. Each indicator: (SME ceiling, medium floor, small floor).
# Employees in persons (人), revenue and assets in 10 000 yuan (万元).
STANDARDS: dict[Industry, Standard] = {
    # （一）营业收入20000万元以下的为中小微型企业。500万元及以上中型，50万元及以上小型，50万元以下微型。
    Industry.AGRICULTURE: _std("第四条（一）", "农、林、牧、渔业",
                               revenue_wan=(20000, 500, 50)),
    # （二）从业人员1000人以下或营业收入40000万元以下；中型300人且2000万元；小型20人且300万元。
    Industry.INDUSTRY: _std("第四条（二）", "工业",
                            employees=(1000, 300, 20), revenue_wan=(40000, 2000, 300)),
    # （三）营业收入80000万元以下或资产总额80000万元以下；中型6000万元且5000万元；小型300万元且300万元。
    Industry.CONSTRUCTION: _std("第四条（三）", "建筑业",
                                revenue_wan=(80000, 6000, 300), assets_wan=(80000, 5000, 300)),
    # （四）从业人员200人以下或营业收入40000万元以下；中型20人且5000万元；小型5人且1000万元。
    Industry.WHOLESALE: _std("第四条（四）", "批发业",
                             employees=(200, 20, 5), revenue_wan=(40000, 5000, 1000)),
    # （五）从业人员300人以下或营业收入20000万元以下；中型50人且500万元；小型10人且100万元。
    Industry.RETAIL: _std("第四条（五）", "零售业",
                          employees=(300, 50, 10), revenue_wan=(20000, 500, 100)),
    # （六）从业人员1000人以下或营业收入30000万元以下；中型300人且3000万元；小型20人且200万元。
    Industry.TRANSPORT: _std("第四条（六）", "交通运输业",
                             employees=(1000, 300, 20), revenue_wan=(30000, 3000, 200)),
    # （七）从业人员200人以下或营业收入30000万元以下；中型100人且1000万元；小型20人且100万元。
    Industry.WAREHOUSING: _std("第四条（七）", "仓储业",
                               employees=(200, 100, 20), revenue_wan=(30000, 1000, 100)),
    # （八）从业人员1000人以下或营业收入30000万元以下；中型300人且2000万元；小型20人且100万元。
    Industry.POSTAL: _std("第四条（八）", "邮政业",
                          employees=(1000, 300, 20), revenue_wan=(30000, 2000, 100)),
    # （九）从业人员300人以下或营业收入10000万元以下；中型100人且2000万元；小型10人且100万元。
    Industry.ACCOMMODATION: _std("第四条（九）", "住宿业",
                                 employees=(300, 100, 10), revenue_wan=(10000, 2000, 100)),
    # （十）从业人员300人以下或营业收入10000万元以下；中型100人且2000万元；小型10人且100万元。
    Industry.CATERING: _std("第四条（十）", "餐饮业",
                            employees=(300, 100, 10), revenue_wan=(10000, 2000, 100)),
    # （十一）从业人员2000人以下或营业收入100000万元以下；中型100人且1000万元；小型10人且100万元。
    Industry.INFORMATION_TRANSMISSION: _std("第四条（十一）", "信息传输业",
                                            employees=(2000, 100, 10), revenue_wan=(100000, 1000, 100)),
    # （十二）从业人员300人以下或营业收入10000万元以下；中型100人且1000万元；小型10人且50万元。
    Industry.SOFTWARE_IT: _std("第四条（十二）", "软件和信息技术服务业",
                               employees=(300, 100, 10), revenue_wan=(10000, 1000, 50)),
    # （十三）营业收入200000万元以下或资产总额10000万元以下；中型1000万元且5000万元；小型100万元且2000万元。
    Industry.REAL_ESTATE_DEVELOPMENT: _std("第四条（十三）", "房地产开发经营",
                                           revenue_wan=(200000, 1000, 100), assets_wan=(10000, 5000, 2000)),
    # （十四）从业人员1000人以下或营业收入5000万元以下；中型300人且1000万元；小型100人且500万元。
    Industry.PROPERTY_MANAGEMENT: _std("第四条（十四）", "物业管理",
                                       employees=(1000, 300, 100), revenue_wan=(5000, 1000, 500)),
    # （十五）从业人员300人以下或资产总额120000万元以下；中型100人且8000万元；小型10人且100万元。
    Industry.LEASING_BUSINESS: _std("第四条（十五）", "租赁和商务服务业",
                                    employees=(300, 100, 10), assets_wan=(120000, 8000, 100)),
    # （十六）从业人员300人以下的为中小微型企业；100人及以上中型；10人及以上小型；10人以下微型。
    Industry.OTHER: _std("第四条（十六）", "其他未列明行业",
                         employees=(300, 100, 10)),
}


@dataclass(frozen=True)
class SizeResult:
    size: str | None  # "large" | "medium" | "small" | "micro", or None when missing data decides
    basis: str  # human-readable (Chinese) reason, citing the article
    missing: list[str] = field(default_factory=list)  # indicators the group uses that were not given
    possible: tuple[str, ...] = ()  # sizes consistent with the given figures (one when decided)

    @property
    def size_zh(self) -> str | None:
        return SIZE_NAMES_ZH[self.size] if self.size else None


def _all_at_least(values: dict[str, float | None], floors: dict[str, float]) -> bool | None:
    """Three-valued "every indicator ≥ its floor": False if a known one is below, None if unknown."""
    result: bool | None = True
    for indicator, floor in floors.items():
        value = values[indicator]
        if value is None:
            result = None
        elif value < floor:
            return False
    return result


def _check_figures(employees, revenue_wan, assets_wan) -> None:
    errors = []
    if employees is not None and (isinstance(employees, bool) or not isinstance(employees, int) or employees < 0):
        errors.append(FieldError(EMPLOYEES, "must be a whole number of persons, 0 or more"))
    for name, value in ((REVENUE, revenue_wan), (ASSETS, assets_wan)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            errors.append(FieldError(name, "must be an amount in 万元 (10 000 yuan), 0 or more"))
    if errors:
        raise ValidationFailed(errors)


def _describe(floors: dict[str, float], joiner: str, relation: str) -> str:
    return joiner.join(
        f"{INDICATOR_NAMES_ZH[i]}{_num(v)}{INDICATOR_UNITS_ZH[i]}{relation}" for i, v in floors.items()
    )


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def classify(
    industry: Industry | str,
    employees: int | None,
    revenue_wan: float | None,
    assets_wan: float | None,
) -> SizeResult:
    """Size of an enterprise of `industry` (a regulation group, see `industry_group`).

    Only the figures the group uses matter; the others are ignored. `missing` lists the group's
    figures that were not given (in the order of the regulation). `size` is None exactly when
    those missing figures could change the outcome.
    """
    try:
        industry = Industry(industry)
    except ValueError:
        raise ValidationFailed([FieldError("industry", f"unknown industry group {industry!r}")]) from None
    _check_figures(employees, revenue_wan, assets_wan)
    standard = STANDARDS[industry]
    values = {EMPLOYEES: employees, REVENUE: revenue_wan, ASSETS: assets_wan}
    missing = [i for i in standard.indicators if values[i] is None]

    ceiling = {t.indicator: t.sme_ceiling for t in standard.thresholds}
    medium = {t.indicator: t.medium_floor for t in standard.thresholds}
    small = {t.indicator: t.small_floor for t in standard.thresholds}
    is_large = _all_at_least(values, ceiling)
    is_medium_up = _all_at_least(values, medium)
    is_small_up = _all_at_least(values, small)
    # Thresholds are monotone (ceiling ≥ medium floor ≥ small floor for each indicator), so these
    # three-valued results give the exact set of sizes the missing figures still allow.
    possible = tuple(
        size for size, ok in (
            ("large", is_large is not False),
            ("medium", is_large is not True and is_medium_up is not False),
            ("small", is_medium_up is not True and is_small_up is not False),
            ("micro", is_small_up is not True),
        ) if ok
    )

    prefix = f"{SOURCE}{standard.article}{standard.name_zh}："
    if len(possible) != 1:
        names = "、".join(INDICATOR_NAMES_ZH[i] for i in missing)
        open_sizes = "、".join(SIZE_NAMES_ZH[s] for s in possible)
        return SizeResult(None, f"{prefix}缺少{names}数据，无法划型（可能为{open_sizes}企业）", missing, possible)

    size = possible[0]
    if size == "large":
        reason = f"{_describe(ceiling, '且', '及以上')}，超出中小微型企业标准上限"
    elif size == "medium":
        reason = f"{_describe(medium, '且', '及以上')}，未达大型企业标准"
    elif size == "small":
        reason = f"{_describe(small, '且', '及以上')}，未达中型企业标准"
    else:
        below = {i: v for i, v in small.items() if values[i] is not None and values[i] < v}
        reason = _describe(below, "或", "以下")
    return SizeResult(size, f"{prefix}{reason}，为{SIZE_NAMES_ZH[size]}企业", missing, possible)


# ---------------------------------------------------------------------------------------------
# GB/T 4754-2017 (国民经济行业分类) → regulation group.
#
# Sections and their 2-digit divisions (门类 → 大类).
_SECTION_DIVISIONS: dict[str, range] = {
    "A": range(1, 6), "B": range(6, 13), "C": range(13, 44), "D": range(44, 47),
    "E": range(47, 51), "F": range(51, 53), "G": range(53, 61), "H": range(61, 63),
    "I": range(63, 66), "J": range(66, 70), "K": range(70, 71), "L": range(71, 73),
    "M": range(73, 76), "N": range(76, 80), "O": range(80, 83), "P": range(83, 84),
    "Q": range(84, 86), "R": range(86, 91), "S": range(91, 97), "T": range(97, 98),
}

# Sections that map to one group as a whole (第三条). M, N, O, Q, R are named in 第三条's
# "其他未列明行业" list; P and S are not named and fall there by 第六条 (参照).
_WHOLE_SECTIONS: dict[str, Industry] = {
    "A": Industry.AGRICULTURE,
    "B": Industry.INDUSTRY, "C": Industry.INDUSTRY, "D": Industry.INDUSTRY,  # 采矿/制造/电热燃水
    "E": Industry.CONSTRUCTION,
    "L": Industry.LEASING_BUSINESS,
    "M": Industry.OTHER, "N": Industry.OTHER, "O": Industry.OTHER, "P": Industry.OTHER,
    "Q": Industry.OTHER, "R": Industry.OTHER, "S": Industry.OTHER,
}

# Sections split by division (or, for K, by group) — a bare section letter is ambiguous.
_SPLIT_HINTS: dict[str, str] = {
    "F": "51 批发业 or 52 零售业",
    "G": "53 铁路, 54-58 交通运输业, 59 仓储业 or 60 邮政业",
    "H": "61 住宿业 or 62 餐饮业",
    "I": "63-64 信息传输业 or 65 软件和信息技术服务业",
    "K": "7010 房地产开发经营, 7020 物业管理 or another 70xx class",
}

_NOT_COVERED: dict[str, str] = {
    "J": "financial enterprises are classified by the separate 金融业企业划型标准规定 (银发〔2015〕309号)",
    "T": "international organisations are not enterprises under this standard",
}

_CODE = re.compile(r"^([A-T])?(\d{2,4})?$")


def _by_division(section: str, digits: str) -> Industry:
    division = int(digits[:2])
    if section == "F":
        return Industry.WHOLESALE if division == 51 else Industry.RETAIL
    if section == "G":
        if division == 53:
            return Industry.OTHER  # 第三条: 交通运输业不含铁路运输业; by 第六条 参照 其他未列明行业
        if division == 59:
            # 591 装卸搬运 belongs with 交通运输业 (it was in division 58 in GB/T 4754-2011);
            # the rest of 59 (592-599) is 仓储业.
            return Industry.TRANSPORT if digits[:3] == "591" else Industry.WAREHOUSING
        if division == 60:
            return Industry.POSTAL
        return Industry.TRANSPORT  # 54 道路, 55 水上, 56 航空, 57 管道, 58 多式联运和运输代理
    if section == "H":
        return Industry.ACCOMMODATION if division == 61 else Industry.CATERING
    if section == "I":
        return Industry.SOFTWARE_IT if division == 65 else Industry.INFORMATION_TRANSMISSION
    if section == "K":
        group = digits[:3]
        if group == "701":
            return Industry.REAL_ESTATE_DEVELOPMENT
        if group == "702":
            return Industry.PROPERTY_MANAGEMENT
        return Industry.OTHER  # 703 中介, 704 自有房地产经营, 709 其他房地产业
    return _WHOLE_SECTIONS[section]


def industry_group(gbt4754_code: str, field: str = "industry_code") -> Industry:
    """Map a GB/T 4754-2017 code to the regulation's group.

    Accepts a section letter ("C"), a division/group/class ("52", "701", "6513") or both
    ("I6513", "K7010"); case and surrounding spaces are ignored. A section that the regulation
    splits (F, G, H, I, K) needs the digits ("K" needs at least the 3-digit group 701/702).
    Raises `ValidationFailed` for malformed, inconsistent, ambiguous or uncovered codes.
    """
    def fail(message: str) -> ValidationFailed:
        return ValidationFailed([FieldError(field, message)])

    if not isinstance(gbt4754_code, str):
        raise fail("must be a GB/T 4754 code such as 'C', 'C18' or 'I6513'")
    match = _CODE.match(gbt4754_code.strip().upper())
    if not match or not any(match.groups()):
        raise fail("must be a GB/T 4754 code: a section letter A-T and/or 2 to 4 digits, e.g. 'C18' or 'I6513'")
    letter, digits = match.groups()
    section = letter
    if digits:
        division = int(digits[:2])
        section = next((s for s, r in _SECTION_DIVISIONS.items() if division in r), None)
        if section is None:
            raise fail(f"division {digits[:2]} does not exist in GB/T 4754-2017")
        if letter and letter != section:
            raise fail(f"division {digits[:2]} belongs to section {section}, not {letter}")
    if section in _NOT_COVERED:
        raise fail(f"section {section} is not covered by {SOURCE}: {_NOT_COVERED[section]}")
    if section in _SPLIT_HINTS:
        if not digits or (section == "K" and len(digits) < 3):
            raise fail(f"section {section} is split by the size standard; give the code down to "
                       f"{_SPLIT_HINTS[section]}")
        return _by_division(section, digits)
    return _WHOLE_SECTIONS[section]
