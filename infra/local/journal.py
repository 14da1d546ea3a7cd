"""Durability for the local stack: a write-ahead journal in front of the in-process moto server.

moto keeps state in memory. Every request that changes state (DynamoDB writes, S3 puts and
deletes, SQS sends and deletes) passes through `JournalingApp`, which applies it and, if moto
answered 2xx, appends it to a JSON-lines file and fsyncs **before** the answer goes back. So a
write the API acknowledged is on disk even if the stack is killed with SIGKILL the next moment.
At start, `replay` feeds the journal back into a fresh moto in order.

Mutating requests are applied one at a time (a lock around apply + append), so the journal's
order is the order moto applied them and a replay reproduces the same state.

SQS needs one translation: receipt handles and message ids are random per moto process, so a
delete is journaled as the ids of the messages it removed, and replay maps original send ids
to the ids the replayed sends produced.
"""
from __future__ import annotations

import base64
import io
import json
import os
import re
import threading
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import quote

from werkzeug.test import Client
from werkzeug.wrappers import Response as WerkzeugResponse

DYNAMODB_WRITES = {
    "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
    "CreateTable", "DeleteTable", "UpdateTable", "UpdateTimeToLive",
}
SQS_WRITES = {
    "CreateQueue", "DeleteQueue", "SetQueueAttributes", "SendMessage", "SendMessageBatch",
    "DeleteMessage", "DeleteMessageBatch", "PurgeQueue",
}
_CREDENTIAL = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/")
DEFAULT_ACCOUNT = "123456789012"


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
    parts = url.rstrip("/").split("/")
    return parts[-2], parts[-1]  # account, queue name


def _sqs_queue(account: str, region: str, name: str):
    from moto.sqs.models import sqs_backends

    return sqs_backends[account][region].get_queue(name)


def _message_ids_for_handles(account: str, region: str, name: str, handles: Iterable[str]) -> list[str]:
    queue = _sqs_queue(account, region, name)
    wanted = set(handles)
    return [m.id for m in list(queue._messages) if any(m.had_receipt_handle(h) for h in wanted)]


class JournalingApp:
    """WSGI middleware: apply, then journal and fsync, then answer."""

    def __init__(self, app: Callable, journal_path: Path):
        self.app = app
        self.path = journal_path
        self._lock = threading.Lock()
        self._file = open(journal_path, "ab")

    def close(self) -> None:
        with self._lock:
            self._file.close()

    def _append(self, entry: dict[str, Any]) -> None:
        self._file.write(json.dumps(entry, separators=(",", ":")).encode() + b"\n")
        self._file.flush()
        os.fsync(self._file.fileno())

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
        with self._lock:
            service, operation, region = _operation(environ, body)
            deleted_ids: list[str] = []
            sqs_target = None
            if service == "sqs" and operation in ("DeleteMessage", "DeleteMessageBatch"):
                request = json.loads(body or b"{}")
                account, name = _queue_of(request.get("QueueUrl", ""))
                handles = [request["ReceiptHandle"]] if "ReceiptHandle" in request else [
                    e["ReceiptHandle"] for e in request.get("Entries", [])
                ]
                sqs_target = (account, region, name)
                deleted_ids = _message_ids_for_handles(account, region, name, handles)
            response = WerkzeugResponse.from_app(self.app, environ, buffered=True)
            if 200 <= response.status_code < 300:
                if sqs_target is not None:
                    account, region, name = sqs_target
                    self._append({"t": "sqs_delete", "account": account, "region": region, "queue": name, "ids": deleted_ids})
                else:
                    entry = {
                        "t": "http",
                        "method": environ["REQUEST_METHOD"],
                        "uri": _request_uri(environ),
                        "headers": {
                            key[5:].replace("_", "-").title(): value
                            for key, value in environ.items()
                            if key.startswith("HTTP_") and key not in ("HTTP_CONTENT_LENGTH",)
                        },
                        "content_type": environ.get("CONTENT_TYPE", ""),
                        "body": base64.b64encode(body).decode(),
                    }
                    if service == "sqs" and operation in ("SendMessage", "SendMessageBatch"):
                        entry["sent_ids"] = _sent_ids(response.get_data())
                    self._append(entry)
            start_response(response.status, list(response.headers.items()))
            return [response.get_data()]


def _request_uri(environ: dict[str, Any]) -> str:
    """The request line's URI as the client sent it (percent-encoded), path and query."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return raw
    path = quote(environ.get("PATH_INFO", "/").encode("latin-1"), safe="/")
    query = environ.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


def _sent_ids(data: bytes) -> list[str]:
    try:
        answer = json.loads(data)
    except ValueError:
        return re.findall(r"<MessageId>([^<]+)</MessageId>", data.decode())
    if "MessageId" in answer:
        return [answer["MessageId"]]
    return [item["MessageId"] for item in answer.get("Successful", [])]


def replay(app: Callable, journal_path: Path) -> int:
    """Feed the journal into a fresh moto app; returns the number of entries applied."""
    if not journal_path.exists():
        return 0
    client = Client(app)
    id_map: dict[str, str] = {}
    applied = 0
    with open(journal_path, "rb") as journal:
        for line in journal:
            if not line.endswith(b"\n"):
                break  # a torn last line: the write it describes was never acknowledged
            entry = json.loads(line)
            if entry["t"] == "sqs_delete":
                queue = _sqs_queue(entry["account"], entry["region"], entry["queue"])
                gone = {id_map.get(i, i) for i in entry["ids"]}
                queue._messages = [m for m in queue._messages if m.id not in gone]
            else:
                headers = dict(entry["headers"])
                response = client.open(
                    entry["uri"],
                    method=entry["method"],
                    headers=headers,
                    data=base64.b64decode(entry["body"]),
                    content_type=entry["content_type"] or None,
                )
                if "sent_ids" in entry:
                    for original, new in zip(entry["sent_ids"], _sent_ids(response.get_data())):
                        id_map[original] = new
            applied += 1
    return applied
