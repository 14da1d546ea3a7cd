"""The appeal state machine over the API: every action from every status, then the guards inside a status.

`MACHINE` is the table of functions/appeals/states.py written out again by hand (it is the oracle
these tests check the product against, not an import of it); `test_the_oracle_is_the_table_of_states_py`
keeps the two in step. Refusals: an allowed actor in the wrong status gets 409 problem+json and
nothing changes (a GET shows the same status and the same number of timeline entries).

Speed: the tests of this module share one moto world (tables, demo data, a fixed clock), built once
by the module-scoped `world` fixture; `clock`, `client` and `token` are overridden here to come from
it, so the `api` fixture of conftest.py works unchanged. Every test builds the appeals it changes
itself; a refusal (which must change nothing, and is checked to) may use an appeal shared by the
module (`Steps.shared`). Most appeals built here are the same matter of the same enterprise (正日信's
tax refund), which the duplicate detector would merge onto the first one still open; in a shared world
it is switched off (test_intake.py tests merging). test_permissions.py imports the same machinery.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pytest

from tests.support import assert_problem, body


# -- one world per module -------------------------------------------------------------------------
@dataclass
class World:
    client: object
    clock: object
    shared: dict[str, str] = field(default_factory=dict)  # appeals that refusals may share, by name

    def token(self, user_id: str) -> str:
        from functions.identity.service import dev_login

        return dev_login(user_id, self.clock.now()).access_token


@pytest.fixture(scope="module")
def world():
    """moto, every table, the demo data and a fixed clock, once for the module (see tests/conftest.py `aws`)."""
    from chalice.test import Client
    from moto import mock_aws

    from functions.shared.clock import FixedClock, set_clock
    from tests.conftest import NOW

    fixed = FixedClock(NOW)
    with mock_aws(), pytest.MonkeyPatch.context() as patch:
        from functions.appeals import similarity

        patch.setattr(similarity, "best_match", lambda candidate, open_appeals: None)  # every submission is a new matter
        from functions.platform.seed import load_demo_data
        from functions.tables import all_models

        for model in all_models():
            model.create_table(wait=True)
        # Process caches: emptied before and after every test by tests/conftest.py `fresh_process_caches`.
        set_clock(fixed)
        try:
            load_demo_data(skip=("policy",))  # appeals only: the policy library is not read here
            from app import app

            with Client(app) as client:
                yield World(client, fixed)
        finally:
            set_clock(None)


@pytest.fixture
def clock(world):
    return world.clock


@pytest.fixture
def client(world):
    return world.client


@pytest.fixture
def token(world):
    return world.token


STATUSES = ("pending_dispatch", "dispatched", "in_progress", "resolved", "closed", "merged")
OPEN = frozenset({"pending_dispatch", "dispatched", "in_progress", "resolved"})
OBSERVER = "auditor-city"  # reads every appeal of the city with its full (internal) timeline, changes nothing
INTO_OTHER = object()  # placeholder in a body: "the id of another open appeal of the same district"

PARK = {
    "category": "suggestion",
    "title": "建议优化公园开放时间",
    "content": "建议延长周边公园的开放时间，方便员工下班后锻炼。",
}
BUS_STOP = {  # recorded from the hotline without an enterprise: never merged automatically
    "channel": "hotline_12345",
    "category": "suggestion",
    "title": "建议增设园区公交站点",
    "content": "12345热线来电：建议在园区门口增设公交站点，方便员工通勤。",
}
REASON = "该事项不属于本单位职责，请重新分派"


@dataclass(frozen=True)
class Move:
    actor: str  # a user who may take the action in principle
    body: dict
    allowed_from: frozenset[str]
    leads_to: str | None  # None: the status does not change
    needs: tuple[tuple[str, str, dict], ...] = field(default=())  # steps inside the status that must come first


CONTACT = ("staff-tax", "contact", {"method": "phone", "note": "已电话联系企业"})
FEEDBACK = ("staff-tax", "feedback", {"text": "已受理，正在核实"})
REQUEST = ("staff-tax", "request-extension", {"working_days": 5, "reason": "需要跨部门联合核实"})

MACHINE: dict[str, Move] = {
    "dispatch": Move("dispatcher-city", {"unit_id": "unit-hrss"}, frozenset({"pending_dispatch", "dispatched"}), "dispatched"),
    "accept": Move("staff-tax", {}, frozenset({"dispatched"}), "in_progress"),
    "return": Move("staff-tax", {"reason": REASON}, frozenset({"dispatched", "in_progress"}), "pending_dispatch"),
    "contact": Move("staff-tax", CONTACT[2], frozenset({"in_progress"}), None),
    "feedback": Move("staff-tax", FEEDBACK[2], frozenset({"in_progress"}), None, (CONTACT,)),
    "request-extension": Move("staff-tax", REQUEST[2], frozenset({"in_progress"}), None),
    "decide-extension": Move("supervisor-city", {"approve": True}, frozenset({"in_progress"}), None, (REQUEST,)),
    "resolve": Move("staff-tax", {"result": "退税款已到账"}, frozenset({"in_progress"}), "resolved", (CONTACT, FEEDBACK)),
    "co-reply": Move("staff-customs", {"text": "海关方面无相关记录"}, frozenset({"dispatched", "in_progress"}), None),
    "confirm": Move("ent-zhengrixin", {"satisfied": True, "comment": "谢谢"}, frozenset({"resolved"}), "closed"),
    "rate": Move("ent-zhengrixin", {"speed": 5, "attitude": 5, "outcome": 4}, frozenset({"closed"}), None),
    "supervise": Move("supervisor-city", {"note": "请加快办理进度"}, OPEN, None),
    "merge": Move("dispatcher-city", {"into": INTO_OTHER}, frozenset({"pending_dispatch", "dispatched"}), "merged"),
    "split": Move("dispatcher-city", {"reason": "不是同一事项"}, frozenset({"merged"}), "pending_dispatch"),
}


class Steps:
    """Builds appeals through the API, every request at its own minute (the timeline sorts by time)."""

    def __init__(self, api, world: World):
        self.api, self.world, self.clock = api, world, world.clock

    def submit(self, user: str = "ent-zhengrixin", status: int = 201, **fields) -> dict:
        self.clock.advance(minutes=1)
        return self.api.ok(self.api.submit(user, **fields), status)

    def attempt(self, user: str, appeal_id: str, action: str, **fields):
        self.clock.advance(minutes=1)
        return self.api.act(user, appeal_id, action, **fields)

    def act(self, user: str, appeal_id: str, action: str, **fields) -> dict:
        return self.api.ok(self.attempt(user, appeal_id, action, **fields))

    def view(self, appeal_id: str, user: str = OBSERVER) -> dict:
        return self.api.ok(self.api.get(user, appeal_id))

    def another_open_appeal(self) -> str:
        return self.submit("dispatcher-city", **BUS_STOP)["id"]

    def appeal_in(self, status: str) -> str:
        """An appeal of 正日信 (370202) in `status`; from dispatched on, unit-tax leads and unit-customs co-handles."""
        if status in ("pending_dispatch", "merged"):
            appeal_id = self.submit(**PARK)["id"]
            assert self.view(appeal_id)["status"] == "pending_dispatch"
            if status == "merged":
                self.act("dispatcher-city", appeal_id, "merge", into=self.another_open_appeal())
            return appeal_id
        created = self.submit()  # the tax matter: routed to unit-tax on submit
        appeal_id = created["id"]
        assert (created["status"], created["assignee_unit"]) == ("dispatched", "unit-tax")
        self.act("dispatcher-city", appeal_id, "dispatch", unit_id="unit-tax", co_unit_ids=["unit-customs"])
        if status == "dispatched":
            return appeal_id
        self.act("staff-tax", appeal_id, "accept")
        if status == "in_progress":
            return appeal_id
        for user, action, fields in (CONTACT, FEEDBACK, ("staff-tax", "resolve", {"result": "退税款已到账"})):
            self.act(user, appeal_id, action, **fields)
        if status == "resolved":
            return appeal_id
        self.act("ent-zhengrixin", appeal_id, "confirm", satisfied=True)
        assert status == "closed", status
        return appeal_id

    def shared(self, name: str, build) -> str:
        """An appeal the module's refusals share (built by `build` on first use): only for requests that must fail."""
        if name not in self.world.shared:
            self.world.shared[name] = build()
        return self.world.shared[name]

    def body_for(self, move: Move, fresh: bool = True) -> dict:
        """The action's body; a merge goes into another open appeal (a new one, or for refusals a shared one)."""
        def into() -> str:
            return self.another_open_appeal() if fresh else self.shared("merge-target", self.another_open_appeal)

        return {k: (into() if v is INTO_OTHER else v) for k, v in move.body.items()}

    def refused(self, response, status: int, appeal_id: str, before: dict, field: str | None = None) -> dict:
        """A refusal as problem+json that changed nothing."""
        problem = assert_problem(response, status, field=field)
        after = self.view(appeal_id)
        assert after["status"] == before["status"]
        assert len(after["timeline"]) == len(before["timeline"]), after["timeline"][len(before["timeline"]):]
        return problem


