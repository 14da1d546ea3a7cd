"""The local stack's write-ahead journal and job driver, against a real moto server over HTTP."""
from __future__ import annotations

import errno
import shutil
import subprocess

import boto3
import pytest
from chalice import Chalice

from infra.local.journal import is_write
from infra.local.stack import MotoService

pytestmark = pytest.mark.local_stack


def restart(service: MotoService, data_dir) -> tuple[MotoService, str]:
    """Stop, forget everything moto holds in memory (as a new process would), start from the journal."""
    from moto.moto_api._internal.models import moto_api_backend

    service.stop()
    moto_api_backend.reset()
    fresh = MotoService(data_dir)
    return fresh, fresh.start()


def clients(endpoint):
    kwargs = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    return boto3.client("dynamodb", **kwargs), boto3.client("sqs", **kwargs), boto3.client("s3", **kwargs)


@pytest.fixture
def moto_service(tmp_path):
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()
    service = MotoService(tmp_path)
    endpoint = service.start()
    holder = {"service": service}
    yield holder, endpoint
    holder["service"].stop()
    moto_api_backend.reset()


def test_acknowledged_writes_are_replayed_and_failed_ones_are_not(moto_service, tmp_path):
    holder, endpoint = moto_service
    dynamodb, _, s3 = clients(endpoint)
    dynamodb.create_table(TableName="t", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    dynamodb.put_item(TableName="t", Item={"pk": {"S": "a"}, "n": {"N": "1"}})
    dynamodb.update_item(TableName="t", Key={"pk": {"S": "a"}}, UpdateExpression="ADD n :one",
                         ExpressionAttributeValues={":one": {"N": "1"}})
    with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException):
        dynamodb.put_item(TableName="t", Item={"pk": {"S": "a"}, "n": {"N": "100"}}, ConditionExpression="attribute_not_exists(pk)")
    dynamodb.put_item(TableName="t", Item={"pk": {"S": "gone"}})
    dynamodb.delete_item(TableName="t", Key={"pk": {"S": "gone"}})
    s3.create_bucket(Bucket="files")
    s3.put_object(Bucket="files", Key="报告.txt", Body="内容".encode())

    holder["service"], endpoint = restart(holder["service"], tmp_path)
    dynamodb, _, s3 = clients(endpoint)
    assert dynamodb.get_item(TableName="t", Key={"pk": {"S": "a"}})["Item"]["n"] == {"N": "2"}
    assert "Item" not in dynamodb.get_item(TableName="t", Key={"pk": {"S": "gone"}})
    assert s3.get_object(Bucket="files", Key="报告.txt")["Body"].read().decode() == "内容"


def test_a_torn_last_line_is_ignored(moto_service, tmp_path):
    holder, endpoint = moto_service
    dynamodb, _, _ = clients(endpoint)
    dynamodb.create_table(TableName="t", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    with open(tmp_path / "moto-journal.jsonl", "ab") as journal:
        journal.write(b'{"t": "http", "method": "POST", "pa')  # the crash happened mid-append
    holder["service"], endpoint = restart(holder["service"], tmp_path)
    assert clients(endpoint)[0].list_tables()["TableNames"] == ["t"]


def test_queue_jobs_consume_and_deleted_messages_stay_deleted(moto_service, tmp_path):
    from functions.platform.jobs_runtime import list_jobs, run_queue_batch

    holder, endpoint = moto_service
    app = Chalice("queue-test")
    handled = []

    @app.on_sqs_message(queue="work", batch_size=10, name="work_handler")
    def work(event):
        failures = []
        for record in event:
            if record.body == "poison":
                failures.append({"itemIdentifier": record.to_dict()["messageId"]})
            else:
                handled.append(record.body)
        return {"batchItemFailures": failures}

    (job,) = list_jobs(app)
    assert (job.kind, job.queue) == ("queue", "work")
    _, sqs, _ = clients(endpoint)
    url = sqs.create_queue(QueueName="work")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    for message in ("one", "poison", "two"):
        sqs.send_message(QueueUrl=url, MessageBody=message)
    result = run_queue_batch(app, job, sqs, url, arn)
    assert result == {"seen": 3, "changed": 2, "failed": 1}
    assert sorted(handled) == ["one", "two"]

    holder["service"], endpoint = restart(holder["service"], tmp_path)
    _, sqs, _ = clients(endpoint)
    url = sqs.get_queue_url(QueueName="work")["QueueUrl"]
    left = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in left] == ["poison"]


