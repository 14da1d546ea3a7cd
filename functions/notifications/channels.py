"""Delivery channels behind one interface. The stage picks one; the relay does not care which."""
from __future__ import annotations

from typing import Protocol

from functions.notifications.models import MailboxMessage
from functions.shared.audit import OutboxMessage


class Channel(Protocol):
    name: str

    def deliver(self, message: OutboxMessage, recipient: str) -> None: ...


class LocalMailbox:
    """Writes each notice to the mailbox table, where the dev mailbox route shows it."""

    name = "local-mailbox"

    def deliver(self, message: OutboxMessage, recipient: str) -> None:
        # Keyed by the outbox message id, so delivering the same message twice writes one notice.
        MailboxMessage(
            recipient=recipient,
            at_id=f"{message.created_at}#{message.message_id}",
            topic=message.topic,
            payload=message.payload,
            message_id=message.message_id,
        ).save()


def channel_for_stage() -> Channel:
    # Production SMS and email adapters arrive with the platforms that need them; until then
    # every stage delivers to the mailbox table, which operators can read.
    return LocalMailbox()
