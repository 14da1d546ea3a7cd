"""Durability for the local stack: a write-ahead journal in front of the in-process moto server.

moto keeps state in memory. Every request that changes state (DynamoDB writes, S3 puts and
deletes, SQS sends and deletes) passes through `JournalingApp`, which appends it to a JSON-lines
file and fsyncs **before** moto applies it. If the append fails (disk full, I/O error) the request
is answered with a 500 the AWS SDKs understand and moto never sees it, so memory and disk cannot
disagree. A write the API acknowledged is therefore on disk even if the stack is killed with
SIGKILL the next moment. At start, `replay` feeds the journal back into a fresh moto in order.

Mutating requests are journaled and applied one at a time (one lock around append + apply), so
the journal's order is the order moto applied them and a replay reproduces the same state. A
request moto refuses (a failed conditional put, say) is journaled too; replaying it against the
same state fails the same way, which is harmless.

SQS needs one translation: message ids and receipt handles are random per moto process. A send is
followed by a small `sqs_sent` record with the ids moto gave out; replay renames the replayed
messages to those ids, so ids are stable across restarts. A delete is journaled as the ids of
the messages it removes (receipt handles mean nothing to the next process).

Compaction: `JournalingApp.compact()` writes the current state (DynamoDB tables, S3 buckets and
objects, SQS queues and their messages) as journal entries into a temporary file, fsyncs it,
renames it over the journal, fsyncs the directory and reopens, all under the journal lock. It
runs at start-up when the journal holds more than `compact_threshold` entries written since its
last snapshot, and in the background once a running stack has appended that many.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import math
import os
import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, quote, urlsplit
from xml.sax.saxutils import escape

from werkzeug.test import Client
from werkzeug.wrappers import Response as WerkzeugResponse

log = logging.getLogger("local-stack.journal")

DYNAMODB_WRITES = {
    "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
    "CreateTable", "DeleteTable", "UpdateTable", "UpdateTimeToLive",
}
SQS_WRITES = {
    "CreateQueue", "DeleteQueue", "SetQueueAttributes", "SendMessage", "SendMessageBatch",
    "DeleteMessage", "DeleteMessageBatch", "PurgeQueue",
}
SQS_SENDS = {"SendMessage", "SendMessageBatch"}
SQS_DELETES = {"DeleteMessage", "DeleteMessageBatch"}
# What a snapshot can hold. A journal with writes to anything else is not compacted.
SNAPSHOT_SERVICES = {"dynamodb", "s3", "sqs"}
_CREDENTIAL = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/")
_ENTRY_START = b'{"t":'
DEFAULT_ACCOUNT = "123456789012"
DEFAULT_COMPACT_THRESHOLD = 20_000
PRESERVED_HEADER_NAMES = "moto.preserved_header_names"  # moto.core.request.PRESERVED_HEADER_NAMES_ENVIRON_KEY


class JournalCorrupt(RuntimeError):
    """A line in the middle of the journal is not an entry and holds none: refuse to guess."""


def temp_path(journal_path: Path) -> Path:
    return journal_path.with_name(journal_path.name + ".compact.tmp")


def _service_and_region(environ: dict[str, Any]) -> tuple[str, str]:
    match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
    return (match.group(2), match.group(1)) if match else ("", "")


def _operation(environ: dict[str, Any], body: bytes) -> tuple[str, str, str]:
    """(service, operation, region) of a request; operation '' when it cannot be told."""
    service, region = _service_and_region(environ)
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        prefix, _, operation = target.partition(".")
        if prefix.startswith("DynamoDB"):
            return "dynamodb", operation, region
        if prefix.startswith("AmazonSQS"):
            return "sqs", operation, region
        return service, operation, region
    if service == "sqs":  # the older query protocol: Action=... in the form body
        action = re.search(rb"(?:^|&)Action=([A-Za-z]+)", body)
        return "sqs", action.group(1).decode() if action else "", region
    return service, "", region


def is_write(environ: dict[str, Any], body: bytes) -> bool:
    service, operation, _ = _operation(environ, body)
    if service == "dynamodb":
        return operation in DYNAMODB_WRITES
    if service == "sqs":
        return operation in SQS_WRITES
    if service == "s3":
        return environ["REQUEST_METHOD"] in ("PUT", "POST", "DELETE")
    return environ["REQUEST_METHOD"] in ("PUT", "POST", "DELETE") and service != ""


def _queue_of(url: str) -> tuple[str, str]:
    parts = urlsplit(url).path.rstrip("/").split("/")
    return parts[-2], parts[-1]  # account, queue name


def _sqs_queue(account: str, region: str, name: str):
    from moto.sqs.models import sqs_backends

    return sqs_backends[account][region].get_queue(name)


def _sqs_request(body: bytes) -> dict[str, Any]:
    """An SQS request body as a dict, JSON protocol or the older query protocol."""
    try:
        request = json.loads(body or b"{}")
        if isinstance(request, dict):
            return request
    except ValueError:
        pass
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    request = {"QueueUrl": form.get("QueueUrl", "")}
    if "ReceiptHandle" in form:
        request["ReceiptHandle"] = form["ReceiptHandle"]
    handles = [v for k, v in sorted(form.items()) if re.fullmatch(r"DeleteMessageBatchRequestEntry\.\d+\.ReceiptHandle", k)]
    if handles:
        request["Entries"] = [{"ReceiptHandle": h} for h in handles]
    return request


def _message_ids_for_handles(account: str, region: str, name: str, handles: Iterable[str]) -> list[str]:
    try:
        queue = _sqs_queue(account, region, name)
    except Exception:  # noqa: BLE001 - no such queue: moto will refuse the delete itself
        return []
    wanted = set(handles)
    return [m.id for m in list(queue._messages) if any(m.had_receipt_handle(h) for h in wanted)]


def _request_uri(environ: dict[str, Any]) -> str:
    """The request line's URI as the client sent it (percent-encoded), path and query."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return raw
    path = quote(environ.get("PATH_INFO", "/").encode("latin-1"), safe="/")
    query = environ.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


