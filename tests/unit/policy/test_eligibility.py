"""Eligibility rules as tables: every op met/failed/missing, three-valued all/any/not, dates and
years across an anniversary, industry prefixes, certification sets, validation paths, the words."""
from __future__ import annotations

from datetime import date

import pytest

from functions.enterprises.facts import Fact, ProfileFacts, facts_of
from functions.policy.eligibility import (
    FAILED,
    MET,
    MISSING,
    compile_rule,
    evaluate,
    match,
    requirement_words,
    validate_rule,
)
from functions.shared.errors import ValidationFailed

TODAY = date(2026, 11, 20)
D = date(2026, 6, 30)


def profile(**values) -> ProfileFacts:
    """A profile in 崂山区 with the given stored fields (imported, as of 30 June)."""
    stored = {name: Fact(frozenset(v) if name == "certifications" else v, "imported", D) for name, v in values.items()}
    return facts_of("91370212MA3EK9W53N", "370212", stored)


FULL = profile(industry_code="C3911", founded_on=date(2016, 11, 21), registered_capital_fen=1_000_000_000,
               employees=50, revenue_fen=3_000_000_000, assets_fen=2_000_000_000, rd_expense_fen=200_000_000,
               certifications={"high_tech", "tech_sme"}, tax_credit_rating="B")
EMPTY = profile()

# (field, op, value that FULL meets, value that FULL fails)
OPS = [
    ("employees", "==", 50, 51),
    ("employees", "!=", 51, 50),
    ("employees", "<", 51, 50),
    ("employees", "<=", 50, 49),
    ("employees", ">", 49, 50),
    ("employees", ">=", 50, 51),
    ("employees", "in", [10, 50], [10, 20]),
    ("employees", "not_in", [10, 20], [10, 50]),
    ("revenue_fen", ">=", 2_000_000_000, 3_000_000_001),
    ("registered_capital_fen", "<", 1_000_000_001, 1_000_000_000),
    ("assets_fen", "<=", 2_000_000_000, 1_999_999_999),
    ("rd_expense_fen", ">", 0, 200_000_000),
    ("founded_on", "<", "2016-11-22", "2016-11-21"),
    ("founded_on", "<=", "2016-11-21", "2016-11-20"),
    ("founded_on", ">", "2016-11-20", "2016-11-21"),
    ("founded_on", ">=", "2016-11-21", "2016-11-22"),
    ("founded_on", "==", "2016-11-21", "2016-11-22"),
    ("founded_on", "!=", "2016-11-22", "2016-11-21"),
    ("years_since_founding", ">=", 9, 10),  # the 10th anniversary is tomorrow
    ("years_since_founding", "<", 10, 9),
    ("industry_code", "==", "C3911", "C3912"),
    ("industry_code", "!=", "C3912", "C3911"),
    ("industry_code", "in", ["C3911", "I6513"], ["C3912"]),
    ("industry_code", "not_in", ["C3912"], ["C3911"]),
    ("industry_code", "prefix", ["C"], ["I"]),
    ("industry_code", "prefix", ["I65", "C39"], ["C3912", "C4"]),
    ("industry_code", "prefix", ["C3911"], ["C3921"]),
    ("size_class", "in", ["medium", "small", "micro"], ["large", "medium"]),
    ("size_class", "==", "small", "medium"),
    ("size_class", "not_in", ["large"], ["small"]),
    ("district", "==", "370212", "370202"),
    ("district", "in", ["370212", "370211"], ["370202"]),
    ("district", "!=", "370202", "370212"),
    ("certifications", "contains", "high_tech", "little_giant"),
    ("certifications", "contains_any", ["little_giant", "tech_sme"], ["little_giant", "specialized_sme"]),
    ("tax_credit_rating", "in", ["A", "B"], ["A"]),
    ("tax_credit_rating", "==", "B", "A"),
    ("tax_credit_rating", "not_in", ["C", "D"], ["B", "M"]),
]


def leaf(field, op, value, **extra):
    return {"field": field, "op": op, "value": value, **extra}


