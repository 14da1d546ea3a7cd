"""Concurrent intake over real HTTP, as a hotline centre produces it: used by the local-stack test and by
`make bench` (tests/bench/concurrent_intake.py). Loopback only, bounded in count and time."""
from __future__ import annotations

import json
import statistics
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

TOPICS = ["留抵退税到账慢", "社保缴费基数核定", "用电增容审批", "消防验收排期", "环评批复进度", "施工许可办理", "出口退税申报",
          "招聘补贴申领", "厂房租金减免", "道路开挖审批", "排水接入许可", "食品经营许可", "人才公寓申请", "专利质押登记",
          "供热管网接入", "物流车辆通行证"]
INTAKE_USERS = ("dispatcher-city", "staff-tax", "staff-customs")


@dataclass
class LoadResult:
    statuses: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    answers: list[dict] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.statuses) / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds) if self.seconds else 0.0


def login(base_url: str, user_id: str) -> str:
    request = urllib.request.Request(base_url + "/api/auth/dev-login", data=json.dumps({"user_id": user_id}).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())["access_token"]


def hotline_call(n: int, run: str) -> dict:
    """The n-th call of a run: a distinct matter (no enterprise credit code, so nothing merges)."""
    topic = TOPICS[n % len(TOPICS)]
    return {"category": "help", "title": f"{topic}（{run}第{n}号来电）", "district": "370202", "channel": "hotline_12345",
            "content": f"{run}第{n}号来电：企业反映{topic}方面的问题，请相关部门协助办理。",
            "contact": {"name": "来电人", "phone": f"1380532{n % 10000:04d}"}}


def _send(url: str, method: str, payload: dict | None, headers: dict[str, str]) -> tuple[int, dict]:
    data = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
    except OSError as error:  # a reset or refused connection is a failure the test must see
        return 0, {"error": repr(error)}


def run(base_url: str, concurrency: int, count: int, submit: bool, tokens: dict[str, str], run_name: str) -> LoadResult:
    """`count` requests from `concurrency` clients at once; each client opens its own connections."""
    result = LoadResult()
    lock = threading.Lock()
    next_index = iter(range(count))
    start = threading.Barrier(concurrency)

    def client(worker: int) -> None:
        start.wait()
        while True:
            with lock:
                n = next(next_index, None)
            if n is None:
                return
            if submit:
                user = INTAKE_USERS[n % len(INTAKE_USERS)]
                headers = {"Content-Type": "application/json", "Authorization": f"Bearer {tokens[user]}"}
                began = time.perf_counter()
                status, answer = _send(base_url + "/api/appeals", "POST", hotline_call(n, run_name), headers)
            else:
                began = time.perf_counter()
                status, answer = _send(base_url + "/api/health", "GET", None, {})
            took = time.perf_counter() - began
            with lock:
                result.statuses.append(status)
                result.seconds.append(took)
                result.answers.append(answer)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    result.elapsed = time.perf_counter() - began
    return result
