"""The SLA sweeper: warns at a clock's warning moment and marks breaches, for every platform.

It queries the sparse `due-index` for clocks whose `next_check` has passed (one Query per shard;
with nothing due that is all it costs), and for each clock commits, in one transaction, the
clock's new mark (warned or breached, conditional on the clock's version) together with whatever
the owning platform adds through its registered handler (its own record, audit, notices,
statistics). Running it twice, or twice at once, sends nothing twice: the second attempt finds the
clock moved on, or loses the version race.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from functions.calendar.models import SlaClock, due_shards, utc_stamp
from functions.shared.audit import UnitOfWork
from functions.shared.errors import Conflict
from functions.shared.logs import get_logger

WARN = "warn"
BREACH = "breach"
BATCH = 100
log = get_logger(__name__)

# owner kind ("appeal" of "appeal#A123") → handler(clock, event, uow, now); the handler adds its
# writes to the unit of work and may raise Conflict to skip the clock. The platforms the stage runs
# declare them (their plugin.py); start-up installs them here (functions/platforms.py `install`).
ClockHandler = Callable[[SlaClock, str, UnitOfWork, datetime], None]
_handlers: dict[str, ClockHandler] = {}


def install_clock_handlers(handlers: dict[str, ClockHandler]) -> None:
    _handlers.clear()
    _handlers.update(handlers)


def register_clock_handler(owner_kind: str, handler: ClockHandler) -> None:
    _handlers[owner_kind] = handler


@dataclass
class SweepResult:
    seen: int = 0
    warned: int = 0
    breached: int = 0
    skipped: int = 0
    # Clocks whose owner kind no platform of this process handles: left untouched, logged as errors.
    unhandled: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"seen": self.seen, "changed": self.warned + self.breached, "warned": self.warned,
                "breached": self.breached, "skipped": self.skipped, "unhandled": self.unhandled}


def sweep(now: datetime, limit: int = BATCH) -> SweepResult:
    result = SweepResult()
    stamp = utc_stamp(now)
    for shard in due_shards():
        for clock in SlaClock.due_index.query(shard, SlaClock.next_check <= stamp, limit=limit):
            result.seen += 1
            handler = _handlers.get(clock.owner.split("#", 1)[0])
            if handler is None:
                # Marking it without its owner would breach a deadline nobody is told about, and
                # the owner's record would never learn it. Leave it due, and say so loudly.
                result.unhandled += 1
                log.error("no handler for SLA clock: left due", extra={"fields": {
                    "owner": clock.owner, "clock": clock.name, "handled_kinds": sorted(_handlers)}})
                continue
            event = BREACH if clock.due <= stamp else WARN
            request_id = f"sweep#{clock.owner}#{clock.name}#{event}#{clock.version}"
            uow = UnitOfWork("system:sweeper", "system", "platform", request_id, now)
            if event == BREACH:
                clock.mark_breached(now)
            else:
                clock.mark_warned(now)
            uow.put(clock, label="clock")
            try:
                handler(clock, event, uow, now)
                uow.commit()
            except Conflict:
                result.skipped += 1  # someone acted on it meanwhile; the next sweep sees the new state
                continue
            if event == BREACH:
                result.breached += 1
            else:
                result.warned += 1
    return result