@pytest.mark.parametrize("field,op,meets,fails", OPS, ids=[f"{f}{o}{m}" for f, o, m, _ in OPS])
def test_every_op_met_failed_and_missing(field, op, meets, fails):
    met = evaluate(leaf(field, op, meets), FULL, TODAY)
    assert (met.eligible, [c.status for c in met.conditions]) == (True, [MET])
    failed = evaluate(leaf(field, op, fails), FULL, TODAY)
    assert (failed.eligible, [c.status for c in failed.conditions]) == (False, [FAILED])
    assert failed.conditions[0].fix == requirement_words(field, op, compile_rule(leaf(field, op, fails)).root.value)
    if field != "district":  # the district comes from the credit code: never missing
        missing = evaluate(leaf(field, op, meets), EMPTY, TODAY)
        assert (missing.eligible, [c.status for c in missing.conditions]) == (None, [MISSING])
        assert missing.conditions[0].fix["zh"].startswith("请在企业档案中填写 ")


T, F, U = True, False, None
# Leaves whose value on FULL is true, false, unknown (a missing field of FULL: none is missing, so
# take a profile without tax_credit_rating for the unknown one).
LEAF = {T: leaf("employees", "==", 50), F: leaf("employees", "==", 1), U: leaf("tax_credit_rating", "==", "A")}
PARTIAL = profile(employees=50)
TRUTH = [
    ("all", (T, T), T), ("all", (T, F), F), ("all", (F, U), F), ("all", (T, U), U), ("all", (U, U), U),
    ("all", (F, F), F), ("any", (T, F), T), ("any", (U, T), T), ("any", (F, U), U), ("any", (F, F), F),
    ("any", (U, U), U), ("any", (T, T), T), ("all", (T,), T), ("any", (U,), U),
]


@pytest.mark.parametrize("kind,parts,expected", TRUTH)
def test_all_and_any_are_three_valued(kind, parts, expected):
    result = evaluate({kind: [LEAF[p] for p in parts]}, PARTIAL, TODAY)
    assert result.eligible is expected
    assert len(result.conditions) == len(parts)  # every leaf is reported, decided or not


@pytest.mark.parametrize("inner,expected", [(T, F), (F, T), (U, U)])
def test_not_swaps_true_and_false_and_keeps_unknown(inner, expected):
    assert evaluate({"not": LEAF[inner]}, PARTIAL, TODAY).eligible is expected
    assert evaluate({"not": {"not": LEAF[inner]}}, PARTIAL, TODAY).eligible is inner


@pytest.mark.parametrize("rule,expected", [
    ({"all": [LEAF[T], {"any": [LEAF[F], {"not": LEAF[F]}]}]}, T),
    ({"all": [LEAF[T], {"any": [LEAF[F], {"not": LEAF[T]}]}]}, F),
    ({"any": [{"all": [LEAF[T], LEAF[U]]}, LEAF[F]]}, U),
    ({"not": {"all": [LEAF[T], LEAF[U]]}}, U),
    ({"not": {"any": [LEAF[F], LEAF[U], LEAF[T]]}}, F),
])
def test_nested_rules(rule, expected):
    assert evaluate(rule, PARTIAL, TODAY).eligible is expected


def test_a_leaf_under_not_is_reported_as_what_must_hold():
    result = evaluate({"not": leaf("certifications", "contains", "high_tech")}, FULL, TODAY)
    (condition,) = result.conditions
    assert (condition.op, condition.status) == ("not_contains", FAILED)
    assert condition.label["zh"] == "资质认定不得包括：高新技术企业（当前：高新技术企业、科技型中小企业）"
    assert condition.fix == {"zh": "资质认定不得包括：高新技术企业", "en": "Certifications must not include: high-tech enterprise"}
    ok = evaluate({"not": leaf("employees", ">", 100)}, FULL, TODAY).conditions[0]
    assert (ok.op, ok.status, ok.label["zh"]) == ("<=", MET, "从业人员须不超过100人（当前：50人）")


