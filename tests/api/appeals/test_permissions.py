"""Who may do what with appeals: every route × every demo user → the expected status.

The rules (functions/identity/access.py, functions/appeals/states.py): enterprise, staff and bank
reach an appeal only when their organisation is a party to it (the enterprise, the lead unit, a
co-handling unit); dispatcher, supervisor, custodian, admin and auditor reach every appeal of their
jurisdiction (a district, or the whole city); the auditor only reads. A caller who cannot see an
appeal gets 404, one who sees it but may not take the action 403; a route that is not for the
caller's role at all answers 403; no token on a protected route 401. Every refusal changes nothing.

The scene of the appeal routes: 青岛正日信's tax matter (district 370202), led by unit-tax with
unit-customs co-handling, in a status where the action is allowed, so that the one refusal reason
left is the caller. The module shares one world with test_transitions.py's machinery (see there).
"""
from __future__ import annotations

import json

import pytest

from tests.api.appeals import test_transitions as machinery
from tests.api.appeals.conftest import ZHENGRIXIN
from tests.api.appeals.test_transitions import MACHINE, PARK, Steps
from tests.support import assert_problem, body, json_headers

# The fixtures of test_transitions.py: a world of this module's own (module scope), the `api` fixture unchanged.
world, clock, client, token = machinery.world, machinery.clock, machinery.client, machinery.token

ANONYMOUS = None
USERS = (
    ANONYMOUS,
    "ent-zhengrixin",
    "ent-hailian-trade",
    "ent-bluesea-soft",
    "staff-tax",
    "staff-customs",
    "staff-laoshan",
    "staff-jimo",
    "dispatcher-city",
    "supervisor-city",
    "custodian-city",
    "admin-city",
    "admin-laoshan",
    "auditor-city",
    "bank-qrcb-client",
)
ENTERPRISES = {"ent-zhengrixin", "ent-hailian-trade", "ent-bluesea-soft"}
STAFF = {"staff-tax", "staff-customs", "staff-laoshan", "staff-jimo"}
CITY_OVERSIGHT = {"dispatcher-city", "supervisor-city", "custodian-city", "admin-city", "auditor-city"}
# Who sees the tax appeal of 正日信 in 370202: its enterprise, its lead and co-handling units, the city's oversight.
SEES_TAX_APPEAL = {"ent-zhengrixin", "staff-tax", "staff-customs"} | CITY_OVERSIGHT
# Merged onto another appeal it has no units any more.
SEES_MERGED_APPEAL = SEES_TAX_APPEAL - {"staff-tax", "staff-customs"}

# The status each action is tried in (one it is allowed from) and who may take it there.
SCENE = {
    "dispatch": "dispatched", "accept": "dispatched", "return": "dispatched", "contact": "in_progress",
    "feedback": "in_progress", "request-extension": "in_progress", "decide-extension": "in_progress",
    "resolve": "in_progress", "co-reply": "dispatched", "confirm": "resolved", "rate": "closed",
    "supervise": "dispatched", "merge": "dispatched", "split": "merged",
}
MAY = {
    "dispatch": {"dispatcher-city"},
    "accept": {"staff-tax"},
    "return": {"staff-tax"},
    "contact": {"staff-tax"},
    "feedback": {"staff-tax"},
    "request-extension": {"staff-tax"},
    "decide-extension": {"dispatcher-city", "supervisor-city"},
    "resolve": {"staff-tax"},
    "co-reply": {"staff-customs"},
    "confirm": {"ent-zhengrixin"},
    "rate": {"ent-zhengrixin"},
    "supervise": {"supervisor-city"},
    "merge": {"dispatcher-city"},
    "split": {"dispatcher-city"},
}


# How each demo user stands to the scene's appeal, in the words of the declaration (states.MACHINE).
RELATION_OF = {"ent-zhengrixin": "submitter", "staff-tax": "lead_unit_staff", "staff-customs": "co_unit_staff",
               "dispatcher-city": "dispatcher", "supervisor-city": "supervisor"}


