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
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = ROOT / ".local-data"
FRONTEND_DIST = ROOT / "frontend" / "dist"
PLACEHOLDER = Path(__file__).with_name("placeholder.html")
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


# The standard library's listen backlog is 5 (werkzeug's 128): a burst of clients connecting at
# once overflows it and the kernel drops or resets connections. The kernel caps it at somaxconn.
LISTEN_BACKLOG = 1024


def compact_threshold_from_env() -> int:
    from infra.local.journal import DEFAULT_COMPACT_THRESHOLD

    return int(os.environ.get("LOCAL_JOURNAL_COMPACT_ENTRIES", DEFAULT_COMPACT_THRESHOLD))


# -- browser uploads: S3's POST Object, as S3 answers it ---------------------------------------------
# The page uploads straight to the bucket with the presigned POST the API grants (functions/files),
# from its own origin to moto's port, as it does to S3 on AWS. moto's own handling of such a form
# checks neither its signature nor its policy (size, type, key), answers no CORS headers (the page
# could not read the answer), and carries no Authorization header, so the journal would not see it
# as a write (gone after a restart). `BrowserUploads` answers it as S3 does instead.

class _PostRefused(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _signing_key(secret: str, day: str, region: str, service: str) -> bytes:
    import hashlib
    import hmac

    key = ("AWS4" + secret).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def check_post_policy(bucket: str, fields: dict[str, str], size: int, secret: str, now: Any = None) -> dict[str, str]:
    """Check a browser upload form as S3 does (signature V4, expiry, every condition, no field the
    policy does not name, content-length-range); returns the fields by lower-case name, or raises
    `_PostRefused` with S3's status, code and message."""
    import base64
    import hashlib
    import hmac
    from datetime import datetime, timezone

    by_name = {name.lower(): value for name, value in fields.items()}
    for required in ("policy", "x-amz-signature", "x-amz-credential", "x-amz-algorithm", "x-amz-date", "key"):
        if required not in by_name:
            raise _PostRefused(400, "InvalidArgument", f"Bucket POST must contain a field named '{required}'.")
    if by_name["x-amz-algorithm"] != "AWS4-HMAC-SHA256":
        raise _PostRefused(400, "InvalidArgument", "Only AWS4-HMAC-SHA256 is supported.")
    scope = by_name["x-amz-credential"].split("/")
    if len(scope) != 5 or scope[3] != "s3" or scope[4] != "aws4_request":
        raise _PostRefused(400, "InvalidArgument", "The x-amz-credential field is malformed.")
    key = _signing_key(secret, scope[1], scope[2], "s3")
    expected = hmac.new(key, by_name["policy"].encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, by_name["x-amz-signature"]):
        raise _PostRefused(403, "SignatureDoesNotMatch",
                           "The request signature we calculated does not match the signature you provided.")
    try:
        policy = json.loads(base64.b64decode(by_name["policy"]))
        expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
        conditions = policy["conditions"]
    except (ValueError, KeyError, TypeError):
        raise _PostRefused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.") from None
    if (now or datetime.now(timezone.utc)) >= expiration:
        raise _PostRefused(403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    values = {**by_name, "bucket": bucket}
    covered = {"policy", "x-amz-signature", "file"}
    for condition in conditions:
        if isinstance(condition, dict) and len(condition) == 1:
            ((name, wanted),) = condition.items()
            operator, name = "eq", name.lower()
        elif isinstance(condition, list) and len(condition) == 3 and condition[0] in ("eq", "starts-with"):
            operator, name, wanted = condition[0], str(condition[1]).lstrip("$").lower(), condition[2]
        elif isinstance(condition, list) and len(condition) == 3 and condition[0] == "content-length-range":
            if not int(condition[1]) <= size:
                raise _PostRefused(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
            if size > int(condition[2]):
                raise _PostRefused(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
            continue
        else:
            raise _PostRefused(400, "InvalidPolicyDocument",
                               f"Invalid Policy: Invalid Simple-Condition: {json.dumps(condition)}")
        covered.add(name)
        value = values.get(name, "")
        if not (value == wanted if operator == "eq" else value.startswith(str(wanted))):
            raise _PostRefused(403, "AccessDenied",
                               f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}")
    extra = sorted(name for name in by_name if name not in covered and not name.startswith("x-ignore-"))
    if extra:
        raise _PostRefused(403, "AccessDenied", f"Invalid according to Policy: Extra input fields: {', '.join(extra)}")
    return by_name


def _bucket_cors_headers(bucket: str, origin: str, method: str) -> dict[str, str]:
    """What S3 adds to an answer for `origin`: from the first CORS rule of the bucket that allows it."""
    if not origin:
        return {}
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends
    from moto.s3.utils import cors_matches_origin

    found = s3_backends[DEFAULT_ACCOUNT_ID]["aws"].buckets.get(bucket)
    for rule in (found.cors if found is not None else []):
        if cors_matches_origin(origin, rule.allowed_origins or []) and method in (rule.allowed_methods or []):
            headers = {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": ", ".join(rule.allowed_methods),
                       "Vary": "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"}
            if rule.exposed_headers:
                headers["Access-Control-Expose-Headers"] = ", ".join(rule.exposed_headers)
            return headers
    return {}


class BrowserUploads:
    """S3's browser-based upload (POST Object with a V4-signed policy) in front of moto's app.

    A multipart POST to a bucket without an Authorization header is checked as S3 checks it
    (`check_post_policy`), then stored as the PutObject it amounts to, signed with the form's own
    credential scope so the journal records it as the S3 write it is; the answer is S3's (204, or
    `success_action_status`), with the CORS headers the bucket's configuration gives the page's
    origin. Refusals are S3's XML errors (403 policy/signature, 400 EntityTooLarge...). Anything
    else goes to `app` unchanged; moto answers preflights and signed reads from the bucket's CORS
    configuration itself.
    """

    def __init__(self, app: Any, secret: Any):
        self.app = app
        self.secret = secret  # () -> the secret key the API signs with

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        bucket = path.strip("/")
        if (environ.get("REQUEST_METHOD") != "POST" or "HTTP_AUTHORIZATION" in environ or not bucket or "/" in bucket
                or not environ.get("CONTENT_TYPE", "").lower().startswith("multipart/form-data")):
            return self.app(environ, start_response)
        from werkzeug.formparser import parse_form_data
        from werkzeug.wrappers import Response

        origin = environ.get("HTTP_ORIGIN", "")
        _, form, files = parse_form_data(environ)
        upload = files.get("file")
        cors = _bucket_cors_headers(bucket, origin, "POST")
        try:
            if upload is None or len(files) != 1:
                raise _PostRefused(400, "InvalidArgument", "POST requires exactly one file upload per request.")
            data = upload.read()
            fields = check_post_policy(bucket, {name: form[name] for name in form}, len(data), self.secret())
            stored = Response.from_app(self.app, self._put_environ(environ, bucket, fields, data), buffered=True)
            if stored.status_code >= 300:
                answer = Response(stored.get_data(), stored.status_code, {"Content-Type": "application/xml"})
            else:
                answer = self._success(environ, bucket, fields, stored.headers.get("ETag", ""))
        except _PostRefused as refused:
            from xml.sax.saxutils import escape

            xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{refused.code}</Code>'
                   f"<Message>{escape(refused.message)}</Message><RequestId>{uuid.uuid4().hex}</RequestId></Error>")
            answer = Response(xml, refused.status, {"Content-Type": "application/xml"})
        answer.headers.update(cors)
        return answer(environ, start_response)

    @staticmethod
    def _put_environ(environ: dict[str, Any], bucket: str, fields: dict[str, str], data: bytes) -> dict[str, Any]:
        from urllib.parse import quote

        from werkzeug.test import EnvironBuilder

        headers = {"Host": environ.get("HTTP_HOST", "127.0.0.1"), "X-Amz-Date": fields["x-amz-date"],
                   "Authorization": f"AWS4-HMAC-SHA256 Credential={fields['x-amz-credential']}, SignedHeaders=host, "
                                    f"Signature={fields['x-amz-signature']}"}
        kept = ("cache-control", "content-disposition", "content-encoding")
        headers.update({name: value for name, value in fields.items() if name.startswith("x-amz-meta-") or name in kept})
        return EnvironBuilder(path="/" + quote(bucket) + "/" + quote(fields["key"], safe="/~"), method="PUT", data=data,
                              headers=headers, content_type=fields.get("content-type", "binary/octet-stream")).get_environ()

    @staticmethod
    def _success(environ: dict[str, Any], bucket: str, fields: dict[str, str], etag: str) -> Any:
        from xml.sax.saxutils import escape

        from werkzeug.wrappers import Response

        status = fields.get("success_action_status", "204")
        if status == "201":
            location = f"http://{environ.get('HTTP_HOST', '127.0.0.1')}/{bucket}/{fields['key']}"
            xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>{escape(location)}</Location>'
                   f"<Bucket>{escape(bucket)}</Bucket><Key>{escape(fields['key'])}</Key>"
                   f"<ETag>{escape(etag)}</ETag></PostResponse>")
            return Response(xml, 201, {"Content-Type": "application/xml", "ETag": etag})
        return Response(b"", 200 if status == "200" else 204, {"ETag": etag})


class MotoService:
    """moto's WSGI app on a loopback port, replayed from and journaled to `data_dir`.

    `compact_threshold`: compact the journal at start-up when more entries than this were written
    since its last snapshot, and in the background after that many more (0 never compacts).
    `journal_file`: a file object to append to instead of the journal (tests inject failing ones).
    """

    def __init__(self, data_dir: Path, port: int = 0, compact_threshold: int | None = None, journal_file: Any = None):
        self.data_dir = data_dir
        self.port = port
        self.compact_threshold = compact_threshold_from_env() if compact_threshold is None else compact_threshold
        self.journal_file = journal_file
        self.replayed = 0
        self.replay_stats = None
        self.compacted_at_start: dict[str, Any] | None = None
        self.timings: dict[str, float] = {}
        self._server = None
        self._thread: threading.Thread | None = None
        self._journaling = None

    @property
    def journal(self):
        return self._journaling

    def start(self) -> str:
        from moto.moto_server import werkzeug_app
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
        from werkzeug.serving import ThreadedWSGIServer

        from infra.local import moto_transactions
        from infra.local.journal import JournalingApp, remove_stale_temp, replay_journal

        moto_transactions.install()  # item-level rollback: a transaction's cost no longer grows with the tables
        # moto's server answers every request with `Access-Control-Allow-Origin: *` (flask-cors) unless
        # told not to: any page in the developer's browser could then read and write these tables.
        # Without it, as on AWS, only the files bucket answers CORS, for the origins its
        # configuration names (the local stack's page, `allow_page_origins`).
        werkzeug_app.DISABLE_GLOBAL_CORS = True

        class MotoServer(ThreadedWSGIServer):
            request_queue_size = LISTEN_BACKLOG

        started = time.perf_counter()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        journal = self.data_dir / "moto-journal.jsonl"
        remove_stale_temp(journal)
        moto_app = DomainDispatcherApplication(create_backend_app)
        stats = replay_journal(moto_app, journal)
        self.replay_stats, self.replayed = stats, stats.applied
        self.timings["replay"] = time.perf_counter() - started
        self._journaling = JournalingApp(moto_app, journal, file=self.journal_file, compact_threshold=self.compact_threshold,
                                         entries_since_compaction=stats.since_snapshot, services=stats.services)
        if self.compact_threshold and stats.since_snapshot > self.compact_threshold:
            compacted_at = time.perf_counter()
            try:
                self.compacted_at_start = self._journaling.compact()
            except Exception:  # noqa: BLE001 - the journal is unchanged; serve from it, compact another time
                log.exception("compaction at start-up failed; the journal is unchanged")
            self.timings["compaction"] = time.perf_counter() - compacted_at
        uploads = BrowserUploads(self._journaling, secret=lambda: os.environ.get("AWS_SECRET_ACCESS_KEY", ""))
        self._server = MotoServer("127.0.0.1", self.port, uploads, handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)
        self._thread.start()
        self.timings["start"] = time.perf_counter() - started
        return f"http://127.0.0.1:{self._server.server_port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._journaling is not None:
            self._journaling.close()


def create_resources(app: Any) -> dict[str, int]:
    """Tables from the models, queues from the app's SQS handlers, the stage bucket."""
    import boto3

    from functions.platform.jobs_runtime import list_jobs
    from functions.settings import get_settings
    from functions.shared import queues
    from functions.tables import all_models

    created = {"tables": 0, "indexes": 0, "queues": 0, "buckets": 0}
    for model in all_models():
        if not model.exists():
            model.create_table(wait=True)
            created["tables"] += 1
        else:
            created["indexes"] += add_missing_indexes(model)
    settings = get_settings()
    sqs = boto3.client("sqs", region_name=REGION)
    for job in list_jobs(app):
        if job.kind == "queue":
            # As in AWS (infra/resources.py): a message failing MAX_RECEIVE_COUNT times moves to the
            # queue's dead-letter queue, where it stays visible.
            dead = sqs.create_queue(QueueName=job.queue + queues.DEAD_LETTER_SUFFIX)["QueueUrl"]
            dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            redrive = json.dumps({"deadLetterTargetArn": dead_arn, "maxReceiveCount": queues.MAX_RECEIVE_COUNT})
            url = sqs.create_queue(QueueName=job.queue)["QueueUrl"]  # kept from a journal, or new
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": redrive})
            created["queues"] += 1
    s3 = boto3.client("s3", region_name=REGION)
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if settings.bucket_name not in existing:
        s3.create_bucket(Bucket=settings.bucket_name)
        created["buckets"] += 1
    return created


def add_missing_indexes(model: Any) -> int:
    """Add the GSIs a model declares that its existing table lacks (local data made before the index
    was), then let the model recompute its index keys on every item if it knows how (`reindex()`):
    an item written before the index has none. This walks the table once, at start-up, on local data
    only; on AWS, CloudFormation adds the index and a stage that already holds items runs the same
    reindex once (infra/README). Returns how many indexes were added."""
    import boto3

    client = boto3.client("dynamodb", region_name=REGION)
    name = model.Meta.table_name
    existing = {index["IndexName"] for index in client.describe_table(TableName=name)["Table"].get("GlobalSecondaryIndexes", [])}
    schema = model._get_schema()
    missing = [index for index in schema["global_secondary_indexes"] if index["index_name"] not in existing]
    for index in missing:
        # DynamoDB adds one index per UpdateTable, and only once the table is ACTIVE again.
        client.update_table(
            TableName=name,
            AttributeDefinitions=index["attribute_definitions"],
            GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": index["index_name"], "KeySchema": index["key_schema"],
                                                     "Projection": index["projection"]}}],
        )
        client.get_waiter("table_exists").wait(TableName=name)
    if missing and hasattr(model, "reindex"):
        # Read raw through boto3: the platform's own data access has no whole-table read, and the
        # tests hold it to that.
        pages = client.get_paginator("scan").paginate(TableName=name, ConsistentRead=True)
        for raw in (item for page in pages for item in page["Items"]):
            item = model.from_raw_data(raw)
            before = item.serialize()
            item.reindex()
            if item.serialize() != before:
                item.save()
    return len(missing)


