"""A credit report composed from what is known now: no I/O.

    profile facts (functions/enterprises)  ─┐
    public credit items (imported, models) ─┼─ compose(...) → report dict → canonical_json → sha256
    the platform's own records              ─┘

Every entry says where it came from (`source`) and the day it describes (`as_of`); every section
lists its sources and its latest `as_of` (null for a kind of public data never imported: the report
says "no data received", never "none"). The canonical JSON (sorted keys, no spaces, UTF-8, integers
only: amounts are in fen) is what the SHA-256 is taken of, so the same report always hashes the same.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from functions.enterprises.facts import DERIVED, FIELDS, Fact, size_of, years_since
from functions.shared.clock import SHANGHAI

FORMAT = "qingdao-credit-report/1"
PLATFORM_SOURCE = "青岛市企业服务平台"  # the platform's own records (policy funds paid, financing)
TEXT, DAY, FEN, INT, MONTH = "text", "date", "fen", "int", "month"


@dataclass(frozen=True)
class Field:
    name: str
    zh: str
    en: str
    type: str = TEXT
    required: bool = True


@dataclass(frozen=True)
class Kind:
    code: str
    zh: str
    en: str
    key: str | None  # the data field that tells its items apart; None: one item per enterprise
    fields: tuple[Field, ...]
    adverse: bool = False  # counted in the summary as a warning sign


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("registration", "工商登记信息", "Business registration", None, (
        Field("name", "企业名称", "Name"),
        Field("legal_representative", "法定代表人", "Legal representative"),
        Field("status", "登记状态", "Registration status"),
        Field("registered_capital_fen", "注册资本", "Registered capital", FEN),
        Field("founded_on", "成立日期", "Founded on", DAY),
        Field("address", "住所", "Address", required=False),
        Field("authority", "登记机关", "Registration authority", required=False),
    )),
    Kind("licence", "行政许可", "Administrative licences", "licence_no", (
        Field("licence_no", "许可文书编号", "Licence number"),
        Field("title", "许可名称", "Licence"),
        Field("authority", "许可机关", "Issued by"),
        Field("valid_from", "有效期自", "Valid from", DAY),
        Field("valid_to", "有效期至", "Valid to", DAY, required=False),
    )),
    Kind("penalty", "行政处罚", "Administrative penalties", "decision_no", (
        Field("decision_no", "处罚决定书文号", "Decision number"),
        Field("authority", "处罚机关", "Authority"),
        Field("reason", "违法事实", "Offence"),
        Field("penalty", "处罚内容", "Penalty"),
        Field("amount_fen", "罚没金额", "Amount", FEN, required=False),
        Field("decided_on", "处罚日期", "Decided on", DAY),
    ), adverse=True),
    Kind("enforcement", "被执行人信息", "Court enforcement", "case_no", (
        Field("case_no", "案号", "Case number"),
        Field("court", "执行法院", "Court"),
        Field("amount_fen", "执行标的", "Amount", FEN),
        Field("filed_on", "立案日期", "Filed on", DAY),
        Field("status", "执行状态", "Status", required=False),
    ), adverse=True),
    Kind("dishonest", "失信被执行人", "List of dishonest judgment debtors", "case_no", (
        Field("case_no", "案号", "Case number"),
        Field("court", "执行法院", "Court"),
        Field("obligation", "生效法律文书确定的义务", "Obligation"),
        Field("published_on", "发布日期", "Published on", DAY),
    ), adverse=True),
    Kind("tax_credit", "纳税信用等级", "Tax credit rating", None, (
        Field("rating", "纳税信用等级", "Rating"),
        Field("year", "评价年度", "Year", INT),
    )),
    Kind("social_insurance", "社保参保人数", "Social-insurance headcount", None, (
        Field("headcount", "参保人数", "Insured persons", INT),
        Field("month", "所属月份", "Month", MONTH),
    )),
    Kind("utility", "水电气缴费", "Utility payments", "utility", (
        Field("utility", "类别", "Utility"),
        Field("months", "统计月数", "Months counted", INT),
        Field("on_time_months", "按时缴费月数", "Months paid on time", INT),
        Field("arrears_fen", "欠费金额", "Arrears", FEN),
    )),
    Kind("honour", "荣誉信息", "Honours", "title", (
        Field("title", "荣誉名称", "Honour"),
        Field("awarded_by", "授予单位", "Awarded by"),
        Field("awarded_on", "授予日期", "Awarded on", DAY),
    )),
)}
UTILITIES = {"water": ("水费", "Water"), "electricity": ("电费", "Electricity"), "gas": ("燃气费", "Gas"),
             "heating": ("供热费", "Heating")}
TAX_RATINGS = ("A", "B", "M", "C", "D")

# The sections, in the order a reader meets them: (key, zh, en, where from).
PROFILE, PUBLIC, PLATFORM = "enterprise_profile", "public_credit_data", "platform_records"
POLICY_FUNDS, FINANCING = "policy_funds", "financing"
SECTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("profile", "企业基本信息", "Enterprise profile", PROFILE),
    *((kind.code, kind.zh, kind.en, PUBLIC) for kind in KINDS.values()),
    (POLICY_FUNDS, "获得政策资金", "Policy funds received", PLATFORM),
    (FINANCING, "融资记录", "Financing history", PLATFORM),
)
SECTION_WORDS = {key: (zh, en) for key, zh, en, _ in SECTIONS}
SOURCE_WORDS = {"self_declared": ("企业自主申报", "declared by the enterprise"),
                "imported": ("政府部门导入", "imported from an authority"),
                DERIVED: ("平台计算", "computed by the platform")}
PROFILE_FIELDS = ("name", "industry_code", "founded_on", "years_since_founding", "registered_capital_fen",
                  "employees", "revenue_fen", "assets_fen", "rd_expense_fen", "size_class", "certifications",
                  "tax_credit_rating")


def item_id(kind: str, data: Mapping[str, Any]) -> str:
    """The item's key within its enterprise: the kind, then its own key where the kind has many."""
    key = KINDS[kind].key
    return kind if key is None else f"{kind}#{data[key]}"