@pytest.mark.parametrize(
    "environ, body, expected",
    [
        ({"REQUEST_METHOD": "POST", "HTTP_X_AMZ_TARGET": "DynamoDB_20120810.GetItem"}, b"", False),
        ({"REQUEST_METHOD": "POST", "HTTP_X_AMZ_TARGET": "DynamoDB_20120810.Query"}, b"", False),
        ({"REQUEST_METHOD": "POST", "HTTP_X_AMZ_TARGET": "DynamoDB_20120810.TransactWriteItems"}, b"", True),
        ({"REQUEST_METHOD": "POST", "HTTP_X_AMZ_TARGET": "AmazonSQS.ReceiveMessage"}, b"", False),
        ({"REQUEST_METHOD": "POST", "HTTP_X_AMZ_TARGET": "AmazonSQS.SendMessage"}, b"", True),
        ({"REQUEST_METHOD": "GET", "HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=k/20261122/us-east-1/s3/aws4_request"}, b"", False),
        ({"REQUEST_METHOD": "PUT", "HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=k/20261122/us-east-1/s3/aws4_request"}, b"", True),
    ],
)
def test_what_counts_as_a_write(environ, body, expected):
    assert is_write(environ, body) is expected


# -- torn tails ---------------------------------------------------------------------------------

TORN = b'{"t":"http","method":"POST","uri":"/","headers":{"Host":"127.0.0.1'  # a kill mid-append


def _table(dynamodb, name: str = "t") -> None:
    dynamodb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")


def _keys(dynamodb, name: str = "t") -> set[str]:
    return {item["pk"]["S"] for item in dynamodb.scan(TableName=name, ConsistentRead=True)["Items"]}


def test_a_torn_tail_is_cut_at_restart_so_the_next_writes_survive_the_restart_after(tmp_path, processes):
    data = tmp_path / "data"
    first = processes(data)
    dynamodb = first.client("dynamodb")
    _table(dynamodb)
    for key in ("a1", "a2", "a3"):
        dynamodb.put_item(TableName="t", Item={"pk": {"S": key}})
    first.kill()
    with open(data / "moto-journal.jsonl", "ab") as journal:
        journal.write(TORN)
    acknowledged = data.joinpath("moto-journal.jsonl").read_bytes()[: -len(TORN)]

    second = processes(data)
    assert second.info["torn_bytes"] == len(TORN)
    assert data.joinpath("moto-journal.jsonl").read_bytes() == acknowledged  # cut back to the last whole line
    dynamodb = second.client("dynamodb")
    for key in ("b1", "b2", "b3"):
        dynamodb.put_item(TableName="t", Item={"pk": {"S": key}})
    second.kill()

    third = processes(data)
    assert _keys(third.client("dynamodb")) == {"a1", "a2", "a3", "b1", "b2", "b3"}
    assert third.info["recovered_lines"] == 0 and third.info["torn_bytes"] == 0


def test_a_journal_damaged_by_older_code_is_replayed_from_the_entry_after_the_fragment(tmp_path, processes):
    """Older code appended the next write to the torn fragment: `fragment{"t":"http",...}\\n`."""
    data = tmp_path / "data"
    first = processes(data)
    dynamodb = first.client("dynamodb")
    _table(dynamodb)
    for key in ("x", "y", "z"):
        dynamodb.put_item(TableName="t", Item={"pk": {"S": key}})
    first.kill()
    journal = data / "moto-journal.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    lines[-2] = TORN + lines[-2]  # the put of "y" landed on a torn fragment
    journal.write_bytes(b"".join(lines))

    second = processes(data)
    assert second.info["recovered_lines"] == 1
    dynamodb = second.client("dynamodb")
    assert _keys(dynamodb) == {"x", "y", "z"}
    dynamodb.put_item(TableName="t", Item={"pk": {"S": "after"}})
    second.kill()
    assert _keys(processes(data).client("dynamodb")) == {"x", "y", "z", "after"}


