"""The outbox relay: delivers messages that committed with their change, then marks them sent.

It queries the sparse `pending-index` (one Query per shard; nothing pending costs only those
queries), delivers each message, and clears `pending_shard` with a condition, so running it twice
delivers nothing twice and a crash between delivery and marking only repeats an idempotent write.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import UpdateError

from functions.identity.principal import Principal
from functions.notifications.channels import Channel, channel_for_stage
from functions.notifications.models import MailboxMessage
from functions.shared.audit import OUTBOX_SHARDS, OutboxMessage
from functions.shared.clock import isoformat_utc
from functions.shared.logs import get_logger

log = get_logger(__name__)
MAX_ATTEMPTS = 8


@dataclass
class RelayResult:
    seen: int = 0
    changed: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"seen": self.seen, "changed": self.changed, "failed": self.failed}


def relay_pending(now: datetime, channel: Channel | None = None, limit: int = 200) -> RelayResult:
    channel = channel or channel_for_stage()
    result = RelayResult()
    for shard in range(OUTBOX_SHARDS):
        for message in OutboxMessage.pending_index.query(f"p{shard}", limit=limit):
            result.seen += 1
            try:
                for recipient in message.recipients:
                    channel.deliver(message, recipient)
            except Exception as error:  # noqa: BLE001 - one bad message must not stop the others
                result.failed += 1
                log.exception("delivery failed", extra={"fields": {"message_id": message.message_id}})
                _record_failure(message, str(error))
                continue
            try:
                message.update(
                    actions=[
                        OutboxMessage.pending_shard.remove(),
                        OutboxMessage.delivered_at.set(isoformat_utc(now)),
                        OutboxMessage.attempts.add(1),
                    ],
                    condition=OutboxMessage.pending_shard.exists(),
                )
                result.changed += 1
            except UpdateError as error:
                if error.cause_response_code != "ConditionalCheckFailedException":
                    raise
    return result


def _record_failure(message: OutboxMessage, error: str) -> None:
    actions = [OutboxMessage.attempts.add(1), OutboxMessage.last_error.set(error[:500])]
    if (message.attempts or 0) + 1 >= MAX_ATTEMPTS:
        # Parked: out of the pending index, kept with its error for an operator.
        actions.append(OutboxMessage.pending_shard.remove())
    message.update(actions=actions)


def inbox(recipient: str, limit: int = 50) -> list[MailboxMessage]:
    """A recipient's newest notices (one Query). Who may read which inbox is the caller's concern:
    the dev mailbox shows any (local and dev stages only); the page will show a person their own."""
    return list(MailboxMessage.query(recipient, scan_index_forward=False, limit=limit))


def my_notices(caller: Principal, limit: int) -> list[MailboxMessage]:
    """The caller's newest notices: those to them (`user:{sub}`) and to their organisation
    (`org:{org_id}`), newest first. Two Queries; nobody reads another's inbox through this."""
    found = inbox(f"user:{caller.sub}", limit) + inbox(f"org:{caller.org_id}", limit)
    return sorted(found, key=lambda m: m.at_id, reverse=True)[:limit]
