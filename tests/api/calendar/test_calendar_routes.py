"""The Calendar section of API.md over chalice.test.Client."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.support import assert_problem, bearer, body, json_headers

NOTICE = json.loads((Path(__file__).parents[2] / "unit" / "calendar" / "example_notice_2027.json").read_text("utf-8"))


def deadline(client, start, **period):
    query = "&".join(f"{k}={v}" for k, v in period.items())
    return client.http.get(f"/api/calendar/deadline?from={quote(start)}&{query}")


@pytest.mark.parametrize(
    "start, period, due, provisional",
    [
        ("2026-11-20T10:00:00+08:00", {"hours": 2}, "2026-11-20T12:00:00+08:00", False),
        ("2026-11-20T23:30:00+08:00", {"hours": 2}, "2026-11-21T01:30:00+08:00", False),
        ("2026-09-30T10:00:00+08:00", {"working_days": 1}, "2026-10-09T00:00:00+08:00", False),
        # 2026-11-20T16:30Z is already Saturday 00:30 in Qingdao: Saturday is the start day.
        ("2026-11-20T16:30:00Z", {"working_days": 1}, "2026-11-24T00:00:00+08:00", False),
        ("2026-12-20T09:00:00+08:00", {"working_days": 15}, "2027-01-12T00:00:00+08:00", True),
        # the 8th day is Saturday 11-28: the period runs to the end of Monday 11-30 (Art. 203)
        ("2026-11-20T10:00:00+08:00", {"days": 8}, "2026-12-01T00:00:00+08:00", False),
    ],
)
def test_deadline(client, start, period, due, provisional):
    response = deadline(client, start, **period)
    assert response.status_code == 200, response.body
    answer = body(response)
    assert answer["deadline"] == due
    assert answer["provisional"] is provisional


@pytest.mark.parametrize(
    "query, field",
    [
        ("from=2026-11-20T10:00:00&hours=2", "from"),  # no offset
        ("hours=2", "from"),
        ("from=2026-11-20T10:00:00%2B08:00", "body"),  # no period
        ("from=2026-11-20T10:00:00%2B08:00&hours=2&working_days=3", "body"),
        ("from=2026-11-20T10:00:00%2B08:00&working_days=0", "working_days"),
        ("from=2026-11-20T10:00:00%2B08:00&working_days=many", "working_days"),
    ],
)
def test_deadline_bad_input_names_the_field(client, query, field):
    assert_problem(client.http.get(f"/api/calendar/deadline?{query}"), 422, field=field)


def test_days_lists_holidays_and_swapped_working_weekends(client):
    days = body(client.http.get("/api/calendar/days?from=2026-09-19&to=2026-10-11"))
    by_date = {d["date"]: d for d in days}
    assert by_date["2026-10-01"]["working"] is False and by_date["2026-10-01"]["holiday_name"] == "国庆节"
    assert by_date["2026-09-20"]["working"] is True  # a Sunday made a working day
    assert by_date["2026-09-25"]["holiday_name"] == "中秋节" and by_date["2026-10-11"]["working"] is False
    assert by_date["2026-10-10"]["working"] is True  # a Saturday made a working day
    assert not any(d["provisional"] for d in days)


def test_days_of_an_unknown_year_are_provisional(client):
    days = body(client.http.get("/api/calendar/days?from=2027-01-01&to=2027-01-04"))
    assert days[0]["working"] is False and days[0]["holiday_name"] == "元旦"
    assert all(d["provisional"] for d in days)


def test_days_range_is_bounded(client):
    assert_problem(client.http.get("/api/calendar/days?from=2026-01-01&to=2027-06-01"), 422, field="to")


def test_city_admin_loads_a_notice_and_deadlines_stop_being_provisional(client, token):
    admin = token("admin-city")
    response = client.http.put("/api/calendar/notices/2027", headers=json_headers(admin), body=json.dumps(NOTICE))
    assert response.status_code == 200, response.body
    assert body(response)["year"] == 2027
    answer = body(deadline(client, "2026-12-20T09:00:00+08:00", working_days=15))
    assert answer == {"deadline": "2027-01-13T00:00:00+08:00", "provisional": False, "rule": "working_days:15"}
    listed = body(client.http.get("/api/calendar/notices"))
    assert [n["year"] for n in listed] == [2027] and listed[0]["loaded_by"] == "admin-city"
    trail = body(client.http.get("/api/audit?entity=calendar-notice%232027", headers=bearer(token("auditor-city"))))
    assert [i["action"] for i in trail["items"]] == ["calendar.notice_loaded"]


@pytest.mark.parametrize("user, status", [("admin-laoshan", 403), ("ent-zhengrixin", 403), ("staff-tax", 403),
                                          ("auditor-city", 403), ("bank-qrcb-client", 403)])
def test_only_a_city_admin_loads_notices(client, token, user, status):
    response = client.http.put("/api/calendar/notices/2027", headers=json_headers(token(user)), body=json.dumps(NOTICE))
    assert_problem(response, status)
    assert body(client.http.get("/api/calendar/notices")) == []


def test_a_bad_notice_names_the_field_and_stores_nothing(client, token):
    admin = token("admin-city")
    bad = {**NOTICE, "working_days": [{"name": "调休", "date": "2027-03-03"}]}  # a Wednesday
    problem = assert_problem(client.http.put("/api/calendar/notices/2027", headers=json_headers(admin), body=json.dumps(bad)), 422)
    assert problem["errors"][0]["field"].startswith("working_days[0]")
    mismatched = client.http.put("/api/calendar/notices/2028", headers=json_headers(admin), body=json.dumps(NOTICE))
    assert_problem(mismatched, 422, field="year")
    assert body(client.http.get("/api/calendar/notices")) == []


def test_loading_without_a_token_is_401(client, seeded):
    assert_problem(client.http.put("/api/calendar/notices/2027", headers=json_headers(), body=json.dumps(NOTICE)), 401)