def _entry_headers(environ: dict[str, Any]) -> dict[str, str]:
    preserved = environ.get(PRESERVED_HEADER_NAMES) or {}  # S3 metadata names with underscores
    return {
        preserved.get(key) or key[5:].replace("_", "-").title(): value
        for key, value in environ.items()
        if key.startswith("HTTP_") and key != "HTTP_CONTENT_LENGTH" and isinstance(value, str)
    }


def _sent_pairs(data: bytes) -> list[list[str]]:
    """[[batch entry id or '', message id], ...] from a SendMessage(Batch) answer."""
    try:
        answer = json.loads(data)
    except ValueError:
        text = data.decode("utf-8", "replace")
        pairs = re.findall(r"<Id>([^<]*)</Id>\s*<MessageId>([^<]+)</MessageId>", text)
        if pairs:
            return [list(p) for p in pairs]
        return [["", m] for m in re.findall(r"<MessageId>([^<]+)</MessageId>", text)]
    if "MessageId" in answer:
        return [["", answer["MessageId"]]]
    return [[item.get("Id", ""), item["MessageId"]] for item in answer.get("Successful", [])]


def _dumps(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, separators=(",", ":")).encode() + b"\n"


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _failure_response(service: str, environ: dict[str, Any], message: str) -> WerkzeugResponse:
    """A 500 in the protocol of the request, so the AWS SDK raises it as a service error."""
    request_id = uuid.uuid4().hex
    headers = {"x-amzn-RequestId": request_id, "x-amz-request-id": request_id}
    if environ.get("HTTP_X_AMZ_TARGET"):  # the JSON protocols: DynamoDB, SQS
        error_type = "com.amazonaws.dynamodb.v20120810#InternalServerError" if service == "dynamodb" else "InternalServerError"
        if service == "sqs":
            headers["x-amzn-query-error"] = "InternalError;Receiver"
        body = json.dumps({"__type": error_type, "message": message})
        return WerkzeugResponse(body, status=500, headers=headers, content_type="application/x-amz-json-1.0")
    if service == "sqs":  # the query protocol
        body = (f"<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>{escape(message)}</Message>"
                f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>")
        return WerkzeugResponse(body, status=500, headers=headers, content_type="text/xml")
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>{escape(message)}</Message>'
            f"<RequestId>{request_id}</RequestId></Error>")
    return WerkzeugResponse(body, status=500, headers=headers, content_type="application/xml")


def _transaction_token(service: str, operation: str, body: bytes) -> str | None:
    if service != "dynamodb" or operation != "TransactWriteItems":
        return None
    try:
        return json.loads(body or b"{}").get("ClientRequestToken") or None
    except ValueError:
        return None