def page_origins(url: str) -> list[str]:
    """The origins a browser may show the local page under: the address printed, and `localhost`."""
    port = url.rsplit(":", 1)[1]
    return [url, f"http://localhost:{port}"]


def allow_page_origins(origins: list[str]) -> bool:
    """Give the stage bucket the CORS rule the stage's bucket has on AWS (infra/resources.py
    `files_cors_rule`), for the local page's origins, so the page can upload to it (moto's port is
    another origin) and read the answer. Written only when it differs (a journal snapshot keeps no
    CORS configuration, and the port may change); returns whether it was written."""
    import boto3
    from botocore.exceptions import ClientError

    from functions.settings import get_settings
    from infra.resources import files_cors_rule

    rule = files_cors_rule(list(origins))
    wanted = [{"ID": rule["Id"], "AllowedMethods": rule["AllowedMethods"], "AllowedOrigins": rule["AllowedOrigins"],
               "ExposeHeaders": rule["ExposedHeaders"], "MaxAgeSeconds": rule["MaxAge"]}]
    s3 = boto3.client("s3", region_name=REGION)
    bucket = get_settings().bucket_name
    try:
        current = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    except ClientError:
        current = None
    if current == wanted:
        return False
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": wanted})
    return True


class JobDriver(threading.Thread):
    """Fires the app's schedules when EventBridge would, on the platform clock, and polls its queues.

    Each schedule keeps its last fire time on the platform clock (`functions.shared.clock.get_clock()`,
    which an admin can move forward on dev stages, functions/platform/clock.py). At every tick a
    schedule whose next occurrence after that time has come (`jobs_runtime.catch_up`: EventBridge's
    cron() and rate() rules) runs once, however many occurrences the clock passed over: moving the
    clock over a month end runs a monthly job once. A schedule starts counting at the first tick
    that sees it. `clock` replaces the platform clock (tests); `step()` is one tick.
    """

    def __init__(self, app: Any, poll_seconds: float = 1.0, clock: Any = None):
        from datetime import datetime, timezone

        from functions.platform.jobs_runtime import list_jobs, next_fire

        super().__init__(name="jobs", daemon=True)
        self.app = app
        self.poll_seconds = poll_seconds
        self.clock = clock
        self.stopped = threading.Event()
        self.jobs = list_jobs(app)
        self.last_fired: dict[str, Any] = {}  # job name -> its last fire time on the platform clock
        self._queues: dict[str, tuple[str, str]] = {}
        self._sqs = None
        for job in self.jobs:  # an expression EventBridge would refuse stops the start, as a deployment would
            if job.kind == "schedule":
                try:
                    next_fire(job.schedule, datetime.now(timezone.utc))
                except ValueError as exc:
                    raise ValueError(f"job {job.name}: {exc}") from exc

    def now(self):
        if self.clock is not None:
            return self.clock.now()
        from functions.shared.clock import get_clock

        return get_clock().now()

    def run_schedules(self, now=None) -> dict[str, Any]:
        """Run every schedule that is due at `now` (default: the platform clock's time) once;
        returns {job name: what its handler returned} for those that ran."""
        from functions.platform.jobs_runtime import catch_up, run_scheduled

        now = self.now() if now is None else now
        ran: dict[str, Any] = {}
        for job in self.jobs:
            if job.kind != "schedule":
                continue
            last = self.last_fired.setdefault(job.name, now)
            try:
                fired = catch_up(job.schedule, last, now)
                if fired is None:
                    continue
                self.last_fired[job.name] = fired  # also when the handler fails: EventBridge does not re-fire either
                ran[job.name] = run_scheduled(self.app, job, now, REGION)
                log.info("job %s (%s) at %s: %s", job.name, job.schedule, now.isoformat(), ran[job.name])
            except Exception:  # noqa: BLE001 - a failing job must not stop the others
                log.exception("job %s failed", job.name)
        return ran

    # Batches taken from one queue per tick while it has messages: Lambda polls a busy queue with
    # several pollers at once; one batch a second would make a 198-chain snapshot run crawl.
    BATCHES_PER_TICK = 20

    def poll_queues(self) -> dict[str, dict[str, int]]:
        """Receive batches from each queue while it has messages (up to BATCHES_PER_TICK), run its
        handler on each, delete what it did not report failed."""
        from functions.platform.jobs_runtime import run_queue_batch

        polled: dict[str, dict[str, int]] = {}
        for job in self.jobs:
            if job.kind != "queue":
                continue
            try:
                if self._sqs is None:
                    import boto3

                    self._sqs = boto3.client("sqs", region_name=REGION)
                if job.name not in self._queues:
                    url = self._sqs.get_queue_url(QueueName=job.queue)["QueueUrl"]
                    attributes = self._sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
                    self._queues[job.name] = (url, attributes["Attributes"]["QueueArn"])
                url, arn = self._queues[job.name]
                total = {"seen": 0, "changed": 0, "failed": 0}
                for _ in range(self.BATCHES_PER_TICK):
                    batch = run_queue_batch(self.app, job, self._sqs, url, arn)
                    total = {key: total[key] + batch[key] for key in total}
                    if not batch["seen"] or batch["failed"]:
                        break  # empty, or failing: the failed messages come back after their visibility timeout
                polled[job.name] = total
            except Exception:  # noqa: BLE001 - a failing job must not stop the others
                log.exception("job %s failed", job.name)
        return polled

    def step(self) -> None:
        self.run_schedules()
        self.poll_queues()

    def run(self) -> None:
        while not self.stopped.wait(self.poll_seconds):
            try:
                self.step()
            except Exception:  # noqa: BLE001 - e.g. the platform clock could not be read: try again next tick
                log.exception("job tick failed")


