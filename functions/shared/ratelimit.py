"""Fixed-window rate limits kept in DynamoDB, for the few endpoints that need one in the app.

API Gateway usage plans throttle whole clients in production; this limiter protects what must
be limited per subject whatever the gateway does (failed client-secret attempts, for one).

Access pattern: count a hit → UpdateItem ADD on hash `window_id` = name#keyed-hash(subject)#window-start,
conditional on the count staying under the limit; records expire by TTL. Subjects (client ids,
addresses, people) are stored only as keyed hashes: a window says nothing about who it counts.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.models import Model

from functions.shared import keyring
from functions.shared.errors import RateLimited
from functions.shared.models import BaseMeta, table_name


class RateWindow(Model):
    class Meta(BaseMeta):
        table_name = table_name("rate-windows")

    window_id = UnicodeAttribute(hash_key=True)
    hits = NumberAttribute(default=0)
    expires_at = TTLAttribute()


def _window(name: str, subject: str, now: datetime, seconds: int) -> tuple[str, int]:
    start = int(now.timestamp()) // seconds * seconds
    return f"{name}#{keyring.keyed_hash('rate-subject', subject)[:32]}#{start}", start + seconds - int(now.timestamp())


def count(name: str, subject: str, limit: int, window_seconds: int, now: datetime) -> None:
    """Record one hit; raise RateLimited (429 with Retry-After) once `limit` is reached."""
    window_id, retry_after = _window(name, subject, now, window_seconds)
    window = RateWindow(window_id=window_id)
    try:
        window.update(
            actions=[
                RateWindow.hits.add(1),
                RateWindow.expires_at.set(now + timedelta(seconds=window_seconds * 2)),
            ],
            condition=RateWindow.hits.does_not_exist() | (RateWindow.hits < limit),
        )
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise RateLimited(
                f"Too many attempts; try again in {retry_after} seconds.", retry_after_seconds=retry_after
            ) from None
        raise


def refuse_if_limited(name: str, subject: str, limit: int, window_seconds: int, now: datetime) -> None:
    """Raise RateLimited while the subject's window is full, without counting this attempt."""
    window_id, retry_after = _window(name, subject, now, window_seconds)
    if is_limited(name, subject, limit, window_seconds, now):
        raise RateLimited(f"Too many attempts; try again in {retry_after} seconds.", retry_after_seconds=retry_after)


def is_limited(name: str, subject: str, limit: int, window_seconds: int, now: datetime) -> bool:
    window_id, _ = _window(name, subject, now, window_seconds)
    try:
        return RateWindow.get(window_id).hits >= limit
    except RateWindow.DoesNotExist:
        return False
