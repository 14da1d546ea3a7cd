"""`Idempotency-Key` handling: a replay returns the first response; another body with the key is 422.

Access patterns
| pattern                          | key                                                      | call    |
|----------------------------------|----------------------------------------------------------|---------|
| look up a key before running     | hash `key_id` = keyed hash of caller, method, path, key  | GetItem |
| record the response              | same, written in the request's own transaction           | TransactWrite put |

The record is written in the same transaction as the change it answers for, so a request is
either done and recorded, or neither. Records expire after `RETENTION` (DynamoDB TTL), and an
expired record is treated as absent even before TTL deletes it.

Nothing readable is stored: the record's id is a keyed hash (the caller's id and the key are not
in it), and the first response is sealed (Fernet) under a key derived from the client's own
`Idempotency-Key`, which is never stored. A receipt code in a stored answer can be opened only by
whoever sends that key again. Callers without a token share no namespace they could guess into:
their keys must carry at least 128 random bits (a UUID, say), so a stranger cannot hit another
client's key. Routes whose answer must never be served from storage (revealing an identity) set
`replay=False`: the key is still recorded, and a replay runs the view again, audited again.
"""
from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from pynamodb.attributes import BooleanAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from functions.shared import keyring
from functions.shared.audit import UnitOfWork
from functions.shared.clock import isoformat_utc
from functions.shared.errors import FieldError, ValidationFailed
from functions.shared.models import BaseMeta, table_name
from functions.shared.openapi import ANONYMOUS_KEY_PATTERN

RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 128
ANONYMOUS = "anonymous"
# 22 base64url characters can hold 132 bits; a UUID (36 characters with its hyphens) holds 122.
_UNGUESSABLE = re.compile(ANONYMOUS_KEY_PATTERN)


class IdempotencyRecord(Model):
    class Meta(BaseMeta):
        table_name = table_name("idempotency")

    key_id = UnicodeAttribute(hash_key=True)
    request_hash = UnicodeAttribute()
    status = NumberAttribute()
    sealed_body = UnicodeAttribute(null=True)  # Fernet token; absent when the route never replays
    replay = BooleanAttribute(default=True)
    created_at = UnicodeAttribute()
    expires_at = TTLAttribute()


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any
    replay: bool = True


@dataclass(frozen=True)
class KeyRef:
    """One request's key, resolved: where its record lives and how its answer is sealed."""

    record_id: str
    fingerprint: str
    seal: Fernet


def validate_key(key: str, anonymous: bool = False) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed(
            [FieldError("Idempotency-Key", f"must be 1 to {MAX_KEY_LENGTH} printable characters")]
        )
    if anonymous and not _UNGUESSABLE.match(key):
        raise ValidationFailed(
            [FieldError("Idempotency-Key", "without a token, send a random key of at least 128 bits (a UUID, say)")]
        )
    return key


def resolve(caller: str, method: str, path: str, key: str, body: bytes) -> KeyRef:
    scope = f"{caller}\n{method}\n{path}\n{key}"
    seal_key = base64.urlsafe_b64encode(keyring.keyed_hash("idempotency-seal", scope).encode()[:32])
    return KeyRef(
        record_id=keyring.keyed_hash("idempotency-key", scope),
        fingerprint=keyring.keyed_hash("idempotency-request", f"{method} {path}\n".encode() + body),
        seal=Fernet(seal_key),
    )


def find(ref: KeyRef, now: datetime) -> StoredResponse | None:
    """The stored response for this key, if any; 422 if the key was used with another request."""
    try:
        record = IdempotencyRecord.get(ref.record_id, consistent_read=True)
    except IdempotencyRecord.DoesNotExist:
        return None
    if record.expires_at <= now:
        return None
    if record.request_hash != ref.fingerprint:
        raise ValidationFailed(
            [FieldError("Idempotency-Key", "this key was already used with a different request")]
        )
    if not record.replay or record.sealed_body is None:
        return StoredResponse(status=int(record.status), body=None, replay=False)
    try:
        body = json.loads(ref.seal.decrypt(record.sealed_body.encode()))
    except InvalidToken:  # only possible if the stage's secret changed: treat as never answered
        return None
    return StoredResponse(status=int(record.status), body=body)


def remember(uow: UnitOfWork, ref: KeyRef, status: int, body: Any, replay: bool = True) -> None:
    """Add the record of this response to the request's own transaction."""
    record = IdempotencyRecord(
        key_id=ref.record_id,
        request_hash=ref.fingerprint,
        status=status,
        sealed_body=ref.seal.encrypt(json.dumps(body, ensure_ascii=False).encode()).decode() if replay else None,
        replay=replay,
        created_at=isoformat_utc(uow.now),
        expires_at=uow.now + RETENTION,
    )
    # A concurrent request with the same key loses here and replays the winner's response.
    condition = IdempotencyRecord.key_id.does_not_exist() | (IdempotencyRecord.expires_at <= uow.now)
    uow.put(record, condition, label="idempotency")
