"""infra/resources.py on a small Chalice-shaped template: queues, DLQs, policy, layer, log groups.

The real app may have no SQS consumer yet; this keeps the queue path tested regardless.
"""
from __future__ import annotations

import json

import pytest

from infra import resources

PREFIX = "qd-jimo"


def chalice_template() -> dict:
    def function(handler: str, events: dict | None = None) -> dict:
        props = {
            "Runtime": "python3.11",
            "Handler": handler,
            "CodeUri": "./deployment.zip",
            "Timeout": 30,
            "Environment": {
                "Variables": {
                    "STAGE": "jimo",
                    "COGNITO_USER_POOL_ID": "cn-north-1_JimoPool",
                    "COGNITO_APP_CLIENT_IDS": "jimo-web-client-id",
                    "APP_VERSION": "0.1.0",
                }
            },
        }
        if events:
            props["Events"] = events
        return {"Type": "AWS::Serverless::Function", "Properties": props}

    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Outputs": {},
        "Resources": {
            "APIHandler": function("app.app"),
            "ApiHandlerLogGroup": {
                "Type": "AWS::Logs::LogGroup",
                "Properties": {"LogGroupName": {"Fn::Sub": "/aws/lambda/${ApiHandler}"}, "RetentionInDays": 180},
            },
            "Relay": function(
                "functions.x.relay",
                {
                    "RelaySqsEventSource": {
                        "Type": "SQS",
                        "Properties": {
                            "Queue": {
                                "Fn::Sub": "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:qd-jimo-outbox"
                            },
                            "BatchSize": 10,
                        },
                    }
                },
            ),
        },
    }


def facts(queues=("qd-jimo-outbox",)) -> dict:
    return {
        "stage": "jimo",
        "env": {
            "TABLE_PREFIX": PREFIX,
            "BUCKET_NAME": "qd-jimo-files",
            "DIVISION_CODE": "370215",
            "PLATFORMS": "policy,appeals",
            "COGNITO_USER_POOL_ID": "cn-north-1_JimoPool",
            "COGNITO_APP_CLIENT_IDS": "jimo-web-client-id",
            "APP_VERSION": "0.1.0",
        },
        "api_gateway_stage": "v1",
        "lock_sha256": "0" * 64,
        "tables": [
            {
                "model": "m.Thing",
                "ttl_attribute": "expires_at",
                "create_table": {
                    "TableName": "qd-jimo-things",
                    "BillingMode": "PAY_PER_REQUEST",
                    "AttributeDefinitions": [
                        {"AttributeName": "pk", "AttributeType": "S"},
                        {"AttributeName": "gk", "AttributeType": "S"},
                    ],
                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                    "GlobalSecondaryIndexes": [
                        {
                            "IndexName": "g-index",
                            "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"}],
                            "Projection": {"ProjectionType": "KEYS_ONLY"},
                        }
                    ],
                },
            }
        ],
        "queues": [{"name": q, "consumers": ["relay"], "visibility_timeout": 180} for q in queues],
        "schedules": [],
    }


def test_queue_dlq_and_event_wiring():
    out = resources.finish_template(chalice_template(), facts(), "./layer.zip")
    res = out["Resources"]
    assert res["QueueOutbox"]["Properties"]["QueueName"] == "qd-jimo-outbox"
    assert res["QueueOutbox"]["Properties"]["VisibilityTimeout"] == 180
    assert res["QueueOutbox"]["Properties"]["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["DeadLetterQueueOutbox", "Arn"]},
        "maxReceiveCount": resources.MAX_RECEIVE_COUNT,
    }
    assert res["DeadLetterQueueOutbox"]["Properties"]["QueueName"] == "qd-jimo-outbox-dlq"
    event = res["Relay"]["Properties"]["Events"]["RelaySqsEventSource"]
    assert event["Properties"]["Queue"] == {"Fn::GetAtt": ["QueueOutbox", "Arn"]}
    assert "DeadLetterQueueOutboxDepthAlarm" in res


def test_layer_parameters_and_log_group_fix():
    out = resources.finish_template(chalice_template(), facts(), "./layer.zip")
    res = out["Resources"]
    for fid in ("APIHandler", "Relay"):
        props = res[fid]["Properties"]
        assert props["Layers"][0] == {"Ref": "DependencyLayer"}
        assert props["Environment"]["Variables"]["COGNITO_USER_POOL_ID"] == {"Ref": "CognitoUserPoolId"}
        assert props["Environment"]["Variables"]["APP_VERSION"] == {"Ref": "AppVersion"}
    assert out["Parameters"]["CognitoUserPoolId"]["Default"] == "cn-north-1_JimoPool"
    assert res["ApiHandlerLogGroup"]["Properties"]["LogGroupName"] == {"Fn::Sub": "/aws/lambda/${APIHandler}"}
    table = res["TableThings"]["Properties"]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert table["GlobalSecondaryIndexes"][0]["IndexName"] == "g-index"


def test_policy_scopes_and_actions():
    f = facts()
    policy = resources.iam_policy(f["tables"], f["queues"], PREFIX)
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["StageTables"]["Resource"] == [{"Fn::GetAtt": ["TableThings", "Arn"]}]
    assert by_sid["StageTableIndexes"]["Resource"] == [{"Fn::Sub": "${TableThings.Arn}/index/*"}]
    assert by_sid["StageTableIndexes"]["Action"] == ["dynamodb:Query"]
    assert by_sid["StageQueues"]["Resource"] == [{"Fn::GetAtt": ["QueueOutbox", "Arn"]}]
    assert "dynamodb:Scan" not in json.dumps(policy)
    assert "ConditionCheckItem" in json.dumps(policy)
    # Without queues there is no SQS statement at all (never an empty Resource list).
    assert "StageQueues" not in {s["Sid"] for s in resources.iam_policy(f["tables"], [], PREFIX)["Statement"]}


def test_a_queue_the_app_does_not_declare_is_refused():
    with pytest.raises(ValueError, match="does not declare"):
        resources.finish_template(chalice_template(), facts(queues=()), "./layer.zip")


def test_a_declared_queue_without_consumer_is_refused():
    template = chalice_template()
    del template["Resources"]["Relay"]["Properties"]["Events"]
    with pytest.raises(ValueError, match="without a consumer"):
        resources.finish_template(template, facts(), "./layer.zip")


def test_names_outside_the_stage_prefix_are_refused():
    with pytest.raises(ValueError, match="prefix"):
        resources.table_logical_id("qd-city-things", PREFIX)


def test_notification_channels_add_only_their_own_permissions():
    from infra.resources import iam_policy

    tables = []
    plain = {s["Sid"] for s in iam_policy(tables, [], "qd-x")["Statement"]}
    assert not {"NotifyEmail", "NotifySms"} & plain
    both = {s["Sid"]: s for s in iam_policy(tables, [], "qd-x", ("inbox", "email", "sms"))["Statement"]}
    assert both["NotifyEmail"]["Action"] == ["ses:SendEmail"]
    assert both["NotifySms"]["Action"] == ["sns:Publish"]
