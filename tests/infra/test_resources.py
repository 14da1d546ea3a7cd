"""infra/resources.py on a small Chalice-shaped template: queues, DLQs, per-function roles, the
append-only audit table, throttling, gateway responses, layer, log groups.

The real app may have no SQS consumer yet; this keeps the queue path tested regardless.
"""
from __future__ import annotations

import json

import pytest

from infra import resources
from infra.resources import Access

PREFIX = "qd-jimo"
JOBS = {"relay": Access(tables={"things": ("GetItem",), "audit": ("PutItem",)})}


def api_definition(open311_post: str = "/api/open311/v2/{document}") -> dict:
    def method() -> dict:
        return {"x-amazon-apigateway-integration": {"type": "aws_proxy"}}

    return {
        "swagger": "2.0",
        "paths": {
            "/api/health": {"get": method()},
            "/api/appeals": {"get": method(), "post": method()},
            "/api/oauth/token": {"post": method()},
            "/api/open311/v2/services.json": {"get": method()},
            open311_post: {"post": method()},
        },
    }


def bare_template() -> dict:
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

    def role() -> dict:  # Chalice's role; finish_template checks its document (see with_roles)
        return {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": {}}]}}

    api = function("app.app")
    api["Properties"]["Role"] = {"Fn::GetAtt": ["ApiHandlerRole", "Arn"]}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Outputs": {},
        "Resources": {
            "RestAPI": {
                "Type": "AWS::Serverless::Api",
                "Properties": {"EndpointConfiguration": "REGIONAL", "StageName": "v1", "DefinitionBody": api_definition()},
            },
            "ApiHandlerRole": role(),
            "RelayRole": role(),
            "APIHandler": api,
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


def chalice_template() -> dict:
    template = bare_template()
    template["Resources"]["Relay"]["Properties"]["Role"] = {"Fn::GetAtt": ["RelayRole", "Arn"]}
    return with_roles(template, facts())


def with_roles(template: dict, f: dict, jobs=JOBS) -> dict:
    """What Chalice does with the per-function policy files: each role carries its document."""
    policies = resources.function_policies(f, jobs)
    for function in f["functions"]:
        role_id = template["Resources"][function["logical_id"]]["Properties"]["Role"]["Fn::GetAtt"][0]
        template["Resources"][role_id]["Properties"]["Policies"][0]["PolicyDocument"] = policies[function["name"]]
    return template


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
            },
            {
                "model": "functions.shared.audit.AuditRecord",
                "ttl_attribute": None,
                "create_table": {
                    "TableName": "qd-jimo-audit",
                    "BillingMode": "PAY_PER_REQUEST",
                    "AttributeDefinitions": [
                        {"AttributeName": "entity", "AttributeType": "S"},
                        {"AttributeName": "at_seq", "AttributeType": "S"},
                    ],
                    "KeySchema": [
                        {"AttributeName": "entity", "KeyType": "HASH"},
                        {"AttributeName": "at_seq", "KeyType": "RANGE"},
                    ],
                },
            },
        ],
        "queues": [{"name": q, "consumers": ["relay"], "visibility_timeout": 180} for q in queues],
        "schedules": [],
        "functions": [
            {"name": "api_handler", "logical_id": "APIHandler", "kind": "api"},
            {"name": "relay", "logical_id": "Relay", "kind": "queue"},
        ],
        "security_headers": {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
        "gateway_problems": _GATEWAY_PROBLEMS,
    }


def _render() -> dict:
    from infra.stage_worker import render_gateway_problems

    return render_gateway_problems()


_GATEWAY_PROBLEMS = _render()


def finish(template: dict | None = None, f: dict | None = None, jobs=JOBS) -> dict:
    return resources.finish_template(template or chalice_template(), f or facts(), "./layer.zip", jobs)


def test_queue_dlq_and_event_wiring():
    out = finish()
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
    assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert event["Properties"]["BatchSize"] == 10  # what Chalice set is kept
    assert "DeadLetterQueueOutboxDepthAlarm" in res


