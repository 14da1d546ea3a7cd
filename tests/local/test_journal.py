"""The local stack's write-ahead journal and job driver, against a real moto server over HTTP."""
from __future__ import annotations


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
