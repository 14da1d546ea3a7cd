"""The notice file format: parsing, the rules, and the error paths operators see."""
from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any, Callable

import pytest

from functions.calendar.notices import (
    NoticeHoliday,
    NoticeWorkingDay,
    YearNotice,
    dump_notice,
    notice_to_dict,
    parse_notice,
    validate_notice,
)
from functions.shared.errors import DomainError, FieldError, ValidationFailed


def test_the_example_file_parses(notice_2027: YearNotice) -> None:
    assert notice_2027.year == 2027
    assert notice_2027.published == date(2026, 11, 10)
    names = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
    assert [h.name for h in notice_2027.holidays] == names
    assert notice_2027.holidays[0].dates[-1] == date(2027, 1, 4)
    assert notice_2027.working_days[0] == NoticeWorkingDay(name="春节调休", date=date(2027, 1, 31))
    assert len(notice_2027.rest_days()) == 4 + 9 + 3 + 5 + 1 + 1 + 7
    assert notice_2027.swapped_working_days()[date(2027, 10, 9)] == "国庆节调休"


def test_dump_then_parse_round_trips(notice_2027: YearNotice) -> None:
    text = dump_notice(notice_2027)
    assert "元旦" in text  # readable Chinese, not \\u escapes
    assert parse_notice(text) == notice_2027
    assert parse_notice(notice_to_dict(notice_2027)) == notice_2027
    assert parse_notice(text.encode("utf-8")) == notice_2027


def _set(path: list[Any], value: Any) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(key: str) -> Callable[[dict], None]:
    return lambda doc: doc.pop(key)


H, W = "holidays", "working_days"

# id, change to the example document, the one field error expected (field, part of its message)
BAD_NOTICES = [
    ("date-outside-the-year", _set([H, 2, "dates", 0], "2028-04-03"), "holidays[2].dates[0]", "not in 2027"),
    ("date-format", _set([H, 0, "dates", 1], "2027/01/02"), "holidays[0].dates[1]", "YYYY-MM-DD"),
    ("compact-date", _set([H, 0, "dates", 1], "20270102"), "holidays[0].dates[1]", "YYYY-MM-DD"),
    ("impossible-date", _set([H, 1, "dates", 0], "2027-02-30"), "holidays[1].dates[0]", "not a calendar date"),
    ("date-not-a-string", _set([H, 1, "dates", 0], 20270205), "holidays[1].dates[0]", "YYYY-MM-DD"),
    (
        "duplicate-within-a-holiday",
        _set([H, 0, "dates", 1], "2027-01-01"),
        "holidays[0].dates[1]",
        "already listed at holidays[0].dates[0]",
    ),
    (
        "duplicate-across-holidays",
        _set([H, 4, "dates", 0], "2027-10-01"),
        "holidays[6].dates[0]",
        "already listed at holidays[4].dates[0]",
    ),
    (
        "working-day-is-a-holiday",
        _set([W, 1, "date"], "2027-02-13"),
        "working_days[1].date",
        "already listed at holidays[1].dates[8]",
    ),
    ("working-day-on-a-weekday", _set([W, 0, "date"], "2027-02-01"), "working_days[0].date", "not a Saturday"),
    ("working-day-other-year", _set([W, 0, "date"], "2026-01-31"), "working_days[0].date", "not in 2027"),
    (
        "duplicate-working-days",
        _set([W, 4, "date"], "2027-09-26"),
        "working_days[4].date",
        "already listed at working_days[3].date",
    ),
    ("empty-holiday-name", _set([H, 1, "name"], "  "), "holidays[1].name", "non-empty"),
    ("empty-working-day-name", _set([W, 2, "name"], ""), "working_days[2].name", "non-empty"),
    ("holiday-without-dates", _set([H, 3, "dates"], []), "holidays[3].dates", "non-empty list"),
    ("no-holidays", _set([H], []), "holidays", "non-empty list"),
    ("missing-working-days", _delete(W), "working_days", "required"),
    ("missing-year", _delete("year"), "year", "required"),
    ("year-as-text", _set(["year"], "2027"), "year", "whole number"),
    ("year-as-bool", _set(["year"], True), "year", "whole number"),
    ("year-out-of-range", _set(["year"], 1999), "year", "between"),
    ("missing-source", _delete("source"), "source", "non-empty"),
    ("bad-published", _set(["published"], "2026-13-01"), "published", "not a calendar date"),
    ("unknown-top-level-field", _set(["holiday"], []), "holiday", "unknown field"),
    ("unknown-nested-field", _set([H, 0, "day"], "2027-01-01"), "holidays[0].day", "unknown field"),
    ("holiday-not-an-object", _set([H, 0], "元旦"), "holidays[0]", "an object"),
]


@pytest.mark.parametrize(
    ("change", "field", "message"), [case[1:] for case in BAD_NOTICES], ids=[case[0] for case in BAD_NOTICES]
)
def test_bad_notices_name_the_field(
    example_notice_text: str, change: Callable[[dict], None], field: str, message: str
) -> None:
    doc = json.loads(example_notice_text)
    change(doc)
    with pytest.raises(ValidationFailed) as raised:
        parse_notice(json.dumps(doc, ensure_ascii=False))
    assert [e.field for e in raised.value.errors] == [field]
    assert message in raised.value.errors[0].message
    assert raised.value.status == 422


def test_every_error_is_reported_at_once(example_notice_text: str) -> None:
    doc = json.loads(example_notice_text)
    doc["holidays"][0]["dates"][0] = "2026-01-01"
    doc["working_days"][0]["date"] = "2027-02-01"
    with pytest.raises(ValidationFailed) as raised:
        parse_notice(doc)
    assert [e.field for e in raised.value.errors] == ["holidays[0].dates[0]", "working_days[0].date"]
    assert "holidays[0].dates[0]: " in raised.value.detail


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"2027"'], ids=["not-json", "array", "string"])
def test_a_notice_is_a_json_object(raw: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_notice(raw)
    assert raised.value.errors[0].field == "notice"
    assert isinstance(raised.value, DomainError)


def test_validate_checks_notices_built_in_code() -> None:
    notice = YearNotice(
        year=2027,
        source="test",
        published=date(2026, 11, 1),
        holidays=(NoticeHoliday("元旦", (date(2027, 1, 1), date(2026, 12, 31))),),
        working_days=(NoticeWorkingDay("", date(2027, 1, 1)),),
    )
    with pytest.raises(ValidationFailed) as raised:
        validate_notice(notice)
    assert raised.value.errors == [
        FieldError(field="holidays[0].dates[1]", message="2026-12-31 is not in 2027"),
        FieldError(field="working_days[0].name", message="must not be empty"),
        FieldError(field="working_days[0].date", message="2027-01-01 is not a Saturday or Sunday"),
        FieldError(field="working_days[0].date", message="2027-01-01 is already listed at holidays[0].dates[0]"),
    ]


def test_parsing_does_not_change_the_callers_document(example_notice_text: str) -> None:
    doc = json.loads(example_notice_text)
    before = copy.deepcopy(doc)
    parse_notice(doc)
    assert doc == before
