"""Monthly credit snapshots: what the operators and the enterprise see of them."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from functions.shared.schemas import Instant, Schema


class SnapshotFailureOut(Schema):
    district: str
    segment: int = Field(description="the key range of the division's enterprises (its chain of pages)")
    page: int
    error: str
    at: Instant


class SnapshotRunOut(Schema):
    month: str = Field(description="YYYY-MM: the month the snapshots close")
    as_of: Instant = Field(description="the month's end, the instant every snapshot of the run is dated")
    started_at: Instant
    last_started_at: Instant | None = None
    starts: int = Field(description="times the month was started; starting again writes only what is missing")
    chains: int = Field(description="key ranges of the divisions' enterprises paged side by side")
    chains_done: int
    written: int = Field(description="snapshots written")
    first: int = Field(description="…of which the enterprise's first")
    unchanged: int = Field(description="…of which nothing changed since the previous one")
    pages: int = Field(description="pages that wrote snapshots")
    failed_pages: int = Field(description="pages given up after every attempt: in the dead-letter queue")
    failures: list[SnapshotFailureOut]
    completed_at: Instant | None = None
    status: Literal["running", "completed", "failed"]


class SnapshotRunsOut(Schema):
    items: list[SnapshotRunOut]
    queue: str = Field(description="the stage's snapshot queue")
    dead_letter_queue: str = Field(description="where a page that failed every attempt waits (an alarm watches it)")


class SnapshotStartOut(Schema):
    month: str
    again: bool = Field(description="the month had been started before: only what is missing is written")
    messages: int = Field(description="one per chain (a key range of a division), each paging its enterprises")


class SnapshotChangeOut(Schema):
    entry: str = Field(description="<section>:<the entry's own key>")
    section: str
    section_zh: str = Field(description="the report section's title")
    section_en: str
    change: Literal["added", "changed", "removed"]


class CreditSnapshotOut(Schema):
    month: str
    sha256: str = Field(description="SHA-256 of the snapshot's canonical JSON (the stored object)")
    previous_month: str | None = None
    previous_sha256: str | None = Field(default=None, description="the enterprise's previous snapshot: the chain's link")
    size: int
    changes: list[SnapshotChangeOut]
    written_at: Instant


class CreditSnapshotsOut(Schema):
    items: list[CreditSnapshotOut]
