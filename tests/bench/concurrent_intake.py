"""Submit throughput and latency at 1, 8 and 64 concurrent clients over real HTTP on the local stack,
each against GET /api/health at the same concurrency, measured seconds apart in the same run."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

CONCURRENCY = (1, 8, 64)
REQUESTS = {1: 40, 8: 96, 64: 192}


@dataclass
class Row:
    clients: int
    requests: int
    submit_failures: int
    submit_throughput: float
    health_throughput: float
    submit_p50: float
    submit_p99: float
    health_p50: float
    health_p99: float


def measure() -> list[Row]:
    from tests.local.conftest import RunningStack, free_port
    from tests.local.intake_load import INTAKE_USERS, login, run

    rows = []
    with tempfile.TemporaryDirectory() as data:
        stack = RunningStack(Path(data) / "stack", free_port())
        (Path(data) / "stack").mkdir()
        stack.start()
        try:
            tokens = {user: login(stack.url, user) for user in INTAKE_USERS}
            run(stack.url, 4, 8, True, tokens, "预热")  # warm the segmenter, caches and connections
            for clients in CONCURRENCY:
                count = REQUESTS[clients]
                health = run(stack.url, clients, count, False, tokens, "")
                submit = run(stack.url, clients, count, True, tokens, f"基准{clients}")
                rows.append(Row(clients, count, sum(1 for s in submit.statuses if s not in (200, 201)),
                                submit.throughput, health.throughput, submit.p50, submit.percentile(99),
                                health.p50, health.percentile(99)))
        finally:
            stack.process.kill()
            stack.process.wait(timeout=30)
    return rows


def markdown(rows: list[Row]) -> list[str]:
    lines = [
        "## Concurrent intake over HTTP (local stack)",
        "",
        "Hotline calls recorded by intake staff, each client on its own connections, against `GET /api/health` "
        "at the same concurrency (baseline). Failures must be 0: nobody who did nothing wrong gets a 409.",
        "",
        "| clients | requests | submit failures | submit /s | health /s | throughput ratio | submit p50 | submit p99 "
        "| health p50 | health p99 | p50 ratio |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r.clients} | {r.requests} | {r.submit_failures} | {r.submit_throughput:.1f} | {r.health_throughput:.1f} "
            f"| {r.submit_throughput / r.health_throughput:.3f}× | {r.submit_p50 * 1000:.0f} ms | {r.submit_p99 * 1000:.0f} ms "
            f"| {r.health_p50 * 1000:.1f} ms | {r.health_p99 * 1000:.1f} ms | {r.submit_p50 / r.health_p50:.1f}× |")
    return lines + [""]


if __name__ == "__main__":
    print("\n".join(markdown(measure())))