@pytest.fixture
def steps(api, world):
    return Steps(api, world)


# -- every action × every status ------------------------------------------------------------------
def expected(action: str, status: str) -> int:
    move = MACHINE[action]
    if status in move.allowed_from:
        return 200
    if move.actor.startswith("staff-") and status in ("pending_dispatch", "merged"):
        return 404  # no unit leads or co-handles it then: a unit's staff cannot even see it
    return 409


def declared_cells() -> list:
    """Every action × every status of the declaration in functions/appeals/states.py: a new action
    or status there is a new row here, checked against the oracle's reading below."""
    from functions.appeals.states import MACHINE as DECLARED

    return [
        pytest.param(action, status, expected(action, status),
                     id=f"{action}-from-{status}-" + {200: "allowed", 404: "unseen", 409: "conflict"}[expected(action, status)])
        for action in DECLARED.actions
        for status in DECLARED.statuses
    ]


CELLS = declared_cells()


@pytest.mark.parametrize("action, status, outcome", CELLS)
def test_every_action_from_every_status(steps, action, status, outcome):
    move = MACHINE[action]
    if outcome == 200:
        appeal_id = steps.appeal_in(status)
        for user, step, fields in move.needs:
            steps.act(user, appeal_id, step, **fields)
    else:
        appeal_id = steps.shared(status, lambda: steps.appeal_in(status))
    before = steps.view(appeal_id)
    assert before["status"] == status
    if outcome == 200:
        before_as_actor = steps.view(appeal_id, move.actor)
    response = steps.attempt(move.actor, appeal_id, action, **steps.body_for(move, fresh=outcome == 200))
    if outcome != 200:
        steps.refused(response, outcome, appeal_id, before)
        return
    answer = steps.api.ok(response)
    assert action in before_as_actor["available_actions"], "the appeal offers the caller exactly what it may do"
    new_status = move.leads_to or status
    assert answer["status"] == new_status
    after = steps.view(appeal_id)
    assert after["status"] == new_status
    assert len(after["timeline"]) > len(before["timeline"])
    if action == "return":  # the unit is no longer a party: it cannot see the appeal any more
        assert_problem(steps.api.get(move.actor, appeal_id), 404)
    else:
        assert answer == steps.view(appeal_id, move.actor), "the answer to an action is the appeal as a GET then shows it"


