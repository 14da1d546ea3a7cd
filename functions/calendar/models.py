"""Tables of the calendar: loaded holiday notices, and the SLA clocks of every platform.

Access patterns (every read is a GetItem or a Query; nothing scans a table)
| pattern                                    | key / index                                          | call    |
|--------------------------------------------|------------------------------------------------------|---------|
| one year's notice                          | calendar-notices: `kind`="notice", `year`            | GetItem |
| every loaded notice (to build the calendar)| calendar-notices: `kind`="notice"                    | Query   |
| the clocks of one object (appeal, claim)   | sla-clocks: `owner`                                  | Query   |
| one clock                                  | sla-clocks: `owner`, `name`                          | GetItem |
| open clocks needing action by t (sweeper)  | GSI `due-index`: `due_shard`, `next_check` <= t      | Query per shard |
| open provisional clocks of a derived year  | GSI `provisional-index`: `provisional_year`, `owner` | Query   |
| a kind's open clocks past breach or warning, most urgent first (a supervisor's view) | GSI `attention-index`: `attention` ("appeal#breached" / "appeal#warned"), `due` | Query |

The GSIs are sparse: `due_shard` is set only while a clock is neither met nor breached (the
sweeper has nothing left to do with it after a breach), `provisional_year` only while it is open and
provisional (the first derived year it counted through), `attention` only while a watched clock (one
with a warning fraction) is open and breached, or warned for its current deadline (an extension moves
the warning moment past the warning sent, and the clock leaves the near-breach list). `next_check` is the next moment the sweeper
must act: the warning moment (a fraction of the period, 80% by default) until the warning is sent,
then the due moment.

Notices are few (one per year), so they share one partition and listing them is one Query.

Both GSIs project ALL attributes: each consumer needs the whole clock (the sweeper its rule and
warned/breached marks, the recompute its start, rule, extensions and version), clocks are a few
hundred bytes, and KEYS_ONLY would cost a GetItem per hit. Billing is on demand (BaseMeta), so the
indexes need no capacity units.

Instants are stored as UTC ISO-8601 strings at whole seconds with a Z ("2027-01-11T16:00:00Z"):
fixed width, so they sort as they compare and `due <= now` works on the string.
"""
from __future__ import annotations

import zlib
from datetime import datetime, timezone

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from functions.calendar.engine import SHANGHAI, Deadline
from functions.shared.models import BaseMeta, table_name

NOTICE_KIND = "notice"

# Open clocks could be spread over several partitions of `due-index`; the sweeper queries each of
# `due_shards()`. One shard keeps an idle sweep at one Query (the appeals budget) and one partition
# takes ~1,000 writes a second, far above a city's appeal traffic; raise it if that ever changes.
# A clock's shard is a hash of its key, so it never moves.
DUE_SHARDS = 1
DEFAULT_WARN_FRACTION = 0.8


def utc_stamp(moment: datetime) -> str:
    """The storage form of an instant: UTC, whole seconds (truncated), Z. Sorts as it compares."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: every instant must carry its UTC offset")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc_stamp(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def shanghai_iso(stamp: str | None) -> str | None:
    """A stored instant as people and the API see it: ISO 8601 in +08:00."""
    return parse_utc_stamp(stamp).astimezone(SHANGHAI).isoformat() if stamp else None


def due_shards() -> list[str]:
    return [f"due#{i}" for i in range(DUE_SHARDS)]


def due_shard_for(owner: str, name: str) -> str:
    return f"due#{zlib.crc32(f'{owner}#{name}'.encode()) % DUE_SHARDS}"


class CalendarNotice(Model):
    """A loaded State Council holiday notice for one year; it overrides chinese_calendar for that year."""

    class Meta(BaseMeta):
        table_name = table_name("calendar-notices")

    kind = UnicodeAttribute(hash_key=True, default=NOTICE_KIND)
    year = NumberAttribute(range_key=True)
    notice = UnicodeAttribute()  # the notice file's JSON, as `notices.dump_notice` writes it
    loaded_at = UnicodeAttribute()  # utc_stamp
    loaded_by = UnicodeAttribute()
    version = VersionAttribute()


class DueIndex(GlobalSecondaryIndex["SlaClock"]):
    class Meta:
        index_name = "due-index"
        projection = AllProjection()

    due_shard = UnicodeAttribute(hash_key=True)
    next_check = UnicodeAttribute(range_key=True)


class ProvisionalIndex(GlobalSecondaryIndex["SlaClock"]):
    class Meta:
        index_name = "provisional-index"
        projection = AllProjection()

    provisional_year = UnicodeAttribute(hash_key=True)
    owner = UnicodeAttribute(range_key=True)


class AttentionIndex(GlobalSecondaryIndex["SlaClock"]):
    class Meta:
        index_name = "attention-index"
        projection = AllProjection()

    attention = UnicodeAttribute(hash_key=True)
    due = UnicodeAttribute(range_key=True)


BREACHED = "breached"
WARNED = "warned"


def attention_key(owner_kind: str, state: str) -> str:
    """The `attention-index` partition of one kind's clocks in one state: "appeal#breached"."""
    return f"{owner_kind}#{state}"


