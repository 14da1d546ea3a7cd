"""The financing platform under load: the bank API over real HTTP on the local stack, and credit report
rendering in-process.

Bank API (`measure_bank`): the local stack is started as `make run` starts it (`python -m infra.local.stack`,
a subprocess, loopback only), after 57 bank clients, one per catalogue institution, were registered into its
data directory (a short-lived `LocalStack` in a child process writes them to the journal the stack then
replays: the stack has no route that registers clients). Each client takes a client-credentials token;
`DEMANDS` demands are posted through the enterprise API by the three demo enterprises. Then:

- polls: the 57 clients at once, each from the start of the feed with its own cursor, `PAGE` at a time,
  until it is caught up (at most `MAX_POLLS` polls each, well inside the 60 polls a minute a client may make:
  a 429 is counted, not hidden), each client checked to have seen every demand posted; against 57 threads
  hitting `GET /api/health` as many times each, just before and just after, on the same stack; then the
  same polls by `SOLO_CLIENTS` clients one at a time, each after one health request (no queue);
- claims: the 57 clients race on each of `CLAIM_ROUNDS` demands (57 threads released by a barrier), each
  claim with its own Idempotency-Key; exactly one 200 per demand and 56 409s, or the bench fails. Against
  57 threads hitting `GET /api/health` at once (a barrier), round for round, interleaved with the claims.

Report rendering (`measure_reports`): on moto with the demo data, one report issued for the demo enterprise
with credit items (`service.issue_report`); the canonical JSON, the HTML (Jinja2) and the PDF (reportlab,
font subset embedded) rendered repeatedly, against `json.dumps` of the same report dict.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CLIENT_PREFIX = "bench-"
DEMANDS = 150
PAGE = 50  # the API's default limit
MAX_POLLS = 15  # per client: ceil(DEMANDS / PAGE) + 1 are needed; the limit is 60 a minute
CLAIM_ROUNDS = 20
SOLO_CLIENTS = 5  # then polls by one client at a time, for the latency without queueing
ENTERPRISES = ("ent-zhengrixin", "ent-hailian-trade", "ent-bluesea-soft")
# Pairwise unlike purposes (no two share half their words) and amount bands 3× apart: no demand of an
# enterprise is a duplicate of an earlier one (demands.same_matter), so every post enters the feed.
PURPOSES = ("购买数控机床扩大生产线", "支付原材料采购款", "新建冷链仓库", "研发投入新型电池材料", "补充流动资金发放工资",
            "出口订单备货周转", "厂房屋顶光伏改造", "购置物流运输车辆", "海洋生物医药中试", "软件平台升级云服务器",
            "专利技术转化产业化", "农产品收购季节性资金", "港口集装箱设备更新", "环保除尘设施改造", "跨境电商海外仓租赁",
            "食品生产线自动化", "门店装修连锁扩张", "啤酒酿造设备扩容", "纺织印染节能改造", "智能家电模具开发")
BANDS_FEN = (50_000_000, 150_000_000, 450_000_000, 1_350_000_000)
REPORT_USCC = "91370202MA3C4R7K75"  # 青岛正日信企业管理有限公司: six kinds of public credit data in the demo seed


def client_secret(institution_id: str) -> str:
    return f"bench-only-{institution_id}-secret"


# -- registering the clients (in a child process, into the stack's data directory) ---------------------
def _stack_env() -> dict[str, str]:
    """The environment the stack is started with (tests/local/conftest.py: nothing of the bench's own)."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("AWS_", "STAGE", "TABLE_PREFIX", "BUCKET_NAME", "IDENTITY_MODE"))}


def register_clients(data_dir: Path) -> int:
    """Run in a child process: the stack's own start-up (tables, demo data) on `data_dir`, then one bank
    client per catalogue institution, then stop (the journal is closed; the stack replays it)."""
    import logging

    logging.disable(logging.WARNING)
    sys.path.insert(0, str(ROOT))
    from infra.local.stack import LocalStack
    from tests.local.conftest import free_port

    stack = LocalStack(free_port(), data_dir, run_jobs=False)
    stack.start()
    try:
        from datetime import datetime, timezone

        from functions.finance.catalogue_data import institutions
        from functions.identity.service import register_client

        now = datetime.now(timezone.utc)
        created = sum(register_client(CLIENT_PREFIX + i["id"], client_secret(i["id"]), i["id"], i["district"], i["name_zh"], now)
                      for i in institutions())
    finally:
        stack.stop()
    return created


def _register_in_child(data_dir: Path) -> None:
    subprocess.run([sys.executable, "-m", "tests.bench.finance_bank", "--register-clients", str(data_dir)],
                   cwd=ROOT, env={**_stack_env(), "PYTHONUNBUFFERED": "1"}, check=True, timeout=600,
                   stdout=subprocess.DEVNULL)


# -- HTTP ----------------------------------------------------------------------------------------------
def _send(url: str, method: str = "GET", data: bytes | None = None, headers: dict[str, str] | None = None
          ) -> tuple[int, bytes, float]:
    """(status, body, seconds); a new connection per request, as concurrent_intake's clients do."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            body = answer.read()
            return answer.status, body, time.perf_counter() - began
    except urllib.error.HTTPError as error:
        body = error.read()
        return error.code, body, time.perf_counter() - began
    except OSError as error:  # a reset or refused connection is a failure the bench must see
        return 0, repr(error).encode(), time.perf_counter() - began


def _json(url: str, method: str = "GET", payload: dict | None = None, headers: dict[str, str] | None = None):
    data = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else None
    status, body, _ = _send(url, method, data, {**({"Content-Type": "application/json"} if data else {}), **(headers or {})})
    return status, json.loads(body) if body and status else body


def _token(base: str, client_id: str, secret: str) -> str:
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}).encode()
    status, body, _ = _send(base + "/api/oauth/token", "POST", form, {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 200:
        raise RuntimeError(f"token for {client_id}: {status} {body[:300]!r}")
    return json.loads(body)["access_token"]


def _parallel(count: int, work) -> None:
    """`work(i)` for i in range(count), each in its own thread, released together by a barrier."""
    start = threading.Barrier(count)
    failures: list[BaseException] = []

    def run(i: int) -> None:
        start.wait()
        try:
            work(i)
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    if failures:
        raise failures[0]


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def add(self, status: int, seconds: float, lock: threading.Lock) -> None:
        with lock:
            self.statuses.append(status)
            self.seconds.append(seconds)

    @property
    def count(self) -> int:
        return len(self.seconds)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds) if self.seconds else 0.0

    @property
    def p95(self) -> float:
        return self.percentile(95)


def _health_burst(base: str, clients: int, per_client: int, into: Sample) -> None:
    lock = threading.Lock()

    def work(_: int) -> None:
        for _ in range(per_client):
            status, _, took = _send(base + "/api/health")
            into.add(status, took, lock)

    _parallel(clients, work)


@dataclass
class BankResult:
    clients: int
    demands: int
    polls: Sample
    poll_health: Sample
    polls_429: int
    solo_polls: Sample
    solo_health: Sample
    claims: Sample
    claim_health: Sample
    rounds: int
    single_winner_rounds: int
    seconds: dict[str, float]


def measure_bank() -> BankResult:
    from functions.finance.catalogue_data import institutions
    from tests.local.conftest import RunningStack, free_port

    timings: dict[str, float] = {}
    began = time.perf_counter()
    banks = institutions()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "stack"
        data.mkdir()
        _register_in_child(data)
        timings["register"] = time.perf_counter() - began
        stack = RunningStack(data, free_port())
        stack.start()
        timings["start"] = time.perf_counter() - began - timings["register"]
        base = stack.url
        try:
            # Client-credentials tokens: a scrypt check each on the stack (8 at a time).
            tokens: dict[int, str] = {}
            sem = threading.Semaphore(8)

            def take(i: int) -> None:
                with sem:
                    tokens[i] = _token(base, CLIENT_PREFIX + banks[i]["id"], client_secret(banks[i]["id"]))

            _parallel(len(banks), take)
            auth = {i: {"Authorization": f"Bearer {t}"} for i, t in tokens.items()}
            timings["tokens"] = time.perf_counter() - began - timings["register"] - timings["start"]
            people = {}
            for user in ENTERPRISES:
                status, grant = _json(base + "/api/auth/dev-login", "POST", {"user_id": user})
                if status != 200:
                    raise RuntimeError(f"dev-login {user}: {status} {grant}")
                people[user] = {"Authorization": f"Bearer {grant['access_token']}"}

            # Demands, through the enterprise API, one after another (the feed numbers them in commit order:
            # posts at once race for the next number, and the loser may answer 409), the enterprises in turn.
            posted: list[str] = []
            lock = threading.Lock()
            for n in range(DEMANDS):
                k = n // len(ENTERPRISES)
                body = {"amount_fen": BANDS_FEN[k // len(PURPOSES)], "term_months": 12, "purpose": PURPOSES[k % len(PURPOSES)],
                        "guarantee": "credit"}
                status, answer = _json(base + "/api/finance/demands", "POST", body, people[ENTERPRISES[n % len(ENTERPRISES)]])
                if status != 201:
                    raise RuntimeError(f"demand {n}: {status} {answer}")
                posted.append(answer["id"])
            timings["setup"] = time.perf_counter() - began
            timings["posts"] = timings["setup"] - timings["register"] - timings["start"] - timings["tokens"]

            # Warm the routes, connections and caches (one cursor-less poll per client: no state moves).
            _health_burst(base, len(banks), 1, Sample())
            _parallel(len(banks), lambda i: _send(base + "/api/bank/v1/demands?limit=1", headers=auth[i]))

            # (a) Polls: every client from the start of the feed with its own cursor, until caught up.
            polls, poll_health = Sample(), Sample()
            per_client = -(-DEMANDS // PAGE) + 1
            _health_burst(base, len(banks), per_client, poll_health)
            seen: dict[int, set[str]] = {i: set() for i in range(len(banks))}

            def poll(i: int) -> None:
                cursor = None
                for _ in range(MAX_POLLS):
                    query = f"?limit={PAGE}" + (f"&cursor={urllib.parse.quote(cursor, safe='')}" if cursor else "")
                    status, body, took = _send(base + "/api/bank/v1/demands" + query, headers=auth[i])
                    polls.add(status, took, lock)
                    if status != 200:
                        continue  # a 429 is counted; the same cursor is asked again
                    page = json.loads(body)
                    seen[i].update(d["id"] for d in page["items"])
                    cursor = page["next_cursor"]
                    if not page["items"]:
                        return

            started = time.perf_counter()
            _parallel(len(banks), poll)
            timings["polls"] = time.perf_counter() - started
            _health_burst(base, len(banks), per_client, poll_health)
            missed = {banks[i]["id"]: len(set(posted) - s) for i, s in seen.items() if set(posted) - s}
            if missed:
                raise RuntimeError(f"clients missed demands in their polls: {missed}")

            # The same polls by one client at a time (a few clients, from the start again), each after one
            # `GET /api/health`, also alone: the latency without the queue.
            solo, solo_health = Sample(), Sample()
            for i in range(SOLO_CLIENTS):
                cursor = None
                for _ in range(MAX_POLLS):
                    status, _, took = _send(base + "/api/health")
                    solo_health.add(status, took, lock)
                    query = f"?limit={PAGE}" + (f"&cursor={urllib.parse.quote(cursor, safe='')}" if cursor else "")
                    status, body, took = _send(base + "/api/bank/v1/demands" + query, headers=auth[i])
                    solo.add(status, took, lock)
                    if status != 200:
                        continue
                    page = json.loads(body)
                    cursor = page["next_cursor"]
                    if not page["items"]:
                        break

            # (b) Claims: all 57 clients on each demand at once; exactly one wins.
            claims, claim_health = Sample(), Sample()
            winners = 0
            started = time.perf_counter()
            for demand_id in posted[:CLAIM_ROUNDS]:
                _health_burst(base, len(banks), 1, claim_health)
                statuses: list[int] = []

                def claim(i: int, demand_id: str = demand_id) -> None:
                    status, _, took = _send(base + f"/api/bank/v1/demands/{demand_id}/claim", "POST", b"",
                                            {**auth[i], "Idempotency-Key": str(uuid.uuid4())})
                    claims.add(status, took, lock)
                    with lock:
                        statuses.append(status)

                _parallel(len(banks), claim)
                if sorted(statuses) != [200] + [409] * (len(banks) - 1):
                    raise RuntimeError(f"claims on {demand_id}: expected one 200 and {len(banks) - 1} 409s, got "
                                       f"{ {s: statuses.count(s) for s in set(statuses)} }")
                winners += 1
            timings["claims"] = time.perf_counter() - started
        finally:
            stack.process.kill()
            stack.process.wait(timeout=30)
    timings["total"] = time.perf_counter() - began
    return BankResult(len(banks), len(posted), polls, poll_health, polls.statuses.count(429), solo, solo_health,
                      claims, claim_health, CLAIM_ROUNDS, winners, timings)


# -- report rendering ------------------------------------------------------------------------------
@dataclass
class RenderRow:
    name: str
    seconds: float  # median per render
    size: int  # bytes of the output


@dataclass
class RenderResult:
    sections: int
    entries: int
    rows: list[RenderRow]
    baseline: RenderRow


def _per_call(fn, budget: float = 0.6, batches: int = 7) -> float:
    """Median seconds per call over `batches` batches, each of as many calls as fill ~budget/batches."""
    started = time.perf_counter()
    fn()
    once = max(time.perf_counter() - started, 1e-7)
    per_batch = max(1, int(budget / batches / once))
    samples = []
    for _ in range(batches):
        started = time.perf_counter()
        for _ in range(per_batch):
            fn()
        samples.append((time.perf_counter() - started) / per_batch)
    return statistics.median(samples)


def measure_reports() -> RenderResult:
    from datetime import datetime, timezone

    from moto import mock_aws

    with mock_aws():
        from functions.finance.reports import render, service
        from functions.finance.reports.compose import canonical_json
        from functions.platform.seed import load_demo_data
        from functions.shared.audit import UnitOfWork
        from functions.shared.clock import FixedClock, set_clock
        from functions.tables import all_models

        now = datetime(2026, 11, 20, 2, tzinfo=timezone.utc)
        for model in all_models():
            if not model.exists():
                model.create_table(wait=True)
        set_clock(FixedClock(now))
        try:
            load_demo_data()
            uow = UnitOfWork("bench", "bank", "bank-qrcb", "bench-report", now)
            issued = service.issue_report(uow, REPORT_USCC, "bank-qrcb", "bank")
        finally:
            set_clock(None)
    report, sha256, site = issued.report, issued.sha256, "http://127.0.0.1:8000"
    cases = [("canonical JSON (`compose.canonical_json`)", lambda: canonical_json(report)),
             ("HTML (Jinja2, QR as SVG)", lambda: render.html(report, sha256, site)),
             ("PDF (reportlab, font subset embedded, QR as PNG)", lambda: render.pdf(report, sha256, site))]
    rows = [RenderRow(name, _per_call(fn, budget=3.0 if "PDF" in name else 0.6), len(_bytes(fn()))) for name, fn in cases]
    baseline = RenderRow("`json.dumps(report)`", _per_call(lambda: json.dumps(report)), len(json.dumps(report).encode()))
    return RenderResult(len(report["sections"]), sum(len(s["entries"]) for s in report["sections"]), rows, baseline)


def _bytes(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


# -- the section ---------------------------------------------------------------------------------------
def markdown(bank: BankResult, reports: RenderResult) -> list[str]:
    ms = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
    lines = [
        "## Financing",
        "",
        f"Bank API over real HTTP on the local stack (started as `make run` starts it; loopback, a new connection per "
        f"request): {bank.clients} bank clients, one per catalogue institution, each with its own client-credentials "
        f"token; {bank.demands} demands posted through the enterprise API by the three demo enterprises. **Polls**: the "
        f"{bank.clients} clients at once, each from the start of the feed with its own cursor, {PAGE} a page until caught "
        f"up (every client checked to have seen every demand; {-(-DEMANDS // PAGE) + 1} polls each, the last one empty, "
        f"inside the limit of 60 a minute per client: 429s are counted, not retried away), against {bank.clients} threads "
        "hitting `GET /api/health` as many times each just before and just after; then the same polls by "
        f"{SOLO_CLIENTS} clients one at a time, each poll after one health request, also alone (the latency without a "
        "queue). **Claims**: the "
        f"{bank.clients} clients race on each of {bank.rounds} demands (released together by a barrier, each with its own "
        f"Idempotency-Key); exactly one 200 and {bank.clients - 1} 409s per demand, or the bench fails; against "
        f"{bank.clients} threads hitting `GET /api/health` at once, a burst before each claim round. Latency is each "
        "request's, client side, connection included; the ratio is to the health baseline of the same phase.",
        "",
        "| measurement | requests | answers | median | p95 | health median | health p95 | median ratio | p95 ratio |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def answers(sample: Sample) -> str:
        return ", ".join(f"{sample.statuses.count(s)}× {s}" for s in sorted(set(sample.statuses)))

    for name, sample, health in ((f"bank poll (own cursor, limit {PAGE}), {bank.clients} clients at once", bank.polls, bank.poll_health),
                                 (f"bank poll (own cursor, limit {PAGE}), one client at a time", bank.solo_polls, bank.solo_health),
                                 (f"claim, {bank.clients} clients racing per demand ({bank.single_winner_rounds}/{bank.rounds} "
                                  "demands with exactly one 200)", bank.claims, bank.claim_health)):
        lines.append(f"| {name} | {sample.count} | {answers(sample)} | {ms(sample.p50)} | {ms(sample.p95)} | {ms(health.p50)} "
                     f"| {ms(health.p95)} | {sample.p50 / health.p50:.1f}× | {sample.p95 / health.p95:.1f}× |")
    t = bank.seconds
    lines += [
        "",
        f"Wall time: {bank.clients} clients registered (the stack's start-up in a child process, then a scrypt hash each) "
        f"{t['register']:.0f} s; the stack started {t['start']:.0f} s; tokens {t['tokens']:.0f} s; {bank.demands} demands "
        f"posted one after another {t['posts']:.0f} s; concurrent polls {t['polls']:.1f} s ({bank.polls.count / t['polls']:.1f} "
        f"polls/s); claims {t['claims']:.1f} s ({bank.claims.count / t['claims']:.1f} claims/s, health bursts included); "
        f"{t['total']:.0f} s in all.",
        "",
        f"Report rendering, in-process: one credit report issued on moto with the demo data for the demo enterprise with "
        f"public credit data (`{REPORT_USCC}`: {reports.sections} sections, {reports.entries} entries), rendered again and "
        "again; each figure a median over batches. The baseline is `json.dumps` of the same report dict (default "
        "arguments), measured in the same run.",
        "",
        "| render | output | median | per second | baseline per second | ratio (time) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    b = reports.baseline
    for row in [*reports.rows, b]:
        lines.append(f"| {row.name} | {row.size / 1024:.1f} KiB | {row.seconds * 1000:.3f} ms | {1 / row.seconds:,.0f} "
                     f"| {1 / b.seconds:,.0f} | {row.seconds / b.seconds:.1f}× |")
    return lines + [""]


def measure_and_markdown() -> list[str]:
    reports = measure_reports()
    return markdown(measure_bank(), reports)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--register-clients"]:
        print(register_clients(Path(sys.argv[2])))
    else:
        sys.path.insert(0, str(ROOT))
        os.environ.update({"STAGE": "bench", "TABLE_PREFIX": "qd-bench", "AWS_DEFAULT_REGION": "us-east-1",
                           "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"})
        os.environ.pop("AWS_ENDPOINT_URL", None)
        print("\n".join(measure_and_markdown()))
