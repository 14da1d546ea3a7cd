"""The local mailbox: where notices go on local and dev stages instead of SMS or email.

Access pattern: a recipient's notices, newest first → mailbox: hash `recipient`, range `at_id` → Query.
"""
from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name


class MailboxMessage(Model):
    class Meta(BaseMeta):
        table_name = table_name("mailbox")

    recipient = UnicodeAttribute(hash_key=True)
    at_id = UnicodeAttribute(range_key=True)
    topic = UnicodeAttribute()
    payload = UnicodeAttribute()
    message_id = UnicodeAttribute()
