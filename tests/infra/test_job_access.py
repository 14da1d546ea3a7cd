"""Each scheduled/queue job's role equals what the job touches: its platforms' `job_access` (plugin.py).

Every job the app registers runs under moto through a story that takes it down each of its paths
(nothing to do, warnings, breaches and escalation, auto-close, delivery through every channel,
failed delivery, abandoned ticket numbers). Each run happens in a freshly imported app, as in a
cold Lambda process, so reads that a warm process caches (settings, keys, directories) are seen.
The test records the tables, indexes and DynamoDB actions PynamoDB sends while the job runs
(`Connection._make_api_call`, transactions and batches broken into their item actions, which is
how IAM authorises them) and requires them to equal the job's declaration: a job that starts
touching another table, or stops needing a grant, fails here rather than in production.
"""
from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
from datetime import datetime
from typing import Any, Callable

import pytest
from pynamodb.connection.base import Connection

from infra.resources import JOB_ACCESS
from tests.support import SAMPLE_APPEAL, json_headers

# Further tax matters of the same enterprise, distinct enough not to be merged as duplicates.
OTHER_TAX_MATTERS = (
    ("增值税专用发票领用额度不够用", "我司业务量增长，每月增值税专用发票领用数量不足，申请提高发票领用额度，请税务部门协助办理。"),
    ("研发费用加计扣除政策咨询", "我司想了解研发费用加计扣除的申报口径和所需材料，希望税务部门给予辅导。"),
)
TRANSACT_WRITE_ACTIONS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem"}


def iam_requests(operation: str, kwargs: dict) -> list[tuple[str, str]]:
    """(table or table/index/name, IAM action) pairs one DynamoDB call is authorised by."""
    if operation == "TransactWriteItems":
        return [
            (spec["TableName"], TRANSACT_WRITE_ACTIONS[kind])
            for item in kwargs["TransactItems"]
            for kind, spec in item.items()
        ]
    if operation == "TransactGetItems":
        return [(item["Get"]["TableName"], "GetItem") for item in kwargs["TransactItems"]]
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [(table, operation) for table in kwargs["RequestItems"]]
    table = kwargs["TableName"]
    if kwargs.get("IndexName"):
        table = f"{table}/index/{kwargs['IndexName']}"
    return [(table, operation)]


def declared(job: str) -> set[tuple[str, str]]:
    return {(key, action) for key, actions in JOB_ACCESS[job].tables.items() for action in actions}


def _app_modules() -> list[str]:
    return [n for n in sys.modules if n == "app" or n == "functions" or n.startswith("functions.")]


@contextlib.contextmanager
def cold_process(now: datetime):
    """The app imported afresh (every module-level cache empty), with the test's clock; the test's
    own modules are put back afterwards."""
    saved = {name: sys.modules.pop(name) for name in _app_modules()}
    try:
        app_module = importlib.import_module("app")
        clock = importlib.import_module("functions.shared.clock")
        clock.set_clock(clock.FixedClock(now))  # deployed stages run on the system clock, no table
        yield app_module.app
    finally:
        for name in _app_modules():
            del sys.modules[name]
        sys.modules.update(saved)


