"""The statistics' pure parts: the month and year of an event in Qingdao, the rows an event counts in,
the waits, and the rates and averages derived from the counters (None without a sample)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from functions.finance.stats import figures, periods, ratio, scopes, seconds_between, validate_period
from functions.shared.errors import ValidationFailed


@pytest.mark.parametrize("utc, month, year", [
    (datetime(2026, 11, 30, 15, 59, tzinfo=timezone.utc), "2026-11", "2026"),  # 23:59 in Qingdao
    (datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc), "2026-12", "2026"),  # midnight in Qingdao: December
    (datetime(2026, 12, 31, 16, 0, tzinfo=timezone.utc), "2027-01", "2027"),  # New Year in Qingdao, not yet in UTC
    (datetime(2027, 1, 1, 0, 0, tzinfo=timezone.utc), "2027-01", "2027"),
])
def test_an_event_counts_in_qingdaos_month_and_year(utc, month, year):
    assert periods(utc) == (month, year)


@pytest.mark.parametrize("institution, branch, rows", [
    ("bank-qrcb", "bank-qrcb-b002", [("bank", "bank-qrcb"), ("branch", "bank-qrcb-b002"), ("district", "370202"),
                                     ("city", "city")]),
    ("bank-qrcb", None, [("bank", "bank-qrcb"), ("district", "370202"), ("city", "city")]),  # no branch named
    ("bank-qrcb", "", [("bank", "bank-qrcb"), ("district", "370202"), ("city", "city")]),
])
def test_the_rows_an_event_counts_in(institution, branch, rows):
    assert scopes("370202", institution, branch) == rows


def test_waits_are_whole_seconds_never_negative():
    end = datetime(2026, 11, 20, 5, 0, 30, 900_000, tzinfo=timezone.utc)
    assert seconds_between("2026-11-20T02:00:00.000000Z", end) == 3 * 3600 + 30
    assert seconds_between("2026-11-20T06:00:00.000000Z", end) == 0  # a clock skew is no negative wait
    assert seconds_between(None, end) == 0


@pytest.mark.parametrize("numerator, denominator, places, expected", [
    (1, 2, 4, 0.5), (2, 3, 4, 0.6667), (0, 5, 4, 0.0), (3, 0, 4, None), (0, 0, 4, None), (5400, 3600, 2, 1.5),
])
def test_ratio(numerator, denominator, places, expected):
    assert ratio(numerator, denominator, places) == expected


def test_figures_of_a_row():
    row = figures({"claimed": 4, "contacted": 2, "approved": 3, "rejected": 1, "disbursed": 2, "released": 1,
                   "publish_to_claim_seconds": 4 * 3600 + 3600, "claim_to_contact_seconds": 1800 + 5400,
                   "asked_fen_approved": 150_000_000, "approved_fen": 87_000_000, "disbursed_fen": 60_000_000})
    assert row == {"claimed": 4, "contacted": 2, "approved": 3, "rejected": 1, "disbursed": 2, "released": 1,
                   "approval_rate": 0.75, "approved_over_asked": 0.58, "avg_publish_to_claim_hours": 1.25,
                   "avg_claim_to_contact_hours": 1.0, "approved_fen": 87_000_000, "disbursed_fen": 60_000_000}


def test_figures_without_samples_are_null_not_zero():
    row = figures({"released": 2})
    assert row["released"] == 2 and row["claimed"] == 0
    assert (row["approval_rate"], row["approved_over_asked"], row["avg_publish_to_claim_hours"],
            row["avg_claim_to_contact_hours"]) == (None, None, None, None)
    assert figures({"rejected": 3})["approval_rate"] == 0.0  # rejections only: a rate of 0, not unknown


@pytest.mark.parametrize("period", ["2026-11", "2026-01", "2026-12", "2026"])
def test_periods_accepted(period):
    assert validate_period(period) == period


@pytest.mark.parametrize("period", ["2026-13", "2026-00", "2026-1", "26-11", "2026-11-01", "", "november"])
def test_periods_refused(period):
    with pytest.raises(ValidationFailed) as refused:
        validate_period(period)
    assert refused.value.errors[0].field == "period"