def test_the_authorisation_matrix_is_the_declaration():
    """MAY is generated from states.MACHINE's `who` and the users' relations; SCENE is a status each action
    is declared from. A change to the declaration that this reading of the rules does not expect fails here."""
    from functions.appeals.states import MACHINE as DECLARED

    assert set(DECLARED.actions) == set(MAY) == set(SCENE)
    for name, action in DECLARED.actions.items():
        assert MAY[name] == {user for user, relation in RELATION_OF.items() if relation in action.who}, name
        assert SCENE[name] in action.frm, name


def who(user: str | None) -> str:
    return user or "anonymous"


def row(label: str, user: str | None, status: int, *extra):
    verb = "may" if status in (200, 201) else "cannot"
    return pytest.param(*extra, user, status, id=f"{who(user)}-{verb}-{label}-{status}")


def seen(user: str | None, allowed: set[str], sees: set[str], ok: int = 200) -> int:
    """401 without a token, `ok` when allowed, 403 when the caller sees the object, else 404."""
    if user is None:
        return 401
    return ok if user in allowed else 403 if user in sees else 404


def by_role(user: str | None, allowed: set[str], ok: int = 200) -> int:
    """401 without a token, `ok` for the allowed, 403 for everyone else."""
    return 401 if user is None else ok if user in allowed else 403


# -- helpers --------------------------------------------------------------------------------------
def request(client, token, method: str, path: str, user: str | None, payload: dict | None = None, **extra: str):
    headers = json_headers(token(user) if user else None, **extra)
    data = None if payload is None else json.dumps(payload, ensure_ascii=False)
    return getattr(client.http, method.lower())(path, headers=headers, body=data)


def answer(response, status: int):
    if status >= 400:
        return assert_problem(response, status)
    assert response.status_code == status, (response.status_code, response.body.decode())
    return body(response)


def tickets_issued() -> int:
    """Every appeal claims the next ticket number in the transaction that creates it."""
    from functions.appeals.models import TicketCounter

    try:
        return int(TicketCounter.get("ticket", consistent_read=True).value)
    except TicketCounter.DoesNotExist:
        return 0


@pytest.fixture
def steps(api, world):
    return Steps(api, world)


def scene(steps: Steps, action: str, fresh: bool) -> str:
    """The tax appeal in SCENE[action], with what the action needs done first; shared unless `fresh`."""
    status, needs = SCENE[action], MACHINE[action].needs

    def build() -> str:
        appeal_id = steps.appeal_in(status)
        for user, step, fields in needs:
            steps.act(user, appeal_id, step, **fields)
        return appeal_id

    return build() if fresh else steps.shared("+".join([status, *(n[1] for n in needs)]), build)


# -- submit ---------------------------------------------------------------------------------------
def submit_fields(user: str | None) -> dict:
    if user in ENTERPRISES:
        return {"district": {"ent-hailian-trade": "370211", "ent-bluesea-soft": "370212"}.get(user, "370202")}
    return {"channel": "hotline_12345" if user == "dispatcher-city" else "department"}


SUBMIT = [row("submit-appeal", user, by_role(user, ENTERPRISES | STAFF | {"dispatcher-city"}, ok=201)) for user in USERS]


@pytest.mark.parametrize("user, status", SUBMIT)
def test_submit(api, clock, user, status):
    issued = tickets_issued()
    clock.advance(minutes=1)
    created = answer(api.submit(user, **submit_fields(user)), status)
    if status == 201:
        assert created["status"] == "dispatched" and created["assignee_unit"] == "unit-tax"
        assert tickets_issued() == issued + 1
    else:
        assert tickets_issued() == issued  # nothing created


def test_an_anonymous_report_needs_no_token(api, clock):
    clock.advance(minutes=1)
    created = answer(api.submit(None, category="report", anonymous=True, contact=None, title="举报某窗口违规收费",
                                content="某办事窗口在办理业务时额外收取材料费，没有任何收费依据。"), 201)
    assert created["receipt_code"] and created["status"] == "pending_dispatch"


# -- read one appeal ------------------------------------------------------------------------------
READ = [row("read-tax-appeal", user, seen(user, SEES_TAX_APPEAL, SEES_TAX_APPEAL)) for user in USERS]


