"""A platform's state machine, declared once: each action with the statuses it is allowed from, the
statuses it may lead to, who may take it, its typed body and its one handler.

From this one declaration come the routes and their OpenAPI entries (functions/api/actions.py), the
refusals (`check`: 403 when the action is not the caller's, 409 when not in this status), the list
of actions a caller may take now (`available`, which the page shows as buttons), the check that a
handler left the object in a declared status (`run`), and the tests' matrix of every action from
every status (`expectations`).

    machine = StateMachine("appeal", STATUSES.codes)

    @machine.action("accept", frm={DISPATCHED}, to={IN_PROGRESS}, who={LEAD}, body=EmptyIn,
                    summary="Accept a dispatched appeal")
    def accept(ctx: ActionContext, body: EmptyIn) -> None:
        ...

Relations ("lead_unit_staff", "submitter", …) are the platform's words for how a caller stands to
the object; the platform computes them, the machine only compares.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, Iterable, Iterator, TypeVar

from functions.shared.errors import Conflict, Forbidden

Ctx = TypeVar("Ctx")
UNCHANGED = "(unchanged)"  # `to=UNCHANGED`: the action leaves the status as it found it


class UndeclaredTransition(RuntimeError):
    """A handler left the object in a status its action does not declare: a bug, never a user error."""


@dataclass(frozen=True)
class Action(Generic[Ctx]):
    name: str
    frm: frozenset[str]
    to: frozenset[str]  # may contain UNCHANGED
    who: frozenset[str]
    body: type
    handler: Callable[[Ctx, Any], None]
    summary: str
    # Whether the object is ready for it within the status (rated once already, contacted first):
    # what `available` offers. The handler still refuses (409) what this would not offer.
    ready: Callable[[Any], bool] | None = None

    def leads_to(self, before: str, after: str) -> bool:
        return after in self.to or (UNCHANGED in self.to and after == before)

    def explain(self) -> str:
        """The OpenAPI description: what it does, from which statuses, to which, by whom."""
        to = ", ".join(sorted(s for s in self.to if s != UNCHANGED) + (["unchanged"] if UNCHANGED in self.to else []))
        text = f"Allowed from: {', '.join(sorted(self.frm))}. Leads to: {to}. Taken by: {', '.join(sorted(self.who))}."
        return f"{self.summary}\n\n{text}"


@dataclass(frozen=True)
class Expectation:
    """What the API must answer when `relation` tries `action` on an object in `status`."""

    action: str
    status: str
    relation: str
    outcome: str  # "allowed" | "forbidden" (403) | "conflict" (409)


class StateMachine:
    def __init__(self, kind: str, statuses: Iterable[str]) -> None:
        self.kind = kind
        self.statuses = tuple(statuses)
        self.actions: dict[str, Action] = {}

    def action(self, name: str, *, frm: Iterable[str], to: Iterable[str], who: Iterable[str], body: type,
               summary: str, ready: Callable[[Any], bool] | None = None) -> Callable[[Callable[[Ctx, Any], None]], Callable[[Ctx, Any], None]]:
        frm, to = frozenset(frm), frozenset(to)
        unknown = (frm | (to - {UNCHANGED})) - set(self.statuses)
        if unknown:
            raise ValueError(f"{self.kind}.{name}: unknown statuses {sorted(unknown)}")
        if name in self.actions:
            raise ValueError(f"{self.kind}.{name} is declared twice")

        def register(handler: Callable[[Ctx, Any], None]) -> Callable[[Ctx, Any], None]:
            self.actions[name] = Action(name, frm, to, frozenset(who), body, handler, summary, ready)
            return handler

        return register

    @property
    def relations(self) -> frozenset[str]:
        return frozenset().union(*(a.who for a in self.actions.values()))

    def check(self, name: str, status: str, relations: set[str] | frozenset[str]) -> Action:
        """The action, if these relations may take it in this status; else 403, or 409."""
        action = self.actions[name]
        if not set(relations) & action.who:
            raise Forbidden(f"'{name}' is not yours to do on this {self.kind}.")
        if status not in action.frm:
            raise Conflict(f"'{name}' is not allowed while the {self.kind} is {status}.")
        return action

    def available(self, status: str, relations: set[str] | frozenset[str], obj: Any = None) -> list[str]:
        """The actions these relations may take now, in declaration order (what the page offers);
        given the object, only those it is ready for."""
        return [a.name for a in self.actions.values() if status in a.frm and set(relations) & a.who
                and (obj is None or a.ready is None or a.ready(obj))]

    def run(self, action: Action, ctx: Ctx, body: Any, status_of: Callable[[], str]) -> None:
        """Call the handler, then hold it to the declaration: the status it leaves is one `to` names."""
        before = status_of()
        action.handler(ctx, body)
        after = status_of()
        if not action.leads_to(before, after):
            raise UndeclaredTransition(f"{self.kind}.{action.name} led from {before} to {after}; it declares {sorted(action.to)}")

    def expectations(self) -> Iterator[Expectation]:
        """Every action × every status × every relation, with the answer the declaration implies."""
        for action in self.actions.values():
            for status in self.statuses:
                for relation in sorted(self.relations):
                    if relation not in action.who:
                        outcome = "forbidden"
                    elif status not in action.frm:
                        outcome = "conflict"
                    else:
                        outcome = "allowed"
                    yield Expectation(action.name, status, relation, outcome)

    def table(self) -> str:
        """The declaration as a Markdown table (for READMEs and docstrings kept in step by a test)."""
        lines = ["| action | from | to | who |", "|---|---|---|---|"]
        for a in self.actions.values():
            to = ", ".join(sorted(s if s != UNCHANGED else "(unchanged)" for s in a.to))
            lines.append(f"| {a.name} | {', '.join(sorted(a.frm))} | {to} | {', '.join(sorted(a.who))} |")
        return "\n".join(lines)
