"""The appeal state machine, as data: which action is allowed in which status, to whom.

| action            | from                                  | who                                   | to |
|-------------------|---------------------------------------|---------------------------------------|----|
| dispatch          | pending_dispatch, dispatched          | dispatcher                            | dispatched |
| accept            | dispatched                            | staff of the lead unit                | in_progress |
| return            | dispatched, in_progress (window)      | staff of the lead unit                | pending_dispatch |
| contact           | in_progress                           | staff of the lead unit                | in_progress |
| feedback          | in_progress (after contact)           | staff of the lead unit                | in_progress |
| request-extension | in_progress                           | staff of the lead unit                | in_progress |
| decide-extension  | in_progress (a request pending)       | dispatcher, supervisor                | in_progress |
| resolve           | in_progress (after feedback)          | staff of the lead unit                | resolved |
| co-reply          | dispatched, in_progress               | staff of a co-handling unit           | (unchanged) |
| confirm           | resolved                              | the enterprise (or receipt holder)    | closed, or in_progress when not satisfied |
| rate              | closed (once)                         | the enterprise (or receipt holder)    | closed |
| supervise         | any open status                       | supervisor                            | (unchanged) |
| merge             | pending_dispatch, dispatched          | dispatcher                            | merged |
| split             | merged                                | dispatcher                            | pending_dispatch |

Refusals: a caller who cannot see the appeal gets 404; one who can see it but may not take the
action gets 403; an allowed caller in the wrong status gets 409.
"""
from __future__ import annotations

from dataclasses import dataclass

from functions.appeals.models import CLOSED, DISPATCHED, IN_PROGRESS, MERGED, OPEN_STATUSES, PENDING_DISPATCH, RESOLVED

# Relations of a caller to an appeal (beyond the role itself).
LEAD = "lead_unit_staff"
CO = "co_unit_staff"
SUBMITTER = "submitter"
DISPATCHER = "dispatcher"
SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class Transition:
    from_statuses: frozenset[str]
    actors: frozenset[str]


TRANSITIONS: dict[str, Transition] = {
    "dispatch": Transition(frozenset({PENDING_DISPATCH, DISPATCHED}), frozenset({DISPATCHER})),
    "accept": Transition(frozenset({DISPATCHED}), frozenset({LEAD})),
    "return": Transition(frozenset({DISPATCHED, IN_PROGRESS}), frozenset({LEAD})),
    "contact": Transition(frozenset({IN_PROGRESS}), frozenset({LEAD})),
    "feedback": Transition(frozenset({IN_PROGRESS}), frozenset({LEAD})),
    "request-extension": Transition(frozenset({IN_PROGRESS}), frozenset({LEAD})),
    "decide-extension": Transition(frozenset({IN_PROGRESS}), frozenset({DISPATCHER, SUPERVISOR})),
    "resolve": Transition(frozenset({IN_PROGRESS}), frozenset({LEAD})),
    "co-reply": Transition(frozenset({DISPATCHED, IN_PROGRESS}), frozenset({CO})),
    "confirm": Transition(frozenset({RESOLVED}), frozenset({SUBMITTER})),
    "rate": Transition(frozenset({CLOSED}), frozenset({SUBMITTER})),
    "supervise": Transition(frozenset(OPEN_STATUSES), frozenset({SUPERVISOR})),
    "merge": Transition(frozenset({PENDING_DISPATCH, DISPATCHED}), frozenset({DISPATCHER})),
    "split": Transition(frozenset({MERGED}), frozenset({DISPATCHER})),
}

ACTIONS = tuple(TRANSITIONS)