@pytest.mark.parametrize("user, status", READ)
def test_read_an_appeal(steps, client, token, user, status):
    appeal_id = scene(steps, "accept", fresh=False)
    view = answer(request(client, token, "GET", f"/api/appeals/{appeal_id}", user), status)
    if status == 200:
        assert view["id"] == appeal_id and view["assignee_unit"] == "unit-tax"


# Who sees the enterprise's phone number unmasked (the lead unit and the enterprise), and the pending extension
# request (everyone but the enterprise).
DETAILS = [
    pytest.param(user, user in {"ent-zhengrixin", "staff-tax"}, user != "ent-zhengrixin",
                 id=f"{user}-sees-phone-{'in-full' if user in {'ent-zhengrixin', 'staff-tax'} else 'masked'}")
    for user in sorted(SEES_TAX_APPEAL)
]


@pytest.mark.parametrize("user, full_phone, sees_extension", DETAILS)
def test_what_each_reader_sees(steps, user, full_phone, sees_extension):
    appeal_id = scene(steps, "decide-extension", fresh=False)  # in progress, an extension request pending
    view = steps.view(appeal_id, user)
    assert view["contact"]["name"] == "王敏"
    assert (view["contact"]["phone"] == "13805321234") is full_phone
    if not full_phone:
        assert view["contact"]["phone"].endswith("1234") and "*" in view["contact"]["phone"]
    assert (view["pending_extension"] is not None) is sees_extension
    assert any(entry["internal"] for entry in view["timeline"]) is sees_extension  # the request itself is internal


MINE = [row("list-own-appeals", user, by_role(user, ENTERPRISES)) for user in USERS]


@pytest.mark.parametrize("user, status", MINE)
def test_list_own_appeals(steps, client, token, user, status):
    appeal_id = scene(steps, "accept", fresh=False)  # 正日信's
    listed = answer(request(client, token, "GET", "/api/appeals?limit=100", user), status)
    if status == 200:
        assert (appeal_id in [a["id"] for a in listed["items"]]) is (user == "ent-zhengrixin")


# -- act on one appeal ----------------------------------------------------------------------------
def action_label(action: str) -> str:
    return f"{action}-{'merged' if SCENE[action] == 'merged' else 'tax'}-appeal"


ACT = [
    row(action_label(action), user, seen(user, MAY[action], SEES_MERGED_APPEAL if SCENE[action] == "merged" else SEES_TAX_APPEAL),
        action)
    for action in MACHINE
    for user in USERS
]


@pytest.mark.parametrize("action, user, status", ACT)
def test_act_on_an_appeal(steps, client, token, action, user, status):
    appeal_id = scene(steps, action, fresh=status == 200)
    before = steps.view(appeal_id)
    assert before["status"] == SCENE[action]
    steps.clock.advance(minutes=1)
    response = request(client, token, "POST", f"/api/appeals/{appeal_id}/{action}", user,
                       steps.body_for(MACHINE[action], fresh=status == 200))
    if status != 200:
        steps.refused(response, status, appeal_id, before)
        return
    assert answer(response, 200)["status"] == (MACHINE[action].leads_to or SCENE[action])
    assert steps.view(appeal_id)["status"] == (MACHINE[action].leads_to or SCENE[action])


