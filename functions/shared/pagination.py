"""Cursor pagination: `cursor` and `limit` in, `items` and `next_cursor` out.

A cursor is DynamoDB's LastEvaluatedKey, serialised, signed with the stage's cursor key and
base64url-encoded. It is opaque to clients: a malformed, tampered or forged cursor, or one another
listing returned, is refused with 422 naming the `cursor` field before any table is read (an
unsigned cursor would let a client hand DynamoDB any start key it liked).
"""
from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from functions.shared import keyring
from functions.shared.errors import FieldError, ValidationFailed

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
PURPOSE = "cursor"


def encode_cursor(last_evaluated_key: dict[str, Any] | None) -> str | None:
    if not last_evaluated_key:
        return None
    raw = json.dumps(last_evaluated_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=") + "." + keyring.sign(PURPOSE, raw)


def decode_cursor(cursor: str | None, expected: dict[str, str] | None = None) -> dict[str, Any] | None:
    """Decode a cursor; `expected` pins attributes (the partition key) that must match the query."""
    if not cursor:
        return None
    bad = ValidationFailed([FieldError("cursor", "is not a cursor this listing returned")])
    encoded, dot, signature = cursor.partition(".")
    if not dot:
        raise bad
    try:
        raw = base64.urlsafe_b64decode((encoded + "=" * (-len(encoded) % 4)).encode())
    except (binascii.Error, ValueError):
        raise bad from None
    if not keyring.verify(PURPOSE, raw, signature):
        raise bad
    try:
        key = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(key, dict) or not key:
        raise bad
    for name, value in (expected or {}).items():
        if key.get(name, {}).get("S") != value:
            raise bad
    return key
