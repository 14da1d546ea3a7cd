"""The policy platform's content: the hand-written demo set and the scale generator both follow the format in
functions/policy/README.md ("Content format", "Eligibility rules"), and every reference resolves."""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from functions.policy.generate import generate, iter_content
from functions.refdata.divisions import DISTRICT_CODES

ROOT = Path(__file__).resolve().parents[3]
DEMO_PATH = ROOT / "functions" / "policy" / "data" / "demo.json"
UNITS_PATH = ROOT / "functions" / "refdata" / "data" / "special_action.json"
TODAY = date(2026, 11, 29)

UNIT_IDS = {u["id"] for u in json.loads(UNITS_PATH.read_text(encoding="utf-8"))["units"]}
# The units the brief allows projects to belong to (all of them exist among the refdata units).
PROJECT_UNITS = {"unit-science-tech", "unit-hrss", "unit-private-economy", "unit-finance", "unit-agriculture",
                 "unit-ocean", "unit-culture-tourism", "unit-tax", "unit-big-data",
                 "unit-local-finance-regulation", "unit-customs"}
LEVELS = {"national", "provincial", "municipal", "district"}
NEWS_KINDS = {"interpretation", "news"}
OPS = {"==", "!=", "<", "<=", ">", ">=", "in", "not_in", "contains", "contains_any", "prefix"}
LIST_OPS = {"in", "not_in", "contains_any", "prefix"}
FIELDS = {"district", "industry_code", "founded_on", "years_since_founding", "registered_capital_fen", "employees",
          "revenue_fen", "assets_fen", "size_class", "certifications", "tax_credit_rating", "rd_expense_fen"}
NUMERIC_FIELDS = {"years_since_founding", "registered_capital_fen", "employees", "revenue_fen", "assets_fen",
                  "rd_expense_fen"}
ENUMS = {
    "size_class": {"large", "medium", "small", "micro"},
    "certifications": {"high_tech", "specialized_sme", "little_giant", "tech_sme", "innovative_sme"},
    "tax_credit_rating": {"A", "B", "M", "C", "D"},
    "district": set(DISTRICT_CODES),
}
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
HAN_RE = re.compile(r"[\u4e00-\u9fff]")

try:  # the real validator when present; a structural check otherwise
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover - jsonschema is in the dev environment
    Draft202012Validator = None


def iso(value) -> date:
    assert isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return date.fromisoformat(value)


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def rule_problems(rule, where: str, need_labels: bool = True) -> list[str]:
    """Everything wrong with a rule, as readable lines (empty when well-formed)."""
    if not isinstance(rule, dict):
        return [f"{where}: not an object"]
    combinators = {"all", "any", "not"} & rule.keys()
    if combinators:
        if len(rule) != 1:
            return [f"{where}: a combinator must be alone in its object: {sorted(rule)}"]
        key = next(iter(combinators))
        if key == "not":
            return rule_problems(rule["not"], f"{where}.not", need_labels)
        parts = rule[key]
        if not isinstance(parts, list) or not parts:
            return [f"{where}.{key}: must be a non-empty list"]
        return [p for i, part in enumerate(parts) for p in rule_problems(part, f"{where}.{key}[{i}]", need_labels)]
    problems = []
    if not {"field", "op", "value"} <= rule.keys() or not rule.keys() <= {"field", "op", "value", "label"}:
        return [f"{where}: a condition has field, op, value and optional label, not {sorted(rule)}"]
    field, op, value = rule["field"], rule["op"], rule["value"]
    if field not in FIELDS:
        problems.append(f"{where}: unknown profile field {field!r}")
    if op not in OPS:
        problems.append(f"{where}: unknown op {op!r}")
    if op in LIST_OPS:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            problems.append(f"{where}: {op} takes a non-empty list of strings")
        values = value if isinstance(value, list) else []
    elif op == "contains":
        if field != "certifications" or not isinstance(value, str):
            problems.append(f"{where}: contains applies to the certifications set with one value")
        values = [value]
    else:
        if field in NUMERIC_FIELDS and not (is_int(value) or isinstance(value, float)):
            problems.append(f"{where}: {field} compares with a number")
        if field == "founded_on":
            iso(value)
        values = [value] if isinstance(value, str) else []
    if op == "prefix" and field != "industry_code":
        problems.append(f"{where}: prefix applies to industry codes")
    if op in {"contains", "contains_any"} and field != "certifications":
        problems.append(f"{where}: {op} applies to a set field (certifications)")
    if field == "industry_code":
        problems += [f"{where}: bad industry code prefix {v!r}" for v in values if not re.fullmatch(r"[A-T]\d{0,4}", v)]
    if field in ENUMS:
        problems += [f"{where}: {v!r} is not a value of {field}" for v in values if v not in ENUMS[field]]
    label = rule.get("label")
    if label is not None or need_labels:
        if not (isinstance(label, dict) and set(label) == {"zh", "en"} and HAN_RE.search(label.get("zh") or "")
                and isinstance(label.get("en"), str) and label["en"].strip()):
            problems.append(f"{where}: label must be {{zh, en}} with Chinese in zh")
    return problems


