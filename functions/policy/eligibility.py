"""Eligibility rules: a project's rule evaluated against an enterprise's profile, with reasons.

Pure: no I/O, no Chalice, no clock (the day is an argument). The rule language and the profile
fields are the contract of README.md ("Eligibility rules"); the fields, their kinds and their words
come from functions/enterprises/facts.py.

Three-valued: a condition is met, failed, or missing_data (the profile does not say); `all` is
false if any part is false, else unknown if any is unknown, else true; `any` is true if any part is
true, else unknown if any is unknown, else false; `not` swaps true and false and keeps unknown.

Every leaf condition is reported, in words an enterprise understands (zh and en), with the value
used and what would make it eligible. A leaf under an odd number of `not`s is reported as the
condition the enterprise must meet, so "not (certifications contains high_tech)" reads "资质认定不得
包括：高新技术企业": its status is met when the enterprise satisfies the rule's intent.

`validate_rule` checks a rule as staff publish it, naming the path of each problem
(`eligibility.all[2].op`). `compile_rule` does that once and keeps the checked rule, so matching
one enterprise against every open project (`match`) only evaluates.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, Callable, Iterable, Mapping

from functions.enterprises.facts import (
    CERTIFICATIONS,
    CHOICE,
    CODE,
    DAY,
    FIELD_NOUNS,
    FIELDS,
    INDUSTRY_CODE,
    NUMBER,
    SET,
    SIZE_WORDS,
    Fact,
    ProfileFacts,
)
from functions.refdata.divisions import BY_CODE, DISTRICT_CODES
from functions.shared.errors import FieldError, ValidationFailed

MET, FAILED, MISSING = "met", "failed", "missing_data"
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
LISTS = ("in", "not_in")
OPS = COMPARISONS + LISTS + ("contains", "contains_any", "prefix")
OPS_BY_KIND: dict[str, tuple[str, ...]] = {
    NUMBER: COMPARISONS + LISTS,
    DAY: COMPARISONS,
    CODE: ("==", "!=") + LISTS + ("prefix",),
    CHOICE: ("==", "!=") + LISTS,
    SET: ("contains", "contains_any"),
}
# An op as the enterprise must meet it under a `not`. The last three exist only as negations.
NEGATION = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", "<=": ">", ">": "<=", "in": "not_in", "not_in": "in",
            "contains": "not_contains", "not_contains": "contains", "contains_any": "contains_none",
            "contains_none": "contains_any", "prefix": "not_prefix", "not_prefix": "prefix"}
LIST_VALUED = ("in", "not_in", "contains_any", "prefix")
NODE_KEYS = ("all", "any", "not")
LEAF_KEYS = frozenset({"field", "op", "value", "label"})


# -- the result --------------------------------------------------------------------------------------
@dataclass
class Condition:
    """One leaf condition, as the enterprise must meet it (negations already applied to `op`)."""

    path: str  # where the leaf is in the rule: eligibility.all[1]
    field: str
    op: str
    value: Any  # the required value, as checked (dates as date, lists as tuples)
    status: str  # met | failed | missing_data
    fact: Fact | None  # the value used, with its source and as_of (None: the profile does not say)
    rule_label: Mapping[str, str] | None = None
    needs: tuple[str, ...] = ()  # for missing_data: the profile fields to fill in

    @property
    def actual(self) -> Any:
        return None if self.fact is None else self.fact.value

    @cached_property
    def requirement(self) -> dict[str, str]:
        return requirement_words(self.field, self.op, self.value)

    @cached_property
    def label(self) -> dict[str, str]:
        if self.rule_label:
            return {"zh": self.rule_label["zh"], "en": self.rule_label["en"]}
        now_zh, now_en = _current_words(self.field, self.fact)
        return {"zh": f"{self.requirement['zh']}（当前：{now_zh}）", "en": f"{self.requirement['en']} (now: {now_en})"}

    @cached_property
    def fix(self) -> dict[str, str] | None:
        if self.status == MET:
            return None
        if self.status == FAILED:
            return dict(self.requirement)
        zh = "、".join(_noun(name)[0] for name in self.needs)
        en = _join_en([_noun(name)[1] for name in self.needs], "and")
        return {"zh": f"请在企业档案中填写 {zh}", "en": f"Fill in your {en} in your profile"}

    def as_dict(self) -> dict[str, Any]:
        fact = self.fact
        actual = fact.value if fact is not None else None
        if isinstance(actual, (set, frozenset)):
            actual = sorted(actual)
        elif isinstance(actual, date):
            actual = actual.isoformat()
        return {"path": self.path, "field": self.field, "op": self.op, "status": self.status,
                "label": self.label, "actual": actual,
                "source": fact.source if fact is not None else None,
                "as_of": fact.as_of.isoformat() if fact is not None and fact.as_of else None,
                "fix": self.fix}


class Evaluation:
    """The verdict, and each leaf condition with its reasons. `eligible` is computed at once; the
    conditions and their words only when read (matching thousands of projects shows a few)."""

    def __init__(self, eligible: bool | None, root: Any = None, profile: ProfileFacts | None = None,
                 today: date | None = None):
        self.eligible = eligible
        self._root, self._profile, self._today = root, profile, today

    @cached_property
    def conditions(self) -> list[Condition]:
        found: list[Condition] = []
        if self._root is not None:
            _evaluate(self._root, self._profile, self._today, False, found)
        return found

    def as_dict(self) -> dict[str, Any]:
        return {"eligible": self.eligible, "conditions": [c.as_dict() for c in self.conditions]}


@dataclass(frozen=True)
class Match:
    project: Any  # the project as given to `match`
    evaluation: Evaluation


# -- checking and compiling a rule -------------------------------------------------------------------
@dataclass(frozen=True)
class _Leaf:
    path: str
    field: str
    op: str
    value: Any
    label: Mapping[str, str] | None
    test: Callable[[Any], bool]


@dataclass(frozen=True)
class _Node:
    kind: str  # all | any | not
    children: tuple[Any, ...]


@dataclass(frozen=True)
class CompiledRule:
    """A checked rule, ready to evaluate many times (keep one per published project version)."""

    root: Any  # _Node | _Leaf | None (None: no rule, everyone is eligible)
    rule: Any


def validate_rule(rule: Any, path: str = "eligibility") -> None:
    """Raise ValidationFailed naming the path of every problem (`eligibility.all[2].op`)."""
    compile_rule(rule, path)


def compile_rule(rule: Any, path: str = "eligibility") -> CompiledRule:
    if isinstance(rule, CompiledRule):
        return rule
    if rule is None:
        return CompiledRule(None, None)
    errors: list[FieldError] = []
    root = _compile(rule, path, errors)
    if errors:
        raise ValidationFailed(errors, "The eligibility rule is not valid.")
    return CompiledRule(root, rule)


def _compile(node: Any, path: str, errors: list[FieldError]) -> Any:
    if not isinstance(node, dict):
        errors.append(FieldError(path, 'must be an object: {"all": […]}, {"any": […]}, {"not": rule} or a condition'))
        return None
    combinators = [key for key in NODE_KEYS if key in node]
    if combinators:
        if len(node) != 1:
            errors.append(FieldError(path, f'a combinator has exactly one key ("{combinators[0]}"); found '
                                           f'{", ".join(sorted(map(str, node)))}'))
            return None
        kind = combinators[0]
        inner = node[kind]
        if kind == "not":
            return _Node("not", (_compile(inner, f"{path}.not", errors),))
        if not isinstance(inner, list) or not inner:
            errors.append(FieldError(f"{path}.{kind}", "must be a non-empty list of rules"))
            return None
        return _Node(kind, tuple(_compile(child, f"{path}.{kind}[{i}]", errors) for i, child in enumerate(inner)))
    return _compile_leaf(node, path, errors)


def _compile_leaf(node: dict, path: str, errors: list[FieldError]) -> _Leaf | None:
    before = len(errors)
    for key in sorted(set(map(str, node)) - LEAF_KEYS):
        errors.append(FieldError(f"{path}.{key}", f"is not part of a condition (field, op, value, label) or a "
                                                  f"combinator ({', '.join(NODE_KEYS)})"))
    name, op = node.get("field"), node.get("op")
    info = FIELDS.get(name) if isinstance(name, str) else None
    if info is None:
        errors.append(FieldError(f"{path}.field", f"unknown profile field {name!r}; expected one of "
                                                  f"{', '.join(FIELDS)}"))
    if not isinstance(op, str) or op not in OPS:
        errors.append(FieldError(f"{path}.op", f"unknown op {op!r}; expected one of {', '.join(OPS)}"))
    elif info is not None and op not in OPS_BY_KIND[info.kind]:
        errors.append(FieldError(f"{path}.op", f"{op!r} does not apply to {info.name} ({info.kind}); use one of "
                                               f"{', '.join(OPS_BY_KIND[info.kind])}"))
    label = node.get("label")
    if label is not None and not (isinstance(label, dict) and set(label) == {"zh", "en"}
                                  and all(isinstance(v, str) and v.strip() for v in label.values())):
        errors.append(FieldError(f"{path}.label", 'must be {"zh": "…", "en": "…"}, both non-empty'))
    if "value" not in node:
        errors.append(FieldError(f"{path}.value", "is required"))
    if len(errors) > before:
        return None
    value = _check_value(info, op, node["value"], f"{path}.value", errors)
    if len(errors) > before:
        return None
    return _Leaf(path, info.name, op, value, label, _test(info.kind, op, value))


def _check_value(info, op: str, value: Any, path: str, errors: list[FieldError]) -> Any:
    if op in LIST_VALUED:
        if not isinstance(value, list) or not value:
            errors.append(FieldError(path, f"{op!r} takes a non-empty list"))
            return None
        checked = tuple(_check_one(info, op, item, f"{path}[{i}]", errors) for i, item in enumerate(value))
        return frozenset(checked) if op != "prefix" else checked
    return _check_one(info, op, value, path, errors)


def _check_one(info, op: str, value: Any, path: str, errors: list[FieldError]) -> Any:
    def fail(message: str) -> None:
        errors.append(FieldError(path, message))

    if info.kind == NUMBER:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return fail(f"{info.name} is compared with a number")
        return value
    if info.kind == DAY:
        try:
            return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else fail(
                "must be a date written YYYY-MM-DD")
        except ValueError:
            return fail("must be a date written YYYY-MM-DD")
    if info.kind == CODE:
        if not isinstance(value, str) or not INDUSTRY_CODE.match(value):
            return fail("must be a GB/T 4754 code or prefix: a letter A–T, then up to 4 digits (C, C39, I6513)")
        return value
    choices = DISTRICT_CODES if info.name == "district" else info.choices
    if not isinstance(value, str) or value not in choices:
        return fail(f"{value!r} is not a {info.name}; expected one of {', '.join(choices)}")
    return value


def _test(kind: str, op: str, value: Any) -> Callable[[Any], bool]:
    if op == "==":
        return lambda actual: actual == value
    if op == "!=":
        return lambda actual: actual != value
    if op == "<":
        return lambda actual: actual < value
    if op == "<=":
        return lambda actual: actual <= value
    if op == ">":
        return lambda actual: actual > value
    if op == ">=":
        return lambda actual: actual >= value
    if op == "in":
        return lambda actual: actual in value
    if op == "not_in":
        return lambda actual: actual not in value
    if op == "contains":
        return lambda actual: value in actual
    if op == "contains_any":
        return lambda actual: not value.isdisjoint(actual)
    return lambda actual: actual.startswith(value)  # prefix: str.startswith takes the tuple


# -- evaluating ----------------------------------------------------------------------------------------
def evaluate(rule: Any, profile: ProfileFacts, today: date) -> Evaluation:
    """The rule (a dict, or a CompiledRule) against the profile on `today`."""
    root = compile_rule(rule).root
    if root is None:
        return Evaluation(True)
    return Evaluation(_truth(root, _values(profile, today)), root, profile, today)


_UNKNOWN = object()


def _values(profile: ProfileFacts, today: date) -> dict[str, Any]:
    values = {name: fact.value for name, fact in profile.facts.items()}
    years = profile.get("years_since_founding", today)
    if years is not None:
        values["years_since_founding"] = years.value
    return values


def _truth(node: Any, values: dict[str, Any]) -> bool | None:
    """The verdict alone (the hot path of `match`): no words, no objects."""
    if type(node) is _Leaf:
        actual = values.get(node.field, _UNKNOWN)
        return None if actual is _UNKNOWN else node.test(actual)
    if node.kind == "not":
        inner = _truth(node.children[0], values)
        return None if inner is None else not inner
    decisive = node.kind == "any"  # any: one true decides; all: one false decides
    unknown = False
    for child in node.children:
        result = _truth(child, values)
        if result is decisive:
            return decisive
        if result is None:
            unknown = True
    return None if unknown else not decisive


def _evaluate(node: Any, profile: ProfileFacts, today: date, negated: bool, out: list[Condition]) -> bool | None:
    if type(node) is _Leaf:
        fact = profile.get(node.field, today)
        if fact is None:
            truth = None
            status = MISSING
        else:
            truth = node.test(fact.value)
            status = MET if truth != negated else FAILED
        out.append(Condition(node.path, node.field, NEGATION[node.op] if negated else node.op, node.value, status,
                             fact, node.label, profile.needs(node.field) if fact is None else ()))
        return truth
    if node.kind == "not":
        inner = _evaluate(node.children[0], profile, today, not negated, out)
        return None if inner is None else not inner
    results = [_evaluate(child, profile, today, negated, out) for child in node.children]
    decisive = node.kind == "any"  # any: one true decides; all: one false decides
    if decisive in results:
        return decisive
    if None in results:
        return None
    return not decisive


def match(profile: ProfileFacts, projects: Iterable[Any], today: date,
          rule_of: Callable[[Any], Any] | None = None) -> list[Match]:
    """One enterprise against many projects: eligible first, then unknown, then not eligible (each
    group in the order given). `rule_of(project)` gives a project's rule (a dict or, better, a
    CompiledRule kept per project version); by default `project["eligibility"]`."""
    pick = rule_of or (lambda project: project.get("eligibility"))
    values = _values(profile, today)
    found = []
    for project in projects:
        root = compile_rule(pick(project)).root
        found.append(Match(project, Evaluation(True) if root is None
                           else Evaluation(_truth(root, values), root, profile, today)))
    order = {True: 0, None: 1, False: 2}
    return sorted(found, key=lambda m: order[m.evaluation.eligible])


# -- words ---------------------------------------------------------------------------------------------
_TEMPLATES: dict[str, tuple[str, str]] = {
    "==": ("{f}须为{v}", "{f} must be {v}"),
    "!=": ("{f}不得为{v}", "{f} must not be {v}"),
    "in": ("{f}须为：{v}", "{f} must be one of: {v}"),
    "not_in": ("{f}不得为：{v}", "{f} must not be any of: {v}"),
    "contains": ("{f}须包括：{v}", "{f} must include: {v}"),
    "not_contains": ("{f}不得包括：{v}", "{f} must not include: {v}"),
    "contains_any": ("{f}须至少包括其一：{v}", "{f} must include at least one of: {v}"),
    "contains_none": ("{f}不得包括：{v}", "{f} must include none of: {v}"),
    "prefix": ("{f}须以{v}开头", "{f} must start with {v}"),
    "not_prefix": ("{f}不得以{v}开头", "{f} must not start with {v}"),
}
_NUMBER_ORDER = {"<": ("{f}须低于{v}", "{f} must be below {v}"), "<=": ("{f}须不超过{v}", "{f} must be at most {v}"),
                 ">": ("{f}须超过{v}", "{f} must be above {v}"), ">=": ("{f}须不低于{v}", "{f} must be at least {v}")}
_DATE_ORDER = {"<": ("{f}须早于{v}", "{f} must be before {v}"), "<=": ("{f}须不晚于{v}", "{f} must be on or before {v}"),
               ">": ("{f}须晚于{v}", "{f} must be after {v}"), ">=": ("{f}须不早于{v}", "{f} must be on or after {v}")}


def requirement_words(name: str, op: str, value: Any) -> dict[str, str]:
    """What a condition requires, in plain words: {"zh": "企业规模须为：中型、小型或微型企业", "en": …}."""
    info = FIELDS[name]
    if op in _NUMBER_ORDER:
        zh, en = (_DATE_ORDER if info.kind == DAY else _NUMBER_ORDER)[op]
    else:
        zh, en = _TEMPLATES[op]
    if isinstance(value, (tuple, frozenset, list, set)):
        items = sorted(value, key=_sort_key(name)) if not isinstance(value, tuple) else list(value)
        conj_zh, conj_en = ("、", "and") if op == "contains" else ("或", "or")
        v_zh, v_en = _list_words(name, items, conj_zh, conj_en)
    else:
        v_zh, v_en = value_words(name, value)
    return {"zh": zh.format(f=info.zh, v=v_zh), "en": en.format(f=info.en, v=v_en)}


def _sort_key(name: str) -> Callable[[Any], Any]:
    order = {v: i for i, v in enumerate(FIELDS[name].choices or ())}
    return lambda item: (order.get(item, len(order)), str(item))


def value_words(name: str, value: Any) -> tuple[str, str]:
    """One value of a field in words (zh, en): 小型企业 / small; 500万元 / CNY 5,000,000; 3年 / 3 years."""
    info = FIELDS[name]
    if name == "size_class":
        zh, en = SIZE_WORDS[value]
        return f"{zh}企业", en
    if name == "certifications":
        return CERTIFICATIONS[value]
    if name == "tax_credit_rating":
        return f"{value}级", f"grade {value}"
    if name == "district":
        division = BY_CODE.get(value)
        return (division.name_zh, division.name_en) if division else (value, value)
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日", value.isoformat()
    if info.unit == "fen":
        return _money(value)
    if info.unit == "persons":
        return f"{_plain(value)}人", f"{_plain(value)} {'person' if value == 1 else 'people'}"
    if info.unit == "years":
        return f"{_plain(value)}年", f"{_plain(value)} {'year' if value == 1 else 'years'}"
    return str(value), str(value)


def _list_words(name: str, items: list, conj_zh: str, conj_en: str) -> tuple[str, str]:
    if name == "size_class":  # 中型、小型或微型企业, not 中型企业、小型企业或微型企业
        zh = _join_zh([SIZE_WORDS[v][0] for v in items], conj_zh) + "企业"
        return zh, _join_en([SIZE_WORDS[v][1] for v in items], conj_en)
    words = [value_words(name, v) for v in items]
    return _join_zh([w[0] for w in words], conj_zh), _join_en([w[1] for w in words], conj_en)


def _join_zh(items: list[str], last: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + last + items[-1]


def _join_en(items: list[str], last: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def _plain(number: Any) -> str:
    return format(Decimal(str(number)).normalize(), "f")


def _money(fen: Any) -> tuple[str, str]:
    yuan = Decimal(str(fen)) / 100
    zh = f"{_plain(yuan / 10000)}万元" if abs(yuan) >= 10000 else f"{_plain(yuan)}元"
    en = f"CNY {int(yuan):,}" if yuan == int(yuan) else f"CNY {yuan:,.2f}"
    return zh, en


def _current_words(name: str, fact: Fact | None) -> tuple[str, str]:
    if fact is None:
        return ("无法确定", "cannot be determined") if FIELDS[name].derived_from else ("未填写", "not given")
    value = fact.value
    if isinstance(value, (set, frozenset, list, tuple)):
        if not value:
            return "无", "none"
        return _list_words(name, sorted(value, key=_sort_key(name)), "、", "and")
    return value_words(name, value)


def _noun(name: str) -> tuple[str, str]:
    return FIELD_NOUNS.get(name, (name, name))
