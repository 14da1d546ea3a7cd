"""Monthly credit snapshots as AWS runs them: the start (the schedule, or the city's admin), then the
queue's pages until it is empty, on moto's SQS with a dead-letter queue behind it. One snapshot per
enterprise and month, chained to the previous month's; starting the month again writes nothing; a page
that fails every attempt lands in the dead-letter queue and shows on the run."""
from __future__ import annotations

import hashlib
import json
import pytest

from tests.support import assert_problem, bearer, body, json_headers

ZHENGRIXIN = "91370202MA3C4R7K75"  # 市南区, demo credit items
PENALTY = {"kind": "penalty", "source": "信用中国（山东青岛）", "as_of": "2026-12-10",
           "data": {"decision_no": "青南市监罚〔2026〕88号", "authority": "青岛市市南区市场监督管理局",
                    "reason": "未按规定明码标价", "penalty": "警告", "amount_fen": 100000, "decided_on": "2026-12-09"}}


@pytest.fixture
def stage(app, seeded, client, token, clock):
    """The snapshot queue with its dead-letter queue (as infra and the local stack make them: failed
    messages come back at once here, visibility 0), the bucket, and the jobs run as AWS would."""
    import boto3

    from functions.finance.snapshots import service
    from functions.platform.jobs_runtime import list_jobs, run_queue_batch, run_scheduled
    from functions.settings import get_settings
    from functions.shared import queues

    sqs = boto3.client("sqs", region_name="us-east-1")
    dead = sqs.create_queue(QueueName=queues.dead_letter_name(service.QUEUE))["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = sqs.create_queue(QueueName=queues.stage_name(service.QUEUE), Attributes={
        "VisibilityTimeout": "0",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dead_arn, "maxReceiveCount": queues.MAX_RECEIVE_COUNT})})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket=get_settings().bucket_name)
    jobs = {job.name: job for job in list_jobs(app)}
    tokens: dict[str, str] = {}

    def token_of(user: str) -> str:  # once per person: signing in is not part of a route's cost
        if user not in tokens:
            tokens[user] = token(user)
        return tokens[user]

    class Stage:
        def schedule(self):
            return run_scheduled(app, jobs["start_credit_snapshots"], clock.now(), "us-east-1")

        def start(self, user="admin-city"):
            return client.http.post("/api/finance/snapshots/run", headers=json_headers(token_of(user)))

        def drain(self) -> dict[str, int]:
            total = {"seen": 0, "changed": 0, "failed": 0}
            for _ in range(500):
                result = run_queue_batch(app, jobs["snapshot_credit_page"], sqs, url, arn)
                if not result["seen"]:
                    return total
                total = {k: total[k] + result[k] for k in total}
            raise AssertionError("the queue never emptied")

        def dead_letters(self) -> list[dict]:
            return sqs.receive_message(QueueUrl=dead, MaxNumberOfMessages=10).get("Messages", [])

        def objects(self, month: str) -> dict[str, bytes]:
            found = {}
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=get_settings().bucket_name,
                                                                      Prefix=f"{service.PREFIX}/{month}/"):
                for entry in page.get("Contents", []):
                    found[entry["Key"]] = s3.get_object(Bucket=get_settings().bucket_name, Key=entry["Key"])["Body"].read()
            return found

        def runs(self, user="admin-city"):
            return client.http.get("/api/finance/snapshots", headers=bearer(token_of(user)))

        def mine(self, user="ent-zhengrixin", uscc=ZHENGRIXIN):
            return client.http.get(f"/api/enterprises/{uscc}/credit-snapshots", headers=bearer(token_of(user)))

    return Stage()


def _profiles() -> set[str]:
    from functions.enterprises.models import EnterpriseProfile
    from functions.refdata.divisions import DIVISIONS

    return {p.uscc for d in DIVISIONS for p in EnterpriseProfile.district_index.query(d.code)}


def _snapshot(uscc: str, month: str):
    from functions.finance.snapshots.models import CreditSnapshot

    return CreditSnapshot.get(uscc, month)


