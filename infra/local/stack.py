"""Start the whole platform locally: `python -m infra.local.stack` (what `make run` runs).

One process: an in-process moto server (DynamoDB, S3, SQS) on loopback behind a write-ahead
journal, tables created from the PynamoDB models, demo data loaded once, the Chalice app under
/api/ and the single-page app at / on one origin, and the app's scheduled and queue handlers
driven on their schedules (Chalice's local server runs HTTP routes only).
"""
from __future__ import annotations

import argparse
import json
import logging
import mimetypes
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = ROOT / ".local-data"
FRONTEND_DIST = ROOT / "frontend" / "dist"
PLACEHOLDER = Path(__file__).with_name("placeholder.html")
MAILBOX_PAGE = Path(__file__).with_name("mailbox.html")
REGION = "us-east-1"

log = logging.getLogger("local-stack")


def stage_environment(stage: str = "local") -> dict[str, str]:
    """The environment Lambda would get for this stage, from .chalice/config.json."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    env = dict(config.get("environment_variables", {}))
    env.update(config["stages"][stage].get("environment_variables", {}))
    return {key: str(value) for key, value in env.items()}


def _prepare_environment(stage: str, endpoint: str) -> None:
    os.environ.update(stage_environment(stage))
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
        }
    )


class MotoService:
    """moto's WSGI app on a loopback port, replayed from and journaled to `data_dir`."""

    def __init__(self, data_dir: Path, port: int = 0):
        self.data_dir = data_dir
        self.port = port
        self.replayed = 0
        self._server = None
        self._thread: threading.Thread | None = None
        self._journaling = None

    def start(self) -> str:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
        from werkzeug.serving import make_server

        from infra.local.journal import JournalingApp, replay

        self.data_dir.mkdir(parents=True, exist_ok=True)
        journal = self.data_dir / "moto-journal.jsonl"
        moto_app = DomainDispatcherApplication(create_backend_app)
        self.replayed = replay(moto_app, journal)
        self._journaling = JournalingApp(moto_app, journal)
        self._server = make_server("127.0.0.1", self.port, self._journaling, threaded=True, request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)
        self._thread.start()
        return f"http://127.0.0.1:{self._server.server_port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
        if self._journaling is not None:
            self._journaling.close()


def create_resources(app: Any) -> dict[str, int]:
    """Tables from the models, queues from the app's SQS handlers, the stage bucket."""
    import boto3

    from functions.platform.jobs_runtime import list_jobs
    from functions.settings import get_settings
    from functions.tables import all_models

    created = {"tables": 0, "queues": 0, "buckets": 0}
    for model in all_models():
        if not model.exists():
            model.create_table(wait=True)
            created["tables"] += 1
    settings = get_settings()
    sqs = boto3.client("sqs", region_name=REGION)
    for job in list_jobs(app):
        if job.kind == "queue":
            sqs.create_queue(QueueName=job.queue)
            created["queues"] += 1
    s3 = boto3.client("s3", region_name=REGION)
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if settings.bucket_name not in existing:
        s3.create_bucket(Bucket=settings.bucket_name)
        created["buckets"] += 1
    return created


class JobDriver(threading.Thread):
    """Runs the app's scheduled jobs on their rate and polls its queues, until stopped."""

    def __init__(self, app: Any, poll_seconds: float = 1.0):
        super().__init__(name="jobs", daemon=True)
        self.app = app
        self.poll_seconds = poll_seconds
        self.stopped = threading.Event()

    def run(self) -> None:
        import boto3

        from functions.platform.jobs_runtime import interval, list_jobs, run_queue_batch, run_scheduled
        from functions.shared.clock import get_clock

        jobs = list_jobs(self.app)
        due = {job.name: time.monotonic() + interval(job.schedule).total_seconds() for job in jobs if job.kind == "schedule"}
        sqs = boto3.client("sqs", region_name=REGION)
        queues = {}
        for job in jobs:
            if job.kind == "queue":
                url = sqs.get_queue_url(QueueName=job.queue)["QueueUrl"]
                arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                queues[job.name] = (url, arn)
        while not self.stopped.wait(self.poll_seconds):
            for job in jobs:
                try:
                    if job.kind == "schedule" and time.monotonic() >= due[job.name]:
                        due[job.name] = time.monotonic() + interval(job.schedule).total_seconds()
                        result = run_scheduled(self.app, job, get_clock().now(), REGION)
                        log.info("job %s: %s", job.name, result)
                    elif job.kind == "queue":
                        url, arn = queues[job.name]
                        run_queue_batch(self.app, job, sqs, url, arn)
                except Exception:  # noqa: BLE001 - a failing job must not stop the others
                    log.exception("job %s failed", job.name)


