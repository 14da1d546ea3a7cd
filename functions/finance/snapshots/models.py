"""Monthly credit snapshots: each enterprise's report as of the end of a month, chained month to month,
and the record of each month's run.

Access patterns (every read is a GetItem, a BatchGetItem or a Query; nothing walks a table)
| pattern                                                        | key / index                                   | call |
|----------------------------------------------------------------|-----------------------------------------------|------|
| this month's and last month's snapshots of a page of enterprises | finance-credit-snapshots: `uscc`, `month`   | BatchGetItem (2 keys each) |
| an enterprise's latest snapshot before a month (a gap in its chain) | `uscc`, `month` < m, newest first, 1       | Query |
| an enterprise's snapshots, newest first (its page)             | `uscc`                                        | Query |
| record a page's new snapshots                                  | `uscc`, `month` must not exist                | TransactWriteItems with the run's counters |
| a month's run                                                  | finance-snapshot-runs: `month`                | GetItem; counters by UpdateItem ADD |
| the latest runs (the operators' page)                          | `runs`="snapshot-runs", `month`, newest first | Query of `all-index` |

A snapshot's content is in the stage's bucket (`object_key`: the canonical JSON whose SHA-256 is
`sha256`); the item keeps what chaining and comparing need: the hash, the previous one, a digest of
each entry of the report (to list what changed next month) and that list.
"""
from __future__ import annotations

from pynamodb.attributes import JSONAttribute, ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name

RUNS = "snapshot-runs"  # the one partition of the runs' index


class CreditSnapshot(Model):
    class Meta(BaseMeta):
        table_name = table_name("finance-credit-snapshots")

    uscc = UnicodeAttribute(hash_key=True)
    month = UnicodeAttribute(range_key=True)  # "YYYY-MM": the month it closes
    district = UnicodeAttribute()
    sha256 = UnicodeAttribute()  # of the object's bytes (the snapshot's canonical JSON)
    previous_month = UnicodeAttribute(null=True)
    previous_sha256 = UnicodeAttribute(null=True)  # the link of the chain; None for the first
    object_key = UnicodeAttribute()
    size = NumberAttribute()
    digests = JSONAttribute(default=dict)  # entry key → its content's digest (16 hex)
    changes = JSONAttribute(default=list)  # [{"entry", "section", "change": added|changed|removed}]
    written_at = UnicodeAttribute()


class Failure(MapAttribute):
    district = UnicodeAttribute()
    segment = NumberAttribute(default=0)
    page = NumberAttribute()
    error = UnicodeAttribute()
    at = UnicodeAttribute()


class AllRunsIndex(GlobalSecondaryIndex["SnapshotRun"]):
    class Meta:
        index_name = "all-index"
        projection = AllProjection()

    runs = UnicodeAttribute(hash_key=True)
    month = UnicodeAttribute(range_key=True)


class SnapshotRun(Model):
    class Meta(BaseMeta):
        table_name = table_name("finance-snapshot-runs")

    month = UnicodeAttribute(hash_key=True)
    runs = UnicodeAttribute(default=RUNS)
    as_of = UnicodeAttribute()  # the month's end: the instant every snapshot of the month is dated
    started_at = UnicodeAttribute()
    starts = NumberAttribute(default=0)  # how many times it was started (a re-run writes nothing new)
    last_started_at = UnicodeAttribute(null=True)
    chains = NumberAttribute(default=0)  # key ranges of divisions it pages through side by side (service.segments)
    chains_done = UnicodeSetAttribute(null=True)  # "<division>/<range>" whose last page is done
    pages = NumberAttribute(default=0)  # pages that wrote something
    written = NumberAttribute(default=0)  # snapshots written
    unchanged = NumberAttribute(default=0)  # …of them with nothing changed since the previous one
    first = NumberAttribute(default=0)  # …of them the enterprise's first
    failed_pages = NumberAttribute(default=0)  # pages given up (in the dead-letter queue)
    failures = ListAttribute(of=Failure, null=True)
    completed_at = UnicodeAttribute(null=True)

    all_index = AllRunsIndex()
