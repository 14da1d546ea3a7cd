"""Which districts a project's fan-out queries (functions/policy/fanout.py `districts_of`), and the page's
deterministic request id."""
from __future__ import annotations

import pytest

from functions.policy.fanout import ALL_DIVISIONS, districts_of, page_request_id
from functions.refdata.divisions import CITY, DISTRICT_CODES

A = {"field": "tax_credit_rating", "op": "==", "value": "A"}


def test_every_division_of_the_city_when_the_rule_says_nothing_of_districts():
    assert ALL_DIVISIONS == (CITY, *DISTRICT_CODES)  # city-level registrations have 370200 in their code
    assert districts_of(None) == ALL_DIVISIONS
    assert districts_of(A) == ALL_DIVISIONS
    assert districts_of({"all": [A]}) == ALL_DIVISIONS


@pytest.mark.parametrize("rule,expected", [
    ({"field": "district", "op": "==", "value": "370212"}, ("370212",)),
    ({"all": [A, {"field": "district", "op": "in", "value": ["370212", "370202"]}]}, ("370202", "370212")),
    ({"all": [{"field": "district", "op": "in", "value": ["370212", "370202"]},
              {"field": "district", "op": "==", "value": "370212"}]}, ("370212",)),  # both must hold
    ({"all": [{"field": "district", "op": "in", "value": ["370202"]},
              {"field": "district", "op": "==", "value": "370212"}]}, ()),  # nobody can be eligible
])
def test_a_district_condition_of_the_rule_or_its_top_level_all_narrows_the_fan_out(rule, expected):
    assert districts_of(rule) == expected


@pytest.mark.parametrize("rule", [
    {"all": [{"field": "district", "op": "not_in", "value": ["370202"]}]},  # excludes, names no district to query
    {"any": [{"field": "district", "op": "==", "value": "370202"}, A]},  # either: any district may be eligible
    {"not": {"field": "district", "op": "==", "value": "370202"}},
    {"all": [{"any": [{"field": "district", "op": "==", "value": "370202"}]}]},  # nested: not looked into
])
def test_other_district_conditions_leave_every_division(rule):
    assert districts_of(rule) == ALL_DIVISIONS


def test_a_page_request_id_depends_on_the_page_only():
    cursor = {"uscc": {"S": "91370202MA3C4R7K75"}, "district": {"S": "370202"}}
    same = page_request_id("proj-x", 1, "370202", {"district": {"S": "370202"}, "uscc": {"S": "91370202MA3C4R7K75"}})
    assert page_request_id("proj-x", 1, "370202", cursor) == same
    others = {page_request_id("proj-x", 2, "370202", cursor), page_request_id("proj-x", 1, "370212", cursor),
              page_request_id("proj-x", 1, "370202", None), page_request_id("proj-y", 1, "370202", cursor)}
    assert same not in others and len(others) == 4