def test_a_line_in_the_middle_that_holds_no_entry_stops_the_replay_loudly(moto_service, tmp_path):
    from infra.local.journal import JournalCorrupt

    holder, endpoint = moto_service
    dynamodb, _, _ = clients(endpoint)
    _table(dynamodb)
    dynamodb.put_item(TableName="t", Item={"pk": {"S": "a"}})
    journal = tmp_path / "moto-journal.jsonl"
    journal.write_bytes(b"not json at all\n" + journal.read_bytes())
    with pytest.raises(JournalCorrupt, match="line 1"):
        restart(holder["service"], tmp_path)
    holder["service"] = MotoService(tmp_path / "unused")  # so the fixture's stop() has something to stop


# -- write-ahead ----------------------------------------------------------------------------------


class FillingDisk:
    """The journal file on a disk that fills up: while `full`, a write puts half its bytes down and
    then fails with ENOSPC, as write(2) does on a full disk."""

    def __init__(self, path):
        self.real = open(path, "ab", buffering=0)
        self.full = False

    def write(self, data):
        if self.full:
            self.real.write(bytes(data[: len(data) // 2]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.real.write(data)

    def __getattr__(self, name):
        return getattr(self.real, name)


class DeadDisk:
    """A journal file whose every write fails (an I/O error) and that cannot even be truncated."""

    def write(self, data):
        raise OSError(errno.EIO, "Input/output error")

    def close(self):
        pass


def _no_retries(endpoint):
    from botocore.config import Config

    kwargs = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s",
                  config=Config(retries={"max_attempts": 1, "mode": "standard"}))
    return boto3.client("dynamodb", **kwargs), boto3.client("sqs", **kwargs), boto3.client("s3", **kwargs)


def test_a_write_the_journal_cannot_take_is_answered_500_and_never_applied(tmp_path):
    from botocore.exceptions import ClientError
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()
    disk = FillingDisk(tmp_path / "moto-journal.jsonl")
    service = MotoService(tmp_path, journal_file=disk)
    try:
        dynamodb, _, _ = _no_retries(service.start())
        _table(dynamodb)
        dynamodb.put_item(TableName="t", Item={"pk": {"S": "before"}})
        on_disk = (tmp_path / "moto-journal.jsonl").read_bytes()

        disk.full = True
        with pytest.raises(ClientError) as refused:
            dynamodb.put_item(TableName="t", Item={"pk": {"S": "lost"}})
        assert refused.value.response["Error"]["Code"] == "InternalServerError"
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
        assert (tmp_path / "moto-journal.jsonl").read_bytes() == on_disk  # the half-written line was cut off
        assert "Item" not in dynamodb.get_item(TableName="t", Key={"pk": {"S": "lost"}}, ConsistentRead=True)

        disk.full = False  # space again: writes go through
        dynamodb.put_item(TableName="t", Item={"pk": {"S": "after"}})
    finally:
        service.stop()
    service, endpoint = restart(service, tmp_path)
    try:
        assert _keys(clients(endpoint)[0]) == {"before", "after"}
    finally:
        service.stop()
        moto_api_backend.reset()


def test_a_journal_that_cannot_be_repaired_refuses_every_write_in_each_protocol(tmp_path):
    from botocore.exceptions import ClientError
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()
    service = MotoService(tmp_path, journal_file=DeadDisk())
    try:
        dynamodb, sqs, s3 = _no_retries(service.start())
        refusals = [
            lambda: _table(dynamodb),
            lambda: s3.create_bucket(Bucket="files"),
            lambda: sqs.create_queue(QueueName="work"),
            lambda: _table(dynamodb, "again"),
        ]
        for refused_write in refusals:
            with pytest.raises(ClientError) as refused:
                refused_write()
            assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
            assert refused.value.response["Error"]["Code"] in ("InternalServerError", "InternalError")
        # Reads still work, and none of the refused writes is visible.
        assert dynamodb.list_tables()["TableNames"] == []
        assert s3.list_buckets()["Buckets"] == []
        assert sqs.list_queues().get("QueueUrls", []) == []
    finally:
        service.stop()
        moto_api_backend.reset()


# -- the listen backlog ---------------------------------------------------------------------------


def listen_backlog(port: int) -> int | None:
    """The backlog of the socket listening on `port` (ss shows it as Send-Q), None without ss."""
    if shutil.which("ss") is None:
        return None
    out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True).stdout.split()
    return int(out[2])


def test_moto_listens_with_a_deep_backlog(moto_service):
    _, endpoint = moto_service
    backlog = listen_backlog(int(endpoint.rsplit(":", 1)[1]))
    assert backlog is None or backlog >= 1024


def test_writes_moto_refuses_or_fails_on_are_journaled_first_and_replay_harmlessly(moto_service, tmp_path):
    import json
    import urllib.error
    import urllib.request

    holder, endpoint = moto_service
    dynamodb, _, _ = clients(endpoint)
    _table(dynamodb)
    dynamodb.put_item(TableName="t", Item={"pk": {"S": "a"}, "n": {"N": "1"}})
    with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException):
        dynamodb.put_item(TableName="t", Item={"pk": {"S": "a"}, "n": {"N": "100"}}, ConditionExpression="attribute_not_exists(pk)")
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": "t", "Item": {"pk": {"S": "b"}}}},
            {"ConditionCheck": {"TableName": "t", "Key": {"pk": {"S": "a"}}, "ConditionExpression": "n = :x",
                                "ExpressionAttributeValues": {":x": {"N": "7"}}}},
        ])
    broken = urllib.request.Request(endpoint + "/", data=b"{not json", method="POST", headers={
        "X-Amz-Target": "DynamoDB_20120810.PutItem", "Content-Type": "application/x-amz-json-1.0",
        "Authorization": "AWS4-HMAC-SHA256 Credential=k/20261122/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0"})
    with pytest.raises(urllib.error.HTTPError) as failed:  # moto raises on it: the client gets a 500
        urllib.request.urlopen(broken, timeout=10)
    assert failed.value.code == 500
    dynamodb.update_item(TableName="t", Key={"pk": {"S": "a"}}, UpdateExpression="ADD n :one",
                         ExpressionAttributeValues={":one": {"N": "1"}})
    targets = [json.loads(line)["headers"].get("X-Amz-Target", "").split(".")[-1]
               for line in (tmp_path / "moto-journal.jsonl").read_bytes().splitlines()]
    assert targets == ["CreateTable", "PutItem", "PutItem", "TransactWriteItems", "PutItem", "UpdateItem"]

    holder["service"], endpoint = restart(holder["service"], tmp_path)
    dynamodb = clients(endpoint)[0]
    assert dynamodb.get_item(TableName="t", Key={"pk": {"S": "a"}})["Item"]["n"] == {"N": "2"}
    assert _keys(dynamodb) == {"a"}