def test_layer_parameters_and_log_group_fix():
    out = finish()
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
    policy = resources.iam_policy(f["tables"], f["queues"], PREFIX)  # the API handler's access
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["StageTables"]["Resource"] == [{"Fn::GetAtt": ["TableThings", "Arn"]}]
    assert by_sid["AppendOnlyTables"]["Resource"] == [{"Fn::GetAtt": ["TableAudit", "Arn"]}]
    assert by_sid["StageTableIndexes"]["Resource"] == [{"Fn::Sub": "${TableThings.Arn}/index/*"}]
    assert by_sid["StageTableIndexes"]["Action"] == ["dynamodb:Query"]
    assert "dynamodb:Scan" not in json.dumps(policy)
    assert "ConditionCheckItem" in json.dumps(policy)
    # The API handler neither consumes nor sends to the queue: no SQS statement at all.
    assert not any(a.startswith("sqs:") for s in policy["Statement"] for a in s["Action"])


# --------------------------------------------------------------------------------------------
# one role per function, least privilege


def test_every_function_gets_its_own_role_with_its_own_policy():
    from tests.infra.iam_eval import allowed

    res = finish()["Resources"]
    api = res["ApiHandlerRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    relay = res["RelayRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    assert api != relay
    # The queue consumer: receive/delete on its own queue only; its declared tables only; no bucket.
    assert allowed(relay, "sqs:ReceiveMessage", "arn:QueueOutbox")
    assert allowed(relay, "sqs:DeleteMessage", "arn:QueueOutbox")
    assert not allowed(relay, "sqs:SendMessage", "arn:QueueOutbox")
    assert not allowed(relay, "sqs:ReceiveMessage", "arn:DeadLetterQueueOutbox")
    assert allowed(relay, "dynamodb:GetItem", "arn:TableThings")
    assert not allowed(relay, "dynamodb:PutItem", "arn:TableThings")
    assert not allowed(relay, "dynamodb:Query", "arn:TableThings/index/g-index")
    assert not allowed(relay, "s3:GetObject", "arn:FilesBucket/x")
    # The API handler: every table and the bucket, no queue it does not send to.
    assert allowed(api, "dynamodb:UpdateItem", "arn:TableThings")
    assert allowed(api, "dynamodb:Query", "arn:TableThings/index/g-index")
    assert allowed(api, "s3:PutObject", "arn:FilesBucket/x")
    assert not allowed(api, "sqs:ReceiveMessage", "arn:QueueOutbox")
    assert not allowed(api, "sqs:SendMessage", "arn:QueueOutbox")


def test_senders_may_send_only_to_their_queues():
    from tests.infra.iam_eval import allowed

    f = facts()
    f["functions"].append({"name": "tick", "logical_id": "Tick", "kind": "schedule"})
    jobs = {**JOBS, "tick": Access(sends_to=("outbox",))}
    tick = resources.function_policies(f, jobs)["tick"]
    assert allowed(tick, "sqs:SendMessage", "arn:QueueOutbox")
    assert not allowed(tick, "sqs:ReceiveMessage", "arn:QueueOutbox")
    with pytest.raises(ValueError, match="sends to queue 'qd-jimo-elsewhere'"):
        resources.function_policies(f, {**JOBS, "tick": Access(sends_to=("elsewhere",))})


def test_a_job_without_a_declaration_is_not_packaged():
    with pytest.raises(ValueError, match="no access declared"):
        finish(jobs={})


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ({"nothing": ("GetItem",)}, "no model of the stage declares it"),
        ({"things/index/other-index": ("Query",)}, "no such index"),
        ({"things/index/g-index": ("GetItem",)}, "can only be queried"),
        ({"things": ("Scan",)}, "may not be granted"),
        ({"audit": ("UpdateItem",)}, "append-only"),
        ({"audit": ("BatchWriteItem",)}, "append-only"),
    ],
)
def test_job_declarations_are_checked_against_the_models(tables, message):
    with pytest.raises(ValueError, match=message):
        resources.function_policies(facts(), {"relay": Access(tables=tables)})


def test_a_role_that_does_not_carry_its_policy_is_refused():
    template = chalice_template()
    doc = template["Resources"]["RelayRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    doc["Statement"].append({"Sid": "Extra", "Effect": "Allow", "Action": "dynamodb:PutItem",
                             "Resource": {"Fn::GetAtt": ["TableThings", "Arn"]}})
    with pytest.raises(ValueError, match="does not carry exactly"):
        finish(template)