@dataclass(frozen=True)
class CreditItemRecord:
    """One imported item as compose reads it (from models.CreditItem, or a test)."""

    kind: str
    item_id: str
    source: str
    as_of: date
    data: Mapping[str, Any]


@dataclass(frozen=True)
class PolicyFund:
    """A policy award the enterprise has been paid (functions/policy: an application with payments)."""

    application_id: str
    project_title: str
    department_id: str
    paid_fen: int
    last_paid_on: date
    payments: int


def _plain(value: Any) -> Any:
    if isinstance(value, (frozenset, set)):
        return sorted(value)
    if isinstance(value, datetime):
        return value.astimezone(SHANGHAI).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def profile_entries(fields: Mapping[str, Fact], today: date) -> list[dict[str, Any]]:
    """The profile's facts with their source and date; size class and years since founding derived now."""
    value = (lambda name: fields[name].value if name in fields else None)
    derived: dict[str, Fact] = {}
    if "founded_on" in fields:
        derived["years_since_founding"] = Fact(years_since(fields["founded_on"].value, today), DERIVED, today)
    size = size_of(value("industry_code"), value("employees"), value("revenue_fen"), value("assets_fen"))
    if size.size is not None:
        derived["size_class"] = Fact(size.size, DERIVED, today)
    entries = []
    for name in PROFILE_FIELDS:
        fact = fields.get(name) or derived.get(name)
        if fact is None:
            continue
        info = FIELDS.get(name)
        entries.append({"field": name, "label_zh": info.zh if info else "企业名称",
                        "label_en": info.en if info else "Name", "value": _plain(fact.value),
                        "unit": info.unit if info else "", "source": fact.source,
                        "as_of": _plain(fact.as_of or today)})
    return entries


def item_entries(kind: str, items: Iterable[CreditItemRecord]) -> list[dict[str, Any]]:
    mine = [item for item in items if item.kind == kind]
    mine.sort(key=lambda item: (item.as_of, item.item_id), reverse=True)  # newest first, stable
    return [{"item_id": item.item_id, "data": {k: _plain(v) for k, v in sorted(item.data.items())},
             "source": item.source, "as_of": item.as_of.isoformat()} for item in mine]


def policy_fund_entries(funds: Iterable[PolicyFund]) -> list[dict[str, Any]]:
    ordered = sorted(funds, key=lambda f: (f.last_paid_on, f.application_id), reverse=True)
    return [{"application_id": f.application_id, "project_title": f.project_title, "department_id": f.department_id,
             "paid_fen": int(f.paid_fen), "payments": int(f.payments), "source": PLATFORM_SOURCE,
             "as_of": f.last_paid_on.isoformat()} for f in ordered]


