"""Unified social credit codes (统一社会信用代码, GB 32100-2015), checked through python-stdnum.

Layout of the 18 characters (positions are 1-based):

    1      registration department (登记管理部门代码), e.g. 9 = market regulation (工商)
    2      entity type (机构类别代码), e.g. 1 = enterprise (企业)
    3–8    registering administrative division (登记管理机关行政区划码, GB/T 2260)
    9–17   organisation code (组织机构代码, GB 11714: 8 body characters + its own check character)
    18     check character over positions 1–17 (GB 32100 mod-31 scheme)

The check character is computed and verified by `stdnum.cn.uscc` only; nothing here
re-implements it. stdnum 2.2 has no GB 11714 (organisation code) helper, so `make_demo_uscc`
computes that inner check character itself (`_org_code_check_char`); `parse_uscc` does not verify
it, because GB 32100 does not require it (e.g. codes of individual businesses do not carry a
GB 11714 organisation code).
"""
from __future__ import annotations

import unicodedata

from stdnum.cn import uscc as _stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from functions.shared.errors import FieldError, ValidationFailed

LENGTH = 18
# The characters GB 32100 allows in positions 9–18 (digits and capitals without I, O, Z, S, V).
# Taken from stdnum so the two can never disagree.
ALPHABET: str = _stdnum_uscc._alphabet


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, message)])


def _normalise(value: str) -> str:
    # NFKC folds full-width digits/letters/hyphens (常见于中文输入法) to ASCII before stdnum's
    # compact() strips spaces and hyphens and upper-cases.
    return _stdnum_uscc.compact(unicodedata.normalize("NFKC", value))


def parse_uscc(value: str, field: str = "uscc") -> str:
    """Return the compact canonical form (18 upper-case characters) of a credit code.

    Spaces, hyphens and full-width characters are tolerated and removed; lower case is folded.
    Raises `ValidationFailed` with one `FieldError(field, message)` that says what is wrong.
    """
    if not isinstance(value, str):
        raise _fail(field, "must be a string of 18 characters")
    number = _normalise(value)
    if not number:
        raise _fail(field, "is required: a unified social credit code has 18 characters")
    try:
        return _stdnum_uscc.validate(number)
    except InvalidLength:
        raise _fail(
            field,
            f"must be exactly {LENGTH} characters long (spaces and hyphens ignored); got {len(number)}",
        ) from None
    except InvalidFormat:
        raise _fail(field, _format_problem(number)) from None
    except InvalidChecksum:
        raise _fail(
            field,
            "the check character (position 18) does not match positions 1-17; "
            "the code has a typo or is not a real credit code",
        ) from None
    except ValidationError:  # pragma: no cover - stdnum raises only the three above
        raise _fail(field, "is not a valid unified social credit code") from None


def _format_problem(number: str) -> str:
    for position, char in enumerate(number[:8], start=1):
        if not char.isdigit() or not char.isascii():
            return (
                f"positions 1-8 (registration department, entity type and division) must be digits; "
                f"found {char!r} at position {position}"
            )
    for position, char in enumerate(number[8:], start=9):
        if char not in ALPHABET:
            return (
                "positions 9-18 may contain only digits and capital letters except I, O, Z, S and V; "
                f"found {char!r} at position {position}"
            )
    return "contains characters a unified social credit code cannot have"  # pragma: no cover


def is_valid_uscc(value: str) -> bool:
    try:
        parse_uscc(value)
    except ValidationFailed:
        return False
    return True


def division_of(uscc: str) -> str:
    """The registering division code (positions 3–8) of a valid credit code."""
    return parse_uscc(uscc)[2:8]


# GB 11714-1997 organisation code: weights of the 8 body characters; a letter counts as
# 10 (A) … 35 (Z); check = 11 - (sum mod 11), where 10 is written X and 11 is written 0.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check_char(body: str) -> str:
    total = sum(int(char, 36) * weight for char, weight in zip(body, _ORG_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_demo_uscc(registration_dept: str, division: str, org_code_body: str) -> str:
    """Build a valid credit code for demo and test data.

    `registration_dept`: positions 1–2 (department + entity type), e.g. "91" for an enterprise
    registered with market regulation; `division`: 6-digit GB/T 2260 code; `org_code_body`:
    the 8 organisation-code characters before its GB 11714 check character. The final check
    character comes from `stdnum.cn.uscc.calc_check_digit`, and the result is validated by stdnum.
    """
    registration_dept = registration_dept.strip().upper()
    division = division.strip()
    body = org_code_body.strip().upper()
    if len(registration_dept) != 2 or not registration_dept.isdigit():
        raise ValueError("registration_dept must be the 2 digits of positions 1-2, e.g. '91'")
    if len(division) != 6 or not division.isdigit():
        raise ValueError("division must be a 6-digit GB/T 2260 code")
    if len(body) != 8 or any(char not in ALPHABET for char in body):
        raise ValueError(
            "org_code_body must be 8 digits/capitals (no I, O, Z, S, V) before the GB 11714 check"
        )
    first17 = registration_dept + division + body + _org_code_check_char(body)
    return _stdnum_uscc.validate(first17 + _stdnum_uscc.calc_check_digit(first17))