class SlaClock(Model):
    """One deadline of one object: `owner` "appeal#A123", `name` "resolve_by".

    Keep the sparse index keys right by changing deadlines only through `set_deadline` and meeting
    a clock only through `mark_met` / `met_actions`.
    """

    class Meta(BaseMeta):
        table_name = table_name("sla-clocks")

    owner = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute(range_key=True)
    started_at = UnicodeAttribute()  # utc_stamp
    rule = UnicodeAttribute()  # "hours:2" | "working_days:15" | "days:7"
    extra_working_days = NumberAttribute(default=0)  # granted extensions, in working days
    due = UnicodeAttribute()  # utc_stamp of the exclusive end
    provisional = BooleanAttribute(default=False)
    met_at = UnicodeAttribute(null=True)
    breached_at = UnicodeAttribute(null=True)
    warned_at = UnicodeAttribute(null=True)
    # Warn when this fraction of the period has passed; None: no warning for this clock.
    warn_fraction = NumberAttribute(null=True)
    warn_at = UnicodeAttribute(null=True)
    next_check = UnicodeAttribute(null=True)
    # Sparse index keys: present only while the clock is open (and, for the second, provisional).
    due_shard = UnicodeAttribute(null=True)
    provisional_year = UnicodeAttribute(null=True)
    attention = UnicodeAttribute(null=True)
    version = VersionAttribute()

    due_index = DueIndex()
    provisional_index = ProvisionalIndex()
    attention_index = AttentionIndex()

    @property
    def is_open(self) -> bool:
        return self.met_at is None

    @property
    def due_at(self) -> datetime:
        return parse_utc_stamp(self.due)

    @property
    def started(self) -> datetime:
        return parse_utc_stamp(self.started_at)

    def set_deadline(self, deadline: Deadline) -> None:
        self.due = utc_stamp(deadline.due)
        self.provisional = deadline.provisional
        if self.warn_fraction:
            started = self.started
            self.warn_at = utc_stamp(started + (deadline.due - started) * float(self.warn_fraction))
        else:
            self.warn_at = None
        self._refresh_index_keys(deadline.provisional_years)

    @property
    def is_breached(self) -> bool:
        return self.breached_at is not None

    def mark_warned(self, at: datetime) -> None:
        self.warned_at = utc_stamp(at)
        self._refresh_index_keys(self._provisional_years())

    def mark_breached(self, at: datetime) -> None:
        """Record the breach (at the due moment, whenever the sweeper noticed); leaves the sweep index."""
        self.breached_at = self.due if parse_utc_stamp(self.due) <= at else utc_stamp(at)
        self._refresh_index_keys(self._provisional_years())

    def reindex(self) -> None:
        """Recompute the sparse index keys from the clock's state (after an index is added to a
        table that already holds clocks: infra/local `add_missing_indexes`)."""
        self._refresh_index_keys(self._provisional_years())

    def _provisional_years(self) -> tuple[int, ...]:
        return (int(self.provisional_year),) if self.provisional_year else ()

    def mark_met(self, at: datetime) -> None:
        """Meet the clock on this item (then `save()`); it leaves both indexes."""
        self.met_at = utc_stamp(at)
        self._refresh_index_keys(())

    def met_actions(self, at: datetime) -> list:
        """The same as `mark_met`, as update actions for `update()` or a unit of work."""
        return [
            SlaClock.met_at.set(utc_stamp(at)),
            SlaClock.due_shard.remove(),
            SlaClock.next_check.remove(),
            SlaClock.provisional_year.remove(),
            SlaClock.attention.remove(),
        ]

    def _refresh_index_keys(self, provisional_years: tuple[int, ...]) -> None:
        if self.is_open:
            # Filed under the first derived year: loading that year's notice is what recomputes it.
            self.provisional_year = str(provisional_years[0]) if provisional_years else None
        else:
            self.provisional_year = None
        if self.is_open and not self.is_breached:
            self.due_shard = due_shard_for(self.owner, self.name)
            warn_pending = self.warn_at and not self.warned_at and self.warn_at < self.due
            self.next_check = self.warn_at if warn_pending else self.due
        else:
            self.due_shard = None
            self.next_check = None
        self.attention = self._attention()

    def _attention(self) -> str | None:
        if not self.is_open or self.warn_fraction is None:
            return None  # met, or a clock nobody is warned about (an appeal's auto-close)
        kind = self.owner.split("#", 1)[0]
        if self.is_breached:
            return attention_key(kind, BREACHED)
        if self.warned_at and self.warn_at and self.warned_at >= self.warn_at:
            return attention_key(kind, WARNED)
        return None
