"""Notification routes: a signed-in person's inbox (notices to them and to their organisation)."""
from __future__ import annotations

import json

from functions.api.routes import ApiBlueprint, Call
from functions.notifications import service
from functions.notifications.channels import render_topic
from functions.notifications.schemas import InboxQuery, NoticeOut
from functions.shared.clock import parse_instant

bp = ApiBlueprint(__name__, tag="notifications")


@bp.api("/inbox", summary="My newest notices, to me and to my organisation, newest first", query=InboxQuery,
        response=list[NoticeOut])
def my_inbox(call: Call):
    notices = []
    for message in service.my_notices(call.caller, call.query.limit):
        data = json.loads(message.payload)
        subject, text = render_topic(message.topic, data)
        notices.append(NoticeOut(id=message.message_id, topic=message.topic, subject=subject, text=text, data=data,
                                 recipient=message.recipient, at=parse_instant(message.at_id.split("#")[0])))
    return notices
