"""Monthly credit snapshots: every enterprise's credit report as of a month's end, kept in the stage's
bucket, each chained to the enterprise's previous one, with what changed. No Chalice.

    start (01:00 Asia/Shanghai on the 1st, or an admin)      snapshot_page (the queue, one page each)
    ── the run record, one message per division ──▶ SQS ──▶ a page of the division's enterprises:
                                                         compose, put the object, record them; the next page

Never walking the population in one invocation: a message is one page (`PAGE_SIZE` enterprises) of one
key range of one division's profiles (`district-index`; `segments`), and each page queues the next of
its range. The ranges' chains run side by side: adding workers (Lambda's concurrency on the queue) is
how it reaches 2.1 M entities; README.md says what that costs.

A page: one GetItem of the run, one Query of the division's index, one BatchGetItem of this month's
and last month's snapshots of those enterprises; then, for each enterprise not yet done this month, a
Query of its latest snapshot when last month has none, the report composed from live data
(reports/service.compose_live: its credit items, paid policy awards and demands, a Query each), and its
object put; then one transaction records the page's snapshots (each only if it does not exist) and
adds to the run's counters.

Re-running changes nothing: an enterprise with a snapshot for the month is skipped before anything is
composed, and a page with nothing new writes nothing. A page that fails is given again by SQS; on its
last attempt (`queues.MAX_RECEIVE_COUNT`) the failure is recorded on the run, and SQS moves it to the
dead-letter queue, where the stage's alarm sees it. Starting the month again re-drives every page: the
pages done are skipped, the failed one is tried again.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Mapping

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import size

from functions.enterprises import service as enterprises
from functions.enterprises.models import EnterpriseProfile
from functions.finance.reports import compose as composer
from functions.finance.reports.service import compose_live
from functions.finance.snapshots.models import CreditSnapshot, Failure, SnapshotRun
from functions.refdata.divisions import BY_CODE, DIVISIONS
from functions.shared import queues
from functions.shared.audit import SYSTEM_ACTOR, UnitOfWork
from functions.shared.bucket import new_client
from functions.shared.clock import SHANGHAI, isoformat_utc
from functions.shared.logs import get_logger
from functions.settings import get_settings

QUEUE = "credit-snapshots"  # short name: queues.stage_name(QUEUE) is the stage's queue
PAGE_SIZE = 25  # enterprises per message: ~100 DynamoDB calls and 25 objects, seconds of a Lambda
FORMAT = "qingdao-credit-snapshot/1"
PREFIX = "credit-snapshots"  # objects: credit-snapshots/<month>/<division>/<uscc>.json
ADDED, CHANGED, REMOVED = "added", "changed", "removed"
_log = get_logger(__name__)


# -- segments: how many chains page the population at once ----------------------------------------------
# Each division's profiles are cut into key ranges of `district-index` (its range key is the credit
# code), and each range is a chain of pages of its own: 18 ranges × 11 divisions = 198 chains the
# queue's consumers run side by side, so adding workers (Lambda concurrency) shortens the run, up to
# 198 at once. Enterprises (91) and individual businesses (92), most of the 2.1 M, are cut by the
# first character of the organisation code; every other kind of code falls in one of two catch-alls.
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100's characters (no I O S V Z)
_GROUPS = tuple((_ORG_CHARS[i], _ORG_CHARS[min(i + 3, len(_ORG_CHARS) - 1)]) for i in range(0, len(_ORG_CHARS), 4))
_LAST = "~"  # sorts after every character of a credit code: a range's inclusive end


def segments(district: str) -> tuple[tuple[str, str], ...]:
    """The (first, last) key ranges, inclusive, that together hold every credit code registered in `district`."""
    ranges = [("0", "90" + _LAST)]  # 11…, 51…, 90…: institutions, social organisations, …
    for kind in ("91", "92"):
        ranges += [(f"{kind}{district}{lo}", f"{kind}{district}{hi}{_LAST}") for lo, hi in _GROUPS]
    ranges.append(("93", "Z" + _LAST))  # 93… (co-operatives) and Y… (others)
    return tuple(ranges)


def chains() -> list[tuple[str, int]]:
    return [(d.code, i) for d in DIVISIONS for i in range(len(segments(d.code)))]


# -- months --------------------------------------------------------------------------------------------
def month_of(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m")


def previous_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + 1}-01" if number == 12 else f"{year}-{number + 1:02d}"


def month_closed_before(now: datetime) -> str:
    """The last month that has ended at `now` (Beijing time): the one a run on the 1st snapshots."""
    return previous_month(month_of(now))


def end_of(month: str) -> datetime:
    """The instant a month ends, 00:00 Beijing time on the next month's 1st: every snapshot of the month is dated so."""
    return datetime.fromisoformat(f"{next_month(month)}-01T00:00:00").replace(tzinfo=SHANGHAI)