class TransactionTokens:
    """DynamoDB's ClientRequestToken, which moto ignores: a TransactWriteItems that succeeded, sent
    again with its token within 10 minutes, succeeds again without changing anything.

    The SDK resends a transaction whose answer timed out; without this a busy local stack applied
    it, then refused the resend (every condition now fails) and the caller was told 409 for a
    change that had committed. A token reused with other parameters is refused, as DynamoDB does.
    """

    WINDOW_SECONDS = 600

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, float, WerkzeugResponse]] = {}

    def answer(self, token: str, body: bytes) -> WerkzeugResponse | None:
        found = self._seen.get(token)
        if found is None or time.monotonic() - found[1] > self.WINDOW_SECONDS:
            return None
        fingerprint, _, response = found
        if fingerprint != _transaction_fingerprint(body):
            mismatch = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
                                   "message": "The ClientRequestToken was used with other parameters."})
            return WerkzeugResponse(mismatch, status=400, content_type="application/x-amz-json-1.0")
        return response

    def remember(self, token: str, body: bytes, response: WerkzeugResponse) -> None:
        now = time.monotonic()
        if len(self._seen) > 10_000:
            self._seen = {t: v for t, v in self._seen.items() if now - v[1] <= self.WINDOW_SECONDS}
        self._seen[token] = (_transaction_fingerprint(body), now, response)


def _transaction_fingerprint(body: bytes) -> str:
    request = json.loads(body)
    request.pop("ClientRequestToken", None)
    return hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()


