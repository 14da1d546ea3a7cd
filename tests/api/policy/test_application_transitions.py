"""The application state machine over the API: every action from every status, by the caller it is
for (allowed, or 409 with nothing changed), and by callers it is not for (403 for a party, 404 for
anyone else). `MOVES` is the table of functions/policy/application_states.py written out again by
hand: the oracle, not an import of it; `test_the_oracle_is_the_machine` keeps them in step.

Every application here is to a project of its own (one application per enterprise and project),
published by the city's administrator with two review stages: 市科技局 then 市税务局.
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

import pytest

from tests.support import assert_problem, bearer, body, json_headers

APPLICANT, FIRST, SECOND, OUTSIDER = "ent-bluesea-soft", "staff-science", "staff-tax", "staff-customs"
STATUSES = ("in_review", "returned", "rejected", "withdrawn", "approved", "in_notice", "awarded", "paid", "declined")


@dataclass(frozen=True)
class Move:
    actor: str
    body: dict
    allowed_from: frozenset[str]
    leads_to: str | None  # None: unchanged

    def by(self, status: str) -> str:
        """Review actions are the unit's at whose stage the application stands (or last stood): the
        first stage's until approved there; the second's (the last) once past review."""
        if self.actor == FIRST and self.allowed_from == {"in_review"} and status in PAST_REVIEW:
            return SECOND
        return self.actor


PAST_REVIEW = frozenset({"approved", "in_notice", "awarded", "paid", "declined"})


def _today(clock) -> str:
    from functions.shared.clock import to_shanghai

    return to_shanghai(clock.now()).date().isoformat()


MOVES = {
    "approve": Move(FIRST, {"amount_fen": 1_000_000}, frozenset({"in_review"}), "in_review"),  # stage 1 of 2
    "return": Move(FIRST, {"reason": "请补充材料"}, frozenset({"in_review"}), "returned"),
    "reject": Move(FIRST, {"reason": "不符合条件"}, frozenset({"in_review"}), "rejected"),
    "resubmit": Move(APPLICANT, {"form": {"note": "已补充"}}, frozenset({"returned"}), "in_review"),
    "withdraw": Move(APPLICANT, {}, frozenset({"in_review", "returned"}), "withdrawn"),
    "decline": Move(APPLICANT, {"reason": "不需要"}, frozenset({"approved", "in_notice", "awarded"}), "declined"),
    "rate": Move(APPLICANT, {"grade": 4}, frozenset({"paid", "rejected"}), None),
    "disburse": Move(FIRST, {"amount_fen": 1_000_000, "voucher_no": "V-1"}, frozenset({"awarded"}), "paid"),
}


def project(no_application: bool = False) -> dict:
    return {
        "title": "测试项目", "summary": "状态机测试用项目。", "department_id": "unit-science-tech", "documents": [],
        "topics": [], "amount": {"kind": "fixed", "amount_fen": 1_000_000}, "window": {"opens_on": None, "closes_on": None},
        "no_application": no_application,
        "review_stages": [{"name": "市科技局初审", "unit_id": "unit-science-tech"}, {"name": "市税务局复审", "unit_id": "unit-tax"}],
        "form": {"type": "object", "properties": {"note": {"type": "string", "title": "说明", "maxLength": 100}}},
    }


class Builder:
    def __init__(self, client, token, clock):
        self.client, self.token, self.clock = client, token, clock
        self.numbers = itertools.count(1)

    def post(self, user: str, path: str, **fields):
        return self.client.http.post(path, headers=json_headers(self.token(user)), body=json.dumps(fields, ensure_ascii=False))

    def ok(self, response, status: int = 200) -> dict:
        assert response.status_code == status, response.body
        return body(response)

    def read(self, app_id: str, user: str = APPLICANT) -> dict:
        return self.ok(self.client.http.get(f"/api/applications/{app_id}", headers=bearer(self.token(user))))

    def act(self, user: str, app_id: str, action: str, **fields):
        if action == "disburse":
            fields = {"paid_on": _today(self.clock), **fields}
        return self.post(user, f"/api/applications/{app_id}/{action}", **fields)

    def publish(self, no_application: bool) -> str:
        item_id = f"proj-machine-{next(self.numbers)}"
        self.ok(self.client.http.put(f"/api/policy-items/{item_id}/draft", headers=json_headers(self.token("admin-city")),
                                     body=json.dumps({"content": project(no_application)}, ensure_ascii=False)))
        self.ok(self.post("admin-city", f"/api/policy-items/{item_id}/publish"))
        return item_id

    def build(self, status: str) -> str:
        """A fresh application in `status`: 免申即享 for approved onwards (so decline is allowed), applied otherwise."""
        if status in ("in_review", "returned", "rejected", "withdrawn"):
            app_id = self.ok(self.post(APPLICANT, f"/api/projects/{self.publish(False)}/applications", form={}), 201)["id"]
            step = {"returned": ("return", FIRST), "rejected": ("reject", FIRST), "withdrawn": ("withdraw", APPLICANT)}.get(status)
            if step:
                self.ok(self.act(step[1], app_id, step[0], **MOVES[step[0]].body))
        else:
            project_id = self.publish(True)
            app_id = self.ok(self.post(FIRST, f"/api/projects/{project_id}/confirmed-list",
                                       entries=[{"uscc": "91370212MA3EK9W53N", "amount_fen": 1_000_000}]), 201)["items"][0]["id"]
            if status == "declined":
                self.ok(self.act(APPLICANT, app_id, "decline"))
            elif status != "approved":
                self.ok(self.post(FIRST, f"/api/projects/{project_id}/notices", application_ids=[app_id]), 201)
                if status in ("awarded", "paid"):
                    self.clock.advance(days=10)
                    self.ok(self.client.http.post("/api/dev/jobs/sweep_clocks/run"))
                if status == "paid":
                    self.ok(self.act(FIRST, app_id, "disburse", **MOVES["disburse"].body))
        assert self.read(app_id)["status"] == status
        return app_id


@pytest.fixture
def builder(client, token, clock):
    return Builder(client, token, clock)


def test_the_oracle_is_the_machine():
    from functions.policy.application_states import MACHINE

    assert set(MACHINE.statuses) == set(STATUSES)
    for name, action in MACHINE.actions.items():
        move = MOVES[name]
        assert action.frm == move.allowed_from, name
    assert set(MACHINE.actions) == set(MOVES)


def test_every_action_from_every_status(builder):
    # Refusals first, on one application per status: a later build moves the clock and sweeps, which
    # would close the shared notice under them (so in_notice is built after awarded and paid, too).
    shared = {status: builder.build(status) for status in sorted(STATUSES, key=lambda s: s == "in_notice")}
    for status, (name, move) in itertools.product(STATUSES, MOVES.items()):
        if status in move.allowed_from:
            continue
        before = builder.read(shared[status])
        refused = builder.act(move.by(status), shared[status], name, **move.body)
        assert refused.status_code == 409, (name, status, refused.status_code)
        assert_problem(refused, 409)
        after = builder.read(shared[status])
        assert (after["status"], len(after["events"])) == (before["status"], len(before["events"])), (name, status)
    for status, (name, move) in itertools.product(STATUSES, MOVES.items()):
        if status in move.allowed_from:
            after = builder.ok(builder.act(move.actor, builder.build(status), name, **move.body))
            assert after["status"] == (move.leads_to or status), (name, status)


def test_each_action_is_only_for_its_caller(builder):
    app_id = builder.build("in_review")
    for name, move in MOVES.items():
        parties = {APPLICANT, FIRST, SECOND} - {move.actor}
        for user in sorted(parties):
            if name == "disburse" and user == SECOND:
                continue  # a later stage's unit is a party but not the department: 403 below is the same rule
            assert_problem(builder.act(user, app_id, name, **move.body), 403)
        assert_problem(builder.act(OUTSIDER, app_id, name, **move.body), 404)
        assert_problem(builder.act("ent-zhengrixin", app_id, name, **move.body), 404)
    # The second stage's unit reviews only once the application reaches it.
    builder.ok(builder.act(FIRST, app_id, "approve", amount_fen=1_000_000))
    assert_problem(builder.act(FIRST, app_id, "approve", amount_fen=1_000_000), 403)
    assert builder.ok(builder.act(SECOND, app_id, "approve", amount_fen=1_000_000))["status"] == "approved"


def test_guards_inside_a_status(builder):
    rejected = builder.build("rejected")
    builder.ok(builder.act(APPLICANT, rejected, "rate", grade=3))
    assert_problem(builder.act(APPLICANT, rejected, "rate", grade=5), 409)  # once
    applied = builder.build("in_review")
    for _ in range(2):
        builder.ok(builder.act(FIRST if _ == 0 else SECOND, applied, "approve", amount_fen=1_000_000))
    assert builder.read(applied)["available_actions"] == []  # applied for, not 免申即享: nothing to decline
    assert_problem(builder.act(APPLICANT, applied, "decline"), 409)