VISIBILITY = [
    pytest.param("customs-not-co-handling", "staff-customs", "GET", None, 404, id="staff-customs-cannot-see-tax-appeal-it-is-not-on"),
    pytest.param("customs-not-co-handling", "staff-customs", "POST", "accept", 404, id="staff-customs-cannot-accept-tax-appeal-it-is-not-on"),
    pytest.param("customs-not-co-handling", "staff-customs", "POST", "co-reply", 404, id="staff-customs-cannot-co-reply-when-not-co-handling"),
    pytest.param("laoshan", "staff-laoshan", "GET", None, 200, id="staff-laoshan-may-read-its-units-appeal"),
    pytest.param("laoshan", "staff-laoshan", "POST", "accept", 200, id="staff-laoshan-may-accept-its-units-appeal"),
    pytest.param("laoshan", "admin-laoshan", "GET", None, 200, id="admin-laoshan-may-read-a-370212-appeal"),
    pytest.param("laoshan", "admin-laoshan", "POST", "accept", 403, id="admin-laoshan-cannot-accept-a-370212-appeal"),
    pytest.param("laoshan", "ent-bluesea-soft", "GET", None, 200, id="ent-bluesea-soft-may-read-its-own-appeal"),
    pytest.param("laoshan", "ent-bluesea-soft", "POST", "accept", 403, id="ent-bluesea-soft-cannot-accept-its-own-appeal"),
    pytest.param("laoshan", "ent-zhengrixin", "GET", None, 404, id="ent-zhengrixin-cannot-see-another-enterprises-appeal"),
    pytest.param("laoshan", "staff-tax", "GET", None, 404, id="staff-tax-cannot-see-a-laoshan-units-appeal"),
    pytest.param("laoshan", "dispatcher-city", "POST", "supervise", 403, id="dispatcher-city-cannot-supervise"),
    pytest.param("laoshan", "supervisor-city", "POST", "supervise", 200, id="supervisor-city-may-supervise-a-district-appeal"),
    pytest.param("missing", "dispatcher-city", "GET", None, 404, id="dispatcher-city-gets-404-for-no-such-appeal"),
    pytest.param("missing", "dispatcher-city", "POST", "dispatch", 404, id="dispatcher-city-cannot-dispatch-no-such-appeal"),
]
LAOSHAN_MATTER = {"category": "help", "district": "370212", "title": "施工许可审批迟迟没有结果",
                  "content": "我司在崂山区的研发楼项目提交施工许可申请已经一个多月，审批一直没有结果，影响开工。"}


@pytest.mark.parametrize("which, user, method, action, status", VISIBILITY)
def test_who_sees_which_appeal(steps, client, token, which, user, method, action, status):
    if which == "customs-not-co-handling":
        appeal_id = steps.shared("tax-only", lambda: steps.submit()["id"])
    elif which == "laoshan":
        created = steps.submit("ent-bluesea-soft", **LAOSHAN_MATTER)
        assert created["assignee_unit"] == "unit-laoshan-approval"
        appeal_id = created["id"]
    else:
        appeal_id = "0000000000000000"
    steps.clock.advance(minutes=1)
    if method == "GET":
        answer(request(client, token, "GET", f"/api/appeals/{appeal_id}", user), status)
        return
    payload = {"accept": {}, "co-reply": {"text": "海关方面无相关记录"}, "supervise": {"note": "请加快办理进度"},
               "dispatch": {"unit_id": "unit-hrss"}}[action]
    before = steps.view(appeal_id) if which != "missing" else None
    response = request(client, token, "POST", f"/api/appeals/{appeal_id}/{action}", user, payload)
    if status == 200 or which == "missing":
        answer(response, status)
    else:
        steps.refused(response, status, appeal_id, before)


# -- reveal a reporter's identity -----------------------------------------------------------------
REPORT = {"category": "report", "title": "举报税务窗口办事拖延",
          "content": "市南区某办税窗口办理发票业务时多次要求重复提交材料，拖延办理。"}
REVEAL = [row("reveal-reporter-identity", user, by_role(user, {"custodian-city"})) for user in USERS]


@pytest.mark.parametrize("user, status", REVEAL)
def test_reveal_identity(steps, client, token, user, status):
    if status == 200:
        appeal_id = steps.submit(**REPORT)["id"]
    else:
        appeal_id = steps.shared("report", lambda: steps.submit(**REPORT)["id"])
    before = steps.view(appeal_id)
    steps.clock.advance(minutes=1)
    response = request(client, token, "POST", f"/api/appeals/{appeal_id}/reveal-identity", user, {"reason": "核查举报线索需要联系举报人"})
    if status != 200:
        steps.refused(response, status, appeal_id, before)
        return
    identity = answer(response, 200)["identity"]
    assert identity["org_id"] == ZHENGRIXIN and identity["contact_phone"] == "13805321234"
    after = steps.view(appeal_id)
    assert after["timeline"][-1]["action"] == "appeal.identity_revealed" and after["timeline"][-1]["internal"]