def test_the_oracle_is_the_declaration_of_states_py():
    from functions.appeals.states import MACHINE as DECLARED
    from functions.shared.statemachine import UNCHANGED

    assert set(DECLARED.statuses) == set(STATUSES)
    assert set(DECLARED.actions) == set(MACHINE)
    assert {a: set(d.frm) for a, d in DECLARED.actions.items()} == {a: set(m.allowed_from) for a, m in MACHINE.items()}
    for name, move in MACHINE.items():  # where the oracle's example leads is one of the declared outcomes
        declared = DECLARED.actions[name]
        assert (move.leads_to in declared.to) if move.leads_to else (UNCHANGED in declared.to), name


# -- guards inside a status -----------------------------------------------------------------------
def test_feedback_before_contact_is_a_conflict(steps):
    appeal_id = steps.appeal_in("in_progress")
    before = steps.view(appeal_id)
    steps.refused(steps.attempt("staff-tax", appeal_id, "feedback", **FEEDBACK[2]), 409, appeal_id, before)
    assert steps.view(appeal_id)["feedback"] is None


def test_resolve_before_feedback_is_a_conflict(steps):
    appeal_id = steps.appeal_in("in_progress")
    before = steps.view(appeal_id)
    steps.refused(steps.attempt("staff-tax", appeal_id, "resolve", result="已办结"), 409, appeal_id, before)
    steps.act(CONTACT[0], appeal_id, CONTACT[1], **CONTACT[2])
    before = steps.view(appeal_id)
    steps.refused(steps.attempt("staff-tax", appeal_id, "resolve", result="已办结"), 409, appeal_id, before)
    assert before["feedback"] is None


