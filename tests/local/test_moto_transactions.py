"""The local stack's item-level transaction rollback answers exactly as moto's table-copying one does."""
from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from infra.local import moto_transactions

TABLES = {"counters": [("name", "HASH")], "events": [("stream", "HASH"), ("seq", "RANGE")]}


def _put(table, item, condition=None, **extra):
    op = {"TableName": table, "Item": item, **extra}
    if condition:
        op["ConditionExpression"] = condition
    return {"Put": op}


SCENARIOS = {
    "all applied": [
        _put("events", {"stream": {"S": "a"}, "seq": {"S": "2"}}, "attribute_not_exists(stream)"),
        {"Update": {"TableName": "counters", "Key": {"name": {"S": "c"}}, "UpdateExpression": "ADD v :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        {"Delete": {"TableName": "events", "Key": {"stream": {"S": "a"}, "seq": {"S": "0"}}}},
    ],
    "a late condition undoes an in-place update and a new item": [
        {"Update": {"TableName": "counters", "Key": {"name": {"S": "c"}}, "UpdateExpression": "ADD v :one",
                    "ExpressionAttributeValues": {":one": {"N": "5"}}}},
        _put("events", {"stream": {"S": "b"}, "seq": {"S": "1"}}),
        {"Delete": {"TableName": "events", "Key": {"stream": {"S": "a"}, "seq": {"S": "0"}}}},
        _put("events", {"stream": {"S": "a"}, "seq": {"S": "1"}}, "attribute_not_exists(stream)",
             ReturnValuesOnConditionCheckFailure="ALL_OLD"),
    ],
    "the same item twice": [
        {"Update": {"TableName": "counters", "Key": {"name": {"S": "c"}}, "UpdateExpression": "ADD v :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        _put("counters", {"name": {"S": "c"}, "v": {"N": "9"}}),
    ],
    "a check on a missing item": [
        {"ConditionCheck": {"TableName": "counters", "Key": {"name": {"S": "nobody"}},
                            "ConditionExpression": "attribute_exists(#n)", "ExpressionAttributeNames": {"#n": "name"}}},
        _put("events", {"stream": {"S": "z"}, "seq": {"S": "1"}}),
    ],
    "an unknown table": [
        _put("events", {"stream": {"S": "y"}, "seq": {"S": "1"}}),
        _put("missing-table", {"id": {"S": "1"}}),
    ],
}


def run(scenario: list[dict]) -> tuple[object, dict]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        for name, keys in TABLES.items():
            client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                                KeySchema=[{"AttributeName": a, "KeyType": t} for a, t in keys],
                                AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a, _ in keys])
        client.put_item(TableName="counters", Item={"name": {"S": "c"}, "v": {"N": "1"}})
        for seq in ("0", "1"):
            client.put_item(TableName="events", Item={"stream": {"S": "a"}, "seq": {"S": seq}, "n": {"N": seq}})
        try:
            client.transact_write_items(TransactItems=scenario)
            outcome: object = "ok"
        except ClientError as error:
            outcome = (error.response["Error"]["Code"], error.response.get("CancellationReasons"))
        state = {name: sorted(json.dumps(i, sort_keys=True) for i in client.scan(TableName=name)["Items"]) for name in TABLES}
        return outcome, state


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_same_outcome_and_same_state_as_moto(name):
    moto_transactions.uninstall()
    expected = run(SCENARIOS[name])
    moto_transactions.install()
    try:
        assert run(SCENARIOS[name]) == expected
    finally:
        moto_transactions.uninstall()


@pytest.mark.parametrize("installed", [False, True])
def test_only_moto_copies_whole_tables(monkeypatch, installed):
    """moto deep-copies every table a transaction names (cost grows with the audit table forever);
    the local stack's version copies only the items named. Counted, not timed."""
    import copy

    copied: list[str] = []
    deepcopy = copy.deepcopy

    def recording(value, memo=None):
        if memo is None:  # the outermost call: what was asked to be copied
            copied.append(type(value).__name__)
        return deepcopy(value, memo)

    (moto_transactions.install if installed else moto_transactions.uninstall)()
    try:
        with mock_aws():
            client = boto3.client("dynamodb", region_name="us-east-1")
            client.create_table(TableName="audit", BillingMode="PAY_PER_REQUEST",
                                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
            monkeypatch.setattr(copy, "deepcopy", recording)
            client.transact_write_items(TransactItems=[_put("audit", {"id": {"S": "t1"}})])
    finally:
        moto_transactions.uninstall()
    assert ("Table" in copied) is not installed, copied