def _server_class():
    from chalice.local import ThreadedHTTPServer

    class PlatformHTTPServer(ThreadedHTTPServer):
        request_queue_size = LISTEN_BACKLOG

    return PlatformHTTPServer


def _problem(error, path: str) -> tuple[int, dict[str, str], bytes]:
    """A problem+json answer with the headers the app's middleware gives every answer."""
    from functions.shared.middleware import SECURITY_HEADERS
    from functions.api.routes import problem_response

    response = problem_response(error, instance=path).to_dict()
    answer_headers = {**SECURITY_HEADERS, **response["headers"], "X-Request-Id": uuid.uuid4().hex}
    body = response["body"]
    return response["statusCode"], answer_headers, body.encode() if isinstance(body, str) else body


def _method_not_allowed_error(detail: str, allowed: str):
    from functions.shared.errors import DomainError

    error = DomainError(detail)
    error.status, error.code, error.title = 405, "method_not_allowed", "Method not allowed"
    error.headers["Allow"] = allowed
    return error


_route_matchers: dict[int, Any] = {}


def _not_routed(app: Any, method: str, raw_path: str) -> Any:
    """None when the app has a view for this method and path; else the DomainError to answer with.

    API Gateway answers these itself in production (gateway responses, see infra/resources.py);
    locally chalice.local would answer 403 "Missing Authentication Token" and a bare 405."""
    from chalice.local import RouteMatcher

    from functions.shared.errors import NotFound

    matcher = _route_matchers.get(id(app))
    if matcher is None:
        matcher = _route_matchers[id(app)] = RouteMatcher(list(app.routes))
    path = raw_path.split("?", 1)[0]
    try:
        route = matcher.match_route(path).route
    except ValueError:
        return NotFound(f"No resource at {path}.")
    methods = app.routes[route]
    if method in methods or method == "OPTIONS":  # OPTIONS: the CORS preflight API Gateway generates
        return None
    allowed = ", ".join(sorted(methods))
    return _method_not_allowed_error(f"{method} is not allowed on {route}; allowed: {allowed}.", allowed)