_SCHEMA_VERDICTS: dict[str, str] = {}


def form_problems(form, where: str, max_properties: int) -> list[str]:
    if not isinstance(form, dict):
        return [f"{where}: form must be an object"]
    problems = []
    if Draft202012Validator is not None:
        # Generated forms differ mostly by their title: check each distinct shape once, the title apart.
        shape = {k: v for k, v in form.items() if k != "title"}
        if not isinstance(form.get("title", ""), str):
            problems.append(f"{where}: form title must be a string")
        key = json.dumps(shape, sort_keys=True, ensure_ascii=False)
        if key not in _SCHEMA_VERDICTS:
            try:
                Draft202012Validator.check_schema(shape)
                _SCHEMA_VERDICTS[key] = ""
            except Exception as error:  # SchemaError; reported, not raised
                _SCHEMA_VERDICTS[key] = f"invalid JSON Schema: {error}"
        if _SCHEMA_VERDICTS[key]:
            problems.append(f"{where}: {_SCHEMA_VERDICTS[key]}")
    if form.get("type") != "object":
        problems.append(f"{where}: form type must be object")
    props = form.get("properties")
    if not isinstance(props, dict) or not 1 <= len(props) <= max_properties:
        problems.append(f"{where}: form needs 1..{max_properties} properties")
        props = {}
    required = form.get("required")
    if not isinstance(required, list) or not required or not set(required) <= set(props):
        problems.append(f"{where}: required must be a non-empty subset of properties")
    for key, schema in props.items():
        if not (isinstance(schema, dict) and schema.get("type") in {"string", "integer", "number", "boolean"}
                and HAN_RE.search(schema.get("title", ""))):
            problems.append(f"{where}.{key}: a property needs a scalar type and a Chinese title")
    return problems


