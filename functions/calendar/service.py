"""The calendar's glue: the calendar with its loaded notices, loading a notice, and SLA clocks.

- `get_calendar()` builds a `WorkingDayCalendar` from the stored notices, cached per process for
  `CALENDAR_CACHE_SECONDS` (a notice loaded by another process shows up within that time).
- `load_notice()` stores a year's notice and recomputes the open clocks that rested on the
  derived (provisional) version of that year.
- `compute_due()` is the one function that turns a clock rule into a deadline; `new_clock()`,
  `recompute_clock()` and `grant_extension()` keep a clock's due date and index keys in step.
"""
from __future__ import annotations

import json
import uuid

import re
from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist, PutError

from functions.calendar.engine import PACKAGE_YEARS, Deadline, WorkingDayCalendar
from functions.calendar.models import DEFAULT_WARN_FRACTION, NOTICE_KIND, CalendarNotice, SlaClock, utc_stamp
from functions.calendar.notices import YearNotice, dump_notice, notice_to_dict, parse_notice, validate_notice
from functions.identity.principal import ADMIN, Principal
from functions.refdata.divisions import CITY
from functions.shared.audit import UnitOfWork
from functions.shared.cache import ProcessCache
from functions.shared.clock import get_clock
from functions.shared.errors import Conflict, FieldError, Forbidden, ValidationFailed

CALENDAR_CACHE_SECONDS = 60

# Four digits: 9999 hours or days is far beyond any legal period, and bounds the day-by-day count.
_RULE = re.compile(r"^(hours|working_days|days):([1-9][0-9]{0,3})$")
MAX_EXTRA_WORKING_DAYS = 366


# -- the calendar -------------------------------------------------------------------------------


class _CalendarSlot:
    """The process's calendar and the platform time it was built at.

    Its lifetime is on the platform clock, not on `time.monotonic()`: the calendar answers for a
    given `now`, and a demo clock moved forward (or back) must rebuild it.
    """

    def __init__(self) -> None:
        self.built: tuple[datetime, WorkingDayCalendar] | None = None

    def calendar_at(self, now: datetime) -> WorkingDayCalendar:
        built = self.built
        if built is not None:
            built_at, calendar = built
            # Also rebuilt when `now` is before the build: a demo clock moved back must not pin it.
            if built_at <= now < built_at + timedelta(seconds=CALENDAR_CACHE_SECONDS):
                return calendar
        calendar = WorkingDayCalendar(stored_notices())
        self.built = (now, calendar)
        return calendar


# The slot is a registered process cache, so `invalidate_calendar_cache()` and `clear_all()` drop it.
_calendar_slot: ProcessCache[_CalendarSlot] = ProcessCache("calendar.working_day_calendar", _CalendarSlot)


def get_calendar(now: datetime | None = None) -> WorkingDayCalendar:
    """The calendar with every loaded notice; rebuilt when the cached one is older than the TTL."""
    return _calendar_slot.get().calendar_at(now or get_clock().now())


def invalidate_calendar_cache() -> None:
    _calendar_slot.forget()


def stored_notice_records() -> list[CalendarNotice]:
    """Every loaded notice with who loaded it and when, by year: one Query on their single partition."""
    return list(CalendarNotice.query(NOTICE_KIND, consistent_read=True))


def stored_notices() -> dict[int, YearNotice]:
    """Every loaded notice, by year."""
    return {int(item.year): parse_notice(item.notice) for item in stored_notice_records()}


def get_stored_notice(year: int) -> CalendarNotice | None:
    try:
        return CalendarNotice.get(NOTICE_KIND, year, consistent_read=True)
    except DoesNotExist:
        return None