def test_a_month_snapshots_every_enterprise_once_and_again_writes_nothing(stage, clock):
    # A chain per key range of each division: 18 ranges × (the city and its 10 districts).
    assert stage.schedule() == {"month": "2026-10", "again": False, "messages": 198}
    drained = stage.drain()
    assert drained["failed"] == 0
    enterprises = _profiles()
    assert len(enterprises) >= 4
    objects = stage.objects("2026-10")
    assert len(objects) == len(enterprises)
    run = body(stage.runs())["items"][0]
    assert run["month"] == "2026-10" and run["status"] == "completed" and run["as_of"] == "2026-11-01T00:00:00+08:00"
    assert (run["written"], run["first"], run["unchanged"], run["failed_pages"]) == (len(enterprises), len(enterprises), 0, 0)
    assert run["chains_done"] == run["chains"] == 198
    for key, data in objects.items():  # each object is the canonical JSON its record's hash is of
        document = json.loads(data)
        record = _snapshot(document["uscc"], "2026-10")
        assert record.object_key == key and hashlib.sha256(data).hexdigest() == record.sha256
        assert data == json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        assert document["previous"] is None and document["report"]["generated_at"] == "2026-11-01T00:00:00+08:00"
        assert {c["change"] for c in document["changes"]} <= {"added"}

    # Run twice: one snapshot each, not a byte changed.
    clock.advance(hours=3)
    started = stage.start()
    assert started.status_code == 202 and body(started) == {"month": "2026-10", "again": True, "messages": 198}
    assert stage.drain()["failed"] == 0
    assert stage.objects("2026-10") == objects
    again = body(stage.runs())["items"][0]
    assert {k: v for k, v in again.items() if k not in ("starts", "last_started_at")} == \
        {k: v for k, v in run.items() if k not in ("starts", "last_started_at")}
    assert again["starts"] == 2


def test_next_month_chains_to_the_last_and_lists_what_changed(stage, clock, client, token):
    stage.schedule()
    stage.drain()
    october = _snapshot(ZHENGRIXIN, "2026-10")
    clock.advance(days=20)  # 2026-12-10
    imported = client.http.post(f"/api/enterprises/{ZHENGRIXIN}/credit-items", headers=json_headers(token("admin-city")),
                                body=json.dumps({"items": [PENALTY]}, ensure_ascii=False))
    assert imported.status_code == 200, imported.body
    assert stage.schedule()["month"] == "2026-11"
    assert stage.drain()["failed"] == 0
    november = _snapshot(ZHENGRIXIN, "2026-11")
    assert (november.previous_month, november.previous_sha256) == ("2026-10", october.sha256)
    assert november.changes == [{"entry": "penalty:penalty#青南市监罚〔2026〕88号", "section": "penalty", "change": "added"}]
    document = json.loads(stage.objects("2026-11")[november.object_key])
    assert document["previous"] == {"month": "2026-10", "sha256": october.sha256}
    run = body(stage.runs())["items"][0]
    assert run["month"] == "2026-11" and run["first"] == 0 and run["written"] == len(_profiles())
    assert run["unchanged"] == run["written"] - 1  # only 正日信's report changed in November
    # The enterprise sees its chain, newest first.
    mine = body(stage.mine())["items"]
    assert [(s["month"], s["previous_sha256"]) for s in mine] == [("2026-11", october.sha256), ("2026-10", None)]
    assert mine[0]["sha256"] == november.sha256
    assert mine[0]["changes"] == [{"entry": "penalty:penalty#青南市监罚〔2026〕88号", "section": "penalty", "section_zh": "行政处罚",
                                   "section_en": "Administrative penalties", "change": "added"}]


def test_a_gap_chains_to_the_latest_snapshot_before_it(stage, clock):
    stage.schedule()
    stage.drain()
    october = _snapshot(ZHENGRIXIN, "2026-10")
    clock.advance(days=50)  # 2027-01-09: November never ran
    assert stage.schedule()["month"] == "2026-12"
    stage.drain()
    december = _snapshot(ZHENGRIXIN, "2026-12")
    assert (december.previous_month, december.previous_sha256) == ("2026-10", october.sha256)