class Story:
    """What a story needs: the API (to make work for the job), the clock, and `run()`."""

    def __init__(self, job: str, client, token, clock, monkeypatch):
        self.job, self.client, self.token, self.clock, self.monkeypatch = job, client, token, clock, monkeypatch
        self.touched: set[tuple[str, str]] = set()
        self.results: list[Any] = []
        self._recording = False
        prefix = os.environ["TABLE_PREFIX"] + "-"
        original = Connection._make_api_call
        story = self

        def recording(connection, operation, kwargs):
            if story._recording:
                for table, action in iam_requests(operation, kwargs):
                    assert table.startswith(prefix), table
                    story.touched.add((table[len(prefix):], action))
            return original(connection, operation, kwargs)

        monkeypatch.setattr(Connection, "_make_api_call", recording)

    def submit(self, matter: int = 0, user: str = "ent-zhengrixin") -> dict:
        """A new appeal (not a duplicate of an open one) that the demo rules send to the tax bureau."""
        title, content = OTHER_TAX_MATTERS[matter - 1] if matter else (SAMPLE_APPEAL["title"], SAMPLE_APPEAL["content"])
        response = self.client.http.post("/api/appeals", headers=json_headers(self.token(user)),
                                         body=json.dumps({**SAMPLE_APPEAL, "title": title, "content": content},
                                                         ensure_ascii=False))
        assert response.status_code == 201, response.body
        return json.loads(response.body)

    def act(self, user: str, appeal_id: str, action: str, **fields) -> None:
        response = self.client.http.post(f"/api/appeals/{appeal_id}/{action}", headers=json_headers(self.token(user)),
                                         body=json.dumps(fields, ensure_ascii=False))
        assert response.status_code == 200, (action, response.body)

    def run(self) -> Any:
        """Run the job once, in a cold process, recording what it touches."""
        from functions.platform.jobs_runtime import list_jobs, run_queue_batch, run_scheduled

        with cold_process(self.clock.now()) as app:
            job = {j.name: j for j in list_jobs(app)}[self.job]
            self._recording = True
            try:
                if job.kind == "queue":
                    import boto3

                    sqs = boto3.client("sqs", region_name=os.environ["AWS_DEFAULT_REGION"])
                    url = sqs.create_queue(QueueName=job.queue)["QueueUrl"]
                    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                    result = run_queue_batch(app, job, sqs, url, queue_arn)
                else:
                    result = run_scheduled(app, job, self.clock.now(), os.environ["AWS_DEFAULT_REGION"])
            finally:
                self._recording = False
        self.results.append(result)
        return result


# --------------------------------------------------------------------------------------------
# One story per job. Each also checks that it reached the paths it is there for, so a story that
# stops exercising a path fails instead of quietly recording less.


def sweep_clocks_story(story: Story) -> None:
    story.run()  # nothing due: one query per shard
    story.submit()
    story.clock.advance(minutes=96)  # 80% of the 2-hour contact clock
    assert story.run()["warned"] == 1
    story.clock.advance(minutes=24)  # breached: marked, escalated to the supervisory units, counted
    assert story.run()["breached"] == 1
    # An appeal resolved and never confirmed: auto-closed when its confirmation clock runs out.
    second = story.submit(1)["id"]
    for step, fields in (("accept", {}), ("contact", {"method": "phone"}), ("feedback", {"text": "正在核实"}),
                         ("resolve", {"result": "已办结"})):
        story.clock.advance(minutes=5)
        story.act("staff-tax", second, step, **fields)
    story.clock.advance(days=8)
    result = story.run()
    assert result["changed"] >= 1, result
    view = story.client.http.get(f"/api/appeals/{second}", headers=json_headers(story.token("ent-zhengrixin")))
    assert json.loads(view.body)["status"] == "closed"
    _policy_clocks(story)
    _finance_lease(story)


def _finance_lease(story: Story) -> None:
    """A bank's claim on a financing demand lapses: the demand goes back to the pool."""
    import uuid

    def post(user: str, path: str, **fields) -> dict:
        headers = {**json_headers(story.token(user)), "Idempotency-Key": str(uuid.uuid4())}
        response = story.client.http.post(path, headers=headers, body=json.dumps(fields, ensure_ascii=False))
        assert response.status_code in (200, 201), response.body
        return json.loads(response.body)

    demand_id = post("ent-zhengrixin", "/api/finance/demands", amount_fen=50_000_000, term_months=12,
                     purpose="购买生产设备，扩大产能", guarantee="credit")["id"]
    post("bank-qrcb-client", f"/api/bank/v1/demands/{demand_id}/claim")
    story.clock.advance(days=5)  # past the lease of 1 working day
    assert story.run()["breached"] >= 1
    view = story.client.http.get(f"/api/finance/demands/{demand_id}", headers=json_headers(story.token("ent-zhengrixin")))
    assert json.loads(view.body)["status"] == "open"


