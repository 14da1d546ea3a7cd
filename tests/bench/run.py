"""`make bench`: measures, and writes BENCHMARKS.md as ratios against baselines measured in the same run.

Machines here are shared and noisy, so absolute times mean little; a ratio to a baseline measured
seconds apart on the same machine is what a reader can compare across runs.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def median_of(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    os.environ.update({"STAGE": "bench", "TABLE_PREFIX": "qd-bench", "AWS_DEFAULT_REGION": "us-east-1",
                       "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"})
    os.environ.pop("AWS_ENDPOINT_URL", None)
    if args[:2] == ["--only", "finance"]:  # one section, printed; BENCHMARKS.md is left as it is
        from tests.bench import credit_snapshots, finance_bank

        print("\n".join(finance_bank.measure_and_markdown() + credit_snapshots.measure_and_markdown()))
        return 0
    rows: list[tuple[str, str, float, float]] = []

    # Cold start: whole fresh processes importing the app, against its bare dependencies
    # (first, before this process loads anything; see tests/bench/cold_import.py).
    from tests.bench import cold_import

    cold_lines = cold_import.markdown(cold_import.measure(), cold_import.import_costs())

    from moto import mock_aws

    with mock_aws():
        from chalice import Chalice
        from chalice.test import Client

        from app import app
        from functions.platform.seed import load_demo_data
        from functions.shared.clock import FixedClock, set_clock
        from functions.tables import all_models

        for model in all_models():
            model.create_table(wait=True)
        set_clock(FixedClock(datetime(2026, 11, 20, 2, tzinfo=timezone.utc)))
        load_demo_data()
        bare = Chalice("bare")

        @bare.route("/ping")
        def ping():
            return {"ok": True}

        from functions.identity.service import dev_login

        token = dev_login("auditor-city", datetime(2026, 11, 20, 2, tzinfo=timezone.utc)).access_token
        with Client(bare) as bare_client, Client(app) as client:
            baseline = median_of(lambda: bare_client.http.get("/ping"), 300)
            cases = [
                ("GET /api/health", lambda: client.http.get("/api/health")),
                ("GET /api/auth/me (JWT verify)", lambda: client.http.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})),
                ("GET /api/calendar/deadline 15 working days",
                 lambda: client.http.get("/api/calendar/deadline?from=2026-12-20T09:00:00%2B08:00&working_days=15")),
                ("GET /api/audit (1 Query on moto)",
                 lambda: client.http.get("/api/audit?entity=x", headers={"Authorization": f"Bearer {token}"})),
            ]
            for name, fn in cases:
                fn()
                rows.append((name, "bare Chalice route", median_of(fn, 200), baseline))

            # Appeal intake: segmentation, duplicate check, routing, one transaction (on moto).
            ent = dev_login("ent-zhengrixin", datetime(2026, 11, 20, 2, tzinfo=timezone.utc)).access_token
            topics = iter(range(100000))

            def submit():
                n = next(topics)
                client.http.post("/api/appeals", headers={"Authorization": f"Bearer {ent}", "Content-Type": "application/json"},
                                 body=json.dumps({"category": "consultation", "title": f"咨询事项{n}号", "content": f"第{n}号咨询：办理流程是什么？",
                                                  "district": "370202", "channel": "web", "contact": {"name": "王敏", "phone": "13805321234"}},
                                                 ensure_ascii=False))

            submit()
            rows.append(("POST /api/appeals (submit)", "bare Chalice route", median_of(submit, 50), baseline))

        from functions.calendar.engine import WorkingDayCalendar
        import chinese_calendar
        from datetime import date, timedelta

        calendar = WorkingDayCalendar()
        start = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        days = [date(2026, 3, 3) + timedelta(days=i) for i in range(21)]
        rows.append((
            "add_working_days(15)",
            "21 × chinese_calendar.is_workday",
            median_of(lambda: calendar.add_working_days(start, 15), 2000),
            median_of(lambda: [chinese_calendar.is_workday(d) for d in days], 2000),
        ))
        set_clock(None)

    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores. Each row is a median; the ratio is to a baseline measured in the same run.",
        "",
        "| measurement | baseline | median | baseline median | ratio |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for name, base_name, value, base_value in rows:
        lines.append(f"| {name} | {base_name} | {value * 1000:.3f} ms | {base_value * 1000:.3f} ms | {value / base_value:.1f}× |")
    lines += ["", "DynamoDB call counts per route are deterministic and enforced in tests "
              "(`tests/api/shared/test_conventions.py::TestDynamoCallBudgets`), not here.", ""]

    lines += cold_lines

    # Policy matching: one enterprise against 2,000 project rules (see tests/bench/eligibility_match.py).
    from tests.bench import eligibility_match

    lines += eligibility_match.markdown(eligibility_match.measure())

    # Policy search at full scale: cold first query and warm latency (see tests/bench/policy_search.py).
    from tests.bench import policy_search

    lines += policy_search.markdown(policy_search.measure())

    # First visit in Chromium: JS + CSS downloaded and time to a usable home page on the local stack,
    # against a bare Vite + Vue page built and served in the same run (see tests/bench/first_visit.py).
    from tests.bench import first_visit

    lines += first_visit.markdown(first_visit.measure())

    # Real HTTP on the local stack: concurrent intake, and restarting after a long journal.
    from tests.bench import concurrent_intake, journal_restart

    lines += concurrent_intake.markdown(concurrent_intake.measure())
    restart_rows = journal_restart.measure()
    lines += ["## Local stack restart (journal replay)", "",
              "| measurement | baseline | median | baseline median | ratio |", "| --- | --- | ---: | ---: | ---: |"]
    for name, base_name, value, base_value in restart_rows:
        lines.append(f"| {name} | {base_name} | {value * 1000:.0f} ms | {base_value * 1000:.0f} ms | {value / base_value:.1f}× |")
    lines.append("")

    # Financing: the bank API under 57 concurrent bank clients on the local stack, and credit report
    # rendering per second (see tests/bench/finance_bank.py).
    from tests.bench import credit_snapshots, finance_bank

    lines += finance_bank.measure_and_markdown()
    # Monthly credit snapshots: one worker's throughput, and the cost on paper of 2.1 M entities a month.
    lines += credit_snapshots.measure_and_markdown()
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
