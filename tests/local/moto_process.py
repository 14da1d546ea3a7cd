"""The local stack's moto service (`MotoService`: replay, journal, compaction) in a child process, so a
SIGKILL is a real crash: nothing in memory survives it, only what the journal holds on disk.

The child answers a few commands on stdin with one JSON line each: `stats`, `compact`, and
`crash-in-compaction` (the process dies between writing the snapshot and renaming it, as a power
cut there would).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, sys, time
from pathlib import Path

import moto.dynamodb.models, moto.s3.models, moto.sqs.models  # imported before timing start-up

from infra.local.stack import MotoService

threshold = {"compact_threshold": int(sys.argv[2])} if sys.argv[2] else {}  # else the default
service = MotoService(Path(sys.argv[1]), **threshold)
endpoint = service.start()
stats = getattr(service, "replay_stats", None)
print(json.dumps({"endpoint": endpoint, "replayed": service.replayed,
                  "since_snapshot": getattr(stats, "since_snapshot", None),
                  "recovered_lines": getattr(stats, "recovered_lines", None), "torn_bytes": getattr(stats, "torn_bytes", None),
                  "compacted_at_start": getattr(service, "compacted_at_start", None),
                  "timings": getattr(service, "timings", None)}), flush=True)


def answer(value):
    print(json.dumps(value), flush=True)


for line in sys.stdin:
    command = line.strip()
    journal = service.journal
    if command == "stats":
        thread = journal._compaction_thread
        answer({"compactions": journal.compactions, "entries_since_compaction": journal.entries_since_compaction,
                "compacting": bool(thread and thread.is_alive())})
    elif command == "compact":
        answer(journal.compact())
    elif command == "crash-in-compaction":
        # The snapshot is written and fsynced; the process dies before the rename.
        os.replace = lambda *args, **kwargs: os._exit(70)
        journal.compact()
    elif command == "stop":
        service.stop()
        answer({"stopped": True})
        break
"""


class MotoProcess:
    def __init__(self, data_dir: Path, compact_threshold: int | None = None):
        self.data_dir = data_dir
        self.compact_threshold = compact_threshold
        self.process: subprocess.Popen | None = None
        self.info: dict[str, Any] = {}
        self.log = data_dir.parent / f"{data_dir.name}-moto.log"

    @property
    def journal(self) -> Path:
        return self.data_dir / "moto-journal.jsonl"

    @property
    def endpoint(self) -> str:
        return self.info["endpoint"]

    def start(self, timeout: float = 300) -> "MotoProcess":
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
        env.update({"PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"})
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(self.data_dir), "" if self.compact_threshold is None else str(self.compact_threshold)],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(self.log, "ab"), text=True,
        )
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=timeout)
            raise RuntimeError(f"the moto service exited with {self.process.returncode}: {self.log.read_text()[-3000:]}")
        self.info = json.loads(line)
        return self

    def command(self, command: str) -> Any:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        return json.loads(line) if line else None

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def wait(self, timeout: float = 60) -> int:
        return self.process.wait(timeout=timeout)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        for stream in (self.process.stdin, self.process.stdout) if self.process else ():
            try:
                stream.close()
            except OSError:
                pass

    def client(self, service: str, region: str = "us-east-1", retries: int = 0):
        return boto3.client(
            service, endpoint_url=self.endpoint, region_name=region, aws_access_key_id="local", aws_secret_access_key="local",
            config=Config(retries={"max_attempts": retries + 1, "mode": "standard"}),
        )
