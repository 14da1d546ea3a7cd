"""Audit records and outbox messages, and the unit of work that commits them with the change.

Access patterns
| pattern                                   | key / index                                   | call  |
|-------------------------------------------|-----------------------------------------------|-------|
| history of one object (timeline, audit)   | audit: hash `entity`, range `at_seq`          | Query |
| what one organisation's people did        | audit GSI `actor-index`: `actor_org`, `at_seq`| Query |
| outbox messages waiting for delivery      | outbox GSI `pending-index`: `pending_shard`, `created_at` (sparse: only while pending) | Query |
| one outbox message                        | outbox: hash `message_id`                     | GetItem |

Every state change goes through a `UnitOfWork`: the change, its audit record and its outbox
messages commit in one DynamoDB transaction, so nothing acknowledged is half-written.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable

from pynamodb.attributes import (
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from functions.shared.clock import isoformat_utc
from functions.shared.errors import Conflict
from functions.shared.logs import get_logger
from functions.shared.models import BaseMeta, table_name

# Pending outbox messages are spread over a few partitions so a busy stack never has one hot key;
# the relay queries each shard.
OUTBOX_SHARDS = 4
MAX_TRANSACTION_ITEMS = 100
_log = get_logger(__name__)


class ActorIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "actor-index"
        projection = AllProjection()

    actor_org = UnicodeAttribute(hash_key=True)
    at_seq = UnicodeAttribute(range_key=True)


class AuditRecord(Model):
    class Meta(BaseMeta):
        table_name = table_name("audit")

    entity = UnicodeAttribute(hash_key=True)
    at_seq = UnicodeAttribute(range_key=True)
    action = UnicodeAttribute()
    actor_sub = UnicodeAttribute()
    actor_role = UnicodeAttribute()
    actor_org = UnicodeAttribute()
    request_id = UnicodeAttribute()
    before = UnicodeAttribute(null=True)
    after = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)
    actor_index = ActorIndex()


class PendingIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "pending-index"
        projection = AllProjection()

    pending_shard = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class OutboxMessage(Model):
    class Meta(BaseMeta):
        table_name = table_name("outbox")

    message_id = UnicodeAttribute(hash_key=True)
    topic = UnicodeAttribute()
    payload = UnicodeAttribute()  # JSON
    recipients = ListAttribute(of=UnicodeAttribute, default=list)
    created_at = UnicodeAttribute()
    pending_shard = UnicodeAttribute(null=True)
    delivered_at = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    last_error = UnicodeAttribute(null=True)
    pending_index = PendingIndex()

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.payload)


SYSTEM_ACTOR = {"sub": "system", "role": "system", "org_id": "platform"}
_connection: Connection | None = None


def _transaction_connection() -> Connection:
    """One connection (one botocore client, ~0.2 s to build) per process, built on first use."""
    global _connection
    if _connection is None:
        _connection = Connection(
            region=BaseMeta.region,
            host=BaseMeta.host,
            connect_timeout_seconds=BaseMeta.connect_timeout_seconds,
            read_timeout_seconds=BaseMeta.read_timeout_seconds,
            max_retry_attempts=BaseMeta.max_retry_attempts,
        )
    return _connection


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@dataclass
class UnitOfWork:
    """Collects the writes of one request or job and commits them in one transaction.

    Domain services add writes; they never commit. The route layer (or the job) commits once,
    after adding its own records (the idempotency record of the request, for one).
    """

    actor_sub: str
    actor_role: str
    actor_org: str
    request_id: str
    now: datetime
    _puts: list[tuple[Model, Condition | None, str]] = field(default_factory=list)
    _updates: list[tuple[Model, list, Condition | None, str]] = field(default_factory=list)
    _deletes: list[tuple[Model, Condition | None, str]] = field(default_factory=list)
    _checks: list[tuple[type[Model], Any, Any, Condition, str]] = field(default_factory=list)
    _sequence: int = 0
    messages: list[OutboxMessage] = field(default_factory=list)
    # Audit records of this unit, committed or not: a response built before the commit shows them.
    audits: list["AuditRecord"] = field(default_factory=list)
    # Work that may only happen once the writes are durable (forget a cache they make stale).
    _after_commit: list[Callable[[], None]] = field(default_factory=list)

    @classmethod
    def for_actor(cls, actor: Any, request_id: str, now: datetime) -> "UnitOfWork":
        if actor is None:
            return cls(SYSTEM_ACTOR["sub"], SYSTEM_ACTOR["role"], SYSTEM_ACTOR["org_id"], request_id, now)
        return cls(actor.sub, actor.role, actor.org_id, request_id, now)

    def act_as(self, sub: str, role: str, org: str) -> None:
        """Name another actor in the records this unit writes from now on (an Open311 channel known
        only from its key; a confidential reporter's pseudonym instead of the person)."""
        self.actor_sub, self.actor_role, self.actor_org = sub, role, org

    # -- writes ---------------------------------------------------------------------------
    def put(self, item: Model, condition: Condition | None = None, label: str = "") -> None:
        self._puts.append((item, condition, label or type(item).__name__))

    def update(self, item: Model, actions: list, condition: Condition | None = None, label: str = "") -> None:
        self._updates.append((item, actions, condition, label or type(item).__name__))

    def delete(self, item: Model, condition: Condition | None = None, label: str = "") -> None:
        self._deletes.append((item, condition, label or type(item).__name__))

    def check(self, model: type[Model], hash_key: Any, range_key: Any, condition: Condition, label: str = "") -> None:
        self._checks.append((model, hash_key, range_key, condition, label or model.__name__))

    def audit(self, entity: str, action: str, before: Any = None, after: Any = None, note: str | None = None) -> AuditRecord:
        self._sequence += 1
        record = AuditRecord(
            entity=entity,
            at_seq=f"{isoformat_utc(self.now)}#{self.request_id}#{self._sequence:03d}",
            action=action,
            actor_sub=self.actor_sub,
            actor_role=self.actor_role,
            actor_org=self.actor_org,
            request_id=self.request_id,
            before=_json(before),
            after=_json(after),
            note=note,
        )
        self.put(record, AuditRecord.entity.does_not_exist(), label="audit")
        self.audits.append(record)
        return record

    def emit(self, topic: str, payload: dict[str, Any], recipients: Iterable[str] = ()) -> OutboxMessage:
        # Derived from the request, so a retried commit of the same request writes the same message.
        self._sequence += 1
        seed = f"{self.request_id}#{self._sequence}#{topic}"
        message_id = uuid.UUID(hashlib.sha256(seed.encode()).hexdigest()[:32]).hex
        message = OutboxMessage(
            message_id=message_id,
            topic=topic,
            payload=_json(payload),
            recipients=list(recipients),
            created_at=isoformat_utc(self.now),
            pending_shard=f"p{int(message_id, 16) % OUTBOX_SHARDS}",
        )
        self.messages.append(message)
        self.put(message, OutboxMessage.message_id.does_not_exist(), label="outbox")
        return message

    def after_commit(self, work: Callable[[], None]) -> None:
        """Run `work` once this unit has committed (never if it fails or is abandoned).

        The commit is what was acknowledged, so a failure of `work` is logged, not raised: such work
        must be safe to repeat and done again by a job if it fails (forget a cache, recompute clocks).
        """
        self._after_commit.append(work)

    # -- commit ---------------------------------------------------------------------------
    @property
    def empty(self) -> bool:
        return not (self._puts or self._updates or self._deletes or self._checks)

    def _labels_in_wire_order(self) -> list[str]:
        # PynamoDB sends condition checks, then deletes, then puts, then updates; cancellation
        # reasons come back in that order.
        return (
            [c[4] for c in self._checks]
            + [d[2] for d in self._deletes]
            + [p[2] for p in self._puts]
            + [u[3] for u in self._updates]
        )

    def commit(self, client_request_token: str | None = None) -> None:
        self._write(client_request_token)
        work, self._after_commit = self._after_commit, []
        for run in work:
            try:
                run()
            except Exception:  # noqa: BLE001 - committed already; see after_commit
                _log.exception("work after a commit failed", extra={"fields": {"request_id": self.request_id}})

    def _write(self, client_request_token: str | None) -> None:
        if self.empty:
            return
        size = len(self._puts) + len(self._updates) + len(self._deletes) + len(self._checks)
        if size > MAX_TRANSACTION_ITEMS:
            raise ValueError(f"a unit of work holds {size} writes; DynamoDB allows {MAX_TRANSACTION_ITEMS}")
        connection = _transaction_connection()
        # The token makes the SDK's own retries of this one call idempotent; each commit gets its own,
        # since a token reused with other writes is refused by DynamoDB.
        token = hashlib.sha256((client_request_token or uuid.uuid4().hex).encode()).hexdigest()[:36]
        try:
            with TransactWrite(connection=connection, client_request_token=token) as transaction:
                for model, hash_key, range_key, condition, _ in self._checks:
                    transaction.condition_check(model, hash_key, range_key, condition=condition)
                for item, condition, _ in self._deletes:
                    transaction.delete(item, condition=condition)
                for item, condition, _ in self._puts:
                    transaction.save(item, condition=condition)
                for item, actions, condition, _ in self._updates:
                    transaction.update(item, actions=actions, condition=condition)
            # Committed: a later commit of this unit (the route's own, after an early one) writes only what came after.
            self._puts, self._updates, self._deletes, self._checks = [], [], [], []
        except TransactWriteError as error:
            reasons = error.cancellation_reasons or []
            labels = self._labels_in_wire_order()
            failed = [labels[i] if i < len(labels) else "?" for i, r in enumerate(reasons)
                      if r is not None and r.code == "ConditionalCheckFailed"]
            contended = [labels[i] if i < len(labels) else "?" for i, r in enumerate(reasons)
                         if r is not None and r.code == "TransactionConflict"]
            if failed or contended:
                conflict = Conflict(
                    "The object changed or is in a state that does not allow this action "
                    f"({', '.join(sorted(set(failed or contended)))})."
                )
                conflict.failed_labels = failed  # type: ignore[attr-defined]
                # Another transaction held an item at that moment: nothing was wrong, try again.
                conflict.contended = bool(contended) and not failed  # type: ignore[attr-defined]
                raise conflict from None
            raise


def recent_audit(entity: str, limit: int) -> list[AuditRecord]:
    """An object's newest `limit` audit records, oldest first: one Query, read backwards."""
    return list(reversed(list(AuditRecord.query(entity, scan_index_forward=False, limit=limit))))


def audit_page(entity: str, limit: int, cursor: dict[str, Any] | None) -> tuple[list[AuditRecord], dict[str, Any] | None]:
    """One page of an object's audit trail, oldest first: one Query."""
    results = AuditRecord.query(entity, limit=limit, last_evaluated_key=cursor)
    items = list(results)
    return items, results.last_evaluated_key
