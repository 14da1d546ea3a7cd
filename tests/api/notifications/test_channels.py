"""Delivery channels: the in-app inbox, and the SES and SNS adapters against moto."""
from __future__ import annotations

import boto3
import pytest

from functions.notifications.channels import Directory, EmailChannel, FanOut, Inbox, SmsChannel, render
from functions.notifications.models import MailboxMessage
from functions.notifications.service import relay_pending
from functions.shared.audit import UnitOfWork


@pytest.fixture
def tax_contacts(seeded):
    from functions.refdata.models import Organisation

    org = Organisation.get("unit-tax")
    org.notify_email, org.notify_phone = "tax-appeals@qingdao.example", "13900000001"
    org.save()


def emit(clock, topic="appeal.dispatched", **payload):
    uow = UnitOfWork("tester", "dispatcher", "unit-dispatch", f"req-{topic}", clock.now())
    payload = {"ticket_no": "370200-0000007", "title": "留抵退税迟迟未到账", **payload}
    uow.emit(topic, payload, recipients=["org:unit-tax", "user:staff-tax"])
    uow.commit()


def test_render_uses_plain_words_and_survives_unknown_topics(clock):
    from functions.shared.audit import OutboxMessage

    known = OutboxMessage(message_id="m1", topic="appeal.dispatched", payload='{"ticket_no": "T1", "title": "电力增容"}', created_at="x")
    subject, text = render(known)
    assert subject == "青诉即办 · T1" and "电力增容" in text and "2小时内" in text
    unknown = OutboxMessage(message_id="m2", topic="something.new", payload='{"a": 1}', created_at="x")
    assert "something.new" in render(unknown)[1]


def test_email_and_sms_reach_the_units_contacts(aws, clock, tax_contacts):
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends

    ses = boto3.client("ses", region_name="us-east-1")
    ses.verify_email_identity(EmailAddress="noreply@qingdao-platform.example")
    sns = boto3.client("sns", region_name="us-east-1")
    directory = Directory()
    channel = FanOut([Inbox(), EmailChannel(ses, "noreply@qingdao-platform.example", directory), SmsChannel(sns, directory)])
    emit(clock)
    assert relay_pending(clock.now(), channel=channel).as_dict() == {"seen": 1, "changed": 1, "failed": 0}
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    assert [m.destinations["ToAddresses"] for m in sent] == [["tax-appeals@qingdao.example"]]
    sms = sns_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sms_messages
    assert [(number, "370200-0000007" in text) for number, text in ((v[0], v[1]) for v in sms.values())] == [("+8613900000001", True)]
    # people get the in-app inbox only; both recipients have it
    assert len(list(MailboxMessage.query("org:unit-tax"))) == 1
    assert len(list(MailboxMessage.query("user:staff-tax"))) == 1


def test_a_failing_channel_keeps_the_message_pending(aws, clock):
    class Broken:
        name = "broken"

        def deliver(self, message, recipient):
            raise ConnectionError("sms gateway down")

    emit(clock)
    assert relay_pending(clock.now(), channel=FanOut([Inbox(), Broken()])).as_dict() == {"seen": 1, "changed": 0, "failed": 1}
    assert relay_pending(clock.now(), channel=FanOut([Inbox()])).as_dict() == {"seen": 1, "changed": 1, "failed": 0}
    assert len(list(MailboxMessage.query("org:unit-tax"))) == 1  # delivered twice, stored once
