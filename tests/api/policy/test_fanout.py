"""A published project reaches the enterprises it may suit: found through the district index, fanned out
over the queue a page at a time, notified per their settings, never twice (functions/policy/fanout.py)."""
from __future__ import annotations

import json

import pytest

from tests.support import body, json_headers

ZHENGRIXIN = "91370202MA3C4R7K75"  # 市南区, tax credit A: eligible
HAILIAN = "91370211MA3D2H8N0J"  # 黄岛区: outside the project's districts
BLUESEA = "91370212MA3EK9W53N"  # 崂山区, A: eligible
HENGXIN = "91370215MA3BX6T2X4"  # 即墨区, A: outside the project's districts
PROJECT_ID = "proj-test-fanout"
PROJECT = {
    "title": "2026年度纳税信用A级企业奖励", "summary": "对纳税信用A级企业给予一次性奖励。",
    "department_id": "unit-science-tech", "documents": [], "topics": ["税费减免", "中小企业"],
    "eligibility": {"all": [{"field": "tax_credit_rating", "op": "==", "value": "A"},
                            {"field": "district", "op": "in", "value": ["370202", "370212"]}]},
    "amount": {"kind": "fixed", "amount_fen": 5000000},
    "window": {"opens_on": "2026-11-01", "closes_on": "2026-12-31"}, "no_application": False,
    "review_stages": [{"name": "市科技局审核", "unit_id": "unit-science-tech"}],
    "form": {"type": "object", "properties": {}},
}


def publish_project(client, token, content=PROJECT, item_id=PROJECT_ID):
    headers = json_headers(token("admin-city"))
    draft = client.http.put(f"/api/policy-items/{item_id}/draft", headers=headers,
                            body=json.dumps({"content": content}, ensure_ascii=False))
    assert draft.status_code == 200, draft.body
    published = client.http.post(f"/api/policy-items/{item_id}/publish", headers=headers)
    assert published.status_code == 200, published.body
    return body(published)


def add_profile(body_code: str, district: str = "370202", rating: str | None = "A", topics=None, alerts=True):
    """Another enterprise of `district` with a profile (and settings, when `topics` or `alerts` say so)."""
    from functions.enterprises.models import EnterpriseProfile, NotificationSettings, SourcedText, district_of
    from functions.refdata.uscc import make_demo_uscc

    uscc = make_demo_uscc("91", district, body_code)
    profile = EnterpriseProfile(uscc=uscc, district=district_of(uscc), updated_at="2026-11-02T02:00:00.000000Z")
    profile.name = SourcedText(value=f"测试企业{body_code}", source="imported", as_of="2026-06-30")
    if rating:
        profile.tax_credit_rating = SourcedText(value=rating, source="imported", as_of="2026-04-30")
    profile.save()
    if topics is not None or not alerts:
        NotificationSettings(uscc=uscc, policy_alerts=alerts, topics=sorted(topics or [])).save()
    return uscc


@pytest.fixture
def queue(aws):
    import boto3

    from functions.policy import fanout
    from functions.settings import get_settings

    sqs = boto3.client("sqs", region_name="us-east-1")
    url = sqs.create_queue(QueueName=get_settings().queue_name(fanout.QUEUE))["QueueUrl"]
    return sqs, url


@pytest.fixture
def jobs(app, queue, clock):
    """Run the app's fan-out jobs as AWS would: the schedule once, then the queue until it is empty."""
    from functions.platform.jobs_runtime import list_jobs, run_queue_batch, run_scheduled

    sqs, url = queue
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    by_name = {job.name: job for job in list_jobs(app)}

    class Jobs:
        def start(self):
            return run_scheduled(app, by_name["start_policy_fanout"], clock.now(), "us-east-1")

        def drain(self) -> list[dict]:
            batches = []
            while True:
                result = run_queue_batch(app, by_name["fan_out_policy"], sqs, url, arn)
                if not result["seen"]:
                    return batches
                assert result["failed"] == 0, result
                batches.append(result)

    return Jobs()


def notified() -> list[str]:
    """The enterprises told of the project, from the outbox (every pending message: one Query per shard)."""
    from functions.policy.fanout import TOPIC
    from functions.shared.audit import OUTBOX_SHARDS, OutboxMessage

    found = []
    for shard in range(OUTBOX_SHARDS):
        for message in OutboxMessage.pending_index.query(f"p{shard}"):
            if message.topic == TOPIC:
                assert message.data["project_id"] == PROJECT_ID and message.data["title"] == PROJECT["title"]
                found += message.recipients
    return sorted(found)


def pending():
    from functions.policy.models import LIBRARY, IndexState

    return IndexState.get(LIBRARY, consistent_read=True).pending_fanout


def test_publishing_a_project_leaves_its_fan_out_pending_and_a_document_does_not(client, token, clock):
    before = pending()
    publish_project(client, token)
    assert pending() == (before or set()) | {f"{PROJECT_ID}#1"}
    document = {"level": "municipal", "issuer": "青岛市科学技术局", "department_id": "unit-science-tech",
                "title": "测试文件", "issued_on": "2026-01-10", "effective_from": "2026-02-01", "effective_to": None,
                "topics": [], "body": "正文"}
    publish_project(client, token, document, "doc-test-fanout")
    assert pending() == (before or set()) | {f"{PROJECT_ID}#1"}