@pytest.mark.parametrize("today,years,eligible", [
    (date(2026, 11, 20), 9, False),  # the day before the 10th anniversary
    (date(2026, 11, 21), 10, True),  # the anniversary itself
    (date(2027, 11, 20), 10, True),
])
def test_years_since_founding_across_an_anniversary(today, years, eligible):
    result = evaluate(leaf("years_since_founding", ">=", 10), FULL, today)
    assert (result.conditions[0].actual, result.eligible) == (years, eligible)


def test_a_leap_day_founding_counts_its_anniversary_on_1_march():
    leap = profile(founded_on=date(2024, 2, 29))
    assert evaluate(leaf("years_since_founding", ">=", 1), leap, date(2025, 2, 28)).eligible is False
    assert evaluate(leaf("years_since_founding", ">=", 1), leap, date(2025, 3, 1)).eligible is True


def test_size_class_is_derived_and_missing_names_what_it_needs():
    assert evaluate(leaf("size_class", "==", "small"), FULL, TODAY).conditions[0].actual == "small"
    partial = profile(industry_code="C3911", employees=50)  # 工业 needs revenue too
    condition = evaluate(leaf("size_class", "in", ["small", "micro"]), partial, TODAY).conditions[0]
    assert condition.status == MISSING
    assert condition.fix == {"zh": "请在企业档案中填写 上年营业收入", "en": "Fill in your last year's revenue in your profile"}


def test_missing_founding_date_asks_for_it_in_both_languages():
    condition = evaluate(leaf("years_since_founding", ">=", 3), EMPTY, TODAY).conditions[0]
    assert condition.fix == {"zh": "请在企业档案中填写 成立日期", "en": "Fill in your founding date in your profile"}
    assert condition.label == {"zh": "成立年限须不低于3年（当前：无法确定）",
                               "en": "Years since founding must be at least 3 years (now: cannot be determined)"}


@pytest.mark.parametrize("rule,zh,en", [
    (leaf("size_class", "in", ["micro", "medium", "small"]), "企业规模须为：中型、小型或微型企业（当前：小型企业）",
     "Enterprise size must be one of: medium, small or micro (now: small)"),
    (leaf("revenue_fen", ">=", 2_000_000_000), "上年营业收入须不低于2000万元（当前：3000万元）",
     "Last year's revenue must be at least CNY 20,000,000 (now: CNY 30,000,000)"),
    (leaf("rd_expense_fen", "<", 500_050), "研发费用须低于5000.5元（当前：200万元）",
     "R&D expenses must be below CNY 5,000.50 (now: CNY 2,000,000)"),
    (leaf("founded_on", "<=", "2020-01-01"), "成立日期须不晚于2020年1月1日（当前：2016年11月21日）",
     "Founding date must be on or before 2020-01-01 (now: 2016-11-21)"),
    (leaf("district", "==", "370212"), "所在区（市）须为崂山区（当前：崂山区）", "District must be Laoshan District (now: Laoshan District)"),
    (leaf("industry_code", "prefix", ["C", "I65"]), "所属行业代码须以C或I65开头（当前：C3911）",
     "Industry code must start with C or I65 (now: C3911)"),
    (leaf("certifications", "contains_any", ["little_giant", "specialized_sme"]),
     "资质认定须至少包括其一：专精特新中小企业或专精特新“小巨人”企业（当前：高新技术企业、科技型中小企业）",
     "Certifications must include at least one of: specialised and sophisticated SME or specialised “little giant” "
     "(now: high-tech enterprise and technology-based SME)"),
    (leaf("tax_credit_rating", "in", ["A", "B"]), "纳税信用等级须为：A级或B级（当前：B级）",
     "Tax credit rating must be one of: grade A or grade B (now: grade B)"),
    (leaf("employees", "!=", 1), "从业人员不得为1人（当前：50人）", "Employees must not be 1 person (now: 50 people)"),
    (leaf("employees", ">", 10, label={"zh": "从业人员超过10人", "en": "More than 10 employees"}),
     "从业人员超过10人", "More than 10 employees"),
])
def test_the_words_in_both_languages(rule, zh, en):
    assert evaluate(rule, FULL, TODAY).conditions[0].label == {"zh": zh, "en": en}


