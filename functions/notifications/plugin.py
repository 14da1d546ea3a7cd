"""Notifications: the outbox relay and the in-app inbox (and its route)."""
from functions.shared.plugins import JobAccess, Plugin

PLUGIN = Plugin(
    name="notifications",
    blueprints=("functions.notifications.routes:bp", "functions.notifications.jobs:bp"),
    models=("functions.notifications.models:MailboxMessage",),
    job_access={
        # The outbox relay, through the inbox and NOTIFY_CHANNELS; orgs: the e-mail and SMS addresses.
        "relay_outbox": JobAccess(tables={"outbox/index/pending-index": ("Query",), "outbox": ("UpdateItem",),
                                          "mailbox": ("PutItem",), "orgs": ("GetItem",)}, notifies=True),
    },
)