def content_problems(data: dict, *, demo: bool) -> list[str]:
    """Every format and reference problem in a content set."""
    problems: list[str] = []
    documents, projects, news = data["documents"], data["projects"], data["news"]
    ids = [item["id"] for kind in ("documents", "projects", "news", "consultations") for item in data.get(kind, [])]
    problems += [f"duplicate id {i}" for i, n in Counter(ids).items() if n > 1]
    doc_ids = {d["id"] for d in documents}
    project_ids = {p["id"] for p in projects}

    for d in documents:
        w = d["id"]
        if not ID_RE.match(w) or not w.startswith("doc-"):
            problems.append(f"{w}: id must be ASCII kebab-case starting doc-")
        required = {"id", "level", "issuer", "title", "issued_on", "effective_from", "effective_to", "topics", "body"}
        allowed = required | {"district", "department_id", "doc_number"}
        if not required <= d.keys() or not d.keys() <= allowed:
            problems.append(f"{w}: keys {sorted(d)}")
            continue
        if d["level"] not in LEVELS:
            problems.append(f"{w}: level {d['level']!r}")
        if (d["level"] == "district") != ("district" in d):
            problems.append(f"{w}: district is set exactly for district-level documents")
        if "district" in d and d["district"] not in DISTRICT_CODES:
            problems.append(f"{w}: {d['district']!r} is not a Qingdao district code")
        if "department_id" in d and d["department_id"] not in UNIT_IDS:
            problems.append(f"{w}: unknown department {d['department_id']}")
        number = d.get("doc_number", "〔2025〕1号")
        if not (isinstance(number, str) and re.search(r"(〔\d{4}〕\d+号|\d{4}年第\d+号)$", number)):
            problems.append(f"{w}: 文号 {d.get('doc_number')!r} does not look like one")
        iso(d["issued_on"])
        start = iso(d["effective_from"])
        if d["effective_to"] is not None and iso(d["effective_to"]) < start:
            problems.append(f"{w}: effective_to before effective_from")
        if not (isinstance(d["topics"], list) and d["topics"] and all(isinstance(t, str) and t for t in d["topics"])):
            problems.append(f"{w}: topics must be a non-empty list of strings")
        if not (HAN_RE.search(d["title"]) and HAN_RE.search(d["issuer"])):
            problems.append(f"{w}: title and issuer are Chinese")
        lines = d["body"].split("\n")
        if len(lines) < 3 or not all(line.strip() for line in lines):
            problems.append(f"{w}: body must be several non-empty paragraphs")

    for p in projects:
        w = p["id"]
        keys = {"id", "title", "summary", "department_id", "documents", "topics", "eligibility", "amount", "window",
                "no_application", "review_stages", "form"}
        if not ID_RE.match(w) or not w.startswith("proj-"):
            problems.append(f"{w}: id must be ASCII kebab-case starting proj-")
        if set(p) != keys:
            problems.append(f"{w}: keys {sorted(p)}")
            continue
        if p["department_id"] not in PROJECT_UNITS or p["department_id"] not in UNIT_IDS:
            problems.append(f"{w}: department {p['department_id']} is not one of the listed units")
        if not p["documents"] or any(ref not in doc_ids for ref in p["documents"]):
            problems.append(f"{w}: documents {p['documents']} do not all resolve")
        problems += rule_problems(p["eligibility"], f"{w}.eligibility")
        amount = p["amount"]
        kind = amount.get("kind")
        if kind == "fixed":
            if set(amount) != {"kind", "amount_fen"} or not is_int(amount["amount_fen"]) or amount["amount_fen"] <= 0:
                problems.append(f"{w}: fixed amount needs a positive integer amount_fen")
        elif kind == "ratio":
            if (set(amount) != {"kind", "base", "rate", "cap_fen"} or amount["base"] not in NUMERIC_FIELDS
                    or not 0 < amount["rate"] <= 1 or not (amount["cap_fen"] is None or is_int(amount["cap_fen"]))):
                problems.append(f"{w}: ratio amount needs a numeric base field, 0<rate<=1 and an integer cap_fen")
        elif kind == "text":
            if set(amount) != {"kind", "text"} or not HAN_RE.search(amount["text"]):
                problems.append(f"{w}: text amount needs a Chinese text")
        else:
            problems.append(f"{w}: amount kind {kind!r}")
        window = p["window"]
        if set(window) != {"opens_on", "closes_on"}:
            problems.append(f"{w}: window keys {sorted(window)}")
        else:
            opens = iso(window["opens_on"]) if window["opens_on"] is not None else None
            closes = iso(window["closes_on"]) if window["closes_on"] is not None else None
            if opens and closes and closes < opens:
                problems.append(f"{w}: window closes before it opens")
        if not isinstance(p["no_application"], bool):
            problems.append(f"{w}: no_application must be a boolean")
        stages = p["review_stages"]
        if len(stages) != 2 or any(set(s) != {"name", "unit_id"} or s["unit_id"] not in PROJECT_UNITS
                                   or not HAN_RE.search(s["name"]) for s in stages):
            problems.append(f"{w}: two review stages with a Chinese name and a listed unit_id")
        problems += form_problems(p["form"], f"{w}.form", 6)

    for n in news:
        w = n["id"]
        if not ID_RE.match(w) or not w.startswith("news-"):
            problems.append(f"{w}: id must be ASCII kebab-case starting news-")
        if set(n) != {"id", "kind", "title", "published_on", "documents", "body"}:
            problems.append(f"{w}: keys {sorted(n)}")
            continue
        if n["kind"] not in NEWS_KINDS:
            problems.append(f"{w}: kind {n['kind']!r}")
        iso(n["published_on"])
        if not n["documents"] or any(ref not in doc_ids for ref in n["documents"]):
            problems.append(f"{w}: documents {n['documents']} do not all resolve")
        if not (HAN_RE.search(n["title"]) and HAN_RE.search(n["body"])):
            problems.append(f"{w}: title and body are Chinese")

    for c in data.get("consultations", []):
        w = c["id"]
        if set(c) != {"id", "question", "answers"} or not HAN_RE.search(c["question"]):
            problems.append(f"{w}: a consultation is id, a Chinese question and answers")
        if not c["answers"] or any(ref not in doc_ids | project_ids for ref in c["answers"]):
            problems.append(f"{w}: answers {c['answers']} do not all resolve")
    if demo and "consultations" not in data:
        problems.append("the demo set carries consultations")
    return problems


