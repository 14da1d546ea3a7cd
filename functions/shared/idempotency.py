"""`Idempotency-Key` handling: a replay returns the first response; another body with the key is 422.

Access patterns
| pattern                          | key                                   | call    |
|----------------------------------|---------------------------------------|---------|
| look up a key before running     | hash `key_id` = caller#method#path#key | GetItem |
| record the response              | same, written in the request's own transaction | TransactWrite put |

The record is written in the same transaction as the change it answers for, so a request is
either done and recorded, or neither. Records expire after `RETENTION` (DynamoDB TTL), and an
expired record is treated as absent even before TTL deletes it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from functions.shared.audit import UnitOfWork
from functions.shared.clock import isoformat_utc
from functions.shared.errors import FieldError, ValidationFailed
from functions.shared.models import BaseMeta, table_name

RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 128


class IdempotencyRecord(Model):
    class Meta(BaseMeta):
        table_name = table_name("idempotency")

    key_id = UnicodeAttribute(hash_key=True)
    request_hash = UnicodeAttribute()
    status = NumberAttribute()
    body = UnicodeAttribute()  # JSON of the first response
    created_at = UnicodeAttribute()
    expires_at = TTLAttribute()


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def validate_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed(
            [FieldError("Idempotency-Key", f"must be 1 to {MAX_KEY_LENGTH} printable characters")]
        )
    return key


def key_id(caller: str, method: str, path: str, key: str) -> str:
    return f"{caller}#{method}#{path}#{key}"


def find(record_key: str, fingerprint: str, now: datetime) -> StoredResponse | None:
    """The stored response for this key, if any; 422 if the key was used with another request."""
    try:
        record = IdempotencyRecord.get(record_key, consistent_read=True)
    except IdempotencyRecord.DoesNotExist:
        return None
    if record.expires_at <= now:
        return None
    if record.request_hash != fingerprint:
        raise ValidationFailed(
            [FieldError("Idempotency-Key", "this key was already used with a different request")]
        )
    return StoredResponse(status=int(record.status), body=json.loads(record.body))


def remember(uow: UnitOfWork, record_key: str, fingerprint: str, status: int, body: Any) -> None:
    """Add the record of this response to the request's own transaction."""
    record = IdempotencyRecord(
        key_id=record_key,
        request_hash=fingerprint,
        status=status,
        body=json.dumps(body, ensure_ascii=False),
        created_at=isoformat_utc(uow.now),
        expires_at=uow.now + RETENTION,
    )
    # A concurrent request with the same key loses here and replays the winner's response.
    condition = IdempotencyRecord.key_id.does_not_exist() | (IdempotencyRecord.expires_at <= uow.now)
    uow.put(record, condition, label="idempotency")
