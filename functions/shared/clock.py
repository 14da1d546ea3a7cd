"""The one platform clock: every deadline, sweep and expiry reads `get_clock().now()`.

The stage's clock is installed at start-up (`install_stage_clock`): real time, or on stages with dev
features the movable clock of `functions.platform.clock`, so a demo can jump forward and watch an
SLA breach happen. This module imports nothing above it; what sits above installs itself here.
Tests put a `FixedClock` over the stage's clock with `set_clock`, and `set_clock(None)` removes it.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FixedClock:
    """A clock that only moves when told to: for tests."""

    def __init__(self, at: datetime):
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = at.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now


_stage_clock: Clock = SystemClock()
_clock: Clock | None = None


def get_clock() -> Clock:
    return _clock if _clock is not None else _stage_clock


def install_stage_clock(clock: Clock) -> None:
    """The clock of this stage, for the life of the process (done once, at start-up)."""
    global _stage_clock
    _stage_clock = clock


def set_clock(clock: Clock | None) -> None:
    """Put a clock over the stage's (tests), or None to go back to the stage's clock."""
    global _clock
    _clock = clock


def to_shanghai(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI)


def isoformat_utc(moment: datetime) -> str:
    """Sortable storage form: UTC, fixed width with microseconds, so text order is time order."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_optional_instant(value: str | None) -> datetime | None:
    """`parse_instant` of a stamp that may be missing (an optional attribute): None for none."""
    return parse_instant(value) if value else None


def parse_instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return moment