def test_a_second_extension_request_while_one_is_pending_is_a_conflict(steps):
    appeal_id = steps.appeal_in("in_progress")
    steps.act(REQUEST[0], appeal_id, REQUEST[1], **REQUEST[2])
    before = steps.view(appeal_id)
    assert before["pending_extension"]["working_days"] == 5
    response = steps.attempt("staff-tax", appeal_id, "request-extension", working_days=3, reason="再次申请延期三天")
    steps.refused(response, 409, appeal_id, before)
    assert steps.view(appeal_id)["pending_extension"]["working_days"] == 5  # the first request stands
    steps.act("supervisor-city", appeal_id, "decide-extension", approve=False)
    assert steps.act("staff-tax", appeal_id, "request-extension", working_days=3, reason="再次申请延期三天")[
        "pending_extension"]["working_days"] == 3  # decided: a new request may follow


def test_deciding_an_extension_with_none_pending_is_a_conflict(steps):
    appeal_id = steps.appeal_in("in_progress")
    before = steps.view(appeal_id)
    steps.refused(steps.attempt("supervisor-city", appeal_id, "decide-extension", approve=True), 409, appeal_id, before)
    steps.act(REQUEST[0], appeal_id, REQUEST[1], **REQUEST[2])
    decided = steps.act("dispatcher-city", appeal_id, "decide-extension", approve=True)
    assert decided["pending_extension"] is None and decided["extension_count"] == 1
    before = steps.view(appeal_id)
    steps.refused(steps.attempt("supervisor-city", appeal_id, "decide-extension", approve=True), 409, appeal_id, before)
    assert steps.view(appeal_id)["extension_count"] == 1


def test_rating_twice_is_a_conflict(steps):
    appeal_id = steps.appeal_in("closed")
    steps.act("ent-zhengrixin", appeal_id, "rate", speed=5, attitude=4, outcome=3)
    before = steps.view(appeal_id)
    steps.refused(steps.attempt("ent-zhengrixin", appeal_id, "rate", speed=1, attitude=1, outcome=1), 409, appeal_id, before)
    assert steps.view(appeal_id)["rating"] == {"speed": 5, "attitude": 4, "outcome": 3, "comment": None}


@pytest.mark.parametrize("status", ["dispatched", "in_progress"])
def test_co_replying_twice_is_a_conflict(steps, status):
    appeal_id = steps.appeal_in(status)
    first = steps.act("staff-customs", appeal_id, "co-reply", text="海关方面无相关记录")
    assert [(c["unit_id"], c["replied"]) for c in first["co_units"]] == [("unit-customs", True)]
    before = steps.view(appeal_id)
    steps.refused(steps.attempt("staff-customs", appeal_id, "co-reply", text="补充一句"), 409, appeal_id, before)


@pytest.mark.parametrize("status", ["dispatched", "in_progress"])
def test_return_after_the_window_is_a_conflict(steps, status):
    appeal_id = steps.appeal_in(status)
    before = steps.view(appeal_id)
    due = datetime.fromisoformat(before["deadlines"]["feedback_by"]["due"])  # the end of the first working day after dispatch
    steps.clock.advance(seconds=(due - steps.clock.now()).total_seconds())  # the window closes at the due moment
    steps.refused(steps.attempt("staff-tax", appeal_id, "return", reason=REASON), 409, appeal_id, before)
    assert steps.view(appeal_id)["assignee_unit"] == "unit-tax"


def test_return_inside_the_window_sends_the_appeal_back_to_the_dispatch_centre(steps, client, token):
    appeal_id = steps.appeal_in("in_progress")
    steps.clock.advance(hours=20)  # Saturday morning: still before the end of Monday
    returned = steps.act("staff-tax", appeal_id, "return", reason=REASON)
    assert (returned["status"], returned["assignee_unit"], returned["co_units"]) == ("pending_dispatch", None, [])
    assert returned["return_count"] == 1
    assert all(v is None for v in returned["deadlines"].values())
    assert appeal_id in dispatch_queue(client, token)
    for unit_staff in ("staff-tax", "staff-customs"):  # no longer a party: the appeal is out of their sight
        assert_problem(steps.api.get(unit_staff, appeal_id), 404)