class JournalingApp:
    """WSGI middleware: journal and fsync, then apply, then answer.

    `file` replaces the journal file object (tests inject one that fails); by default the journal
    is opened unbuffered for appending, so a failed write leaves nothing behind in a buffer.
    """

    def __init__(self, app: Callable, journal_path: Path, file: Any = None, compact_threshold: int | None = None,
                 entries_since_compaction: int = 0, services: Iterable[str] = ()):
        self.app = app
        # Services the journal holds writes for; a snapshot covers SNAPSHOT_SERVICES only.
        self.services: set[str] = set(services)
        self.path = Path(journal_path)
        self.compact_threshold = compact_threshold
        self.entries_since_compaction = entries_since_compaction
        self.compactions = 0
        self.last_compaction: dict[str, Any] | None = None
        self._lock = threading.Lock()
        self._tokens = TransactionTokens()
        self._compaction_start_lock = threading.Lock()  # not the journal lock: a compaction holds that one
        self._file = file if file is not None else open(self.path, "ab", buffering=0)
        self._size = self._end_of(self._file)
        self._broken: str | None = None
        self._closed = False
        self._compaction_thread: threading.Thread | None = None

    @staticmethod
    def _end_of(file: Any) -> int:
        try:
            return file.seek(0, os.SEEK_END)
        except (AttributeError, OSError, ValueError):
            return 0

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._file.close()

    # -- appending ---------------------------------------------------------------------------

    def _append(self, *entries: dict[str, Any]) -> None:
        """Write and fsync whole lines; on failure leave the file as it was (or refuse all writes)."""
        if self._broken:
            raise OSError(self._broken)
        if self._closed:
            raise OSError("the journal is closed")
        data = b"".join(_dumps(entry) for entry in entries)
        written = 0
        try:
            view = memoryview(data)
            while written < len(data):
                count = self._file.write(view[written:])
                written += len(data) - written if count is None else count
            flush = getattr(self._file, "flush", None)
            if flush is not None:
                flush()
            os.fsync(self._file.fileno())
        except (OSError, ValueError, AttributeError) as error:
            self._restore(written, error)
            raise OSError(getattr(error, "errno", None) or 0, f"journal append failed: {error}") from error
        self._size += len(data)
        self.entries_since_compaction += len(entries)

    def _restore(self, written: int, error: BaseException) -> None:
        """After a failed append, cut what may have reached the file; if that fails, stop taking writes."""
        if written == 0 and isinstance(error, OSError) and isinstance(self._file, io.RawIOBase):
            return  # an unbuffered write(2) that failed outright wrote nothing
        try:
            self._file.truncate(self._size)
            os.fsync(self._file.fileno())
        except Exception as cleanup_error:  # noqa: BLE001
            self._broken = (f"the journal could not be restored after a failed append ({error}; {cleanup_error}); "
                            "writes are refused until the stack restarts")
            log.error("%s", self._broken)

    # -- the request path ----------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            body = environ["wsgi.input"].read(length)
        elif "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = environ["wsgi.input"].read()
        else:
            body = b""
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        if not is_write(environ, body):
            return self.app(environ, start_response)
        service, operation, region = _operation(environ, body)
        with self._lock:
            self.services.add(service)
            token = _transaction_token(service, operation, body)
            response = self._tokens.answer(token, body) if token else None
            if response is None:
                response = self._journal_and_apply(environ, body, service, operation, region)
                if token and 200 <= response.status_code < 300:
                    self._tokens.remember(token, body, response)
        self._maybe_compact_in_background()
        start_response(response.status, list(response.headers.items()))
        return [response.get_data()]

    def _journal_and_apply(self, environ, body: bytes, service: str, operation: str, region: str) -> WerkzeugResponse:
        if service == "sqs" and operation in SQS_DELETES:
            request = _sqs_request(body)
            account, name = _queue_of(request.get("QueueUrl", "") or "/")
            handles = [request["ReceiptHandle"]] if "ReceiptHandle" in request else [
                e["ReceiptHandle"] for e in request.get("Entries", []) if "ReceiptHandle" in e
            ]
            entry = {"t": "sqs_delete", "account": account, "region": region, "queue": name,
                     "ids": _message_ids_for_handles(account, region, name, handles)}
        else:
            entry = {
                "t": "http",
                "method": environ["REQUEST_METHOD"],
                "uri": _request_uri(environ),
                "headers": _entry_headers(environ),
                "content_type": environ.get("CONTENT_TYPE", ""),
                "body": base64.b64encode(body).decode(),
            }
        try:
            self._append(entry)
        except OSError as error:
            log.error("write refused, the journal could not take it: %s", error)
            return _failure_response(service, environ, f"The local stack could not journal this write; nothing was changed ({error}).")
        response = WerkzeugResponse.from_app(self.app, environ, buffered=True)
        if service == "sqs" and operation in SQS_SENDS and 200 <= response.status_code < 300:
            try:
                self._append({"t": "sqs_sent", "ids": _sent_pairs(response.get_data())})
            except OSError as error:
                # The send itself is journaled and applied; only the id mapping is lost, so after a
                # restart the message comes back under a new id (SQS delivers at least once anyway).
                log.error("could not journal the ids of an SQS send: %s", error)
        return response

    # -- compaction ----------------------------------------------------------------------------

    def _maybe_compact_in_background(self) -> None:
        threshold = self.compact_threshold
        if not threshold or self.entries_since_compaction < threshold or self._closed or self._broken:
            return
        with self._compaction_start_lock:
            if self._compaction_thread is not None and self._compaction_thread.is_alive():
                return
            self._compaction_thread = threading.Thread(target=self._compact_in_background, name="journal-compaction", daemon=True)
            self._compaction_thread.start()

    def _compact_in_background(self) -> None:
        try:
            self.compact()
        except Exception:  # noqa: BLE001 - the journal stays as it was; try again after another threshold
            log.exception("journal compaction failed; the journal is unchanged")
            self.entries_since_compaction = 0

    def compact(self) -> dict[str, Any] | None:
        """Replace the journal by a snapshot of moto's state. Returns figures, or None if skipped."""
        with self._lock:
            if self._closed or self._broken:
                return None
            others = self.services - SNAPSHOT_SERVICES
            if others:
                log.warning("journal not compacted: it holds writes to %s, which a snapshot does not cover", sorted(others))
                self.entries_since_compaction = 0
                return None
            started = time.perf_counter()
            before = self._size
            entries = snapshot_entries()
            tmp = temp_path(self.path)
            try:
                with open(tmp, "wb") as out:
                    out.write(_dumps({"t": "snapshot", "entries": len(entries), "at": datetime.now(timezone.utc).isoformat()}))
                    for entry in entries:
                        out.write(_dumps(entry))
                    out.flush()
                    os.fsync(out.fileno())
                    size = out.tell()
                os.replace(tmp, self.path)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            # From here the snapshot is the journal: the old file object points at an unlinked file.
            try:
                _fsync_directory(self.path.parent)
                fresh = open(self.path, "ab", buffering=0)
            except OSError as error:
                self._broken = f"the journal could not be reopened after compaction ({error}); writes are refused until the stack restarts"
                log.error("%s", self._broken)
                raise
            old, self._file = self._file, fresh
            try:
                old.close()
            except OSError:
                pass
            self._size = size
            self.entries_since_compaction = 0
            self.compactions += 1
            self.last_compaction = {"entries": len(entries), "bytes_before": before, "bytes_after": size,
                                    "seconds": round(time.perf_counter() - started, 3)}
            log.info("journal compacted: %s", self.last_compaction)
            return self.last_compaction