@pytest.fixture(scope="module")
def demo() -> dict:
    return json.loads(DEMO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample() -> dict:
    return generate(documents=50, projects=30, news=200, seed=11)


def test_demo_is_well_formed_and_references_resolve(demo):
    assert set(demo) == {"documents", "projects", "news", "consultations"}
    assert content_problems(demo, demo=True) == []


def test_demo_meets_the_counts_and_the_mix(demo):
    documents, projects, news = demo["documents"], demo["projects"], demo["news"]
    assert len(documents) >= 40 and len(projects) >= 30 and len(news) >= 60 and len(demo["consultations"]) == 15
    assert Counter(d["level"] for d in documents).keys() == LEVELS
    assert len({d["district"] for d in documents if d["level"] == "district"}) >= 3
    assert 3 <= sum(p["no_application"] for p in projects) <= 6
    assert Counter(n["kind"] for n in news).keys() == NEWS_KINDS
    # Documents: most effective, some expired, a few upcoming, relative to 2026-11-29.
    status = Counter(
        "upcoming" if iso(d["effective_from"]) > TODAY
        else "expired" if d["effective_to"] and iso(d["effective_to"]) < TODAY else "effective" for d in documents)
    assert status["upcoming"] >= 2 and status["expired"] >= 2 and status["effective"] > len(documents) / 2
    # Projects: most open now, some closed, some upcoming.
    windows = Counter(
        "open" if (p["window"]["opens_on"] is None or iso(p["window"]["opens_on"]) <= TODAY)
        and (p["window"]["closes_on"] is None or iso(p["window"]["closes_on"]) >= TODAY)
        else "upcoming" if iso(p["window"]["opens_on"]) > TODAY else "closed" for p in projects)
    assert windows["open"] > len(projects) / 2 and windows["closed"] >= 2 and windows["upcoming"] >= 2
    # Rules mix all/any/not; every listed unit runs at least one project; district projects are limited to a district.
    text = json.dumps([p["eligibility"] for p in projects])
    assert all(f'"{k}"' in text for k in ("all", "any", "not"))
    assert {p["department_id"] for p in projects} == PROJECT_UNITS
    district_projects = [p for p in projects if any(
        next(d for d in documents if d["id"] == ref)["level"] == "district" for ref in p["documents"][:1])]
    assert len(district_projects) >= 5
    for p in district_projects:
        assert '"district"' in json.dumps(p["eligibility"]), p["id"]
    # The demo's forms are small: 3 to 6 properties.
    assert all(3 <= len(p["form"]["properties"]) <= 6 for p in projects)


def test_demo_covers_the_required_topics(demo):
    words = " ".join(" ".join(item["topics"]) + " " + item["title"] for kind in ("documents", "projects")
                     for item in demo[kind])
    required = ["专精特新", "小巨人", "高新技术企业认定奖励", "研发费用补助", "稳岗补贴", "社保补贴", "首台", "技术改造",
                "数字化转型", "外贸", "出口信用保险", "人才引进", "住房补贴", "创业担保贷款", "贷款贴息", "知识产权质押",
                "农业", "乡村振兴", "海洋经济", "文旅消费", "税费减免", "增值税留抵退税", "小微企业所得税优惠", "首次上规",
                "绿色低碳"]
    assert [w for w in required if w not in words] == []


def test_demo_amounts_are_fen_and_realistic(demo):
    by_id = {p["id"]: p for p in demo["projects"]}
    assert by_id["proj-qd-little-giant-reward-2026"]["amount"] == {"kind": "fixed", "amount_fen": 50000000}
    for p in demo["projects"]:
        amount = p["amount"]
        if amount["kind"] == "fixed":
            assert 10_000 * 100 <= amount["amount_fen"] <= 10_000_000 * 100, p["id"]  # 1万元 .. 1000万元
            assert amount["amount_fen"] % 100 == 0, p["id"]


def test_the_rule_checker_catches_mistakes():
    assert rule_problems({"field": "turnover", "op": "~", "value": 1}, "r", need_labels=False)
    assert rule_problems({"all": []}, "r")
    assert rule_problems({"field": "size_class", "op": "in", "value": ["huge"],
                          "label": {"zh": "规模", "en": "size"}}, "r")
    assert rule_problems({"field": "employees", "op": ">=", "value": 10}, "r")  # a label is required
    assert not rule_problems({"not": {"field": "industry_code", "op": "prefix", "value": ["C"],
                                      "label": {"zh": "制造业", "en": "manufacturing"}}}, "r")


def test_generated_sample_is_well_formed(sample):
    assert {k: len(v) for k, v in sample.items()} == {"documents": 50, "projects": 30, "news": 200}
    assert content_problems(sample, demo=False) == []
    for d in sample["documents"]:
        assert 300 <= len(d["body"]) <= 1500, (d["id"], len(d["body"]))


def test_generated_ids_never_collide_with_the_demo(demo, sample):
    demo_ids = {item["id"] for kind in demo for item in demo[kind]}
    assert not demo_ids & {item["id"] for kind in sample for item in sample[kind]}


def test_generator_is_deterministic():
    first = generate(documents=50, projects=30, news=200, seed=5)
    assert first == generate(documents=50, projects=30, news=200, seed=5)
    assert first != generate(documents=50, projects=30, news=200, seed=6)
    assert list(iter_content(documents=50, projects=30, news=200, seed=5)) == [
        (kind, item) for kind in ("documents", "projects", "news") for item in first[kind]]


def test_iterator_yields_documents_before_anything_refers_to_them():
    seen: set[str] = set()
    for kind, item in iter_content(documents=40, projects=40, news=100, seed=3):
        if kind == "documents":
            seen.add(item["id"])
        else:
            assert set(item["documents"]) <= seen, item["id"]


def test_full_scale_meets_the_counts_and_is_well_formed():
    data = generate()
    assert {k: len(v) for k, v in data.items()} == {"documents": 3000, "projects": 2000, "news": 26000}
    assert content_problems(data, demo=False) == []
    lengths = [len(d["body"]) for d in data["documents"]]
    assert min(lengths) >= 300 and max(lengths) <= 1500
    assert Counter(d["level"] for d in data["documents"]).keys() == LEVELS
    assert len({d["title"] for d in data["documents"]}) > 0.8 * len(data["documents"])
    assert 0 < sum(p["no_application"] for p in data["projects"]) < 0.2 * len(data["projects"])


def test_the_content_checker_catches_mistakes(demo):
    def broken(change) -> list[str]:
        copy = json.loads(json.dumps(demo))
        change(copy)
        return content_problems(copy, demo=True)

    district_doc = next(i for i, d in enumerate(demo["documents"]) if d["level"] == "district")
    assert broken(lambda c: c["projects"][0]["documents"].append("doc-missing"))
    assert broken(lambda c: c["news"][0]["documents"].__setitem__(0, "doc-missing"))
    assert broken(lambda c: c["consultations"][0]["answers"].append("proj-missing"))
    assert broken(lambda c: c["documents"][district_doc].__setitem__("district", "370100"))
    assert broken(lambda c: c["documents"][0].__setitem__("effective_to", "2000-01-01"))
    assert broken(lambda c: c["documents"][0].__setitem__("level", "county"))
    assert broken(lambda c: c["projects"][0].__setitem__("department_id", "unit-nowhere"))
    assert broken(lambda c: c["projects"][0]["review_stages"][0].__setitem__("unit_id", "unit-nowhere"))
    assert broken(lambda c: c["projects"][0].__setitem__("amount", {"kind": "fixed", "amount_fen": 500000.0}))
    assert broken(lambda c: c["projects"][1]["form"]["required"].append("not_a_property"))
    assert broken(lambda c: c["projects"][1]["form"].__setitem__("type", "array"))
    assert broken(lambda c: c["projects"][2].__setitem__("id", c["projects"][3]["id"]))
    assert broken(lambda c: c["news"][0].__setitem__("kind", "rumour"))