def _policy_clocks(story: Story) -> None:
    """A policy application's review stage warned and breached, then its public notice closed."""
    import boto3

    from functions.policy.seed import seed
    from functions.settings import get_settings

    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=get_settings().bucket_name)
    seed()

    def post(user: str, path: str, **fields) -> dict:
        response = story.client.http.post(path, headers=json_headers(story.token(user)), body=json.dumps(fields, ensure_ascii=False))
        assert response.status_code in (200, 201), response.body
        return json.loads(response.body)

    # (the clock has moved 8 days since 2026-11-20: the project's window is still open)
    app_id = post("ent-bluesea-soft", "/api/projects/proj-qd-high-tech-first-2026/applications",
                  form={"contact": "李娜", "phone": "13912345678", "cert_no": "GR1", "cert_date": "2026-10-28", "rd_expense": 1})["id"]
    story.clock.advance(days=12)  # past 80% of the stage's 10 working days
    assert story.run()["warned"] >= 1
    story.clock.advance(days=4)
    assert story.run()["breached"] >= 1
    for _ in range(2):
        post("staff-science", f"/api/applications/{app_id}/approve", amount_fen=20_000_000)
    post("staff-science", "/api/projects/proj-qd-high-tech-first-2026/notices", application_ids=[app_id])
    story.clock.advance(days=9)  # past the 5 working days of the notice
    assert story.run()["breached"] >= 1
    view = story.client.http.get(f"/api/applications/{app_id}", headers=json_headers(story.token("ent-bluesea-soft")))
    assert json.loads(view.body)["status"] == "awarded"


def relay_outbox_story(story: Story) -> None:
    from functions.refdata.models import Organisation

    story.run()  # nothing pending
    story.submit()
    assert story.run()["changed"] >= 1  # the in-app inbox only (every stage)
    # E-mail and SMS as well, to a unit with addresses: first with SES refusing the sender (a failed
    # delivery is recorded on the message), then accepted.
    import boto3

    org = Organisation.get("unit-tax")
    org.notify_email, org.notify_phone = "tax-appeals@qingdao.example", "13900000001"
    org.save()
    story.monkeypatch.setenv("NOTIFY_CHANNELS", "inbox,email,sms")
    story.submit(1)
    assert story.run()["failed"] >= 1
    boto3.client("ses", region_name=os.environ["AWS_DEFAULT_REGION"]).verify_email_identity(
        EmailAddress=os.environ.get("NOTIFY_EMAIL_SENDER", "noreply@qingdao-platform.example")
    )
    assert story.run()["changed"] >= 1


def audit_tickets_story(story: Story) -> None:
    from functions.appeals import service
    from functions.appeals.models import TicketCounter

    story.run()  # nothing claimed yet
    story.submit()  # a number claimed and committed
    TicketCounter(name=service.TICKET_COUNTER).update(actions=[TicketCounter.value.add(1)])  # claimed, never committed
    story.run()  # notes the counter
    story.clock.advance(minutes=10)
    assert story.run()["changed"] == 1  # the abandoned number is voided; the committed one is known


def settle_notices_story(story: Story) -> None:
    import uuid
    from pathlib import Path

    from functions.calendar import service
    from functions.calendar.notices import parse_notice
    from functions.shared.audit import UnitOfWork
    from functions.shared.clock import SHANGHAI

    story.run()  # no notice beyond the packaged years: one query of the notices
    # A deadline running into 2027 before its notice is known: provisional, filed under 2027.
    started = datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI)
    clock = service.new_clock(service.get_calendar(started), "appeal#settle", "resolve_by", "working_days:15", started)
    clock.save()
    assert clock.provisional
    # The 2027 notice stored, as by a load whose recompute was interrupted after the commit.
    notice = parse_notice((Path(__file__).parents[1] / "unit" / "calendar" / "example_notice_2027.json").read_text(encoding="utf-8"))
    uow = UnitOfWork("admin-city", "admin", "unit-admin", uuid.uuid4().hex, story.clock.now())
    service.stage_notice(uow, notice, "admin-city")
    uow.commit()
    assert story.run()["changed"] == 1  # settled by the job