def test_a_resent_transaction_with_its_token_succeeds_once_as_on_dynamodb(moto_service):
    """The SDK resends a transaction whose answer timed out, with the same ClientRequestToken. DynamoDB
    answers success without applying it again; moto ignores tokens, so the resend used to fail every
    condition and the caller was told 409 for a change that had committed."""
    _, endpoint = moto_service
    dynamodb, _, _ = clients(endpoint)
    dynamodb.create_table(TableName="t", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    items = [{"Put": {"TableName": "t", "Item": {"pk": {"S": "appeal-1"}}, "ConditionExpression": "attribute_not_exists(pk)"}},
             {"Update": {"TableName": "t", "Key": {"pk": {"S": "stats"}}, "UpdateExpression": "ADD n :one",
                         "ExpressionAttributeValues": {":one": {"N": "1"}}}}]
    for _ in range(3):
        dynamodb.transact_write_items(TransactItems=items, ClientRequestToken="token-1")
    assert dynamodb.get_item(TableName="t", Key={"pk": {"S": "stats"}})["Item"]["n"] == {"N": "1"}
    with pytest.raises(dynamodb.exceptions.IdempotentParameterMismatchException):
        dynamodb.transact_write_items(TransactItems=items[1:], ClientRequestToken="token-1")
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException):  # a new token is a new transaction
        dynamodb.transact_write_items(TransactItems=items, ClientRequestToken="token-2")