def test_two_functions_sharing_a_role_are_refused():
    template = chalice_template()
    template["Resources"]["Relay"]["Properties"]["Role"] = {"Fn::GetAtt": ["ApiHandlerRole", "Arn"]}
    with pytest.raises(ValueError, match="shares role"):
        finish(template)


# --------------------------------------------------------------------------------------------
# the audit table is append-only for every role


@pytest.mark.parametrize("function", ["api_handler", "relay"])
def test_audit_records_can_be_added_but_never_changed_or_removed(function):
    from tests.infra.iam_eval import ALLOW_EVERYTHING, allowed, with_statement

    policy = resources.function_policies(facts(), JOBS)[function]
    for action in ("dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLUpdate",
                   "dynamodb:PartiQLDelete", "dynamodb:DeleteTable", "dynamodb:UpdateTable",
                   "dynamodb:UpdateTimeToLive", "dynamodb:UpdateContinuousBackups"):
        assert not allowed(policy, action, "arn:TableAudit"), action
        # ...and an Allow added later (here: everything) cannot give it back: the Deny is explicit.
        assert not allowed(with_statement(policy, ALLOW_EVERYTHING), action, "arn:TableAudit"), action
    assert not allowed(with_statement(policy, ALLOW_EVERYTHING), "dynamodb:DeleteBackup", "arn:TableAudit/backup/01")
    # Adding records (a Put inside TransactWriteItems is authorised as PutItem) and reading stay possible.
    assert allowed(policy, "dynamodb:PutItem", "arn:TableAudit")
    assert allowed(with_statement(policy, ALLOW_EVERYTHING), "dynamodb:Query", "arn:TableAudit")
    # Other tables are not touched by the Deny.
    assert allowed(with_statement(policy, ALLOW_EVERYTHING), "dynamodb:UpdateItem", "arn:TableThings")


def test_a_stage_without_the_audit_model_is_refused():
    f = facts()
    f["tables"] = [t for t in f["tables"] if t["model"] != "functions.shared.audit.AuditRecord"]
    with pytest.raises(ValueError, match="append-only models"):
        resources.function_policies(f, {"relay": Access(tables={"things": ("GetItem",)})})


# --------------------------------------------------------------------------------------------
# throttling


def _settings(out: dict) -> dict[tuple[str, str], tuple[float, int]]:
    return {
        (s["ResourcePath"], s["HttpMethod"]): (s["ThrottlingRateLimit"], s["ThrottlingBurstLimit"])
        for s in out["Resources"]["RestAPI"]["Properties"]["MethodSettings"]
    }


@pytest.mark.parametrize("open311_post", ["/api/open311/v2/{document}", "/api/open311/v2/requests.json"])
def test_stage_default_and_per_method_throttles(open311_post):
    template = chalice_template()
    template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"] = api_definition(open311_post)
    settings = _settings(finish(template))
    stage = resources.STAGE_THROTTLE
    assert settings[("/*", "*")] == (stage.rate, stage.burst)
    assert settings[("/~1api~1appeals", "POST")] == (2, 10)
    assert settings[("/~1api~1oauth~1token", "POST")] == (2, 10)
    assert settings[("/" + open311_post.replace("/", "~1"), "POST")] == (5, 20)
    assert ("/~1api~1appeals", "GET") not in settings  # reading is the stage default
    assert len(settings) == 4
    for (path, _), (rate, burst) in settings.items():
        assert 0 < rate <= stage.rate and 0 < burst <= stage.burst, path


def test_a_throttle_rule_that_matches_no_route_stops_the_build():
    template = chalice_template()
    del template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"]["/api/oauth/token"]
    with pytest.raises(ValueError, match="matches no route"):
        finish(template)


# --------------------------------------------------------------------------------------------
# gateway responses