def stage_notice(uow: UnitOfWork, notice: YearNotice, loaded_by: str) -> None:
    """Add the storing of `notice` (replacing that year's earlier one), its audit record and its
    outbox message to `uow`. After the commit, `settle_notice` recomputes the clocks it settles.

    The put carries the version condition, so a concurrent load of the same year makes the commit
    fail with Conflict; retrying is safe.
    """
    validate_notice(notice)
    if not loaded_by.strip():
        raise ValidationFailed([FieldError(field="loaded_by", message="must not be empty")])
    item = get_stored_notice(notice.year)
    before = json.loads(item.notice) if item is not None else None
    if item is None:
        item = CalendarNotice(kind=NOTICE_KIND, year=notice.year)
    item.notice = dump_notice(notice, indent=None)
    item.loaded_at = utc_stamp(uow.now)
    item.loaded_by = loaded_by
    uow.put(item, label="calendar-notice")
    uow.audit(f"calendar-notice#{notice.year}", "calendar.notice_loaded", before=before, after=notice_to_dict(notice))
    uow.emit("calendar.notice_loaded", {"year": notice.year, "source": notice.source}, recipients=[f"user:{loaded_by}"])


def load_year_notice(uow: UnitOfWork, caller: Principal, year: str, notice: YearNotice) -> int:
    """A city administrator loads (or replaces) a year's notice: it is stored with its audit record
    and outbox message in `uow`, and once committed the open provisional clocks it settles are
    recomputed (the `settle_notices` job does it again if that is interrupted). Returns how many
    open provisional clocks the notice settles."""
    if caller.role != ADMIN or caller.district != CITY:
        raise Forbidden("Only a city administrator loads the national holiday calendar.")
    if str(notice.year) != year:
        raise ValidationFailed([FieldError("year", f"the body is for {notice.year} but the path says {year}")])
    stage_notice(uow, notice, loaded_by=caller.sub)
    uow.after_commit(lambda: settle_notice(notice.year, uow.now))
    calendar = get_calendar(uow.now)
    return sum(1 for filed_under in _filed_under(calendar, notice.year)
               for clock in SlaClock.provisional_index.query(str(filed_under)) if clock.is_open)


def settle_loaded_notices(now: datetime) -> dict[str, int]:
    """The job behind `load_year_notice`: recompute open provisional clocks of every year whose notice
    is loaded (one Query per such year; none left to do is the usual answer)."""
    calendar = get_calendar(now)
    years = [int(r.year) for r in stored_notice_records() if int(r.year) >= PACKAGE_YEARS.stop]
    changed = sum(recompute_provisional_clocks(calendar, year) for year in years)
    return {"seen": len(years), "changed": changed}


def settle_notice(year: int, now: datetime) -> int:
    """After a notice of `year` committed: recompute the open provisional clocks it settles."""
    invalidate_calendar_cache()
    return recompute_provisional_clocks(get_calendar(now), year)


def load_notice(notice: YearNotice, loaded_by: str, now: datetime) -> int:
    """Store `notice` in its own transaction and recompute the clocks it settles (operator scripts,
    tests). Returns how many clocks were rewritten."""
    uow = UnitOfWork(loaded_by, "admin", "platform", f"notice-{notice.year}-{uuid.uuid4().hex}", now)
    stage_notice(uow, notice, loaded_by)
    uow.commit()
    return settle_notice(notice.year, now)


def _filed_under(calendar: WorkingDayCalendar, year: int) -> list[int]:
    """The provisional years whose clocks a notice of `year` may settle: `year`, and earlier derived
    years (a deadline filed under one may have counted into `year` too)."""
    return [*(y for y in range(PACKAGE_YEARS.stop, year) if not calendar.known_year(y)), year]


def recompute_provisional_clocks(calendar: WorkingDayCalendar, year: int) -> int:
    """Recompute the open clocks filed under `year` in `provisional-index` (and under earlier
    derived years, which may have counted into `year` too). Returns how many were rewritten.

    Each write is conditional on the clock's version and on it still being open; a clock that
    changed meanwhile is skipped, since whoever changed it computed its deadline afresh.
    """
    rewritten = 0
    for filed_under in _filed_under(calendar, year):
        for clock in SlaClock.provisional_index.query(str(filed_under)):
            if not clock.is_open:  # the index lags the table; the condition below is the real guard
                continue
            if not recompute_clock(calendar, clock):
                continue
            try:
                clock.save(condition=SlaClock.met_at.does_not_exist())
            except PutError as error:
                if error.cause_response_code == "ConditionalCheckFailedException":
                    continue
                raise
            rewritten += 1
    return rewritten