# -- replay --------------------------------------------------------------------------------------


@dataclass
class ReplayStats:
    applied: int = 0               # entries applied (snapshot entries included)
    since_snapshot: int = 0        # entries after the last snapshot: what a compaction would fold
    torn_bytes: int = 0            # a torn last line cut off
    recovered_lines: int = 0       # lines with a torn fragment before a complete entry (older code)
    services: frozenset[str] = frozenset()


def _parse_line(line: bytes, number: int, path: Path) -> tuple[dict[str, Any], bool]:
    """An entry from a complete line; (entry, recovered). A line written by older code after a torn
    fragment is the fragment followed by a whole entry: the entry at its end is taken."""
    try:
        return json.loads(line), False
    except ValueError:
        pass
    start = line.find(_ENTRY_START, 1)
    while start != -1:
        try:
            entry = json.loads(line[start:])
            if isinstance(entry, dict) and "t" in entry:
                return entry, True
        except ValueError:
            pass
        start = line.find(_ENTRY_START, start + 1)
    raise JournalCorrupt(f"{path}: line {number} is not a journal entry and holds none; refusing to replay past it")


def _entry_service(entry: dict[str, Any]) -> str:
    if entry["t"] in ("sqs_delete", "sqs_sent"):
        return "sqs"
    headers = {k.lower(): v for k, v in entry.get("headers", {}).items()}
    environ = {"HTTP_AUTHORIZATION": headers.get("authorization", ""), "HTTP_X_AMZ_TARGET": headers.get("x-amz-target", "")}
    return _operation(environ, b"")[0] or "unknown"


def _adopt_message_ids(entry: dict[str, Any], body: bytes, originals: list[list[str]] | list[str], replayed: list[list[str]]) -> None:
    """Give the messages a replayed send produced the ids the original send gave out."""
    headers = {k.lower(): v for k, v in entry["headers"].items()}
    _, region = _service_and_region({"HTTP_AUTHORIZATION": headers.get("authorization", "")})
    account, name = _queue_of(_sqs_request(body).get("QueueUrl", "") or "/")
    try:
        queue = _sqs_queue(account, region, name)
    except Exception:  # noqa: BLE001
        return
    if originals and isinstance(originals[0], str):  # older journals: ids in answer order
        renames = dict(zip((new for _, new in replayed), originals))
    else:
        by_entry = {entry_id: new for entry_id, new in replayed}
        renames = {by_entry[entry_id]: old for entry_id, old in originals if entry_id in by_entry}
    if not renames:
        return
    pending = dict(renames)
    for message in reversed(queue._messages):
        if message.id in pending:
            message.id = pending.pop(message.id)
            if not pending:
                break


class _RememberingDispatcher:
    """moto's DomainDispatcherApplication works out each request's backend from scratch (listing moto's
    package directory every time, about a fifth of a replayed PutItem). Replay sends thousands of
    requests to a handful of backends, so it remembers the backend app per (service, region, target)."""

    def __init__(self, app: Callable):
        self.app = app
        self._get = getattr(app, "get_application", None)
        self._apps: dict[tuple[str, str, str], Callable] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        service, region = _service_and_region(environ)
        path = environ.get("PATH_INFO", "")
        if (self._get is None or service not in SNAPSHOT_SERVICES or path.startswith(("/moto-api", "/latest/", "/v20180820/"))
                or "s3-control" in environ.get("HTTP_HOST", "")):
            return self.app(environ, start_response)
        key = (service, region, environ.get("HTTP_X_AMZ_TARGET", "").partition(".")[0])
        backend_app = self._apps.get(key)
        if backend_app is None:
            backend_app = self._apps[key] = self._get(environ)
        return backend_app(environ, start_response)


