"""Qingdao's administrative divisions (GB/T 2260 codes) and which jurisdiction covers which.

Each division is one deployment stage of the platform (`stage` is its slug); the city stage
covers every district, a district stage only itself.
"""
from __future__ import annotations

from dataclasses import dataclass

from functions.shared.errors import FieldError, ValidationFailed

CITY = "370200"


@dataclass(frozen=True)
class Division:
    code: str  # GB/T 2260 six-digit code
    name_zh: str
    name_en: str
    stage: str  # deployment stage slug
    level: str  # "city" | "district" (县级市 count as districts here)
    alias_zh: str = ""


DIVISIONS: tuple[Division, ...] = (
    Division(CITY, "青岛市", "Qingdao", "city", "city"),
    Division("370202", "市南区", "Shinan District", "shinan", "district"),
    Division("370203", "市北区", "Shibei District", "shibei", "district"),
    Division("370211", "黄岛区", "Huangdao District (West Coast New Area)", "huangdao", "district",
             alias_zh="青岛西海岸新区"),
    Division("370212", "崂山区", "Laoshan District", "laoshan", "district"),
    Division("370213", "李沧区", "Licang District", "licang", "district"),
    Division("370214", "城阳区", "Chengyang District", "chengyang", "district"),
    Division("370215", "即墨区", "Jimo District", "jimo", "district"),
    Division("370281", "胶州市", "Jiaozhou City", "jiaozhou", "district"),
    Division("370283", "平度市", "Pingdu City", "pingdu", "district"),
    Division("370285", "莱西市", "Laixi City", "laixi", "district"),
)

BY_CODE: dict[str, Division] = {d.code: d for d in DIVISIONS}
BY_STAGE: dict[str, Division] = {d.stage: d for d in DIVISIONS}
DISTRICT_CODES: tuple[str, ...] = tuple(d.code for d in DIVISIONS if d.level == "district")


def get_division(code: str) -> Division:
    """The division with this code; KeyError if it is not a Qingdao division."""
    return BY_CODE[code]


def is_qingdao_division(code: str) -> bool:
    return code in BY_CODE


def parse_division(value: str, field: str = "district") -> str:
    """Return the code of a Qingdao division, or raise `ValidationFailed` naming `field`."""
    if not isinstance(value, str):
        raise ValidationFailed([FieldError(field, "must be a 6-digit division code given as a string")])
    code = value.strip()
    if not code:
        raise ValidationFailed([FieldError(field, "is required")])
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        raise ValidationFailed([FieldError(field, "must be a 6-digit GB/T 2260 division code, e.g. 370212")])
    if code not in BY_CODE:
        raise ValidationFailed([FieldError(
            field, f"{code} is not a Qingdao division; expected one of {', '.join(BY_CODE)}")])
    return code


def covers(jurisdiction_code: str, district_code: str) -> bool:
    """Whether a jurisdiction (a stage's division) may act on matters of `district_code`.

    The city covers itself and every district; a district covers only itself. Codes that are
    not Qingdao divisions are covered by nobody.
    """
    if jurisdiction_code not in BY_CODE or district_code not in BY_CODE:
        return False
    return jurisdiction_code == CITY or jurisdiction_code == district_code


def page_vocabulary() -> dict:
    """The city and its districts with their names, for the page's pickers (functions/shared/plugins.py)."""
    def named(d: Division) -> dict:
        return {"code": d.code, "zh": d.name_zh, "en": d.name_en}

    return {"city": named(BY_CODE[CITY]), "districts": [named(d) for d in DIVISIONS if d.level == "district"]}