def test_a_page_failing_every_attempt_lands_in_the_dead_letter_queue_and_shows_on_the_run(stage, monkeypatch):
    from functions.finance.snapshots import service
    from functions.shared import queues

    real = service.compose_live

    def broken(uscc, *args, **kwargs):
        if uscc == ZHENGRIXIN:
            raise RuntimeError("the credit items' table is unreachable")
        return real(uscc, *args, **kwargs)

    monkeypatch.setattr(service, "compose_live", broken)
    stage.schedule()
    drained = stage.drain()
    assert drained["failed"] == queues.MAX_RECEIVE_COUNT  # every attempt, then SQS moved it
    (dead,) = stage.dead_letters()
    lost = json.loads(dead["Body"])
    assert (lost["month"], lost["district"], lost["cursor"], lost["page"]) == ("2026-10", "370202", None, 1)
    answer = body(stage.runs("auditor-city"))
    assert answer["dead_letter_queue"].endswith("-credit-snapshots-dlq")
    run = answer["items"][0]
    assert run["status"] == "failed" and run["failed_pages"] == 1 and run["chains_done"] == 197
    assert [(f["district"], f["segment"], f["page"]) for f in run["failures"]] == [("370202", lost["segment"], 1)]
    assert "unreachable" in run["failures"][0]["error"]
    written = run["written"]
    with pytest.raises(Exception):
        _snapshot(ZHENGRIXIN, "2026-10")

    # Mended, and started again by the city's admin: only the missing page's snapshots are written.
    monkeypatch.setattr(service, "compose_live", real)
    assert stage.start().status_code == 202
    assert stage.drain()["failed"] == 0
    run = body(stage.runs())["items"][0]
    assert run["status"] == "completed" and run["written"] > written
    assert run["written"] == len(_profiles())
    assert _snapshot(ZHENGRIXIN, "2026-10").sha256


def test_who_may_see_and_start_the_runs(stage):
    assert stage.runs("supervisor-city").status_code == 200
    assert body(stage.runs("auditor-city"))["items"] == []
    for user in ("admin-laoshan", "ent-zhengrixin", "staff-tax"):
        assert stage.runs(user).status_code == 403, user
    for user in ("auditor-city", "admin-laoshan", "supervisor-city"):
        assert_problem(stage.start(user), 403)
    assert stage.start().status_code == 202
    # An enterprise sees its own snapshots only; another's are not there for it.
    assert stage.mine().status_code == 200
    assert_problem(stage.mine("ent-bluesea-soft"), 404)
    assert_problem(stage.mine("admin-city"), 403)



def test_call_budgets_of_the_routes_and_of_a_page(stage, dynamo_calls, clock):
    """What a route or a page of the queue costs in DynamoDB calls: deterministic, so held here."""
    from functions.finance.snapshots import service

    stage.schedule()
    stage.drain()
    stage.runs(), stage.mine()  # tokens and first reads out of the count
    dynamo_calls.reset()
    assert stage.runs().status_code == 200
    assert dynamo_calls.by_operation == {"Query": 1}, dynamo_calls.by_operation
    dynamo_calls.reset()
    assert stage.mine().status_code == 200
    assert dynamo_calls.by_operation == {"Query": 1}, dynamo_calls.by_operation

    # A page of next month for 市南区's 91…M range (正日信 alone, chained to October): the run, the
    # range's page, this and last month's snapshots, the report's three Queries (credit items, paid
    # awards, demands), the transaction of its record and the counters, and the completion's update.
    from functions.finance.snapshots.models import SnapshotRun

    clock.advance(days=20)
    SnapshotRun(month="2026-11", as_of="2026-11-30T16:00:00Z", started_at="2026-12-10T02:00:00Z", chains=198).save()
    dynamo_calls.reset()
    result = service.snapshot_page({"month": "2026-11", "district": "370202", "segment": 6, "cursor": None, "page": 1},
                                   clock.now())
    assert result == {"seen": 1, "written": 1, "next": False}
    assert dynamo_calls.by_operation == {"GetItem": 1, "Query": 4, "BatchGetItem": 1, "TransactWriteItems": 1,
                                         "UpdateItem": 1}, dynamo_calls.by_operation
