"""Routes for a state machine: one POST per declared action, generated from the declaration.

    action_routes(bp, MACHINE, "/appeals/{appeal_id}", take=take_appeal_action, response=AppealOut,
                  summary="Appeal action: {action}")

Each route's body is the action's body model, its OpenAPI description says from which statuses it
is allowed, where it leads and who may take it, and its view calls `take(call, action_name)`.
"""
from __future__ import annotations

from typing import Any, Callable

from functions.api.routes import ApiBlueprint, Call
from functions.shared.statemachine import StateMachine


def action_routes(bp: ApiBlueprint, machine: StateMachine, path: str, *, take: Callable[[Call, str], Any], response: Any,
                  summary: str, only: tuple[str, ...] | None = None, view_prefix: str | None = None,
                  errors: tuple[int, ...] = (409,), **options: Any) -> None:
    """Declare `POST {path}/{action}` for every action of `machine` (or those named in `only`).

    `summary` may name `{action}`; `options` go to `bp.api` as they are (roles, headers, …)."""
    for action in machine.actions.values():
        if only is not None and action.name not in only:
            continue

        def view(call: Call, name: str = action.name) -> Any:
            return take(call, name)

        view.__name__ = f"{view_prefix or machine.kind}_{action.name.replace('-', '_')}"
        bp.api(f"{path}/{action.name}", "POST", summary=summary.format(action=action.name), description=action.explain(),
               body=action.body, response=response, errors=errors, **options)(view)
