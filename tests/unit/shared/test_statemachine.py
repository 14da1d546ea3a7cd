"""The state-machine kit: one declaration gives the refusals, the offered actions, the outcome check and the matrix."""
from __future__ import annotations

import pytest
from pydantic import BaseModel

from functions.shared.errors import Conflict, Forbidden
from functions.shared.statemachine import UNCHANGED, StateMachine, UndeclaredTransition


class NoteIn(BaseModel):
    note: str = ""


class Thing:
    def __init__(self, status: str):
        self.status = status


def machine() -> StateMachine:
    m = StateMachine("demand", ("open", "claimed", "closed"))

    @m.action("claim", frm={"open"}, to={"claimed"}, who={"bank"}, body=NoteIn, summary="Claim it.")
    def claim(thing: Thing, body: NoteIn) -> None:
        thing.status = "claimed"

    @m.action("note", frm={"open", "claimed"}, to={UNCHANGED}, who={"bank", "owner"}, body=NoteIn, summary="Add a note.")
    def note(thing: Thing, body: NoteIn) -> None:
        pass

    @m.action("close", frm={"claimed"}, to={"closed"}, who={"owner"}, body=NoteIn, summary="Close it.")
    def close(thing: Thing, body: NoteIn) -> None:
        thing.status = "open"  # a bug: leads somewhere the declaration does not say

    return m


def test_refusals_are_403_for_the_wrong_caller_then_409_for_the_wrong_status():
    m = machine()
    with pytest.raises(Forbidden):
        m.check("claim", "claimed", {"owner"})  # the caller comes first: 403 even in the wrong status
    with pytest.raises(Conflict):
        m.check("claim", "claimed", {"bank"})
    assert m.check("claim", "open", {"bank"}).name == "claim"


def test_available_lists_what_the_caller_may_do_now_in_declaration_order():
    m = machine()
    assert m.available("open", {"bank"}) == ["claim", "note"]
    assert m.available("claimed", {"owner"}) == ["note", "close"]
    assert m.available("closed", {"bank", "owner"}) == []


def test_run_holds_a_handler_to_its_declared_outcome():
    m = machine()
    thing = Thing("open")
    m.run(m.actions["claim"], thing, NoteIn(), lambda: thing.status)
    assert thing.status == "claimed"
    m.run(m.actions["note"], thing, NoteIn(), lambda: thing.status)  # unchanged is declared
    with pytest.raises(UndeclaredTransition):
        m.run(m.actions["close"], thing, NoteIn(), lambda: thing.status)


def test_the_matrix_covers_every_action_status_and_relation():
    m = machine()
    cells = list(m.expectations())
    assert len(cells) == 3 * 3 * 2
    outcome = {(c.action, c.status, c.relation): c.outcome for c in cells}
    assert outcome["claim", "open", "bank"] == "allowed"
    assert outcome["claim", "open", "owner"] == "forbidden"
    assert outcome["claim", "closed", "bank"] == "conflict"


def test_a_declaration_naming_an_unknown_status_or_twice_the_same_action_fails_at_import():
    m = machine()
    with pytest.raises(ValueError):
        m.action("reopen", frm={"archived"}, to={"open"}, who={"owner"}, body=NoteIn, summary="")
    with pytest.raises(ValueError):
        m.action("claim", frm={"open"}, to={"claimed"}, who={"bank"}, body=NoteIn, summary="")


def test_the_explanation_names_where_an_action_is_allowed_and_leads():
    text = machine().actions["note"].explain()
    assert text.startswith("Add a note.")
    assert "Allowed from: claimed, open. Leads to: unchanged. Taken by: bank, owner." in text


def test_the_appeals_readme_shows_the_declared_machine():
    from pathlib import Path

    from functions.appeals.states import MACHINE as APPEALS

    readme = Path(__file__).resolve().parents[3] / "functions" / "appeals" / "README.md"
    assert APPEALS.table() in readme.read_text(encoding="utf-8"), "regenerate the table from states.MACHINE.table()"


def test_available_offers_only_what_the_object_is_ready_for():
    m = StateMachine("review", ("open", "closed"))

    @m.action("rate", frm={"closed"}, to={UNCHANGED}, who={"owner"}, body=NoteIn, summary="Rate once.",
              ready=lambda thing: not thing.rated)
    def rate(thing, body) -> None:
        thing.rated = True

    class Review:
        rated = False

    review = Review()
    assert m.available("closed", {"owner"}, review) == ["rate"]
    review.rated = True
    assert m.available("closed", {"owner"}, review) == []
    assert m.available("closed", {"owner"}) == ["rate"]  # without the object: what the status allows


def test_the_policy_readme_shows_the_application_machine():
    from pathlib import Path

    from functions.policy.application_states import MACHINE as APPLICATIONS

    readme = Path(__file__).resolve().parents[3] / "functions" / "policy" / "README.md"
    assert APPLICATIONS.table() in readme.read_text(encoding="utf-8"), "regenerate the table from application_states.MACHINE.table()"
