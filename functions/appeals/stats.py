"""Unit and district statistics, kept current in the transactions of the changes they count.

Counters (per unit `unit#{id}` and per district `district#{code}`, for "all" and the month):
- received: appeals a unit was dispatched (re-dispatch counts for the new unit);
- {contact,feedback,resolve}_due: clocks that came due: met (on time or late) or breached while
  open — so open overdue appeals count in the denominators from the minute they breach;
- {contact,feedback,resolve}_on_time: clocks met before their due moment;
- resolved, returns, reopens (not satisfied), extensions (approved), confirmations, satisfied;
- ratings and the sums of speed, attitude and outcome (1–5).

Rates, as the README states them:
  on-time contact rate    = contact_on_time / contact_due
  on-time feedback rate   = feedback_on_time / feedback_due
  on-time resolution rate = resolve_on_time / resolve_due
  return rate             = returns / received
  reopen rate             = reopens / confirmations
  satisfaction            = satisfied / confirmations; mean ratings = *_sum / ratings
A rate with a zero denominator is null ("no data"), never 0 or 100%.
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime
from typing import Any

from functions.appeals.models import UnitStats
from functions.shared.audit import UnitOfWork
from functions.shared.clock import SHANGHAI

ALL = "all"
# Concurrent submissions of one district all count into the same district item; spread over
# shards, two transactions rarely touch the same item (DynamoDB cancels one of two that do).
SHARDS = 8
COUNTERS = (
    "received", "contact_due", "contact_on_time", "feedback_due", "feedback_on_time", "resolve_due",
    "resolve_on_time", "resolved", "returns", "reopens", "extensions", "confirmations", "satisfied",
    "ratings", "rating_speed_sum", "rating_attitude_sum", "rating_outcome_sum",
)


def period_of(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m")


class StatsDelta:
    """Increments gathered during one change, written as one ADD update per statistics item
    (a DynamoDB transaction may touch an item only once)."""

    def __init__(self) -> None:
        self._adds: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, unit_id: str | None, district: str | None, now: datetime, **counts: int) -> None:
        for name in counts:
            if name not in COUNTERS:
                raise ValueError(f"unknown counter {name}")
        scopes = ([f"unit#{unit_id}"] if unit_id else []) + ([f"district#{district}"] if district else [])
        for scope in scopes:
            for period in (ALL, period_of(now)):
                for name, value in counts.items():
                    self._adds[(scope, period)][name] += value

    def apply(self, uow: UnitOfWork) -> None:
        shard = random.randrange(SHARDS)
        for (scope, period), counts in sorted(self._adds.items()):
            actions = [getattr(UnitStats, name).add(value) for name, value in sorted(counts.items()) if value]
            if actions:
                uow.update(UnitStats(scope=scope, period_shard=f"{period}#{shard}"), actions, label="stats")
        self._adds.clear()


def _rate(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def summarise(shards: list[UnitStats], scope: str, period: str) -> dict[str, Any]:
    counts = {name: sum(int(getattr(item, name) or 0) for item in shards) for name in COUNTERS}
    ratings = counts["ratings"]
    return {
        "scope": scope,
        "period": period,
        "counts": counts,
        "rates": {
            "contact_on_time": _rate(counts["contact_on_time"], counts["contact_due"]),
            "feedback_on_time": _rate(counts["feedback_on_time"], counts["feedback_due"]),
            "resolve_on_time": _rate(counts["resolve_on_time"], counts["resolve_due"]),
            "return": _rate(counts["returns"], counts["received"]),
            "reopen": _rate(counts["reopens"], counts["confirmations"]),
            "satisfaction": _rate(counts["satisfied"], counts["confirmations"]),
            "mean_speed": _rate(counts["rating_speed_sum"], ratings),
            "mean_attitude": _rate(counts["rating_attitude_sum"], ratings),
            "mean_outcome": _rate(counts["rating_outcome_sum"], ratings),
        },
    }


def read(scope: str, period: str) -> dict[str, Any]:
    return summarise(list(UnitStats.query(scope, UnitStats.period_shard.startswith(f"{period}#"))), scope, period)