def test_a_redispatch_moves_the_appeal_to_the_new_unit(steps, client, token):
    appeal_id = steps.appeal_in("dispatched")
    moved = steps.act("dispatcher-city", appeal_id, "dispatch", unit_id="unit-hrss")
    assert (moved["status"], moved["assignee_unit"], moved["co_units"]) == ("dispatched", "unit-hrss", [])
    for unit_staff in ("staff-tax", "staff-customs"):
        assert_problem(steps.api.get(unit_staff, appeal_id), 404)
        assert_problem(steps.attempt(unit_staff, appeal_id, "accept" if unit_staff == "staff-tax" else "co-reply",
                                     **({} if unit_staff == "staff-tax" else {"text": "海关方面无相关记录"})), 404)
    queue = lambda unit: [a["id"] for a in body(client.http.get(
        f"/api/units/{unit}/appeals?limit=100", headers={"Authorization": f"Bearer {token('dispatcher-city')}"}))["items"]]
    assert appeal_id in queue("unit-hrss") and appeal_id not in queue("unit-tax")


def test_dispatch_to_the_unit_a_report_is_about_is_refused(steps):
    created = steps.submit(category="report", subject_unit_id="unit-tax", title="举报税务窗口办事拖延",
                           content="市南区税务窗口办理发票业务时多次要求重复提交材料，拖延办理。")
    appeal_id = created["id"]
    assert created["status"] == "pending_dispatch"  # the tax rule is skipped: never routed to its own subject
    before = steps.view(appeal_id)
    steps.refused(steps.attempt("dispatcher-city", appeal_id, "dispatch", unit_id="unit-tax"), 422, appeal_id, before,
                  field="unit_id")
    steps.refused(steps.attempt("dispatcher-city", appeal_id, "dispatch", unit_id="unit-supervision", co_unit_ids=["unit-tax"]),
                  422, appeal_id, before, field="co_unit_ids[0]")
    assert steps.act("dispatcher-city", appeal_id, "dispatch", unit_id="unit-supervision")["assignee_unit"] == "unit-supervision"


@pytest.mark.parametrize(
    "fields, field",
    [
        pytest.param({"unit_id": "unit-nowhere"}, "unit_id", id="unknown-lead-unit"),
        pytest.param({"unit_id": "unit-hrss", "co_unit_ids": ["unit-nowhere"]}, "co_unit_ids[0]", id="unknown-co-unit"),
        pytest.param({"unit_id": "unit-hrss", "co_unit_ids": ["unit-hrss"]}, "co_unit_ids[0]", id="co-unit-is-the-lead"),
    ],
)
@pytest.mark.parametrize("status", ["pending_dispatch", "dispatched"])
def test_dispatch_to_a_unit_that_cannot_take_it_is_refused(steps, status, fields, field):
    appeal_id = steps.appeal_in(status)
    before = steps.view(appeal_id)
    steps.refused(steps.attempt("dispatcher-city", appeal_id, "dispatch", **fields), 422, appeal_id, before, field=field)
    assert steps.view(appeal_id)["assignee_unit"] == before["assignee_unit"]


@pytest.mark.parametrize("target", ["itself", "closed", "other-district", "merged", "no-such-appeal"])
def test_merge_needs_another_open_appeal_of_the_same_district(steps, target):
    appeal_id = steps.appeal_in("pending_dispatch")
    into = {
        "itself": lambda: appeal_id,
        "closed": lambda: steps.appeal_in("closed"),
        "merged": lambda: merged_hotline_appeal(steps),
        "other-district": lambda: steps.submit("ent-hailian-trade", district="370211", **PARK)["id"],
        "no-such-appeal": lambda: "0000000000000000",  # the appeal in the path exists: not a 404
    }[target]()
    before = steps.view(appeal_id)
    target_before = steps.view(into) if target != "no-such-appeal" else None
    steps.refused(steps.attempt("dispatcher-city", appeal_id, "merge", into=into), 422, appeal_id, before, field="into")
    if target_before is not None:
        assert steps.view(into)["merged_ids"] == target_before["merged_ids"]


def dispatch_queue(client, token, district: str = "370202") -> list[str]:
    response = client.http.get(f"/api/dispatch/appeals?district={district}&limit=100",
                               headers={"Authorization": f"Bearer {token('dispatcher-city')}"})
    assert response.status_code == 200, response.body
    return [a["id"] for a in body(response)["items"]]


