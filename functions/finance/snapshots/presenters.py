"""Snapshot runs and snapshots as the API answers them; who may see them."""
from __future__ import annotations

from functions.finance.reports.compose import SECTION_WORDS
from functions.finance.snapshots import service
from functions.finance.snapshots.models import CreditSnapshot, SnapshotRun
from functions.finance.snapshots.schemas import (
    CreditSnapshotOut,
    CreditSnapshotsOut,
    SnapshotChangeOut,
    SnapshotFailureOut,
    SnapshotRunOut,
    SnapshotRunsOut,
)
from functions.identity.principal import Principal
from functions.refdata.divisions import CITY
from functions.shared import queues
from functions.shared.clock import parse_optional_instant
from functions.shared.errors import Forbidden, NotFound

SNAPSHOTS_SHOWN = 24  # two years of months


def require_city(caller: Principal) -> None:
    if caller.district != CITY:
        raise Forbidden("The credit snapshots cover the whole city: they are for the city's admins, auditors and supervisors.")


def run(item: SnapshotRun) -> SnapshotRunOut:
    done = len(item.chains_done or ())
    status = "completed" if item.completed_at else "failed" if item.failed_pages else "running"
    return SnapshotRunOut(
        month=item.month, as_of=parse_optional_instant(item.as_of), started_at=parse_optional_instant(item.started_at), last_started_at=parse_optional_instant(item.last_started_at),
        starts=int(item.starts or 0), chains=int(item.chains or 0), chains_done=done, written=int(item.written or 0),
        first=int(item.first or 0), unchanged=int(item.unchanged or 0), pages=int(item.pages or 0),
        failed_pages=int(item.failed_pages or 0),
        failures=[SnapshotFailureOut(district=f.district, segment=int(f.segment or 0), page=int(f.page), error=f.error, at=parse_optional_instant(f.at))
                  for f in (item.failures or [])],
        completed_at=parse_optional_instant(item.completed_at), status=status)


def runs(items: list[SnapshotRun]) -> SnapshotRunsOut:
    return SnapshotRunsOut(items=[run(i) for i in items], queue=queues.stage_name(service.QUEUE),
                           dead_letter_queue=queues.dead_letter_name(service.QUEUE))


def own_snapshots(caller: Principal, uscc: str) -> list[CreditSnapshot]:
    if caller.org_id != uscc.strip().upper():
        raise NotFound(f"No credit snapshots of {uscc} for you.")
    return list(CreditSnapshot.query(caller.org_id, scan_index_forward=False, limit=SNAPSHOTS_SHOWN))


def change(c: dict) -> SnapshotChangeOut:
    zh, en = SECTION_WORDS.get(c["section"], (c["section"], c["section"]))
    return SnapshotChangeOut(entry=c["entry"], section=c["section"], section_zh=zh, section_en=en, change=c["change"])


def snapshots(items: list[CreditSnapshot]) -> CreditSnapshotsOut:
    return CreditSnapshotsOut(items=[
        CreditSnapshotOut(month=s.month, sha256=s.sha256, previous_month=s.previous_month, previous_sha256=s.previous_sha256,
                          size=int(s.size), changes=[change(c) for c in (s.changes or [])],
                          written_at=parse_optional_instant(s.written_at)) for s in items])