# -- the snapshot itself (no I/O) ---------------------------------------------------------------------
def entry_key(section: str, entry: Mapping[str, Any]) -> str:
    """An entry's identity across months: its section, then its own key (a profile field, an imported
    item, an application, a demand)."""
    own = entry.get("field") or entry.get("item_id") or entry.get("application_id") or entry.get("demand_id")
    return f"{section}:{own}"


def digests_of(report: Mapping[str, Any]) -> dict[str, str]:
    """Each entry's content, digested without its `as_of`: a fact confirmed again on a later day is not a change."""
    found = {}
    for section in report["sections"]:
        for entry in section["entries"]:
            content = {k: v for k, v in entry.items() if k != "as_of"}
            found[entry_key(section["key"], entry)] = hashlib.sha256(composer.canonical_json(content)).hexdigest()[:16]
    return found


def changes_between(before: Mapping[str, str] | None, after: Mapping[str, str]) -> list[dict[str, str]]:
    """What changed since the previous snapshot, entry by entry, in key order (the first: all added)."""
    before = before or {}
    changes = []
    for key in sorted(set(before) | set(after)):
        if key not in before:
            change = ADDED
        elif key not in after:
            change = REMOVED
        elif before[key] != after[key]:
            change = CHANGED
        else:
            continue
        changes.append({"entry": key, "section": key.split(":", 1)[0], "change": change})
    return changes


@dataclass(frozen=True)
class Made:
    item: CreditSnapshot
    body: bytes  # the object: the snapshot's canonical JSON


def make_snapshot(uscc: str, district: str, month: str, report: Mapping[str, Any],
                  previous: CreditSnapshot | None, now: datetime) -> Made:
    digests = digests_of(report)
    changes = changes_between(previous.digests if previous is not None else None, digests)
    document = {
        "format": FORMAT, "month": month, "as_of": end_of(month).isoformat(timespec="seconds"), "uscc": uscc,
        "previous": {"month": previous.month, "sha256": previous.sha256} if previous is not None else None,
        "changes": changes, "report": dict(report),
    }
    body = composer.canonical_json(document)
    item = CreditSnapshot(
        uscc=uscc, month=month, district=district, sha256=hashlib.sha256(body).hexdigest(),
        previous_month=previous.month if previous is not None else None,
        previous_sha256=previous.sha256 if previous is not None else None,
        object_key=f"{PREFIX}/{month}/{district}/{uscc}.json", size=len(body), digests=digests, changes=changes,
        written_at=isoformat_utc(now))
    return Made(item, body)


# -- starting a month --------------------------------------------------------------------------------
def start(uow: UnitOfWork) -> dict[str, Any]:
    """Start (or start again) the snapshots of the month that has just ended: the run record and one
    message per chain (a key range of a division), sent once the record is committed."""
    month = month_closed_before(uow.now)
    now = isoformat_utc(uow.now)
    todo = chains()
    try:
        run = SnapshotRun.get(month, consistent_read=True)
        uow.update(run, [SnapshotRun.starts.add(1), SnapshotRun.last_started_at.set(now)], label="run")
        again = True
    except SnapshotRun.DoesNotExist:
        run = SnapshotRun(month=month, as_of=isoformat_utc(end_of(month)), started_at=now, last_started_at=now,
                          starts=1, chains=len(todo))
        uow.put(run, SnapshotRun.month.does_not_exist(), label="run")
        again = False
    uow.audit(f"credit-snapshots#{month}", "finance.snapshots_started", after={"month": month, "again": again})
    messages = [{"month": month, "district": district, "segment": segment, "cursor": None, "page": 1}
                for district, segment in todo]
    uow.after_commit(lambda: queues.send(QUEUE, messages))
    return {"month": month, "again": again, "messages": len(messages)}


# -- one page ----------------------------------------------------------------------------------------
def _latest_before(uscc: str, month: str) -> CreditSnapshot | None:
    return next(iter(CreditSnapshot.query(uscc, CreditSnapshot.month < month, scan_index_forward=False, limit=1)), None)


def _put_object(client: Any, made: Made) -> None:
    client.put_object(Bucket=get_settings().bucket_name, Key=made.item.object_key, Body=made.body,
                      ContentType="application/json; charset=utf-8", Metadata={"sha256": made.item.sha256})


def page_request_id(message: Mapping[str, Any]) -> str:
    seed = json.dumps([message["month"], message["district"], message.get("segment"), message.get("cursor")], sort_keys=True)
    return "snapshot-" + hashlib.sha256(seed.encode()).hexdigest()[:32]


