"""Snapshots without I/O: which month a run closes, the month's end, the entries' digests, what changed,
and the chain's link in the document that is hashed."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from functions.finance.snapshots import service
from functions.finance.snapshots.models import CreditSnapshot


def test_the_run_on_the_first_closes_the_month_just_ended_in_beijing_time():
    assert service.month_closed_before(datetime(2026, 11, 30, 15, 59, tzinfo=timezone.utc)) == "2026-10"  # 23:59 on the 30th
    assert service.month_closed_before(datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc)) == "2026-11"  # 01:00 on 1 Dec
    assert service.month_closed_before(datetime(2027, 1, 1, 0, 0, tzinfo=timezone.utc)) == "2026-12"
    assert service.previous_month("2027-01") == "2026-12" and service.next_month("2026-12") == "2027-01"
    assert service.end_of("2026-12").isoformat() == "2027-01-01T00:00:00+08:00"
    assert service.end_of("2026-02").isoformat() == "2026-03-01T00:00:00+08:00"


def _report(*entries_by_section):
    return {"sections": [{"key": key, "entries": entries} for key, entries in entries_by_section]}


def test_a_fact_confirmed_again_later_is_not_a_change_but_a_new_value_is():
    before = service.digests_of(_report(("profile", [{"field": "employees", "value": 120, "as_of": "2026-10-01"}])))
    same = service.digests_of(_report(("profile", [{"field": "employees", "value": 120, "as_of": "2026-11-01"}])))
    other = service.digests_of(_report(("profile", [{"field": "employees", "value": 130, "as_of": "2026-11-01"}])))
    assert list(before) == ["profile:employees"]
    assert service.changes_between(before, same) == []
    assert service.changes_between(before, other) == [{"entry": "profile:employees", "section": "profile", "change": "changed"}]


def test_changes_list_added_changed_and_removed_entries_in_key_order():
    before = {"penalty:penalty#1": "a", "profile:employees": "b", "financing:D1": "c"}
    after = {"penalty:penalty#1": "a", "profile:employees": "x", "licence:licence#9": "d"}
    assert service.changes_between(before, after) == [
        {"entry": "financing:D1", "section": "financing", "change": "removed"},
        {"entry": "licence:licence#9", "section": "licence", "change": "added"},
        {"entry": "profile:employees", "section": "profile", "change": "changed"},
    ]
    assert [c["change"] for c in service.changes_between(None, after)] == ["added"] * 3  # the first snapshot


def test_the_document_carries_the_previous_hash_so_the_chain_is_in_what_is_hashed():
    now = datetime(2026, 12, 1, 1, tzinfo=timezone.utc)
    report = _report(("profile", [{"field": "name", "value": "某公司", "as_of": "2026-10-01"}]))
    first = service.make_snapshot("91370202MA3C4R7K75", "370202", "2026-10", report, None, now)
    assert first.item.previous_sha256 is None and hashlib.sha256(first.body).hexdigest() == first.item.sha256
    second = service.make_snapshot("91370202MA3C4R7K75", "370202", "2026-11", report, first.item, now)
    document = json.loads(second.body)
    assert document["previous"] == {"month": "2026-10", "sha256": first.item.sha256}
    assert document["changes"] == [] and document["as_of"] == "2026-12-01T00:00:00+08:00"
    assert second.item.object_key == "credit-snapshots/2026-11/370202/91370202MA3C4R7K75.json"
    # Another previous hash, another snapshot hash: a link cannot be swapped without it showing.
    forged = CreditSnapshot(uscc=first.item.uscc, month="2026-10", sha256="0" * 64, digests=first.item.digests)
    assert service.make_snapshot("91370202MA3C4R7K75", "370202", "2026-11", report, forged, now).item.sha256 != second.item.sha256


def test_a_divisions_key_ranges_hold_every_credit_code_once():
    import itertools
    import random

    ranges = service.segments("370202")
    assert len(ranges) == 18 and len(service.chains()) == 18 * 11
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    rng = random.Random(7)
    codes = ["91370202" + c + "".join(rng.choice(chars) for _ in range(9)) for c in chars]
    codes += ["92370202" + c + "0" * 9 for c in chars]
    codes += [kind + "370202" + "MA3C4R7K7" + "5" for kind in ("11", "12", "31", "51", "52", "53", "90", "93", "Y1")]
    for code in codes:
        holding = [r for r in ranges if r[0] <= code <= r[1]]
        assert len(holding) == 1, (code, holding)
    for (_, end), (start, _) in itertools.pairwise(sorted(ranges)):
        assert end < start  # no overlap