def replay_journal(app: Callable, journal_path: Path) -> ReplayStats:
    """Feed the journal into a fresh moto app. A torn last line (a crash mid-append: a write that was
    never acknowledged nor applied) is cut off the file, so the next append starts on a line of its own."""
    stats = ReplayStats()
    if not journal_path.exists():
        return stats
    client = Client(_RememberingDispatcher(app))
    services: set[str] = set()
    good_end = 0
    snapshot_left = 0
    last: tuple[dict[str, Any], bytes, WerkzeugResponse] | None = None
    with open(journal_path, "rb") as journal:
        for number, line in enumerate(journal, start=1):
            if not line.endswith(b"\n"):
                stats.torn_bytes = len(line)
                break
            good_end += len(line)
            if not line.strip():
                continue
            entry, recovered = _parse_line(line, number, journal_path)
            if recovered:
                stats.recovered_lines += 1
                log.warning("%s line %d: skipped a torn fragment written by an older version, kept the entry after it", journal_path, number)
            kind = entry["t"]
            if kind == "snapshot":
                snapshot_left = int(entry.get("entries", 0))
                stats.since_snapshot = 0
                services = set()
                continue
            services.add(_entry_service(entry))
            if kind == "sqs_delete":
                try:
                    queue = _sqs_queue(entry["account"], entry["region"], entry["queue"])
                except Exception:  # noqa: BLE001 - the queue is gone (refused then, refused now)
                    queue = None
                if queue is not None:
                    gone = set(entry["ids"])
                    for message in [m for m in queue._messages if m.id in gone]:
                        queue.pending_messages.discard(message)
                    queue._messages = [m for m in queue._messages if m.id not in gone]
            elif kind == "sqs_sent":
                if last is not None:
                    prior, prior_body, response = last
                    _adopt_message_ids(prior, prior_body, entry["ids"], _sent_pairs(response.get_data()))
            elif kind == "http":
                headers = dict(entry["headers"])
                body = base64.b64decode(entry["body"])
                preserved = {"HTTP_" + name.upper().replace("-", "_"): name for name in headers if "_" in name}
                try:
                    response = client.open(
                        entry["uri"],
                        method=entry["method"],
                        headers=headers,
                        data=body,
                        content_type=entry["content_type"] or None,
                        environ_overrides={PRESERVED_HEADER_NAMES: preserved} if preserved else None,
                    )
                except Exception as error:  # noqa: BLE001
                    # Journaled before it was applied, and moto failed on it then too (the client got a
                    # 500): failing the same way again changes nothing, so go on.
                    log.warning("%s line %d: moto raised %r on a write it had failed on when made", journal_path, number, error)
                    last = None
                else:
                    last = (entry, body, response)
                    if "sent_ids" in entry and 200 <= response.status_code < 300:
                        _adopt_message_ids(entry, body, entry["sent_ids"], _sent_pairs(response.get_data()))
            else:
                log.warning("%s line %d: unknown entry type %r skipped", journal_path, number, kind)
                continue
            stats.applied += 1
            if snapshot_left > 0:
                snapshot_left -= 1
            else:
                stats.since_snapshot += 1
    if stats.torn_bytes:
        with open(journal_path, "r+b") as journal:
            journal.truncate(good_end)
            journal.flush()
            os.fsync(journal.fileno())
        log.warning("%s: cut a torn last line of %d bytes (a write that was never acknowledged)", journal_path, stats.torn_bytes)
    stats.services = frozenset(services)
    return stats


def replay(app: Callable, journal_path: Path) -> int:
    """Feed the journal into a fresh moto app; returns the number of entries applied."""
    return replay_journal(app, journal_path).applied


def remove_stale_temp(journal_path: Path) -> bool:
    """A compaction killed before its rename leaves a temporary file; the journal itself is intact."""
    tmp = temp_path(journal_path)
    if tmp.exists():
        tmp.unlink()
        log.warning("removed %s left by an interrupted compaction; %s is intact", tmp, journal_path)
        return True
    return False


# -- snapshot ------------------------------------------------------------------------------------

SNAPSHOT_DATE = "20260101"
BATCH_WRITE_SIZE = 25


def _call(service: str, region: str, account: str, method: str, uri: str, body: bytes = b"",
          headers: dict[str, str] | None = None, content_type: str = "") -> dict[str, Any]:
    """A journal entry for a request to moto, shaped as an SDK would send it."""
    all_headers = {
        "Host": "127.0.0.1",
        "Authorization": (f"AWS4-HMAC-SHA256 Credential=snapshot/{SNAPSHOT_DATE}/{region}/{service}/aws4_request, "
                          "SignedHeaders=host, Signature=0"),
        "X-Moto-Account-Id": account,
        **(headers or {}),
    }
    if content_type:
        all_headers["Content-Type"] = content_type
    return {"t": "http", "method": method, "uri": uri, "headers": all_headers, "content_type": content_type,
            "body": base64.b64encode(body).decode()}


def _json_call(service: str, target: str, region: str, account: str, payload: dict[str, Any]) -> dict[str, Any]:
    return _call(service, region, account, "POST", "/", json.dumps(payload, separators=(",", ":")).encode(),
                 {"X-Amz-Target": target}, "application/x-amz-json-1.0")


