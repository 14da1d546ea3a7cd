"""Monthly credit snapshots: throughput of one worker, and what 2.1 M market entities a month cost.

In-process on moto: the demo data plus `ENTERPRISES` synthetic profiles in one district (valid credit
codes), a third of them with public credit items. One worker (this thread) takes the queue's pages as
Lambda would (`service.snapshot_page`, the next page's message collected instead of sent), against a
baseline measured in the same run: composing the same enterprises' reports and their canonical JSON
with nothing stored (`compose_live`), which is the work a snapshot cannot avoid.

The DynamoDB and S3 calls per enterprise are counted, not estimated: the cost on paper multiplies them
by AWS's on-demand list prices (us-east-1, USD; the China regions list similar figures in CNY).
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

ENTERPRISES = 300
DISTRICT = "370212"  # 崂山区
POPULATION = 2_100_000
# AWS on-demand list prices, us-east-1, USD (2026): DynamoDB per million write / read request units;
# S3 PUT per thousand, storage per GB-month; Lambda per GB-second and per million requests; SQS per million.
PRICE = {"wru": 1.25, "rru": 0.25, "s3_put_k": 0.005, "s3_gb_month": 0.023, "lambda_gb_s": 0.0000166667,
         "lambda_req_m": 0.20, "sqs_req_m": 0.40}
LAMBDA_GB = 0.5
AWS_CALL_SECONDS = 0.008  # a DynamoDB or S3 call from Lambda in the same region, typical latency


@dataclass
class SnapshotResult:
    enterprises: int
    worker_seconds: float
    baseline_seconds: float
    calls: Counter
    object_bytes: float
    item_bytes: float
    rerun_seconds: float
    pages: int


def _codes(count: int) -> list[str]:
    from stdnum.cn import uscc

    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    codes = []
    for n in range(count):
        body = f"91{DISTRICT}" + chars[n % len(chars)] + f"{n:08d}"
        codes.append(body + uscc.calc_check_digit(body))
    return codes


def measure() -> SnapshotResult:
    from moto import mock_aws
    from pynamodb.connection.base import Connection

    with mock_aws():
        import boto3

        from functions.enterprises.models import EnterpriseProfile, SourcedNumber, SourcedText
        from functions.finance.reports import compose
        from functions.finance.reports.models import CreditItem
        from functions.finance.reports.service import compose_live
        from functions.finance.snapshots import service
        from functions.finance.snapshots.models import CreditSnapshot
        from functions.platform.seed import load_demo_data
        from functions.settings import get_settings
        from functions.shared import queues
        from functions.shared.audit import SYSTEM_ACTOR, UnitOfWork
        from functions.shared.clock import FixedClock, set_clock
        from functions.tables import all_models

        now = datetime(2026, 12, 1, 1, tzinfo=timezone.utc)
        for model in all_models():
            if not model.exists():
                model.create_table(wait=True)
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=get_settings().bucket_name)
        set_clock(FixedClock(now))
        try:
            load_demo_data()
            codes = _codes(ENTERPRISES)
            for n, code in enumerate(codes):
                EnterpriseProfile(uscc=code, district=DISTRICT, updated_at="2026-11-01T00:00:00Z",
                                  name=SourcedText(value=f"青岛崂山测试企业{n:04d}有限公司", source="imported", as_of="2026-10-01"),
                                  employees=SourcedNumber(value=20 + n % 300, source="imported", as_of="2026-10-01")).save()
                if n % 3 == 0:
                    CreditItem(uscc=code, item_id="tax_credit", kind="tax_credit", source="国家税务总局青岛市税务局",
                               as_of="2026-04-30", data={"rating": "A", "year": 2025}, imported_at="2026-05-01T00:00:00Z",
                               imported_by="bench").save()

            # Baseline: the reports alone.
            started = time.perf_counter()
            for code in codes:
                compose.canonical_json(compose_live(code, f"SNAP-2026-11-{code}", service.end_of("2026-11")))
            baseline = time.perf_counter() - started

            run = UnitOfWork(SYSTEM_ACTOR["sub"], SYSTEM_ACTOR["role"], SYSTEM_ACTOR["org_id"], "bench-snapshots", now)
            sent: list[dict] = []
            queues_send = queues.send
            queues.send = lambda short, messages: sent.extend(messages)
            calls: Counter = Counter()
            original = Connection._make_api_call

            def counting(connection, operation, kwargs):
                calls[operation] += 1
                return original(connection, operation, kwargs)

            Connection._make_api_call = counting
            try:
                service.start(run)
                run.commit()
                todo = [m for m in sent if m["district"] == DISTRICT]
                sent.clear()
                calls.clear()

                def drain(messages: list[dict]) -> int:
                    pages = 0
                    while messages:
                        message = messages.pop()
                        service.snapshot_page(message, now)
                        pages += 1
                        messages += sent
                        sent.clear()
                    return pages

                started = time.perf_counter()
                pages = drain(list(todo))
                worker = time.perf_counter() - started
                counted = Counter(calls)
                started = time.perf_counter()
                drain(list(todo))  # the month again: nothing new
                rerun = time.perf_counter() - started
            finally:
                Connection._make_api_call = original
                queues.send = queues_send
            written = [s for code in codes for s in CreditSnapshot.query(code)]
            assert len(written) == ENTERPRISES, len(written)
            object_bytes = sum(s.size for s in written) / len(written)
            item_bytes = sum(len(str(s.digests)) + len(str(s.changes)) + 300 for s in written) / len(written)
        finally:
            set_clock(None)
    s3_puts = ENTERPRISES  # one object each (counted by the page code: not a DynamoDB call)
    counted["S3 PutObject"] = s3_puts
    return SnapshotResult(ENTERPRISES, worker, baseline, counted, object_bytes, item_bytes, rerun, pages)


def markdown(result: SnapshotResult) -> list[str]:
    n = result.enterprises
    per = {op: count / n for op, count in sorted(result.calls.items())}
    per_second = n / result.worker_seconds
    lines = [
        "## Monthly credit snapshots (one worker)",
        "",
        f"In-process on moto: {n} synthetic enterprises of one district (a third with public credit items) and the "
        "demo data; one worker takes the queue's pages (25 enterprises each) in turn. Baseline, in the same run: "
        "composing the same reports and their canonical JSON with nothing stored.",
        "",
        "| measurement | baseline | per enterprise | baseline per enterprise | ratio | enterprises/s |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
        f"| snapshot (compose, object, record, counters) | compose + canonical JSON | "
        f"{result.worker_seconds / n * 1000:.2f} ms | {result.baseline_seconds / n * 1000:.2f} ms | "
        f"{result.worker_seconds / result.baseline_seconds:.1f}× | {per_second:,.0f} |",
        f"| the month again (nothing written) | compose + canonical JSON | {result.rerun_seconds / n * 1000:.2f} ms | "
        f"{result.baseline_seconds / n * 1000:.2f} ms | {result.rerun_seconds / result.baseline_seconds:.2f}× | "
        f"{n / result.rerun_seconds:,.0f} |",
        "",
        f"Calls per enterprise, counted ({result.pages} pages): "
        + ", ".join(f"{op} {v:.2f}" for op, v in per.items())
        + f". Object {result.object_bytes / 1024:.1f} KiB; record ≈ {result.item_bytes / 1024:.1f} KiB.",
        "",
    ]
    # The cost on paper of POPULATION a month.
    m = POPULATION
    calls_per = sum(v for op, v in per.items() if op != "S3 PutObject")
    write_units = m * (2 * max(1, round(result.item_bytes / 1024 + 0.5)))  # a transactional write costs twice
    write_units += m / 25 * 2 * 2  # the run's counters, once per page, in the same transaction
    read_units = m * calls_per * 0.5  # eventually consistent reads of small items, ~0.5 RRU each
    s3_put = m * PRICE["s3_put_k"] / 1000
    storage_gb = m * result.object_bytes / 1024 ** 3
    lambda_seconds = m * (calls_per + 1) * AWS_CALL_SECONDS + m * result.baseline_seconds / n
    invocations = m / 25 / 2  # batch size 2
    rows = [
        ("DynamoDB writes", f"{write_units / 1e6:.1f} M WRU", write_units / 1e6 * PRICE["wru"]),
        ("DynamoDB reads", f"{read_units / 1e6:.1f} M RRU", read_units / 1e6 * PRICE["rru"]),
        ("S3 PUT", f"{m / 1e6:.1f} M objects", s3_put),
        ("S3 storage, the month's objects", f"{storage_gb:.1f} GB (accumulates; a year ≈ {12 * storage_gb:.0f} GB)",
         storage_gb * PRICE["s3_gb_month"]),
        ("Lambda", f"{lambda_seconds / 3600:,.0f} h at {LAMBDA_GB:g} GB, {invocations / 1e3:.0f} k invocations",
         lambda_seconds * LAMBDA_GB * PRICE["lambda_gb_s"] + invocations / 1e6 * PRICE["lambda_req_m"]),
        ("SQS", f"{m / 25 * 3 / 1e3:.0f} k requests", m / 25 * 3 / 1e6 * PRICE["sqs_req_m"]),
    ]
    total = sum(cost for _, _, cost in rows)
    chains = 198
    lines += [
        f"Cost on paper of {m / 1e6:.1f} M market entities a month (AWS on-demand list prices, us-east-1, USD; the "
        f"Lambda time assumes {AWS_CALL_SECONDS * 1000:.0f} ms per AWS call plus the composing measured here):",
        "",
        "| item | volume | USD a month |",
        "| --- | --- | ---: |",
        *[f"| {name} | {volume} | {cost:,.2f} |" for name, volume, cost in rows],
        f"| **total** | | **{total:,.2f}** |",
        "",
        f"Time: {lambda_seconds / 3600:,.0f} worker-hours; the work runs as {chains} chains side by side (18 key ranges of "
        f"each of the 11 divisions), so with {chains} concurrent workers the month takes about "
        f"{lambda_seconds / chains / 60:,.0f} minutes, with 50 about {lambda_seconds / 50 / 3600:,.1f} hours.",
        "",
    ]
    return lines


def measure_and_markdown() -> list[str]:
    return markdown(measure())
