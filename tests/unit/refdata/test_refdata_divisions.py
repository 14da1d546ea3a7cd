import pytest

from functions.refdata.divisions import (
    BY_STAGE, CITY, DISTRICT_CODES, DIVISIONS, covers, get_division, parse_division,
)
from functions.shared.errors import ValidationFailed

EXPECTED = {
    "370200": ("青岛市", "city"),
    "370202": ("市南区", "shinan"),
    "370203": ("市北区", "shibei"),
    "370211": ("黄岛区", "huangdao"),
    "370212": ("崂山区", "laoshan"),
    "370213": ("李沧区", "licang"),
    "370214": ("城阳区", "chengyang"),
    "370215": ("即墨区", "jimo"),
    "370281": ("胶州市", "jiaozhou"),
    "370283": ("平度市", "pingdu"),
    "370285": ("莱西市", "laixi"),
}


def test_table():
    assert CITY == "370200"
    assert {d.code: (d.name_zh, d.stage) for d in DIVISIONS} == EXPECTED
    assert len({d.stage for d in DIVISIONS}) == len(DIVISIONS)
    assert all(d.name_en for d in DIVISIONS)
    assert get_division("370211").alias_zh == "青岛西海岸新区"
    assert BY_STAGE["laoshan"].code == "370212"
    assert CITY not in DISTRICT_CODES and len(DISTRICT_CODES) == 10


@pytest.mark.parametrize("code", list(EXPECTED))
def test_parse_valid(code):
    assert parse_division(f" {code} ") == code


@pytest.mark.parametrize("value,fragment", [
    ("", "required"),
    ("37021", "6-digit"),
    ("37021x", "6-digit"),
    ("370299", "not a Qingdao division"),
    ("110000", "not a Qingdao division"),
    (370212, "string"),
])
def test_parse_invalid(value, fragment):
    with pytest.raises(ValidationFailed) as info:
        parse_division(value, "district")
    [error] = info.value.errors
    assert error.field == "district"
    assert fragment in error.message


@pytest.mark.parametrize("district", list(EXPECTED))
def test_city_covers_everything(district):
    assert covers(CITY, district)


@pytest.mark.parametrize("district", DISTRICT_CODES)
def test_district_covers_only_itself(district):
    assert covers(district, district)
    assert not covers(district, CITY)
    for other in DISTRICT_CODES:
        if other != district:
            assert not covers(district, other)


def test_unknown_codes_are_covered_by_nobody():
    assert not covers(CITY, "110000")
    assert not covers("110000", "110000")