def test_reveal_on_an_appeal_that_is_not_confidential_is_a_conflict(steps, client, token):
    appeal_id = scene(steps, "accept", fresh=False)
    before = steps.view(appeal_id)
    steps.clock.advance(minutes=1)
    response = request(client, token, "POST", f"/api/appeals/{appeal_id}/reveal-identity", "custodian-city",
                       {"reason": "核查举报线索需要联系举报人"})
    steps.refused(response, 409, appeal_id, before)


def test_a_report_carries_no_identity_and_its_enterprise_follows_it_by_code_only(steps):
    appeal_id = steps.shared("report", lambda: steps.submit(**REPORT)["id"])
    view = steps.view(appeal_id, "dispatcher-city")
    assert (view["enterprise_uscc"], view["contact"], view["confidential"]) == (None, None, True)
    assert_problem(steps.api.get("ent-zhengrixin", appeal_id), 404)  # followed with the receipt code instead


# -- receipts: a confidential report followed with its code ---------------------------------------
RECEIPT = [row("follow-report-with-receipt-code", user, 200) for user in USERS]


@pytest.fixture
def report(steps):
    """A report of 正日信 about a tax window, shared, with the receipt code it was given (once)."""
    def build():
        created = steps.submit(**REPORT)
        return f"{created['id']}:{created['receipt_code']}"

    appeal_id, code = steps.shared("report-with-code", build).split(":")
    return appeal_id, code


@pytest.mark.parametrize("user, status", RECEIPT)
def test_follow_a_report_with_its_receipt_code(client, token, report, user, status):
    appeal_id, code = report
    view = answer(request(client, token, "GET", "/api/receipt", user, **{"Receipt-Code": code}), status)
    assert view["id"] == appeal_id and view["status"] == "pending_dispatch"
    assert (view["enterprise_uscc"], view["contact"], view["pending_extension"]) == (None, None, None)
    assert not any(entry["internal"] for entry in view["timeline"])
    assert "13805321234" not in json.dumps(view) and ZHENGRIXIN not in json.dumps(view)


RECEIPT_ACTIONS = [row(f"{action}-pending-report-with-receipt-code", user, 409, action) for action in ("confirm", "rate")
                   for user in USERS]


@pytest.mark.parametrize("action, user, status", RECEIPT_ACTIONS)
def test_the_receipt_code_not_the_token_decides(steps, client, token, report, action, user, status):
    """Whoever holds the code may confirm and rate, whatever token comes with it; a pending report has nothing to confirm."""
    appeal_id, code = report
    payload = {"confirm": {"satisfied": True}, "rate": {"speed": 5, "attitude": 5, "outcome": 5}}[action]
    before = steps.view(appeal_id)
    steps.clock.advance(minutes=1)
    steps.refused(request(client, token, "POST", f"/api/receipt/{action}", user, payload, **{"Receipt-Code": code}),
                  status, appeal_id, before)


@pytest.mark.parametrize("method, suffix, payload", [
    pytest.param("GET", "", None, id="read"),
    pytest.param("POST", "/confirm", {"satisfied": True}, id="confirm"),
    pytest.param("POST", "/rate", {"speed": 5, "attitude": 5, "outcome": 5}, id="rate"),
])
def test_a_wrong_receipt_code_is_not_found(client, token, report, method, suffix, payload):
    wrong = "ABCD-EFGH-JKMN-PQRS-TVWX"
    assert_problem(request(client, token, method, f"/api/receipt{suffix}", None, payload, **{"Receipt-Code": wrong}), 404)