# -- rules and clocks ---------------------------------------------------------------------------


def parse_rule(rule: str) -> tuple[str, int]:
    """"working_days:15" → ("working_days", 15). Kinds: hours (wall clock), working_days, days."""
    match = _RULE.match(rule) if isinstance(rule, str) else None
    if match is None:
        raise ValidationFailed(
            [FieldError(field="rule", message='expected "hours:N", "working_days:N" or "days:N" with N from 1 to 9999')]
        )
    return match.group(1), int(match.group(2))


def compute_due(
    calendar: WorkingDayCalendar, rule: str, started_at: datetime, extra_working_days: int = 0
) -> Deadline:
    """The deadline of `rule` started at `started_at`, plus granted extensions.

    An extension of k working days runs from the day the original period ended: for a
    working-day rule that is simply n + k working days; for the other kinds the deadline becomes
    the end of the k-th working day after the day on which the original deadline fell.
    """
    kind, n = parse_rule(rule)
    if isinstance(extra_working_days, bool) or not isinstance(extra_working_days, int) or not (
        0 <= extra_working_days <= MAX_EXTRA_WORKING_DAYS
    ):
        raise ValidationFailed(
            [FieldError(field="extra_working_days", message=f"a whole number from 0 to {MAX_EXTRA_WORKING_DAYS}")]
        )
    if kind == "working_days":
        return calendar.add_working_days(started_at, n + extra_working_days)
    base = calendar.add_hours(started_at, n) if kind == "hours" else calendar.add_days(started_at, n)
    if not extra_working_days:
        return base
    # An exclusive end at 00:00 means the period's last day was the day before; 1 µs earlier lands on it.
    extended = calendar.add_working_days(base.due - timedelta(microseconds=1), extra_working_days)
    years = tuple(sorted({*base.provisional_years, *extended.provisional_years}))
    return Deadline(due=extended.due, provisional=bool(years), provisional_years=years)


def new_clock(
    calendar: WorkingDayCalendar,
    owner: str,
    name: str,
    rule: str,
    started_at: datetime,
    warn_fraction: float | None = DEFAULT_WARN_FRACTION,
) -> SlaClock:
    """A clock with its deadline computed, not yet saved (save it, or put it in a unit of work)."""
    # Stored starts have whole seconds; computing from the stored form makes a recompute agree.
    started = started_at.replace(microsecond=0)
    clock = SlaClock(
        owner=owner, name=name, rule=rule, started_at=utc_stamp(started), extra_working_days=0, warn_fraction=warn_fraction
    )
    clock.set_deadline(compute_due(calendar, rule, started))
    return clock


def recompute_clock(calendar: WorkingDayCalendar, clock: SlaClock) -> bool:
    """Recompute the clock's deadline on the item; True when anything stored changed (then save it)."""
    def stored():
        return (clock.due, clock.provisional, clock.provisional_year, clock.due_shard, clock.next_check, clock.attention)

    before = stored()
    clock.set_deadline(compute_due(calendar, clock.rule, clock.started, int(clock.extra_working_days or 0)))
    return stored() != before


def grant_extension(calendar: WorkingDayCalendar, clock: SlaClock, working_days: int) -> SlaClock:
    """Extend an open clock by `working_days` more working days, on the item (then save it)."""
    if not clock.is_open:
        raise Conflict("The clock is already met; it cannot be extended.")
    if isinstance(working_days, bool) or not isinstance(working_days, int) or working_days < 1:
        raise ValidationFailed([FieldError(field="working_days", message="a whole number of at least 1")])
    total = int(clock.extra_working_days or 0) + working_days
    deadline = compute_due(calendar, clock.rule, clock.started, total)  # validates before changing the item
    clock.extra_working_days = total
    clock.set_deadline(deadline)
    return clock