def test_the_eligible_subscribed_enterprises_are_told_and_nobody_else(client, token, clock, jobs, monkeypatch):
    from functions.notifications.channels import render_topic
    from functions.policy import fanout

    monkeypatch.setattr(fanout, "PAGE_SIZE", 2)  # 市南区 holds 5 profiles, 崂山区 3: five pages
    topical = add_profile("MA3FAN01", topics=["中小企业"])  # A, wants one of the project's topics
    add_profile("MA3FAN02", topics=["海洋经济"])  # A, wants other topics only
    add_profile("MA3FAN03", alerts=False)  # A, alerts off
    add_profile("MA3FAN04", rating="B")  # not eligible
    add_profile("MA3FAN05", district="370212", rating=None)  # unknown: never told
    add_profile("MA3FAN08", district="370212", rating="B")  # not eligible
    add_profile("MA3FAN06", district="370211")  # eligible but for its district: its district is not queried
    publish_project(client, token)

    assert jobs.start() == {"projects": 1, "messages": 2}  # 市南区 and 崂山区
    assert not pending()
    pages = jobs.drain()
    assert sum(p["changed"] for p in pages) == 5  # 市南区: 3 pages (2, 2, 1); 崂山区: 2 pages (2, 1)
    assert notified() == sorted([f"org:{ZHENGRIXIN}", f"org:{BLUESEA}", f"org:{topical}"])
    assert jobs.start() == {"projects": 0, "messages": 0}  # nothing waits any more
    assert render_topic(fanout.TOPIC, {"title": PROJECT["title"]})[1] == \
        "【青岛政策通】新政策项目《2026年度纳税信用A级企业奖励》您可能符合条件，请登录查看。"


def test_a_redelivered_page_tells_nobody_twice(client, token, clock, jobs, queue, monkeypatch):
    from functions.policy import fanout

    monkeypatch.setattr(fanout, "PAGE_SIZE", 1)
    second = add_profile("MA3FAN07")
    publish_project(client, token)
    jobs.start()
    jobs.drain()
    told = notified()
    assert told == sorted([f"org:{ZHENGRIXIN}", f"org:{BLUESEA}", f"org:{second}"])
    # Every first page delivered again (a Lambda that timed out after its commit): each is refused as a
    # whole, and the chain behind it, sent again, is refused page by page.
    sqs, url = queue
    fanout.send([{"project_id": PROJECT_ID, "version": 1, "district": d, "cursor": None} for d in ("370202", "370212")])
    redelivered = [fanout.fan_out_page(json.loads(m["Body"]), clock.now())
                   for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]]
    assert [r["repeated"] for r in redelivered] == [True, True]
    assert all(r["notified"] == 0 for r in redelivered)
    jobs.drain()
    assert notified() == told


def test_one_page_costs_a_fixed_number_of_calls(client, token, clock, queue, dynamo_calls, monkeypatch):
    from functions.policy import fanout

    monkeypatch.setattr(fanout, "PAGE_SIZE", 10)
    add_profile("MA3FAN01")
    publish_project(client, token)
    dynamo_calls.reset()
    result = fanout.fan_out_page({"project_id": PROJECT_ID, "version": 1, "district": "370202", "cursor": None},
                                 clock.now())
    assert (result["seen"], result["notified"]) == (2, 2)
    # the project, a page of the district's profiles, the eligible ones' settings, the notices
    assert dict(dynamo_calls.by_operation) == {"GetItem": 1, "Query": 1, "BatchGetItem": 1, "TransactWriteItems": 1}
    dynamo_calls.reset()
    nobody = fanout.fan_out_page({"project_id": PROJECT_ID, "version": 1, "district": "370211", "cursor": None},
                                 clock.now())
    assert nobody["notified"] == 0
    assert dict(dynamo_calls.by_operation) == {"GetItem": 1, "Query": 1}  # nobody eligible: nothing more
    dynamo_calls.reset()
    assert fanout.start(clock.now()) == {"projects": 1, "messages": 2}
    assert dict(dynamo_calls.by_operation) == {"GetItem": 2, "UpdateItem": 1}  # the state, the project; the DELETE
    dynamo_calls.reset()
    assert fanout.start(clock.now()) == {"projects": 0, "messages": 0}
    assert dict(dynamo_calls.by_operation) == {"GetItem": 1}  # idle


def test_a_withdrawn_or_revised_version_is_not_fanned_out(client, token, clock, jobs):
    publish_project(client, token)
    publish_project(client, token, {**PROJECT, "summary": "修订后的说明。"})  # version 2 supersedes 1
    assert {f"{PROJECT_ID}#1", f"{PROJECT_ID}#2"} <= pending()
    assert jobs.start() == {"projects": 1, "messages": 2}  # version 2 only
    withdrawn = client.http.post(f"/api/policy-items/{PROJECT_ID}/withdraw", headers=json_headers(token("admin-city")),
                                 body=json.dumps({"reason": "政策调整"}, ensure_ascii=False))
    assert withdrawn.status_code == 200, withdrawn.body
    assert jobs.drain()  # the queued pages find the project withdrawn
    assert notified() == []


def test_a_profile_first_declared_is_in_its_district_index(clock):
    from functions.enterprises import service
    from functions.enterprises.models import EnterpriseProfile
    from functions.identity.principal import Principal
    from functions.shared.audit import UnitOfWork

    lvye = "91370283MA3J8D4Y22"  # 平度绿野: in the directory, no profile seeded, no demo user
    assert list(EnterpriseProfile.district_index.query("370283")) == []
    me = Principal("ent-lvye", "enterprise", lvye, "370283")  # what a login of it would give
    uow = UnitOfWork.for_actor(me, "req-1", clock.now())
    service.declare(uow, me, lvye, {"tax_credit_rating": "A"})
    uow.commit()
    assert [p.uscc for p in EnterpriseProfile.district_index.query("370283")] == [lvye]
