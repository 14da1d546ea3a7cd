"""Composing a credit report: every section and entry says where it came from and as of when; the
canonical JSON (and so the SHA-256) depends only on the content."""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from functions.enterprises.facts import Fact
from functions.finance.reports.compose import (
    KINDS,
    PLATFORM_SOURCE,
    CreditItemRecord,
    PolicyFund,
    canonical_json,
    compose,
    item_id,
    sha256_of,
)

USCC = "91370202MA3C4R7K75"
AT = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)  # 10:00 in Qingdao
FIELDS = {
    "name": Fact("青岛正日信企业管理有限公司", "imported", date(2026, 6, 30)),
    "industry_code": Fact("L7211", "imported", date(2026, 6, 30)),
    "founded_on": Fact(date(2016, 5, 18), "imported", date(2026, 6, 30)),
    "employees": Fact(12, "self_declared", date(2026, 11, 2)),
    "revenue_fen": Fact(380_000_000, "self_declared", date(2026, 11, 2)),
    "assets_fen": Fact(650_000_000, "self_declared", date(2026, 11, 2)),
    "certifications": Fact(frozenset({"tech_sme", "high_tech"}), "self_declared", date(2026, 11, 2)),
}


def item(kind: str, as_of: date, source: str = "信用中国", **data) -> CreditItemRecord:
    return CreditItemRecord(kind, item_id(kind, data), source, as_of, data)


ITEMS = [
    item("registration", date(2026, 6, 30), "国家企业信用信息公示系统", name="青岛正日信企业管理有限公司",
         legal_representative="郑镕喆", status="存续", registered_capital_fen=500_000_000, founded_on="2016-05-18"),
    item("penalty", date(2026, 2, 14), decision_no="罚〔2026〕31号", authority="市场监管局", reason="未公示年报",
         penalty="警告", decided_on="2026-02-14"),
    item("penalty", date(2025, 8, 1), decision_no="罚〔2025〕7号", authority="市场监管局", reason="标价不规范",
         penalty="警告", amount_fen=100_000, decided_on="2025-08-01"),
    item("tax_credit", date(2026, 4, 30), "国家税务总局青岛市税务局", rating="A", year=2025),
    item("utility", date(2026, 10, 31), "青岛供电公司", utility="electricity", months=12, on_time_months=12,
         arrears_fen=0),
]
FUNDS = [PolicyFund("app-1", "高新技术企业认定奖励", "dept-kj", 20_000_000, date(2026, 9, 1), 1)]
FINANCING = [{"demand_id": "d-1", "institution_name": "青岛银行", "amount_fen": 100_000_000, "status": "disbursed",
              "as_of": date(2026, 10, 8)}]


def report(**overrides):
    args = dict(report_no="CR-20261120-ABCDEFGHJK", generated_at=AT, uscc=USCC,
                district={"code": "370202", "name_zh": "市南区", "name_en": "Shinan District"},
                fields=FIELDS, items=ITEMS, policy_funds=FUNDS, financing=FINANCING)
    args.update(overrides)
    return compose(**args)


def test_every_section_and_every_entry_has_its_source_and_as_of():
    composed = report()
    keys = [s["key"] for s in composed["sections"]]
    assert keys == ["profile", *KINDS, "policy_funds", "financing"]
    for section in composed["sections"]:
        assert section["title_zh"] and section["title_en"] and section["origin"]
        for entry in section["entries"]:
            assert entry["source"], (section["key"], entry)
            date.fromisoformat(entry["as_of"])
        if section["entries"]:
            assert section["sources"] and section["as_of"] == max(e["as_of"] for e in section["entries"]) \
                or section["origin"] == "platform_records"
    by_key = {s["key"]: s for s in composed["sections"]}
    assert by_key["penalty"]["as_of"] == "2026-02-14" and by_key["penalty"]["sources"] == ["信用中国"]
    assert [e["item_id"] for e in by_key["penalty"]["entries"]] == ["penalty#罚〔2026〕31号", "penalty#罚〔2025〕7号"]
    # A kind never imported says "no data received": no source, no date, and never "none".
    assert by_key["dishonest"] == {**by_key["dishonest"], "entries": [], "sources": [], "as_of": None}
    assert "dishonest" in composed["summary"]["kinds_without_data"]
    # The platform's own records are read live: as of the report's day in Qingdao.
    for key in ("policy_funds", "financing"):
        assert by_key[key]["sources"] == [PLATFORM_SOURCE] and by_key[key]["as_of"] == "2026-11-20"
    assert by_key["policy_funds"]["entries"][0] == {
        "application_id": "app-1", "project_title": "高新技术企业认定奖励", "department_id": "dept-kj",
        "paid_fen": 20_000_000, "payments": 1, "source": PLATFORM_SOURCE, "as_of": "2026-09-01"}
    assert by_key["financing"]["entries"][0]["as_of"] == "2026-10-08"


def test_profile_facts_keep_their_source_and_the_derived_ones_are_dated_today():
    entries = {e["field"]: e for e in report()["sections"][0]["entries"]}
    assert entries["employees"] == {"field": "employees", "label_zh": "从业人员", "label_en": "Employees", "value": 12,
                                    "unit": "persons", "source": "self_declared", "as_of": "2026-11-02"}
    assert entries["certifications"]["value"] == ["high_tech", "tech_sme"]  # a set, sorted
    assert entries["years_since_founding"]["value"] == 10
    assert entries["size_class"]["source"] == "derived" and entries["size_class"]["as_of"] == "2026-11-20"


def test_head_subject_and_summary():
    composed = report()
    assert composed["format"] == "qingdao-credit-report/1"
    assert composed["generated_at"] == "2026-11-20T10:00:00+08:00"
    assert composed["subject"]["name"] == "青岛正日信企业管理有限公司"
    assert composed["summary"]["penalties"] == 2 and composed["summary"]["tax_credit_rating"] == "A"
    assert composed["summary"]["policy_funds_fen"] == 20_000_000
    # Without a profile, the registration data names the enterprise.
    assert report(fields={})["subject"]["name"] == "青岛正日信企业管理有限公司"


def test_the_same_content_gives_the_same_canonical_json_and_sha256():
    first = report()
    second = report(items=list(reversed(ITEMS)), fields=dict(reversed(list(FIELDS.items()))))
    assert canonical_json(first) == canonical_json(second)
    assert sha256_of(first) == sha256_of(second) == hashlib.sha256(canonical_json(first)).hexdigest()
    # What a verifier does with the JSON it received: parse it, dump it canonically, hash it.
    received = json.loads(json.dumps(first, indent=2))
    again = json.dumps(received, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert hashlib.sha256(again).hexdigest() == sha256_of(first)
    assert "镕喆".encode() in canonical_json(first)  # UTF-8, not \\u escapes


def test_any_change_changes_the_sha256():
    base = sha256_of(report())
    assert sha256_of(report(report_no="CR-20261120-ABCDEFGHJM")) != base
    assert sha256_of(report(generated_at=AT + timedelta(seconds=1))) != base
    assert sha256_of(report(items=ITEMS[:-1])) != base


def test_floats_have_no_canonical_form():
    with pytest.raises(TypeError, match="floats"):
        canonical_json({"rate": 3.85})
