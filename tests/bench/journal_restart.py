"""Restart time of the local stack's moto service: replaying a long journal, and the same state after compaction.

`measure()` returns rows (measurement, baseline name, median seconds, baseline median seconds) for
`tests/bench/run.py`. Each start runs in a fresh child process (`MotoService.start()`, timed inside
the child after imports), as `make run` would restart; the baseline is a start with an empty
journal measured in the same run.

The journal holds 100,000 writes shaped like a real stack's: a table, a few thousand items, and
then mostly updates of those items: PutItem overwrites (how PynamoDB's `save()` updates a model)
and some UpdateItem counters. Entries are written directly in the journal's format (DynamoDB
JSON-protocol requests, as an SDK sends them), because making 100,000 requests over HTTP would
take longer than the measurement. Replaying them is real: moto applies every one.

The uncompacted replay is measured once (it is the long part, about two minutes here); the other
starts are medians of several. `python tests/bench/journal_restart.py` prints the rows.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

WRITES = 100_000
ITEMS = 3_000
UPDATE_ITEM_SHARE = 0.05  # the rest of the updates are PutItem overwrites
EMPTY_STARTS = 5
COMPACTED_STARTS = 3
LAST_RUN: dict = {}  # figures beyond the rows, for a reader of the last run

CHILD = r"""
import json, sys, time
from pathlib import Path

import moto.dynamodb.models, moto.s3.models, moto.sqs.models  # imports are not part of a restart

from infra.local.stack import MotoService

service = MotoService(Path(sys.argv[1]), compact_threshold=0)
started = time.perf_counter()
service.start()
seconds = time.perf_counter() - started
result = {"start_seconds": seconds, "replayed": service.replayed}
from moto.dynamodb.models import dynamodb_backends
tables = dynamodb_backends["123456789012"]["us-east-1"].tables if "123456789012" in dynamodb_backends else {}
if "bench-items" in tables:
    items = tables["bench-items"].all_items()
    result["items"] = len(items)
    result["version_sum"] = sum(int(item.attrs["version"].value) for item in items)
if sys.argv[2] == "compact":
    compacted = time.perf_counter()
    result["compaction"] = service.journal.compact()
    result["compaction_seconds"] = time.perf_counter() - compacted
service.stop()
print(json.dumps(result))
"""


def _write_journal(journal: Path) -> None:
    from infra.local.journal import _dumps, _json_call

    def call(operation: str, payload: dict) -> bytes:
        return _dumps(_json_call("dynamodb", "DynamoDB_20120810." + operation, "us-east-1", "123456789012", payload))

    rng = random.Random(20261129)
    statuses = ["submitted", "accepted", "dispatched", "in_progress", "replied", "closed"]
    versions = [0] * ITEMS

    def item(i: int) -> dict:
        return {
            "pk": {"S": f"appeal#{i:05d}"}, "sk": {"S": "meta"}, "status": {"S": rng.choice(statuses)},
            "unit": {"S": f"unit-{i % 40:02d}"}, "title": {"S": f"关于第{i}号诉求的办理情况"},
            "updated_at": {"S": f"2026-11-{1 + i % 28:02d}T09:{i % 60:02d}:00+08:00"},
            "version": {"N": str(versions[i])},
        }

    with open(journal, "wb") as out:
        out.write(call("CreateTable", {
            "TableName": "bench-items",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"},
                                     {"AttributeName": "unit", "AttributeType": "S"}],
            "GlobalSecondaryIndexes": [{"IndexName": "by-unit", "KeySchema": [{"AttributeName": "unit", "KeyType": "HASH"}],
                                        "Projection": {"ProjectionType": "KEYS_ONLY"}}],
            "BillingMode": "PAY_PER_REQUEST",
        }))
        for i in range(ITEMS):
            out.write(call("PutItem", {"TableName": "bench-items", "Item": item(i)}))
        for _ in range(WRITES - 1 - ITEMS):
            i = rng.randrange(ITEMS)
            versions[i] += 1
            if rng.random() < UPDATE_ITEM_SHARE:
                out.write(call("UpdateItem", {
                    "TableName": "bench-items", "Key": {"pk": {"S": f"appeal#{i:05d}"}, "sk": {"S": "meta"}},
                    "UpdateExpression": "ADD version :one", "ExpressionAttributeValues": {":one": {"N": "1"}},
                }))
            else:
                out.write(call("PutItem", {"TableName": "bench-items", "Item": item(i)}))


def _start(data_dir: Path, mode: str = "start") -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    env.update({"PYTHONPATH": str(ROOT)})
    done = subprocess.run([sys.executable, "-c", CHILD, str(data_dir), mode], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure() -> list[tuple[str, str, float, float]]:
    with tempfile.TemporaryDirectory(prefix="journal-bench-") as scratch:
        scratch_dir = Path(scratch)
        empty = [_start(scratch_dir / f"empty-{n}")["start_seconds"] for n in range(EMPTY_STARTS)]
        baseline = statistics.median(empty)

        data = scratch_dir / "long"
        data.mkdir()
        _write_journal(data / "moto-journal.jsonl")
        journal_bytes = (data / "moto-journal.jsonl").stat().st_size
        full = _start(data, "compact")  # replay all of it, then compact what it built
        assert full["replayed"] == WRITES and full["items"] == ITEMS, full

        compacted = [_start(data) for _ in range(COMPACTED_STARTS)]
        for run in compacted:  # the same state, from a fraction of the entries
            assert (run["items"], run["version_sum"]) == (full["items"], full["version_sum"]), (run, full)
        compacted_median = statistics.median(run["start_seconds"] for run in compacted)
        LAST_RUN.update({
            "journal_entries": WRITES, "journal_bytes": journal_bytes,
            "compacted_entries": compacted[0]["replayed"], "compacted_bytes": full["compaction"]["bytes_after"],
            "compaction_seconds": full["compaction_seconds"], "replay_seconds": full["start_seconds"],
            "compacted_start_seconds": compacted_median, "empty_start_seconds": baseline,
        })
        shutil.rmtree(data, ignore_errors=True)
    return [
        (f"restart: replay a {WRITES:,}-write journal (no compaction)", "start with an empty journal", full["start_seconds"], baseline),
        (f"restart after compaction of that journal ({ITEMS:,} items)", "start with an empty journal", compacted_median, baseline),
    ]


if __name__ == "__main__":
    for name, base_name, value, base_value in measure():
        print(f"{name}: {value:.3f}s  vs  {base_name}: {base_value:.3f}s  ({value / base_value:.1f}x)")
    print(json.dumps(LAST_RUN, indent=2))