def test_gateway_responses_answer_problem_json_with_the_security_headers():
    from functions.api.routes import PROBLEM_TYPE_BASE

    out = finish()
    responses = out["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    assert set(resources.REQUIRED_GATEWAY_RESPONSES) <= set(responses)
    assert set(responses) == set(resources.GATEWAY_RESPONSES)
    statuses = {t: r["statusCode"] for t, r in responses.items()}
    assert statuses["MISSING_AUTHENTICATION_TOKEN"] == "404"
    assert statuses["THROTTLED"] == "429"
    assert statuses["DEFAULT_4XX"] == "400" and statuses["DEFAULT_5XX"] == "500"
    for response_type, response in responses.items():
        body = json.loads(response["responseTemplates"]["application/json"])
        assert set(body) == {"type", "title", "status", "detail", "code"}, response_type
        assert body["status"] == int(response["statusCode"])
        assert body["type"] == PROBLEM_TYPE_BASE + body["code"]
        headers = response["responseParameters"]
        assert headers["gatewayresponse.header.Content-Type"] == "'application/problem+json'"
        for name, value in facts()["security_headers"].items():
            assert headers[f"gatewayresponse.header.{name}"] == f"'{value}'", (response_type, name)
    throttled = responses["THROTTLED"]["responseParameters"]
    assert throttled["gatewayresponse.header.Retry-After"] == "'1'"
    assert "gatewayresponse.header.WWW-Authenticate" in responses["UNAUTHORIZED"]["responseParameters"]


def test_gateway_responses_are_in_the_api_body_so_each_deployment_carries_them():
    out = finish()
    assert not [r for r in out["Resources"].values() if r["Type"] == "AWS::ApiGateway::GatewayResponse"]
    template = chalice_template()
    template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["x-amazon-apigateway-gateway-responses"] = {}
    with pytest.raises(ValueError, match="already set"):
        finish(template)


# --------------------------------------------------------------------------------------------
# refusals


def test_a_queue_the_app_does_not_declare_is_refused():
    with pytest.raises(ValueError, match="does not declare"):
        finish(chalice_template(), facts(queues=()))


def test_a_declared_queue_without_consumer_is_refused():
    template = chalice_template()
    del template["Resources"]["Relay"]["Properties"]["Events"]
    with pytest.raises(ValueError, match="without a consumer"):
        finish(template)


def test_names_outside_the_stage_prefix_are_refused():
    with pytest.raises(ValueError, match="prefix"):
        resources.table_logical_id("qd-city-things", PREFIX)


def test_notification_channels_add_only_their_own_permissions_to_the_deliverer():
    f = facts()
    jobs = {"relay": Access(tables={"things": ("GetItem",)}, notifies=True)}
    plain = resources.function_policies(f, jobs)
    assert not {"NotifyEmail", "NotifySms"} & {s["Sid"] for p in plain.values() for s in p["Statement"]}
    f["env"]["NOTIFY_CHANNELS"] = "inbox,email,sms"
    both = resources.function_policies(f, jobs)
    relay = {s["Sid"]: s for s in both["relay"]["Statement"]}
    assert relay["NotifyEmail"]["Action"] == ["ses:SendEmail"]
    assert relay["NotifySms"]["Action"] == ["sns:Publish"]
    # The API handler delivers nothing: no SES, no SNS.
    assert not {"NotifyEmail", "NotifySms"} & {s["Sid"] for s in both["api_handler"]["Statement"]}


def test_only_requests_through_cloudfront_may_name_the_client_address():
    out = finish()
    params = out["Parameters"]["OriginVerifySecret"]
    assert params["NoEcho"] is True and params["MinLength"] >= 32 and "Default" not in params
    distribution = out["Resources"]["SiteDistribution"]["Properties"]["DistributionConfig"]
    (api_origin,) = [o for o in distribution["Origins"] if o["Id"] == "api"]
    assert api_origin["OriginCustomHeaders"] == [{"HeaderName": "X-Origin-Verify", "HeaderValue": {"Ref": "OriginVerifySecret"}}]
    functions = [r for r in out["Resources"].values() if r["Type"] == "AWS::Serverless::Function"]
    assert functions and all(f["Properties"]["Environment"]["Variables"]["ORIGIN_VERIFY_SECRET"] == {"Ref": "OriginVerifySecret"}
                             for f in functions)
    # The QR code of a credit report names the site's own domain when the stage has one.
    assert all(f["Properties"]["Environment"]["Variables"]["SITE_URL"] ==
               {"Fn::If": ["HasSiteDomain", {"Fn::Sub": "https://${SiteDomainName}"}, ""]} for f in functions)


def test_the_dead_letter_rules_are_the_ones_jobs_read():
    from functions.shared import queues

    assert (resources.MAX_RECEIVE_COUNT, resources.DEAD_LETTER_SUFFIX) == (queues.MAX_RECEIVE_COUNT, queues.DEAD_LETTER_SUFFIX)