def test_a_condition_reports_the_value_used_and_where_it_came_from():
    shown = evaluate(leaf("employees", ">=", 10), FULL, TODAY).as_dict()
    assert shown == {"eligible": True, "conditions": [{
        "path": "eligibility", "field": "employees", "op": ">=", "status": "met",
        "label": {"zh": "从业人员须不低于10人（当前：50人）", "en": "Employees must be at least 10 people (now: 50 people)"},
        "actual": 50, "source": "imported", "as_of": "2026-06-30", "fix": None}]}


def test_no_rule_means_everyone_is_eligible():
    assert evaluate(None, EMPTY, TODAY).eligible is True


@pytest.mark.parametrize("rule,path", [
    ({"all": [LEAF[T], LEAF[T], leaf("employees", "~", 1)]}, "eligibility.all[2].op"),
    ({"any": [leaf("headcount", "==", 1)]}, "eligibility.any[0].field"),
    ({"not": {"all": []}}, "eligibility.not.all"),
    ({"all": "x"}, "eligibility.all"),
    ({"all": [LEAF[T]], "any": [LEAF[T]]}, "eligibility"),
    ([LEAF[T]], "eligibility"),
    ({"field": "employees", "op": "=="}, "eligibility.value"),
    ({"field": "employees", "op": "==", "value": 1, "unit": "persons"}, "eligibility.unit"),
    (leaf("employees", "==", "50"), "eligibility.value"),
    (leaf("employees", "==", True), "eligibility.value"),
    (leaf("employees", "contains", 1), "eligibility.op"),  # a number holds nothing
    (leaf("certifications", ">=", 1), "eligibility.op"),
    (leaf("founded_on", "<", "2020/01/01"), "eligibility.value"),
    (leaf("founded_on", "in", ["2020-01-01"]), "eligibility.op"),
    (leaf("industry_code", "prefix", "C"), "eligibility.value"),  # a list of prefixes
    (leaf("industry_code", "prefix", ["C", "c39"]), "eligibility.value[1]"),
    (leaf("industry_code", "prefix", []), "eligibility.value"),
    (leaf("size_class", "in", ["small", "tiny"]), "eligibility.value[1]"),
    (leaf("certifications", "contains", "gold"), "eligibility.value"),
    (leaf("certifications", "contains_any", ["high_tech", "gold"]), "eligibility.value[1]"),
    (leaf("tax_credit_rating", "==", "E"), "eligibility.value"),
    (leaf("district", "==", "110105"), "eligibility.value"),
    (leaf("employees", ">", 1, label={"zh": "多于1人"}), "eligibility.label"),
])
def test_validation_names_the_path(rule, path):
    with pytest.raises(ValidationFailed) as raised:
        validate_rule(rule)
    assert path in [error.field for error in raised.value.errors], raised.value.errors


def test_validation_reports_every_problem_at_once():
    with pytest.raises(ValidationFailed) as raised:
        validate_rule({"all": [leaf("x", "==", 1), leaf("employees", "~", 1), {"any": []}]})
    assert [e.field for e in raised.value.errors] == ["eligibility.all[0].field", "eligibility.all[1].op",
                                                      "eligibility.all[2].any"]
    assert "unknown op '~'" in raised.value.errors[1].message


def test_match_orders_eligible_then_unknown_then_not():
    projects = [{"id": "no", "eligibility": LEAF[F]}, {"id": "maybe", "eligibility": LEAF[U]},
                {"id": "yes", "eligibility": compile_rule(LEAF[T])}, {"id": "open", "eligibility": None}]
    found = match(PARTIAL, projects, TODAY)
    assert [(m.project["id"], m.evaluation.eligible) for m in found] == [
        ("yes", True), ("open", True), ("maybe", None), ("no", False)]
    assert [c.status for c in found[2].evaluation.conditions] == [MISSING]


def test_match_agrees_with_evaluate_on_generated_rules():
    from tests.bench.eligibility_match import generated_projects

    projects = generated_projects(300)
    for m in match(FULL, projects, TODAY):
        slow = evaluate(m.project["eligibility"], FULL, TODAY)
        assert m.evaluation.eligible is slow.eligible
        assert [c.status for c in m.evaluation.conditions] == [c.status for c in slow.conditions]
