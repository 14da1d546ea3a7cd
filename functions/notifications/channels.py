"""Delivery channels behind one interface; the relay delivers each outbox message through all the
stage's channels (`NOTIFY_CHANNELS`, default `inbox`).

- `inbox`: the in-app inbox (the mailbox table). Every stage keeps it: it is what the page shows
  and, on local and dev stages, what `/api/dev/mailbox` and the local mailbox page read.
- `email`: Amazon SES `SendEmail` to the organisation's `notify_email`.
- `sms`: Amazon SNS `Publish` to the organisation's `notify_phone`.
Recipients are `org:{id}` (an organisation's contact) or `user:{sub}` (inbox only: people's
addresses live in the identity provider, not here). Delivery is at least once: a relay that dies
between sending and marking sends again; the inbox write is keyed by the message id, so it is not.
"""
from __future__ import annotations

import json
import os
from typing import Protocol

from functions.notifications.models import MailboxMessage
from functions.shared.audit import OutboxMessage
from functions.shared.cache import KeyedCache

# Outbox topic → notice text: each platform declares its own (its plugin.py `notices`), and start-up
# installs them here (functions/platforms.py `install`).
TEXTS: dict[str, str] = {}


def install_texts(texts: dict[str, str]) -> None:
    TEXTS.clear()
    TEXTS.update(texts)


def render(message: OutboxMessage) -> tuple[str, str]:
    """(subject, text) of a notice, in the words of TEXTS; a topic without words is still delivered."""
    return render_topic(message.topic, message.data)


def render_topic(topic: str, data: dict) -> tuple[str, str]:
    try:
        text = TEXTS[topic].format(**data)
    except KeyError:
        text = f"【青岛市服务企业统一平台】{topic}：{json.dumps(data, ensure_ascii=False)}"
    subject = f"{text.split('】', 1)[0].lstrip('【')} · {data.get('ticket_no', topic)}"
    return subject, text


class Channel(Protocol):
    name: str

    def deliver(self, message: OutboxMessage, recipient: str) -> None: ...


class Inbox:
    """Writes each notice to the recipient's in-app inbox (the mailbox table)."""

    name = "inbox"

    def deliver(self, message: OutboxMessage, recipient: str) -> None:
        # Keyed by the outbox message id, so delivering the same message twice writes one notice.
        MailboxMessage(
            recipient=recipient,
            at_id=f"{message.created_at}#{message.message_id}",
            topic=message.topic,
            payload=message.payload,
            message_id=message.message_id,
        ).save()


def _notify_addresses(org_id: str) -> tuple[str | None, str | None]:
    from functions.refdata.models import Organisation

    try:
        org = Organisation.get(org_id)
    except Organisation.DoesNotExist:
        return None, None
    return org.notify_email, org.notify_phone


# Read once per organisation per process, for five minutes (a changed address is used after that).
_addresses: KeyedCache[str, tuple[str | None, str | None]] = KeyedCache("notifications.addresses", _notify_addresses,
                                                                        ttl_seconds=300)


class Directory:
    """Organisations' notification addresses (`org:{id}` recipients; people have none here)."""

    def lookup(self, recipient: str) -> tuple[str | None, str | None]:
        kind, _, key = recipient.partition(":")
        if kind != "org":
            return None, None
        return _addresses.get(key)


class EmailChannel:
    name = "email"

    def __init__(self, client, sender: str, directory: Directory):
        self.client, self.sender, self.directory = client, sender, directory

    def deliver(self, message: OutboxMessage, recipient: str) -> None:
        address, _ = self.directory.lookup(recipient)
        if not address:
            return
        subject, text = render(message)
        self.client.send_email(
            Source=self.sender,
            Destination={"ToAddresses": [address]},
            Message={"Subject": {"Data": subject, "Charset": "UTF-8"}, "Body": {"Text": {"Data": text, "Charset": "UTF-8"}}},
        )


class SmsChannel:
    name = "sms"

    def __init__(self, client, directory: Directory):
        self.client, self.directory = client, directory

    def deliver(self, message: OutboxMessage, recipient: str) -> None:
        _, phone = self.directory.lookup(recipient)
        if not phone:
            return
        _, text = render(message)
        number = phone if phone.startswith("+") else f"+86{phone}"
        self.client.publish(PhoneNumber=number, Message=text)


class FanOut:
    """Every configured channel, in order; the inbox first, so the page shows a notice even if SMS fails."""

    def __init__(self, channels: list[Channel]):
        self.channels = channels
        self.name = "+".join(c.name for c in channels)

    def deliver(self, message: OutboxMessage, recipient: str) -> None:
        for channel in self.channels:
            channel.deliver(message, recipient)


_directory = Directory()


def channel_for_stage() -> Channel:
    import boto3

    names = [n.strip() for n in os.environ.get("NOTIFY_CHANNELS", "inbox").split(",") if n.strip()]
    channels: list[Channel] = [Inbox()]
    if "email" in names:
        channels.append(EmailChannel(boto3.client("ses"), os.environ.get("NOTIFY_EMAIL_SENDER", "noreply@qingdao-platform.example"), _directory))
    if "sms" in names:
        channels.append(SmsChannel(boto3.client("sns"), _directory))
    return FanOut(channels)
