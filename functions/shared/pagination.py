"""Cursor pagination: `cursor` and `limit` in, `items` and `next_cursor` out.

A cursor is DynamoDB's LastEvaluatedKey, serialised and base64url-encoded. It is opaque to
clients; a tampered or foreign cursor is refused with 422 naming the `cursor` field.
"""
from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from functions.shared.errors import FieldError, ValidationFailed

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def encode_cursor(last_evaluated_key: dict[str, Any] | None) -> str | None:
    if not last_evaluated_key:
        return None
    raw = json.dumps(last_evaluated_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, expected: dict[str, str] | None = None) -> dict[str, Any] | None:
    """Decode a cursor; `expected` pins attributes (the partition key) that must match the query."""
    if not cursor:
        return None
    bad = ValidationFailed([FieldError("cursor", "is not a cursor this listing returned")])
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(key, dict) or not key:
        raise bad
    for name, value in key.items():
        if not (isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("S", "N")):
            raise bad
        if not isinstance(next(iter(value.values())), str):
            raise bad
    for name, value in (expected or {}).items():
        if key.get(name, {}).get("S") != value:
            raise bad
    return key