def test_the_receipt_holder_confirms_then_rates_each_in_its_status_only(steps, client, token):
    created = steps.submit(**REPORT)
    appeal_id, code = created["id"], created["receipt_code"]
    confirm, rate = {"satisfied": True, "comment": "处理及时"}, {"speed": 4, "attitude": 5, "outcome": 4}

    def holder(action: str, payload: dict, status: int) -> dict | None:
        before = steps.view(appeal_id)
        steps.clock.advance(minutes=1)
        response = request(client, token, "POST", f"/api/receipt/{action}", ANONYMOUS, payload, **{"Receipt-Code": code})
        if status == 200:
            return answer(response, 200)
        steps.refused(response, status, appeal_id, before)
        return None

    holder("confirm", confirm, 409)  # pending dispatch
    holder("rate", rate, 409)
    steps.act("dispatcher-city", appeal_id, "dispatch", unit_id="unit-tax")
    holder("confirm", confirm, 409)  # dispatched
    steps.act("staff-tax", appeal_id, "accept")
    holder("confirm", confirm, 409)  # in progress
    for user, action, fields in (("staff-tax", "contact", {"method": "message"}), ("staff-tax", "feedback", {"text": "已立案核查"}),
                                 ("supervisor-city", "supervise", {"note": "请依法依规核查"}), ("staff-tax", "resolve", {"result": "已责令整改"})):
        steps.act(user, appeal_id, action, **fields)
    holder("rate", rate, 409)  # resolved, not closed yet
    closed = holder("confirm", confirm, 200)
    assert (closed["status"], closed["closed_reason"], closed["satisfied"]) == ("closed", "confirmed", True)
    assert (closed["contact"], closed["enterprise_uscc"]) == (None, None)
    assert not any(entry["internal"] for entry in closed["timeline"])  # no supervision note for the reporter
    rated = holder("rate", rate, 200)
    assert rated["rating"] == {**rate, "comment": None}
    holder("rate", rate, 409)  # once
    holder("confirm", {"satisfied": False}, 409)  # closed


# -- queues and statistics ------------------------------------------------------------------------
UNIT_READERS = {"staff-tax", "dispatcher-city", "supervisor-city", "admin-city", "auditor-city"}
UNIT_ROUTE_ROLES = STAFF | {"dispatcher-city", "supervisor-city", "admin-city", "admin-laoshan", "auditor-city"}
DISTRICT_READERS = {"dispatcher-city", "supervisor-city", "admin-city", "auditor-city"}  # roles of the route, covering 370202


def unit_route(user: str | None, unit_readers: set[str] = UNIT_READERS) -> int:
    """Route roles first (403), then the unit as an object: its staff and the oversight covering it (else 404)."""
    if user is None:
        return 401
    if user not in UNIT_ROUTE_ROLES:
        return 403
    return 200 if user in unit_readers else 404


QUEUES = (
    [row("read-unit-tax-queue", user, unit_route(user), "/api/units/unit-tax/appeals") for user in USERS]
    + [row("read-unit-tax-stats", user, unit_route(user), "/api/units/unit-tax/appeal-stats") for user in USERS]
    + [row("read-dispatch-queue-370202", user, by_role(user, DISTRICT_READERS), "/api/dispatch/appeals?district=370202")
       for user in USERS]
    + [row("read-district-370202-stats", user, by_role(user, DISTRICT_READERS), "/api/districts/370202/appeal-stats")
       for user in USERS]
    + [
        row("read-unit-customs-queue", "staff-tax", 404, "/api/units/unit-customs/appeals"),
        row("read-unit-customs-stats", "staff-tax", 404, "/api/units/unit-customs/appeal-stats"),
        row("read-unit-customs-queue", "staff-customs", 200, "/api/units/unit-customs/appeals"),
        row("read-unit-customs-queue", "dispatcher-city", 200, "/api/units/unit-customs/appeals"),
        row("read-unit-laoshan-approval-queue", "dispatcher-city", 200, "/api/units/unit-laoshan-approval/appeals"),
        row("read-unit-laoshan-approval-queue", "staff-laoshan", 200, "/api/units/unit-laoshan-approval/appeals"),
        row("read-unit-laoshan-approval-queue", "admin-laoshan", 200, "/api/units/unit-laoshan-approval/appeals"),
        row("read-unit-laoshan-approval-stats", "admin-laoshan", 200, "/api/units/unit-laoshan-approval/appeal-stats"),
        row("read-unit-jimo-queue", "admin-laoshan", 404, "/api/units/unit-jimo-business-env/appeals"),
        row("read-dispatch-queue-370212", "admin-laoshan", 200, "/api/dispatch/appeals?district=370212"),
        row("read-dispatch-queue-370215", "admin-laoshan", 403, "/api/dispatch/appeals?district=370215"),
        row("read-district-370212-stats", "admin-laoshan", 200, "/api/districts/370212/appeal-stats"),
        row("read-district-370215-stats", "admin-laoshan", 403, "/api/districts/370215/appeal-stats"),
        row("read-city-stats", "admin-laoshan", 403, "/api/districts/370200/appeal-stats"),
        row("read-city-stats", "supervisor-city", 200, "/api/districts/370200/appeal-stats"),
    ]
)