def build_policy_index_story(story: Story) -> None:
    import boto3

    from functions.settings import get_settings

    from functions.policy.seed import seed

    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=get_settings().bucket_name)
    seed()  # the demo library (the shared `seeded` fixture leaves it out)
    assert story.run()["built"] > 0  # the demo library, never indexed: built and stored
    assert story.run()["built"] == 0  # unchanged since: only the state is read


FANOUT_PROJECT = {
    "title": "2026年度纳税信用A级企业奖励", "summary": "对纳税信用A级企业给予一次性奖励。",
    "department_id": "unit-science-tech", "documents": [], "topics": ["税费减免"],
    "eligibility": {"all": [{"field": "tax_credit_rating", "op": "==", "value": "A"},
                            {"field": "district", "op": "in", "value": ["370202", "370212"]}]},
    "amount": {"kind": "fixed", "amount_fen": 5000000},
    "window": {"opens_on": "2026-11-01", "closes_on": "2026-12-31"}, "no_application": False,
    "review_stages": [{"name": "市科技局审核", "unit_id": "unit-science-tech"}],
    "form": {"type": "object", "properties": {}},
}


def _publish_fanout_project(story: Story) -> None:
    """A project published over the API (its fan-out pending), and the stage's fan-out queue."""
    import boto3

    from functions.policy import fanout
    from functions.settings import get_settings

    boto3.client("sqs", region_name=os.environ["AWS_DEFAULT_REGION"]).create_queue(
        QueueName=get_settings().queue_name(fanout.QUEUE))
    headers = json_headers(story.token("admin-city"))
    draft = story.client.http.put("/api/policy-items/proj-story-fanout/draft", headers=headers,
                                  body=json.dumps({"content": FANOUT_PROJECT}, ensure_ascii=False))
    assert draft.status_code == 200, draft.body
    assert story.client.http.post("/api/policy-items/proj-story-fanout/publish", headers=headers).status_code == 200


def start_policy_fanout_story(story: Story) -> None:
    story.run()  # nothing pending: the state only
    _publish_fanout_project(story)
    assert story.run() == {"projects": 1, "messages": 2}  # the project read, two districts queued, the entry dropped
    assert story.run() == {"projects": 0, "messages": 0}


def fan_out_policy_story(story: Story) -> None:
    from functions.policy import fanout
    from functions.shared.clock import get_clock

    story.run()  # an empty queue: nothing received, nothing read
    _publish_fanout_project(story)
    fanout.start(get_clock().now())  # (not recorded: the other job's part)
    assert story.run()["changed"] == 2  # 市南区 and 崂山区: each one eligible enterprise, told


def _snapshot_queue_and_bucket() -> None:
    import boto3

    from functions.finance.snapshots import service
    from functions.settings import get_settings

    boto3.client("sqs", region_name=os.environ["AWS_DEFAULT_REGION"]).create_queue(
        QueueName=get_settings().queue_name(service.QUEUE))
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=get_settings().bucket_name)


def start_credit_snapshots_story(story: Story) -> None:
    _snapshot_queue_and_bucket()
    assert story.run()["again"] is False  # the month's run made, a message per division
    assert story.run()["again"] is True  # started again: the run updated


