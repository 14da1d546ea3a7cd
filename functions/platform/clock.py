"""The movable clock of local and dev stages: real time plus a forward offset kept in DynamoDB.

`POST /api/dev/clock` adds to the offset (never subtracts), so a demo can jump ahead and watch a
deadline pass. Every process reads the same offset; it is cached for a moment to keep requests cheap.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from functions.platform.models import PlatformSetting
from functions.shared.audit import UnitOfWork
from functions.shared.cache import ProcessCache
from functions.shared.clock import isoformat_utc
from functions.shared.errors import FieldError, ValidationFailed

CLOCK_SETTING = "clock"
CACHE_SECONDS = 2.0
# However many times it is moved, the clock stays within ten years of real time: far enough for
# any demo of a deadline, and far from where date arithmetic (and the calendar) runs out.
MAX_OFFSET_SECONDS = 10 * 366 * 24 * 3600


def _read_offset() -> int:
    try:
        return int(PlatformSetting.get(CLOCK_SETTING).offset_seconds)
    except PlatformSetting.DoesNotExist:
        return 0


# One reading per process, shared by every MovableClock (they all read the same item).
_offset: ProcessCache[int] = ProcessCache("platform.clock_offset", _read_offset, ttl_seconds=CACHE_SECONDS)


class MovableClock:
    def offset_seconds(self) -> int:
        return _offset.get()

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + timedelta(seconds=self.offset_seconds())

    def advance(self, uow: UnitOfWork, seconds: int) -> int:
        """Add `seconds` to the offset in the caller's unit of work (audited); returns the new offset.

        Conditional on the offset read here, so two concurrent advances never lose one another:
        the loser gets 409 and can retry.
        """
        try:
            current = PlatformSetting.get(CLOCK_SETTING, consistent_read=True)
            before = int(current.offset_seconds)
            condition = PlatformSetting.offset_seconds == before
        except PlatformSetting.DoesNotExist:
            before = 0
            condition = PlatformSetting.name.does_not_exist()
        after = before + seconds
        if after > MAX_OFFSET_SECONDS:
            raise ValidationFailed([FieldError(
                "advance_seconds",
                f"the clock is {before} s ahead; it may be at most {MAX_OFFSET_SECONDS} s (ten years) ahead of real time",
            )])
        uow.put(
            PlatformSetting(name=CLOCK_SETTING, offset_seconds=after, updated_at=isoformat_utc(uow.now)),
            condition,
            label="clock",
        )
        uow.audit("platform-setting#clock", "clock.advanced", before={"offset_seconds": before}, after={"offset_seconds": after})
        self.forget()  # the next reading comes from the table, after the commit
        return after

    def forget(self) -> None:
        _offset.forget()

    @staticmethod
    def at_offset(offset_seconds: int) -> datetime:
        return datetime.now(timezone.utc) + timedelta(seconds=offset_seconds)


_movable: MovableClock | None = None


def movable_clock() -> MovableClock:
    """The process's one movable clock (the platform clock itself on local and dev stages)."""
    global _movable
    if _movable is None:
        _movable = MovableClock()
    return _movable