def merged_hotline_appeal(steps) -> str:
    merged_id, into = steps.another_open_appeal(), steps.another_open_appeal()
    assert steps.act("dispatcher-city", merged_id, "merge", into=into)["status"] == "merged"
    return merged_id


def test_split_restores_the_appeal_and_takes_it_off_the_original(steps, client, token):
    appeal_id = steps.submit(**PARK)["id"]
    original_id = steps.another_open_appeal()
    merged = steps.act("dispatcher-city", appeal_id, "merge", into=original_id)
    assert (merged["status"], merged["duplicate_of"]) == ("merged", original_id)
    original = steps.view(original_id)
    assert original["merged_ids"] == [appeal_id]
    assert [c["appeal_id"] for c in original["channels"]] == [original_id, appeal_id]
    assert original_id in dispatch_queue(client, token) and appeal_id not in dispatch_queue(client, token)

    split = steps.act("dispatcher-city", appeal_id, "split", reason="不是同一事项")
    assert (split["status"], split["duplicate_of"]) == ("pending_dispatch", None)
    original = steps.view(original_id)
    assert original["merged_ids"] == []
    assert [c["appeal_id"] for c in original["channels"]] == [original_id]
    assert original["status"] == "pending_dispatch"
    assert {original_id, appeal_id} <= set(dispatch_queue(client, token))
    assert steps.view(appeal_id, "ent-zhengrixin")["status"] == "pending_dispatch"


def test_merging_a_dispatched_appeal_withdraws_its_handling(steps):
    appeal_id = steps.appeal_in("dispatched")
    into = steps.another_open_appeal()
    merged = steps.act("dispatcher-city", appeal_id, "merge", into=into)
    assert (merged["status"], merged["assignee_unit"], merged["co_units"]) == ("merged", None, [])
    assert all(v is None for v in merged["deadlines"].values())
    assert steps.view(into)["merged_ids"] == [appeal_id]


def test_an_unsatisfied_confirmation_reopens_the_appeal(steps):
    appeal_id = steps.appeal_in("resolved")
    reopened = steps.act("ent-zhengrixin", appeal_id, "confirm", satisfied=False, comment="钱还没到")
    assert (reopened["status"], reopened["reopen_count"], reopened["satisfied"]) == ("in_progress", 1, False)
    assert reopened["confirm_by"] is None
    steps.act("staff-tax", appeal_id, "resolve", result="已再次核实，款项已到账")
    resolved = steps.view(appeal_id, "ent-zhengrixin")
    assert resolved["status"] == "resolved" and resolved["confirm_by"] is not None  # a new week to confirm in
    closed = steps.act("ent-zhengrixin", appeal_id, "confirm", satisfied=True)
    assert (closed["status"], closed["closed_reason"]) == ("closed", "confirmed")


def test_what_is_offered_follows_the_guards_inside_a_status(steps):
    """`available_actions` offers only what the guards would let through: no feedback before contact,
    no resolve before feedback, no second extension request, no decision without a request, one rating."""
    appeal_id = steps.appeal_in("in_progress")

    def offered(user: str) -> set[str]:
        return set(steps.view(appeal_id, user)["available_actions"])

    assert {"contact", "request-extension"} <= offered("staff-tax") and not {"feedback", "resolve"} & offered("staff-tax")
    assert "decide-extension" not in offered("supervisor-city")
    steps.act(CONTACT[0], appeal_id, CONTACT[1], **CONTACT[2])
    assert "feedback" in offered("staff-tax") and "resolve" not in offered("staff-tax")
    steps.act(REQUEST[0], appeal_id, REQUEST[1], **REQUEST[2])
    assert "request-extension" not in offered("staff-tax") and "decide-extension" in offered("supervisor-city")
    steps.act(FEEDBACK[0], appeal_id, FEEDBACK[1], **FEEDBACK[2])
    steps.act("staff-tax", appeal_id, "resolve", result="退税款已到账")
    steps.act("ent-zhengrixin", appeal_id, "confirm", satisfied=True)
    assert "rate" in offered("ent-zhengrixin")
    steps.act("ent-zhengrixin", appeal_id, "rate", speed=5, attitude=5, outcome=5)
    assert "rate" not in offered("ent-zhengrixin")