def financing_entries(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """HOOK (financing history, filled by the demands work): one entry per financing demand of the
    enterprise, from the records `service.financing_records(uscc)` returns.

    Each record is a mapping; the report keeps these keys when present: demand_id, institution_id,
    institution_name, amount_fen, term_months, status (open … disbursed | rejected), annual_rate_bp,
    disbursed_fen, and `as_of` (the day of its last outcome, a date or ISO string). Amounts in fen,
    integers only (the canonical JSON has no floats). Newest first."""
    keep = ("demand_id", "institution_id", "institution_name", "amount_fen", "term_months", "status",
            "annual_rate_bp", "disbursed_fen")
    entries = []
    for record in records:
        entry = {key: _plain(record[key]) for key in keep if record.get(key) is not None}
        entry["source"] = record.get("source", PLATFORM_SOURCE)
        entry["as_of"] = _plain(record["as_of"])
        entries.append(entry)
    entries.sort(key=lambda e: (e["as_of"], e.get("demand_id", "")), reverse=True)
    return entries


def _section(key: str, entries: list[dict[str, Any]], live_as_of: str | None = None) -> dict[str, Any]:
    _, zh, en, origin = next(s for s in SECTIONS if s[0] == key)
    if origin == PLATFORM:
        sources = [PLATFORM_SOURCE]
        as_of = live_as_of  # the platform's records are read live: they are as of the report's day
    else:
        sources = sorted({entry["source"] for entry in entries})
        as_of = max((entry["as_of"] for entry in entries), default=None)
    return {"key": key, "title_zh": zh, "title_en": en, "origin": origin, "sources": sources, "as_of": as_of,
            "entries": entries}


def compose(*, report_no: str, generated_at: datetime, uscc: str, district: Mapping[str, str],
            fields: Mapping[str, Fact], items: Iterable[CreditItemRecord], policy_funds: Iterable[PolicyFund],
            financing: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The report as a plain JSON-able dict (strings, integers, lists, dicts, null)."""
    items = list(items)
    today = generated_at.astimezone(SHANGHAI).date()
    registration = next((i for i in items if i.kind == "registration"), None)
    name = fields["name"].value if "name" in fields else (registration.data.get("name") if registration else None)
    sections = [_section("profile", profile_entries(fields, today))]
    sections += [_section(code, item_entries(code, items)) for code in KINDS]
    sections.append(_section(POLICY_FUNDS, policy_fund_entries(policy_funds), today.isoformat()))
    sections.append(_section(FINANCING, financing_entries(financing), today.isoformat()))
    by_key = {s["key"]: s for s in sections}
    tax = by_key["tax_credit"]["entries"]
    summary = {
        "penalties": len(by_key["penalty"]["entries"]),
        "enforcement_cases": len(by_key["enforcement"]["entries"]),
        "dishonest_listings": len(by_key["dishonest"]["entries"]),
        "tax_credit_rating": tax[0]["data"].get("rating") if tax else None,
        "policy_funds_fen": sum(e["paid_fen"] for e in by_key[POLICY_FUNDS]["entries"]),
        "kinds_without_data": [code for code in KINDS if not by_key[code]["entries"]],
    }
    return {
        "format": FORMAT,
        "report_no": report_no,
        "generated_at": _plain(generated_at),
        "subject": {"uscc": uscc, "name": name, "district": dict(district)},
        "summary": summary,
        "sections": sections,
    }


def _check_plain(value: Any, path: str = "report") -> None:
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return
    if isinstance(value, float):
        raise TypeError(f"{path}: floats have no canonical form here; use integers (fen, basis points)")
    if isinstance(value, list):
        for index, child in enumerate(value):
            _check_plain(child, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, child in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: keys must be strings")
            _check_plain(child, f"{path}.{key}")
        return
    raise TypeError(f"{path}: {type(value).__name__} is not JSON")


def canonical_json(report: Mapping[str, Any]) -> bytes:
    """The bytes the SHA-256 is taken of: sorted keys, no whitespace, UTF-8 (not \\u escapes),
    integers only. Anyone holding the report's JSON recomputes it with
    `json.dumps(report, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()`."""
    _check_plain(report)
    return json.dumps(report, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def sha256_of(report: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(report)).hexdigest()