def _dynamo_value(value: Any) -> dict[str, Any]:
    """A moto DynamoType as DynamoDB JSON."""
    kind, raw = value.type, value.value
    if kind == "M":
        return {"M": {k: _dynamo_value(v) for k, v in raw.items()}}
    if kind == "L":
        return {"L": [_dynamo_value(v) for v in raw]}
    if kind in ("B", "BS"):
        encode = (lambda b: base64.b64encode(b).decode() if isinstance(b, (bytes, bytearray)) else b)
        return {kind: [encode(b) for b in raw] if kind == "BS" else encode(raw)}
    return {kind: raw}


def _dynamodb_entries() -> list[dict[str, Any]]:
    from moto.dynamodb.models import dynamodb_backends

    ddb = "DynamoDB_20120810."
    entries: list[dict[str, Any]] = []
    for account, regions in list(dynamodb_backends.items()):
        for region, backend in list(regions.items()):
            for table in list(backend.tables.values()):
                provisioned = (table.billing_mode or "PROVISIONED") == "PROVISIONED"

                def throughput(t: dict[str, Any]) -> dict[str, int]:
                    return {"ReadCapacityUnits": int(t.get("ReadCapacityUnits") or 1), "WriteCapacityUnits": int(t.get("WriteCapacityUnits") or 1)}

                create: dict[str, Any] = {
                    "TableName": table.name,
                    "KeySchema": table.schema,
                    "AttributeDefinitions": table.attr,
                    "BillingMode": "PROVISIONED" if provisioned else "PAY_PER_REQUEST",
                }
                if provisioned:
                    create["ProvisionedThroughput"] = throughput(table.throughput)
                if table.global_indexes:
                    create["GlobalSecondaryIndexes"] = [
                        {"IndexName": i.name, "KeySchema": i.schema, "Projection": i.projection,
                         **({"ProvisionedThroughput": throughput(i.throughput)} if provisioned else {})}
                        for i in table.global_indexes
                    ]
                if table.indexes:
                    create["LocalSecondaryIndexes"] = [
                        {"IndexName": i.name, "KeySchema": i.schema, "Projection": i.projection} for i in table.indexes
                    ]
                stream = table.stream_specification or {}
                if stream.get("StreamEnabled"):
                    create["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream.get("StreamViewType", "NEW_AND_OLD_IMAGES")}
                if table.sse_specification and table.sse_specification.get("Enabled"):
                    create["SSESpecification"] = dict(table.sse_specification)
                if table.tags:
                    create["Tags"] = table.tags
                if table.deletion_protection_enabled:
                    create["DeletionProtectionEnabled"] = True
                entries.append(_json_call("dynamodb", ddb + "CreateTable", region, account, create))
                if table.ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING") and table.ttl.get("AttributeName"):
                    entries.append(_json_call("dynamodb", ddb + "UpdateTimeToLive", region, account, {
                        "TableName": table.name,
                        "TimeToLiveSpecification": {"Enabled": True, "AttributeName": table.ttl["AttributeName"]},
                    }))
                items = table.all_items()
                for start in range(0, len(items), BATCH_WRITE_SIZE):
                    batch = [{"PutRequest": {"Item": {k: _dynamo_value(v) for k, v in item.attrs.items()}}}
                             for item in items[start:start + BATCH_WRITE_SIZE]]
                    entries.append(_json_call("dynamodb", ddb + "BatchWriteItem", region, account, {"RequestItems": {table.name: batch}}))
    return entries


# Object metadata moto keeps that must not be sent back as a header of a plain PUT.
_S3_SKIPPED_METADATA = {"x-amz-content-sha256", "content-md5", "x-amz-decoded-content-length"}


def _s3_entries() -> list[dict[str, Any]]:
    from moto.s3.models import FakeDeleteMarker, s3_backends

    entries: list[dict[str, Any]] = []
    for account, partitions in list(s3_backends.items()):
        for _partition, backend in list(partitions.items()):
            for bucket in list(backend.buckets.values()):
                body = b""
                if bucket.region_name != "us-east-1":
                    body = (f'<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                            f"<LocationConstraint>{bucket.region_name}</LocationConstraint></CreateBucketConfiguration>").encode()
                entries.append(_call("s3", bucket.region_name, account, "PUT", "/" + quote(bucket.name), body))
                if bucket.versioning_status in ("Enabled", "Suspended"):
                    config = (f'<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                              f"<Status>{bucket.versioning_status}</Status></VersioningConfiguration>").encode()
                    entries.append(_call("s3", bucket.region_name, account, "PUT", "/" + quote(bucket.name) + "?versioning", config))
                for name, key in list(bucket.keys.items()):
                    if isinstance(key, FakeDeleteMarker):
                        continue
                    headers = {k: str(v) for k, v in key.metadata.items() if k.lower() not in _S3_SKIPPED_METADATA}
                    content_type = headers.pop("Content-Type", None) or headers.pop("content-type", None) or "binary/octet-stream"
                    if key.storage_class and key.storage_class != "STANDARD":
                        headers["x-amz-storage-class"] = key.storage_class
                    if key.encryption:
                        headers["x-amz-server-side-encryption"] = key.encryption
                        if key.kms_key_id:
                            headers["x-amz-server-side-encryption-aws-kms-key-id"] = key.kms_key_id
                    tags = backend.tagger.list_tags_for_resource(key.arn).get("Tags", [])
                    if tags:
                        headers["x-amz-tagging"] = "&".join(f"{quote(t['Key'], safe='')}={quote(t['Value'], safe='')}" for t in tags)
                    uri = "/" + quote(bucket.name) + "/" + quote(name, safe="/~")
                    entries.append(_call("s3", bucket.region_name, account, "PUT", uri, key.value, headers, content_type))
    return entries


_QUEUE_COMPUTED = {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed", "ApproximateNumberOfMessagesNotVisible",
                   "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn", "RedrivePolicy"}


def _message_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """moto keeps binary values as bytes; the JSON protocol carries them base64-encoded."""
    def encode(value: Any) -> Any:
        return base64.b64encode(value).decode() if isinstance(value, (bytes, bytearray)) else value

    return {
        name: {key: [encode(v) for v in value] if isinstance(value, list) else encode(value) for key, value in attribute.items()}
        for name, attribute in attributes.items()
    }


def _sqs_entries() -> list[dict[str, Any]]:
    from moto.sqs.models import sqs_backends

    sqs = "AmazonSQS."
    entries: list[dict[str, Any]] = []
    later: list[dict[str, Any]] = []
    now_ms = time.time() * 1000
    for account, regions in list(sqs_backends.items()):
        for region, backend in list(regions.items()):
            for queue in list(backend.queues.values()):
                url = f"http://127.0.0.1/{account}/{queue.name}"
                attributes = {k: str(v) for k, v in queue.attributes.items() if k not in _QUEUE_COMPUTED and v is not None}
                create: dict[str, Any] = {"QueueName": queue.name, "Attributes": attributes}
                if queue.tags:
                    create["tags"] = dict(queue.tags)
                entries.append(_json_call("sqs", sqs + "CreateQueue", region, account, create))
                if queue.redrive_policy:  # after every queue exists: it names its dead-letter queue
                    later.append(_json_call("sqs", sqs + "SetQueueAttributes", region, account, {
                        "QueueUrl": url, "Attributes": {"RedrivePolicy": json.dumps(queue.redrive_policy)}}))
                for message in list(queue._messages):
                    send: dict[str, Any] = {"QueueUrl": url, "MessageBody": message.body}
                    if message.message_attributes:
                        send["MessageAttributes"] = _message_attributes(message.message_attributes)
                    if message.system_attributes:
                        send["MessageSystemAttributes"] = _message_attributes(message.system_attributes)
                    if queue.fifo_queue:
                        if message.group_id is not None:
                            send["MessageGroupId"] = message.group_id
                        if message.deduplication_id is not None:
                            send["MessageDeduplicationId"] = message.deduplication_id
                    else:
                        send["DelaySeconds"] = max(0, min(900, math.ceil((message.delayed_until - now_ms) / 1000))) if message.delayed_until else 0
                    entry = _json_call("sqs", sqs + "SendMessage", region, account, send)
                    entry["sent_ids"] = [["", message.id]]
                    entries.append(entry)
    # Queues first, then redrive policies (they name other queues), then the messages.
    creates = [e for e in entries if "sent_ids" not in e]
    sends = [e for e in entries if "sent_ids" in e]
    return creates + later + sends


def snapshot_entries() -> list[dict[str, Any]]:
    """moto's DynamoDB, S3 and SQS state as journal entries that rebuild it when replayed.

    Read from moto's backends; the caller holds the journal lock, so no write interleaves."""
    return _dynamodb_entries() + _s3_entries() + _sqs_entries()
