"""What a platform package brings to a stage, declared in one place: its `plugin.py`.

    PLUGIN = Plugin(
        name="appeals",
        blueprints=("functions.appeals.routes:bp", "functions.appeals.jobs:bp"),
        models=("functions.appeals.models",),
        seed=("functions.appeals.seed:seed",),
        clock_handlers={"appeal": "functions.appeals.service:on_clock"},
        notices="functions.appeals.vocabulary:NOTICE_TEXTS",
        job_access={"audit_tickets": JobAccess(tables={"appeal-tickets": ("BatchGetItem", "PutItem")})},
    )

Everything is named as "module" or "module:attribute" and imported only when asked for, so reading
the declarations of every platform costs nothing. functions/platforms.py finds the declarations of
the stage's platforms (its `PLATFORMS` setting) and the app, the table list, the seed, the SLA
sweeper, the notices, the local stack and packaging all iterate them; none of them names a platform.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class JobAccess:
    """What a scheduled or queue job touches, for its IAM role (infra/resources.py builds the policy,
    tests/infra/test_job_access.py runs every job and requires exactly this).

    `tables` keys are table short names ("appeals") or "<table>/index/<index>"; values are DynamoDB
    actions without the "dynamodb:" prefix. A platform whose clock handler runs inside the sweeper
    declares what the handler touches under the sweeper's job name; the declarations are merged."""

    tables: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notifies: bool = False  # delivers through the stage's NOTIFY_CHANNELS (SES, SNS)
    sends_to: tuple[str, ...] = ()  # short names of the queues it sends to
    files: bool = False  # reads or writes objects of the stage's bucket (e.g. the search index)

    def merged(self, other: "JobAccess") -> "JobAccess":
        tables = {key: tuple(actions) for key, actions in self.tables.items()}
        for key, actions in other.tables.items():
            tables[key] = tuple(sorted(set(tables.get(key, ())) | set(actions)))
        return JobAccess(tables, self.notifies or other.notifies, tuple(sorted(set(self.sends_to) | set(other.sends_to))),
                         self.files or other.files)


@dataclass(frozen=True)
class Plugin:
    name: str
    # Chalice blueprints, routes and jobs alike ("module:bp").
    blueprints: tuple[str, ...] = ()
    # PynamoDB models: "module:Model", or "module" for every model defined in that module.
    models: tuple[str, ...] = ()
    # Demo data for local and dev stages: functions returning {what: how many were created}; idempotent.
    seed: tuple[str, ...] = ()
    # Owner kind of an SLA clock ("appeal" of "appeal#A123") → "module:handler(clock, event, uow, now)".
    clock_handlers: dict[str, str] = field(default_factory=dict)
    # "module:TEXTS", a dict of outbox topic → notice text with {placeholders} from the message's data.
    notices: str | None = None
    # Job name → what it touches (its own jobs, and its part of another's, such as the sweeper's).
    job_access: dict[str, JobAccess] = field(default_factory=dict)
    # "module:function" answering the words and limits the page needs (JSON-able): the page is built
    # against a copy of them (frontend/src/api/vocabulary.json, `make api-types`), never a hand copy.
    vocabulary: str | None = None

    def resolved_blueprints(self) -> list[Any]:
        return [resolve(ref) for ref in self.blueprints]

    def resolved_models(self) -> list[type]:
        found: list[type] = []
        for ref in self.models:
            if ":" in ref:
                found.append(resolve(ref))
            else:
                found += models_of(importlib.import_module(ref))
        return found

    def notice_texts(self) -> dict[str, str]:
        return dict(resolve(self.notices)) if self.notices else {}

    def page_vocabulary(self) -> dict[str, Any] | None:
        return resolve(self.vocabulary)() if self.vocabulary else None


def resolve(ref: str) -> Any:
    """"package.module:attribute" → the attribute (importing the module)."""
    module, _, attribute = ref.partition(":")
    if not attribute:
        raise ValueError(f"{ref!r} names no attribute (module:attribute)")
    return getattr(importlib.import_module(module), attribute)


def models_of(module: ModuleType) -> list[type]:
    """The PynamoDB models a module defines (not those it imports), in source order."""
    from pynamodb.models import Model

    return [value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Model) and value is not Model and value.__module__ == module.__name__]
