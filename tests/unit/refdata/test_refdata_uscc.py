import pytest
from stdnum.cn import uscc as stdnum_uscc

from functions.refdata.demo import load_demo
from functions.refdata.uscc import division_of, is_valid_uscc, make_demo_uscc, parse_uscc
from functions.shared.errors import ValidationFailed

STDNUM_EXAMPLE = "91110000600037341L"  # the example in stdnum's own docs


def _error(value, field="uscc"):
    with pytest.raises(ValidationFailed) as info:
        parse_uscc(value, field)
    [error] = info.value.errors
    assert error.field == field
    return error.message


@pytest.mark.parametrize("code", [STDNUM_EXAMPLE] + [e.uscc for e in load_demo().enterprises])
def test_valid_codes_are_returned_unchanged(code):
    assert parse_uscc(code) == code
    assert stdnum_uscc.is_valid(code)
    assert is_valid_uscc(code)


@pytest.mark.parametrize("raw", [
    "91110000600037341l",
    " 91110000600037341L ",
    "9111 0000 6000 3734 1L",
    "91-110000-600037341-L",
    "９１１１００００６０００３７３４１Ｌ",  # full-width input
])
def test_compacts_case_spaces_hyphens_and_full_width(raw):
    assert parse_uscc(raw) == STDNUM_EXAMPLE


@pytest.mark.parametrize("raw", ["9111000060003734", "91110000600037341LL", "1"])
def test_bad_length(raw):
    message = _error(raw)
    assert "18 characters" in message
    assert f"got {len(raw)}" in message


def test_empty_is_required():
    assert "required" in _error("  ")


def test_not_a_string():
    assert "string" in _error(None)


def test_letter_in_numeric_part():
    message = _error("9A110000600037341L")
    assert "positions 1-8" in message and "position 2" in message


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "*"])
def test_forbidden_characters_in_org_code_part(bad):
    code = "911100006000373" + bad + "1L"
    message = _error(code)
    assert "positions 9-18" in message and "position 16" in message


def test_bad_check_character():
    message = _error("91110000600037341M")
    assert "check character" in message and "position 18" in message


def test_field_name_is_used():
    assert _error("x", field="enterprise.uscc")


def test_division_of():
    assert division_of(STDNUM_EXAMPLE) == "110000"
    for ent in load_demo().enterprises:
        assert division_of(ent.uscc) == ent.district


def test_division_of_invalid_raises():
    with pytest.raises(ValidationFailed):
        division_of("91110000600037341M")


def test_make_demo_uscc_reproduces_a_real_code():
    # The GB 11714 check of 60003734 is 1 and stdnum's check over the 17 characters is L.
    assert make_demo_uscc("91", "110000", "60003734") == STDNUM_EXAMPLE


@pytest.mark.parametrize("division,body", [
    ("370202", "MA3C4R7K"), ("370215", "MA3BX6T2"), ("370211", "00000000"), ("370283", "12345678"),
])
def test_make_demo_uscc_is_valid_per_stdnum(division, body):
    code = make_demo_uscc("91", division, body)
    assert stdnum_uscc.validate(code) == code
    assert code[2:8] == division and code[8:16] == body


@pytest.mark.parametrize("args", [
    ("9", "370202", "MA3C4R7K"),
    ("91", "3702", "MA3C4R7K"),
    ("91", "370202", "MA3C4R7"),
    ("91", "370202", "MA3C4R7I"),
])
def test_make_demo_uscc_rejects_bad_parts(args):
    with pytest.raises(ValueError):
        make_demo_uscc(*args)
