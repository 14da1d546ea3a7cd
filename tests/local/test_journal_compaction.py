"""Journal compaction, against the local stack's moto service in a child process over real HTTP.

The state is built with boto3 as the app would build it, compared through boto3 reads before
compaction and after compaction + a SIGKILL + a restart from the compacted journal.
"""
from __future__ import annotations

import json
import time

import pytest

from tests.local.moto_process import MotoProcess

pytestmark = pytest.mark.local_stack


def build_state(moto: MotoProcess) -> None:
    dynamodb, s3, sqs = moto.client("dynamodb"), moto.client("s3"), moto.client("sqs")
    dynamodb.create_table(
        TableName="appeals",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in
                              (("pk", "S"), ("sk", "S"), ("unit", "S"), ("opened", "N"), ("ticket", "S"))],
        GlobalSecondaryIndexes=[
            {"IndexName": "by-unit", "KeySchema": [{"AttributeName": "unit", "KeyType": "HASH"}, {"AttributeName": "opened", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "ALL"}},
            {"IndexName": "by-ticket", "KeySchema": [{"AttributeName": "ticket", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "KEYS_ONLY"}},
        ],
        LocalSecondaryIndexes=[
            {"IndexName": "by-opened", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "opened", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["unit"]}},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.update_time_to_live(TableName="appeals", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"})
    dynamodb.create_table(
        TableName="counters", KeySchema=[{"AttributeName": "name", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "name", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 2},
    )
    for i in range(30):
        dynamodb.put_item(TableName="appeals", Item={
            "pk": {"S": f"appeal#{i}"}, "sk": {"S": "meta"}, "unit": {"S": f"unit-{i % 3}"}, "opened": {"N": str(1700000000 + i)},
            "ticket": {"S": f"QD-{i:05d}"}, "title": {"S": f"诉求 {i}"}, "expires_at": {"N": str(1900000000 + i)},
            "blob": {"B": bytes([i, 0, 255])}, "tags": {"SS": ["a", f"t{i}"]}, "scores": {"NS": ["1", str(i + 2)]},
            "bins": {"BS": [b"\x00\x01", bytes([i + 2])]}, "flag": {"BOOL": i % 2 == 0}, "nothing": {"NULL": True},
            "detail": {"M": {"nested": {"M": {"bytes": {"B": b"\xff\xfe"}, "list": {"L": [{"S": "x"}, {"N": "1.5"}]}}}}},
        })
    for i in range(0, 30, 2):  # updates, and a few deletes
        dynamodb.update_item(TableName="appeals", Key={"pk": {"S": f"appeal#{i}"}, "sk": {"S": "meta"}},
                             UpdateExpression="SET #s = :s ADD revisions :one",
                             ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": {"S": "accepted"}, ":one": {"N": "1"}})
    for i in (5, 7):
        dynamodb.delete_item(TableName="appeals", Key={"pk": {"S": f"appeal#{i}"}, "sk": {"S": "meta"}})
    for _ in range(40):
        dynamodb.update_item(TableName="counters", Key={"name": {"S": "tickets"}}, UpdateExpression="ADD n :one",
                             ExpressionAttributeValues={":one": {"N": "1"}})

    s3.create_bucket(Bucket="files")
    s3.put_object(Bucket="files", Key="报告/2026 年度.txt", Body="内容".encode(), ContentType="text/plain; charset=utf-8",
                  Metadata={"uploaded-by": "ent-1", "my_key": "underscore"})
    s3.put_object(Bucket="files", Key="a+b=c&d.json", Body=b'{"ok": true}', ContentType="application/json",
                  ContentDisposition="attachment", CacheControl="no-cache")
    s3.put_object(Bucket="files", Key="empty", Body=b"")
    s3.put_object(Bucket="files", Key="deleted", Body=b"gone soon")
    s3.delete_object(Bucket="files", Key="deleted")
    s3.put_object(Bucket="files", Key="binary.bin", Body=bytes(range(256)) * 10, Tagging="kind=raw&owner=%E9%9D%92")
    eu = moto.client("s3", region="eu-west-1")
    eu.create_bucket(Bucket="files-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    eu.put_object(Bucket="files-eu", Key="x", Body=b"eu")

    dlq = sqs.create_queue(QueueName="work-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    work = sqs.create_queue(QueueName="work", Attributes={
        "VisibilityTimeout": "45", "MessageRetentionPeriod": "86400",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})})["QueueUrl"]
    for i in range(6):
        sqs.send_message(QueueUrl=work, MessageBody=f"job {i}",
                         MessageAttributes={"kind": {"DataType": "String", "StringValue": f"k{i}"},
                                            "raw": {"DataType": "Binary", "BinaryValue": bytes([i, 1])}})
    sqs.send_message_batch(QueueUrl=work, Entries=[{"Id": f"b{i}", "MessageBody": f"batch {i}"} for i in range(3)])
    received = sqs.receive_message(QueueUrl=work, MaxNumberOfMessages=2, VisibilityTimeout=0)["Messages"]
    sqs.delete_message(QueueUrl=work, ReceiptHandle=received[0]["ReceiptHandle"])  # deleted before compaction
    fifo = sqs.create_queue(QueueName="events.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    for i in range(3):
        sqs.send_message(QueueUrl=fifo, MessageBody=f"event {i}", MessageGroupId="g1")


def read_state(moto: MotoProcess) -> dict:
    """Everything a client can see, without changing it (no SQS receive here)."""
    dynamodb, s3, sqs = moto.client("dynamodb"), moto.client("s3"), moto.client("sqs")
    state: dict = {"tables": {}, "buckets": {}, "queues": {}}
    for name in dynamodb.list_tables()["TableNames"]:
        table = dynamodb.describe_table(TableName=name)["Table"]
        items = dynamodb.scan(TableName=name, ConsistentRead=True)["Items"]
        state["tables"][name] = {
            "KeySchema": table["KeySchema"],
            "AttributeDefinitions": sorted(table["AttributeDefinitions"], key=lambda a: a["AttributeName"]),
            "BillingMode": table.get("BillingModeSummary", {}).get("BillingMode"),
            "Throughput": {k: v for k, v in table["ProvisionedThroughput"].items() if k.endswith("CapacityUnits")},
            "GSIs": sorted(({"IndexName": i["IndexName"], "KeySchema": i["KeySchema"], "Projection": i["Projection"]}
                            for i in table.get("GlobalSecondaryIndexes", [])), key=lambda i: i["IndexName"]),
            "LSIs": sorted(({"IndexName": i["IndexName"], "KeySchema": i["KeySchema"], "Projection": i["Projection"]}
                            for i in table.get("LocalSecondaryIndexes", [])), key=lambda i: i["IndexName"]),
            "TTL": dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"],
            "items": sorted(items, key=lambda item: json.dumps(item, sort_keys=True, default=repr)),
        }
        if name == "appeals":  # the indexes answer, not just exist
            state["tables"][name]["by-unit"] = [i["pk"]["S"] for i in dynamodb.query(
                TableName=name, IndexName="by-unit", KeyConditionExpression="#u = :u",
                ExpressionAttributeNames={"#u": "unit"}, ExpressionAttributeValues={":u": {"S": "unit-1"}})["Items"]]
            state["tables"][name]["by-ticket"] = dynamodb.query(
                TableName=name, IndexName="by-ticket", KeyConditionExpression="ticket = :t",
                ExpressionAttributeValues={":t": {"S": "QD-00011"}})["Items"]
    for bucket in s3.list_buckets()["Buckets"]:
        name = bucket["Name"]
        region = s3.get_bucket_location(Bucket=name).get("LocationConstraint")
        client = moto.client("s3", region=region or "us-east-1")
        objects = {}
        for entry in client.list_objects_v2(Bucket=name).get("Contents", []):
            got = client.get_object(Bucket=name, Key=entry["Key"])
            objects[entry["Key"]] = {
                "body": got["Body"].read(), "ETag": got["ETag"], "ContentType": got.get("ContentType"), "Metadata": got.get("Metadata"),
                "ContentDisposition": got.get("ContentDisposition"), "CacheControl": got.get("CacheControl"),
                "Tags": client.get_object_tagging(Bucket=name, Key=entry["Key"])["TagSet"],
            }
        state["buckets"][name] = {"region": region, "objects": objects}
    for url in sqs.list_queues().get("QueueUrls", []):
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        for computed in ("CreatedTimestamp", "LastModifiedTimestamp", "ApproximateNumberOfMessages",
                         "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"):
            attributes.pop(computed, None)
        state["queues"][url.rsplit("/", 1)[1]] = attributes
    return state


def drain(moto: MotoProcess, queue: str) -> dict[str, dict]:
    """Every message in `queue` by id (body and attributes); leaves them in flight for a minute."""
    sqs = moto.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    messages: dict[str, dict] = {}
    for _ in range(10):
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60,
                                    MessageAttributeNames=["All"]).get("Messages", [])
        if not batch:
            break
        for m in batch:
            messages[m["MessageId"]] = {"body": m["Body"], "attributes": m.get("MessageAttributes", {}), "handle": m["ReceiptHandle"]}
    return messages


def without_handles(messages: dict[str, dict]) -> dict[str, dict]:
    return {i: {k: v for k, v in m.items() if k != "handle"} for i, m in messages.items()}


def wait_for_compactions(moto: MotoProcess, at_least: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stats = moto.command("stats")
        if stats["compactions"] >= at_least and not stats["compacting"]:
            return stats
        time.sleep(0.1)
    raise AssertionError(f"no compaction within {timeout}s: {stats}")


def journal_entries(moto: MotoProcess) -> list[dict]:
    return [json.loads(line) for line in moto.journal.read_bytes().splitlines()]


def test_state_after_compaction_and_restart_equals_state_before(tmp_path, processes):
    data = tmp_path / "data"
    first = processes(data, compact_threshold=60)
    build_state(first)
    # More than 60 writes were journaled: the running service compacted in the background.
    wait_for_compactions(first, 1)
    assert first.command("compact")["entries"] > 0  # and once more now, so the snapshot holds all of it
    before = read_state(first)
    entries = journal_entries(first)
    assert entries[0]["t"] == "snapshot" and len(entries) == entries[0]["entries"] + 1
    assert not (data / "moto-journal.jsonl.compact.tmp").exists()

    # After the compaction: a delete of a message sent before it, a write, a send.
    sqs = first.client("sqs")
    work_url = sqs.get_queue_url(QueueName="work")["QueueUrl"]
    waiting = drain(first, "work")
    assert len(waiting) == 8  # 9 sent, 1 deleted before compaction
    victim = sorted(waiting)[0]
    sqs.delete_message(QueueUrl=work_url, ReceiptHandle=waiting[victim]["handle"])
    first.client("dynamodb").put_item(TableName="counters", Item={"name": {"S": "after"}, "n": {"N": "1"}})
    late = sqs.send_message(QueueUrl=work_url, MessageBody="late")["MessageId"]
    expected = read_state(first)
    assert expected["tables"]["counters"]["items"] != before["tables"]["counters"]["items"]
    expected_work = {i: m for i, m in without_handles(waiting).items() if i != victim}
    expected_work[late] = {"body": "late", "attributes": {}}
    first.kill()

    second = processes(data, compact_threshold=0)
    assert read_state(second) == expected
    # Every waiting message is back under the id it had, bar the one deleted after compaction.
    work = drain(second, "work")
    assert without_handles(work) == expected_work
    assert [m["body"] for m in drain(second, "events.fifo").values()] == ["event 0", "event 1", "event 2"]
    # A delete in this process (its messages came from the replay) still applies after the next restart.
    second.client("sqs").delete_message(QueueUrl=work_url, ReceiptHandle=work[late]["handle"])
    second.kill()

    # The next start finds more entries since the snapshot than its threshold: it compacts first.
    third = processes(data, compact_threshold=2)
    assert third.info["compacted_at_start"] and third.info["since_snapshot"] > 2
    assert read_state(third) == expected
    assert without_handles(drain(third, "work")) == {i: m for i, m in expected_work.items() if i != late}
    assert journal_entries(third)[0]["t"] == "snapshot"


def test_a_crash_during_compaction_leaves_the_old_journal_valid(tmp_path, processes):
    data = tmp_path / "data"
    first = processes(data)
    build_state(first)
    before = read_state(first)
    journal_before = (data / "moto-journal.jsonl").read_bytes()
    first.process.stdin.write("crash-in-compaction\n")
    first.process.stdin.flush()
    assert first.wait() == 70
    left_behind = data / "moto-journal.jsonl.compact.tmp"
    assert left_behind.exists() and json.loads(left_behind.read_bytes().splitlines()[0])["t"] == "snapshot"
    assert (data / "moto-journal.jsonl").read_bytes() == journal_before

    second = processes(data)
    assert not left_behind.exists()
    assert read_state(second) == before
    assert len(drain(second, "work")) == 8  # 9 sent, 1 deleted