def snapshot_page(message: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    month, district, cursor, page = message["month"], message["district"], message.get("cursor"), int(message.get("page") or 1)
    if district not in BY_CODE:
        raise ValueError(f"not a division of the city: {district!r}")
    segment = int(message["segment"])
    first, last_key = segments(district)[segment]
    chain = f"{district}/{segment}"
    run = SnapshotRun.get(month, consistent_read=True)
    results = EnterpriseProfile.district_index.query(district, EnterpriseProfile.uscc.between(first, last_key),
                                                     limit=PAGE_SIZE, last_evaluated_key=cursor)
    profiles = list(results)
    next_cursor = results.last_evaluated_key if len(profiles) >= PAGE_SIZE else None
    before = previous_month(month)
    keys = [(p.uscc, m) for p in profiles for m in (month, before)]
    known = {(s.uscc, s.month): s for s in CreditSnapshot.batch_get(keys)} if keys else {}
    todo = [p for p in profiles if (p.uscc, month) not in known]
    uow = UnitOfWork(SYSTEM_ACTOR["sub"], SYSTEM_ACTOR["role"], SYSTEM_ACTOR["org_id"], page_request_id(message), now)
    made: list[Made] = []
    if todo:
        bucket = new_client(read_timeout=10)
        as_of = end_of(month)
        for profile in todo:
            previous = known.get((profile.uscc, before)) or _latest_before(profile.uscc, month)
            report = compose_live(profile.uscc, f"SNAP-{month}-{profile.uscc}", as_of, enterprises.stored_facts(profile))
            one = make_snapshot(profile.uscc, district, month, report, previous, now)
            _put_object(bucket, one)  # before its record: a record never names a missing object
            uow.put(one.item, CreditSnapshot.uscc.does_not_exist(), label="snapshot")
            made.append(one)
    actions = []
    if made:
        first = sum(1 for m in made if m.item.previous_sha256 is None)
        unchanged = sum(1 for m in made if m.item.previous_sha256 is not None and not m.item.changes)
        actions += [SnapshotRun.pages.add(1), SnapshotRun.written.add(len(made)), SnapshotRun.first.add(first),
                    SnapshotRun.unchanged.add(unchanged)]
    last = next_cursor is None
    if last and chain not in (run.chains_done or set()):
        actions.append(SnapshotRun.chains_done.add({chain}))
    if actions:
        uow.update(SnapshotRun(month=month), actions, label="run")
        uow.commit()  # a snapshot written meanwhile (a second delivery) fails it all: SQS gives it again
    if last:
        _complete_if_done(month, int(run.chains), now)
    else:
        queues.send(QUEUE, [{"month": month, "district": district, "segment": segment, "cursor": next_cursor,
                             "page": page + 1}])
    return {"seen": len(profiles), "written": len(made), "next": not last}


def _complete_if_done(month: str, chains: int, now: datetime) -> None:
    try:
        SnapshotRun(month=month).update(
            actions=[SnapshotRun.completed_at.set(isoformat_utc(now))],
            condition=(size(SnapshotRun.chains_done) == chains) & SnapshotRun.completed_at.does_not_exist())
    except UpdateError as error:  # chains still under way, or completed before: nothing to do
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


# -- the queue's handler -----------------------------------------------------------------------------
def record_failure(message: Mapping[str, Any], error: BaseException, now: datetime) -> None:
    """A page given up: counted on its run and listed, for the operators' page (best effort: the
    dead-letter queue and its alarm have it anyway)."""
    failure = Failure(district=str(message.get("district")), segment=int(message.get("segment") or 0),
                      page=int(message.get("page") or 1), error=f"{type(error).__name__}: {error}"[:300], at=isoformat_utc(now))
    try:
        SnapshotRun(month=str(message["month"])).update(
            actions=[SnapshotRun.failed_pages.add(1), SnapshotRun.failures.set((SnapshotRun.failures | []).append([failure]))],
            condition=SnapshotRun.month.exists())
    except Exception:  # noqa: BLE001
        _log.exception("could not record a failed snapshot page")


def handle(records: Iterable[tuple[str, str, Mapping[str, Any]]], now: datetime) -> dict[str, list[dict[str, str]]]:
    """A batch of (message id, body, SQS attributes): each page on its own; a page that fails is
    reported (SQS gives it again), and on its last attempt recorded on its run."""
    failures = []
    for message_id, body, attributes in records:
        try:
            message = json.loads(body)
        except ValueError:
            _log.error("a credit snapshot message that is not JSON", extra={"fields": {"message_id": message_id}})
            failures.append({"itemIdentifier": message_id})
            continue
        try:
            snapshot_page(message, now)
        except Exception as error:  # noqa: BLE001 - one page must not fail the batch
            _log.exception("credit snapshot page failed", extra={"fields": {"message_id": message_id}})
            if queues.is_last_attempt(attributes) and isinstance(message, dict) and "month" in message:
                record_failure(message, error, now)
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}


# -- reading ------------------------------------------------------------------------------------------
def runs(limit: int = 12) -> list[SnapshotRun]:
    """The latest runs, newest first (one Query)."""
    from functions.finance.snapshots.models import RUNS

    return list(SnapshotRun.all_index.query(RUNS, scan_index_forward=False, limit=limit))


def run_of(month: str) -> SnapshotRun | None:
    try:
        return SnapshotRun.get(month, consistent_read=True)
    except SnapshotRun.DoesNotExist:
        return None