def _handler_class():
    from chalice.local import ChaliceRequestHandler

    class PlatformRequestHandler(ChaliceRequestHandler):
        """/api/* goes to the Chalice app; everything else is the single-page app, as CloudFront does."""

        def __init__(self, request, client_address, server, app_object, config) -> None:
            self.app_object = app_object
            super().__init__(request, client_address, server, app_object=app_object, config=config)

        def log_message(self, format: str, *args: Any) -> None:  # the app logs each request as JSON
            pass

        def _serve_static(self) -> None:
            path = self.path.split("?", 1)[0]
            body, content_type = None, "text/html; charset=utf-8"
            if FRONTEND_DIST.is_dir():
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

        def _is_api(self) -> bool:
            return self.path == "/api" or self.path.startswith("/api/") or self.path.startswith("/api?")

        def _route(self) -> None:
            if self._is_api():
                refusal = _not_routed(self.app_object, self.command, self.path)
                if refusal is not None:
                    self._send_problem(refusal)
                else:
                    self._generic_handle()
            elif self.command in ("GET", "HEAD"):
                self._serve_static()
            else:
                self._method_not_allowed()

        def _send_problem(self, error) -> None:
            self._discard_body()
            status, headers, body = _problem(error, self.path.split("?", 1)[0])
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _discard_body(self) -> None:
            """Read a request body nobody will look at, so the connection can carry the next request."""
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = 0
            if 0 < length <= 10 * 1024 * 1024:
                self.rfile.read(length)
            elif length or "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                self.close_connection = True

        def _method_not_allowed(self) -> None:
            if self._is_api():  # TRACE, CONNECT, QUERY… on /api: 404 if unrouted, else 405 with the route's methods
                self._send_problem(_not_routed(self.app_object, self.command, self.path))
            else:
                self._send_problem(_method_not_allowed_error(f"{self.command} is not served here.", "GET, HEAD"))

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
        self.server = LocalDevServer(app, config, "127.0.0.1", self.port, handler_cls=_handler_class(), server_cls=_server_class())
        # The page uploads straight to the bucket (moto's port: another origin), as it does on AWS.
        created["bucket_cors"] = int(allow_page_origins(page_origins(self.url)))
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
    moto = stack.moto
    compacted = " (then compacted)" if moto.compacted_at_start else ""
    print(f"  data: {stack.data_dir} (journal entries replayed: {stack.summary['replayed']} in "
          f"{moto.timings.get('replay', 0):.1f}s{compacted}; compacted every {moto.compact_threshold or 'never'} writes; "
          "`make reset` wipes it)")
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