def snapshot_credit_page_story(story: Story) -> None:
    from functions.finance.snapshots import service
    from functions.shared import queues

    story.run()  # an empty queue: nothing received, nothing read
    _snapshot_queue_and_bucket()
    run_start = story.client.http.post("/api/finance/snapshots/run", headers=json_headers(story.token("admin-city")))
    assert run_start.status_code == 202, run_start.body
    # Pages of 市南区 only (not recorded: queued directly): its demo enterprises, one with credit items
    # and a demand, so every source of a report is read, and a last page that completes the division.
    import boto3

    sqs = boto3.client("sqs", region_name=os.environ["AWS_DEFAULT_REGION"])
    url = sqs.get_queue_url(QueueName=queues.stage_name(service.QUEUE))["QueueUrl"]
    sqs.purge_queue(QueueUrl=url)
    posted = story.client.http.post("/api/finance/demands", headers=json_headers(story.token("ent-zhengrixin")), body=json.dumps(
        {"amount_fen": 50_000_000, "term_months": 12, "purpose": "采购原材料", "guarantee": "credit", "source_channel": "platform"},
        ensure_ascii=False))
    from functions.finance.models import Demand

    demand = Demand.get(json.loads(posted.body)["id"])  # as if a bank had claimed it: the report names the bank
    demand.claimed_by = "bank-qrcb"
    demand.save()
    queues.send(service.QUEUE, [{"month": service.month_closed_before(story.clock.now()), "district": "370202",
                                 "segment": segment, "cursor": None, "page": 1} for segment in (0, 6)])
    result = story.run()  # 市南区's first catch-all (nobody) and its 91…M range (正日信, its last page)
    assert result["changed"] == 2 and result["failed"] == 0, result


STORIES: dict[str, Callable[[Story], None]] = {
    "start_credit_snapshots": start_credit_snapshots_story,
    "snapshot_credit_page": snapshot_credit_page_story,
    "build_policy_index": build_policy_index_story,
    "start_policy_fanout": start_policy_fanout_story,
    "fan_out_policy": fan_out_policy_story,
    "sweep_clocks": sweep_clocks_story,
    "relay_outbox": relay_outbox_story,
    "audit_tickets": audit_tickets_story,
    "settle_notices": settle_notices_story,
}


def test_every_job_has_a_declaration_and_a_story():
    from app import app
    from functions.platform.jobs_runtime import list_jobs

    registered = {job.name for job in list_jobs(app)}
    assert registered == set(JOB_ACCESS), (
        "declare each job's tables in its platform's plugin.py job_access (and nothing else)",
        sorted(registered ^ set(JOB_ACCESS)),
    )
    assert registered == set(STORIES), ("give each job a story here", sorted(registered ^ set(STORIES)))


@pytest.mark.slow
@pytest.mark.parametrize("job", sorted(STORIES))
def test_a_job_touches_exactly_what_its_role_grants(job, seeded, client, token, clock, monkeypatch):
    story = Story(job, client, token, clock, monkeypatch)
    STORIES[job](story)
    touched = story.touched
    expected = declared(job)
    assert touched <= expected, f"{job} touches what its role does not grant: {sorted(touched - expected)}"
    assert expected <= touched, f"{job}'s role grants what no run of it needed: {sorted(expected - touched)}"


def test_the_recorder_breaks_transactions_and_batches_into_item_actions():
    assert iam_requests("TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": "t-audit"}}, {"Update": {"TableName": "t-appeals"}},
        {"Delete": {"TableName": "t-clocks"}}, {"ConditionCheck": {"TableName": "t-appeals"}},
    ]}) == [("t-audit", "PutItem"), ("t-appeals", "UpdateItem"), ("t-clocks", "DeleteItem"),
            ("t-appeals", "ConditionCheckItem")]
    assert iam_requests("TransactGetItems", {"TransactItems": [{"Get": {"TableName": "t-a"}}]}) == [("t-a", "GetItem")]
    assert iam_requests("BatchWriteItem", {"RequestItems": {"t-a": [], "t-b": []}}) == [
        ("t-a", "BatchWriteItem"), ("t-b", "BatchWriteItem")]
    assert iam_requests("Query", {"TableName": "t-a", "IndexName": "i"}) == [("t-a/index/i", "Query")]
