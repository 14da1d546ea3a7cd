"""GET /api/units: the stack's handling units, for the workbench's dispatch and oversight pages."""
from __future__ import annotations

from tests.support import assert_problem, bearer, body


def test_staff_roles_read_the_units_with_their_roles(client, token):
    found = body(client.http.get("/api/units", headers=bearer(token("dispatcher-city"))))
    by_id = {unit["id"]: unit for unit in found}
    assert by_id["unit-tax"]["name"] and by_id["unit-tax"]["roles"] == []
    assert "dispatch_centre" in next(u for u in found if "dispatch_centre" in u["roles"])["roles"]
    assert any("supervisory" in u["roles"] for u in found)
    assert [(u["district"], u["id"]) for u in found] == sorted((u["district"], u["id"]) for u in found)
    assert body(client.http.get("/api/units", headers=bearer(token("staff-tax")))) == found


def test_enterprises_and_banks_do_not_read_the_directory(client, token):
    assert_problem(client.http.get("/api/units", headers=bearer(token("ent-zhengrixin"))), 403)
    assert_problem(client.http.get("/api/units", headers=bearer(token("bank-qrcb-client"))), 403)
    assert_problem(client.http.get("/api/units"), 401)


def test_a_warm_directory_costs_no_call(client, token, dynamo_calls):
    staff = bearer(token("staff-tax"))
    client.http.get("/api/units", headers=staff)
    dynamo_calls.reset()
    client.http.get("/api/units", headers=staff)
    assert dynamo_calls.total == 0
