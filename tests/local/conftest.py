"""Start the local stack the way `make run` does (`python -m infra.local.stack`), in a subprocess."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningStack:
    def __init__(self, data_dir: Path, port: int):
        self.data_dir = data_dir
        self.port = port
        self.process: subprocess.Popen | None = None
        self.log = data_dir.parent / f"stack-{port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> "RunningStack":
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "STAGE", "TABLE_PREFIX", "BUCKET_NAME", "IDENTITY_MODE"))}
        env.update({"PORT": str(self.port), "LOCAL_DATA_DIR": str(self.data_dir), "PYTHONUNBUFFERED": "1"})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infra.local.stack"], cwd=ROOT, env=env,
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the stack exited with {self.process.returncode}: {self.log.read_text()[-3000:]}")
            try:
                if self.request("GET", "/api/health")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the stack did not answer within {timeout}s: {self.log.read_text()[-3000:]}")

    def request(self, method: str, path: str, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                return response.status, raw, dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def json(self, method: str, path: str, body=None, headers=None):
        status, raw, _ = self.request(method, path, body, headers)
        return status, json.loads(raw) if raw else None

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@pytest.fixture
def stack_factory(tmp_path):
    started: list[RunningStack] = []

    def make(data_dir: Path | None = None, port: int | None = None) -> RunningStack:
        stack = RunningStack(data_dir or tmp_path / "data", port or free_port())
        started.append(stack)
        return stack.start()

    yield make
    for stack in started:
        if stack.process and stack.process.poll() is None:
            stack.process.kill()
            stack.process.wait(timeout=30)


@pytest.fixture
def stack(stack_factory) -> RunningStack:
    return stack_factory()


@pytest.fixture
def processes():
    """start(data_dir, compact_threshold=None) → a moto service with its journal in a child process
    (so SIGKILL is a real crash); every one started is closed after the test."""
    from tests.local.moto_process import MotoProcess

    started: list[MotoProcess] = []

    def start(data_dir, compact_threshold: int | None = None) -> MotoProcess:
        process = MotoProcess(data_dir, compact_threshold)
        started.append(process)
        return process.start()

    yield start
    for process in started:
        process.close()


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """One local stack per test module, started as `make run` starts it."""
    stack = RunningStack(tmp_path_factory.mktemp("stack"), free_port()).start()
    yield stack
    stack.process.kill()
    stack.process.wait(timeout=30)