@pytest.mark.parametrize("path, user, status", QUEUES)
def test_queues_and_statistics(client, token, path, user, status):
    result = answer(request(client, token, "GET", path, user), status)
    if status == 200:
        assert "items" in result or "counts" in result


def test_a_units_queue_lists_what_the_unit_handles(steps, client, token):
    appeal_id = scene(steps, "accept", fresh=True)
    for user, unit in (("staff-tax", "unit-tax"), ("dispatcher-city", "unit-tax"), ("staff-customs", "unit-customs")):
        listed = answer(request(client, token, "GET", f"/api/units/{unit}/appeals?status=dispatched&limit=100", user), 200)
        assert (appeal_id in [a["id"] for a in listed["items"]]) is (unit == "unit-tax"), (user, unit)


# -- routing rules --------------------------------------------------------------------------------
RULE_READERS = {"admin-city", "admin-laoshan", "dispatcher-city", "supervisor-city", "auditor-city"}
RULES = [row("read-routing-rules", user, by_role(user, RULE_READERS), "GET") for user in USERS] + [
    row("edit-routing-rules", user, by_role(user, {"admin-city"}), "PUT") for user in USERS
]
HARMLESS_RULE = {"priority": 9000, "categories": ["suggestion"], "keywords": ["权限测试专用关键词"], "unit_id": "unit-forestry",
                 "enabled": False, "note": "permissions test"}


def rules(client, token) -> list[dict]:
    return answer(request(client, token, "GET", "/api/routing-rules", "admin-city"), 200)


@pytest.mark.parametrize("method, user, status", RULES)
def test_routing_rules(client, token, clock, method, user, status):
    if method == "GET":
        listed = answer(request(client, token, "GET", "/api/routing-rules", user), status)
        if status == 200:
            assert "tax" in [r["rule_id"] for r in listed]
        return
    before = rules(client, token)
    clock.advance(minutes=1)
    rule_id = f"check-{who(user)}"
    saved = answer(request(client, token, "PUT", f"/api/routing-rules/{rule_id}", user, HARMLESS_RULE), status)
    after = rules(client, token)
    if status == 200:
        assert saved["rule_id"] == rule_id and saved["updated_by"] == user
        assert rule_id in [r["rule_id"] for r in after]
    else:
        assert after == before  # nothing changed


def test_a_rule_naming_an_unknown_unit_is_refused(client, token, clock):
    before = rules(client, token)
    clock.advance(minutes=1)
    response = request(client, token, "PUT", "/api/routing-rules/nowhere", "admin-city", {**HARMLESS_RULE, "unit_id": "unit-nowhere"})
    assert_problem(response, 422, field="unit_id")
    assert rules(client, token) == before


def test_a_saved_rule_routes_the_next_submission(steps, client, token):
    blossom = {"category": "suggestion", "title": "建议在滨海步道种植樱花", "content": "建议在滨海步道两侧种植樱花，美化环境，方便市民休闲。"}
    assert steps.submit(**blossom)["status"] == "pending_dispatch"  # no rule yet
    steps.clock.advance(minutes=1)
    rule = {"priority": 50, "categories": ["suggestion"], "keywords": ["樱花"], "unit_id": "unit-forestry", "note": "园林绿化"}
    answer(request(client, token, "PUT", "/api/routing-rules/forestry-blossom", "admin-city", rule), 200)
    created = steps.submit(**blossom)
    assert (created["status"], created["assignee_unit"]) == ("dispatched", "unit-forestry")
    assert steps.submit(**PARK)["status"] == "pending_dispatch"  # other suggestions are not caught by it