def _handler_class():
    from chalice.local import ChaliceRequestHandler

    class PlatformRequestHandler(ChaliceRequestHandler):
        """/api/* goes to the Chalice app; everything else is the single-page app, as CloudFront does."""

        def log_message(self, format: str, *args: Any) -> None:  # the app logs each request as JSON
            pass

        def _serve_static(self) -> None:
            path = self.path.split("?", 1)[0]
            body, content_type = None, "text/html; charset=utf-8"
            if path == "/dev/mailbox":
                body = MAILBOX_PAGE.read_bytes()
            elif FRONTEND_DIST.is_dir():
                target = (FRONTEND_DIST / path.lstrip("/")).resolve()
                if target.is_dir():
                    target = target / "index.html"
                inside = FRONTEND_DIST.resolve() in target.parents
                if inside and target.is_file():
                    body = target.read_bytes()
                    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                else:
                    body = (FRONTEND_DIST / "index.html").read_bytes()  # client-side routes
            else:
                body = PLACEHOLDER.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _route(self) -> None:
            if self.path == "/api" or self.path.startswith("/api/") or self.path.startswith("/api?"):
                self._generic_handle()
            elif self.command in ("GET", "HEAD"):
                self._serve_static()
            else:
                self.send_error(405)

        def _method_not_allowed(self) -> None:
            body = json.dumps({"type": "about:blank", "title": "Method not allowed", "status": 405,
                               "detail": f"{self.command} is not served here.", "code": "method_not_allowed"}).encode()
            self.send_response(405)
            self.send_header("Content-Type", "application/problem+json")
            self.send_header("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _route

        def __getattr__(self, name: str):
            # Any other method (TRACE, CONNECT, QUERY…): 405, as API Gateway refuses it, not http.server's 501.
            if name.startswith("do_"):
                return self._method_not_allowed
            raise AttributeError(name)

    return PlatformRequestHandler


class LocalStack:
    def __init__(self, port: int, data_dir: Path, stage: str = "local", run_jobs: bool = True):
        self.port = port
        self.data_dir = data_dir
        self.stage = stage
        self.run_jobs = run_jobs
        self.moto = MotoService(data_dir)
        self.server = None
        self.jobs: JobDriver | None = None
        self.summary: dict[str, Any] = {}

    def start(self) -> None:
        endpoint = self.moto.start()
        _prepare_environment(self.stage, endpoint)
        sys.path.insert(0, str(ROOT))
        from chalice.cli.factory import CLIFactory
        from chalice.local import CustomLocalChalice, LocalChalice, LocalDevServer

        factory = CLIFactory(project_dir=str(ROOT))
        app = factory.load_chalice_app()
        config = factory.create_config_obj(chalice_stage_name=self.stage)
        created = create_resources(app)
        from functions.platform.seed import load_demo_data

        seeded = load_demo_data()
        # What chalice.local.create_local_server does: thread-local current_request, since the
        # HTTP server and the job driver call the app from several threads.
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice
        self.server = LocalDevServer(app, config, "127.0.0.1", self.port, handler_cls=_handler_class())
        threading.Thread(target=self.server.server.serve_forever, name="http", daemon=True).start()
        if self.run_jobs:
            self.jobs = JobDriver(app)
            self.jobs.start()
        self.app = app
        self.summary = {"replayed": self.moto.replayed, "created": created, "seeded": seeded, "moto": endpoint}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server.server_port}"

    def stop(self) -> None:
        if self.jobs is not None:
            self.jobs.stopped.set()
        if self.server is not None:
            self.server.server.shutdown()
        self.moto.stop()


def _print_banner(stack: LocalStack) -> None:
    from functions.identity.service import list_dev_users

    print(f"\n  青岛市服务企业统一平台 — local stack is up: {stack.url}/", flush=True)
    print(f"  API: {stack.url}/api/health   OpenAPI: {stack.url}/api/openapi.json", flush=True)
    print(f"  notices sent (SMS/email stand-in): {stack.url}/dev/mailbox", flush=True)
    print(f"  data: {stack.data_dir} (journal entries replayed: {stack.summary['replayed']}; `make reset` wipes it)")
    print("  demo logins (POST /api/auth/dev-login {\"user_id\": ...}):")
    for user in list_dev_users():
        extra = f"  client_id={user.client_id} client_secret={user.client_secret}" if user.client_id else ""
        print(f"    {user.user_id:<28} {user.role:<11} {user.org_id:<20} {user.display_name}{extra}")
    from functions.appeals.open311 import DEMO_KEYS

    print("  Open311 intake (POST /api/open311/v2/requests.json, api_key=...):")
    for key, (channel, district, name) in DEMO_KEYS.items():
        print(f"    {key:<28} {channel:<16} {district} {name}")
    print("  Ctrl-C stops it; nothing acknowledged is lost.\n", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LOCAL_DATA_DIR", DEFAULT_DATA_DIR)))
    parser.add_argument("--no-jobs", action="store_true", help="do not drive scheduled and queue jobs")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    for noisy in ("werkzeug", "botocore", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    stack = LocalStack(args.port, args.data_dir, run_jobs=not args.no_jobs)
    stack.start()
    _print_banner(stack)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    stopping.wait()
    stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
