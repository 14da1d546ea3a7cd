"""The stage's CloudFormation resources and IAM policy, generated from what the app declares.

Inputs are the "facts" a stage worker reads from the real code under that stage's environment
(infra/stage_worker.py): the CreateTable/UpdateTimeToLive calls PynamoDB itself would make for
each model of `functions.tables.all_models()`, and the SQS queues of the app's
`on_sqs_message` event sources. Nothing here is a second, hand-kept list of tables or queues.

Every ARN is built with `${AWS::Partition}` (or `Fn::GetAtt … Arn`) so the templates deploy in
aws-cn (Beijing/Ningxia) as well as aws.
"""
from __future__ import annotations

import copy
import re
from typing import Any

# ---------------------------------------------------------------------------------------------
# IAM: what the functions may do with their stage's data. No Scan, no wildcard data resources.
# Transactions (TransactWriteItems / TransactGetItems) have no IAM action of their own: DynamoDB
# authorises each item of a transaction by its action (PutItem, UpdateItem, DeleteItem,
# ConditionCheckItem, GetItem), which the list below grants.
DYNAMODB_TABLE_ACTIONS = (
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",  # PynamoDB describes a table on first use
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
)
DYNAMODB_INDEX_ACTIONS = ("dynamodb:Query",)
SQS_ACTIONS = (
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ReceiveMessage",
    "sqs:SendMessage",
)
S3_OBJECT_ACTIONS = ("s3:DeleteObject", "s3:GetObject", "s3:PutObject")
S3_BUCKET_ACTIONS = ("s3:ListBucket",)
# As Chalice grants by default, narrowed to this account and region.
LOGS_ACTIONS = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")

FILES_BUCKET = "FilesBucket"
LAYER = "DependencyLayer"
ALARM_TOPIC = "AlarmTopic"

# SQS: Lambda needs the queue's visibility timeout >= the function timeout; AWS advises 6x.
VISIBILITY_TIMEOUT_FACTOR = 6
MAX_RECEIVE_COUNT = 5
DLQ_RETENTION_SECONDS = 14 * 24 * 3600


def camel(name: str) -> str:
    """'rate-windows' -> 'RateWindows' (CloudFormation logical ids are alphanumeric)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", name) if part)


def short_name(full_name: str, prefix: str) -> str:
    if not full_name.startswith(prefix + "-"):
        raise ValueError(f"{full_name!r} does not start with the stage's prefix {prefix + '-'!r}")
    return full_name[len(prefix) + 1:]


def table_logical_id(table_name: str, prefix: str) -> str:
    return "Table" + camel(short_name(table_name, prefix))


def queue_logical_id(queue_name: str, prefix: str) -> str:
    return "Queue" + camel(short_name(queue_name, prefix))


def dlq_logical_id(queue_name: str, prefix: str) -> str:
    return "DeadLetter" + queue_logical_id(queue_name, prefix)


def arn(logical_id: str) -> dict:
    return {"Fn::GetAtt": [logical_id, "Arn"]}


# ---------------------------------------------------------------------------------------------
# DynamoDB


def table_resource(table: dict, stage: str) -> dict:
    """An AWS::DynamoDB::Table from the CreateTable request PynamoDB builds for the model."""
    request = table["create_table"]
    props: dict[str, Any] = {
        "TableName": request["TableName"],
        # On-demand everywhere (BaseMeta says so too); no provisioned throughput to size.
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": copy.deepcopy(request["AttributeDefinitions"]),
        "KeySchema": copy.deepcopy(request["KeySchema"]),
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "Tags": [{"Key": "qd:stage", "Value": stage}]
        + [t for t in request.get("Tags", []) if t.get("Key") != "qd:stage"],
    }
    for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        indexes = []
        for index in request.get(key) or []:
            entry = {
                "IndexName": index["IndexName"],
                "KeySchema": copy.deepcopy(index["KeySchema"]),
                "Projection": copy.deepcopy(index["Projection"]),
            }
            indexes.append(entry)
        if indexes:
            props[key] = indexes
    stream = request.get("StreamSpecification")
    if stream and stream.get("StreamEnabled"):
        props["StreamSpecification"] = {"StreamViewType": stream["StreamViewType"]}
    if table.get("ttl_attribute"):
        props["TimeToLiveSpecification"] = {"AttributeName": table["ttl_attribute"], "Enabled": True}
    return {
        "Type": "AWS::DynamoDB::Table",
        # Data outlives the stack: deleting or replacing the stack never drops a table.
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": props,
    }


def has_indexes(table: dict) -> bool:
    request = table["create_table"]
    return bool(request.get("GlobalSecondaryIndexes") or request.get("LocalSecondaryIndexes"))


# ---------------------------------------------------------------------------------------------
# SQS


def queue_resources(queue: dict, prefix: str, stage: str) -> dict[str, dict]:
    name = queue["name"]
    main_id = queue_logical_id(name, prefix)
    dlq_id = dlq_logical_id(name, prefix)
    tags = [{"Key": "qd:stage", "Value": stage}]
    return {
        dlq_id: {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": f"{name}-dlq",
                "MessageRetentionPeriod": DLQ_RETENTION_SECONDS,
                "SqsManagedSseEnabled": True,
                "Tags": tags,
            },
        },
        main_id: {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": name,
                "VisibilityTimeout": queue["visibility_timeout"],
                "SqsManagedSseEnabled": True,
                "RedrivePolicy": {
                    "deadLetterTargetArn": arn(dlq_id),
                    "maxReceiveCount": MAX_RECEIVE_COUNT,
                },
                "Tags": tags,
            },
        },
    }


# ---------------------------------------------------------------------------------------------
# S3


def _deny_insecure_transport(bucket_id: str) -> dict:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn(bucket_id), {"Fn::Sub": "${%s.Arn}/*" % bucket_id}],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _private_bucket(properties: dict) -> dict:
    props = {
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        },
        "BucketEncryption": {
            "ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
            ]
        },
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
    }
    props.update(properties)
    return {
        "Type": "AWS::S3::Bucket",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": props,
    }


def files_bucket_resources(bucket_name: str, stage: str) -> dict[str, dict]:
    return {
        FILES_BUCKET: _private_bucket(
            {
                "BucketName": bucket_name,
                "VersioningConfiguration": {"Status": "Enabled"},
                "LifecycleConfiguration": {
                    "Rules": [
                        {
                            "Id": "ExpireOldVersions",
                            "Status": "Enabled",
                            "NoncurrentVersionExpiration": {"NoncurrentDays": 90},
                            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
                        }
                    ]
                },
                "Tags": [{"Key": "qd:stage", "Value": stage}],
            }
        ),
        FILES_BUCKET + "Policy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": FILES_BUCKET},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [_deny_insecure_transport(FILES_BUCKET)],
                },
            },
        },
    }


# ---------------------------------------------------------------------------------------------
# IAM policy (Chalice puts it on every function's role: autogen_policy is false)


def iam_policy(tables: list[dict], queues: list[dict], prefix: str, notify_channels: tuple[str, ...] = ()) -> dict:
    """The functions' policy: the stage's own tables, indexes, queues and bucket, and the delivery
    services of the notification channels the stage enables (NOTIFY_CHANNELS), nothing else."""
    statements: list[dict] = [
        {
            "Sid": "Logs",
            "Effect": "Allow",
            "Action": list(LOGS_ACTIONS),
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*"},
        }
    ]
    table_ids = [table_logical_id(t["create_table"]["TableName"], prefix) for t in tables]
    if table_ids:
        statements.append(
            {
                "Sid": "StageTables",
                "Effect": "Allow",
                "Action": list(DYNAMODB_TABLE_ACTIONS),
                "Resource": [arn(tid) for tid in table_ids],
            }
        )
    index_resources = [
        {"Fn::Sub": "${%s.Arn}/index/*" % tid}
        for tid, table in zip(table_ids, tables)
        if has_indexes(table)
    ]
    if index_resources:
        statements.append(
            {
                "Sid": "StageTableIndexes",
                "Effect": "Allow",
                "Action": list(DYNAMODB_INDEX_ACTIONS),
                "Resource": index_resources,
            }
        )
    if queues:
        statements.append(
            {
                "Sid": "StageQueues",
                "Effect": "Allow",
                "Action": list(SQS_ACTIONS),
                "Resource": [arn(queue_logical_id(q["name"], prefix)) for q in queues],
            }
        )
    statements.append(
        {
            "Sid": "StageFilesObjects",
            "Effect": "Allow",
            "Action": list(S3_OBJECT_ACTIONS),
            "Resource": {"Fn::Sub": "${%s.Arn}/*" % FILES_BUCKET},
        }
    )
    statements.append(
        {
            "Sid": "StageFilesBucket",
            "Effect": "Allow",
            "Action": list(S3_BUCKET_ACTIONS),
            "Resource": arn(FILES_BUCKET),
        }
    )
    if "email" in notify_channels:
        statements.append(
            {
                "Sid": "NotifyEmail",
                "Effect": "Allow",
                "Action": ["ses:SendEmail"],
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"},
            }
        )
    if "sms" in notify_channels:
        # SNS can scope Publish to topics, not to phone numbers: direct SMS needs Resource "*".
        statements.append({"Sid": "NotifySms", "Effect": "Allow", "Action": ["sns:Publish"], "Resource": "*"})
    return {"Version": "2012-10-17", "Statement": statements}


# ---------------------------------------------------------------------------------------------
# Parameters filled at deploy time


def parameters(env: dict[str, str]) -> dict[str, dict]:
    return {
        "CognitoUserPoolId": {
            "Type": "String",
            "Default": env["COGNITO_USER_POOL_ID"],
            "Description": "Cognito user pool whose ID tokens people sign in with "
            "(the default is a placeholder: fill it at deploy).",
        },
        "CognitoAppClientIds": {
            "Type": "String",
            "Default": env["COGNITO_APP_CLIENT_IDS"],
            "Description": "Comma list of the user pool's app client ids accepted as token audience "
            "(the default is a placeholder: fill it at deploy).",
        },
        "AppVersion": {
            "Type": "String",
            "Default": env["APP_VERSION"],
            "Description": "Version reported by the API (e.g. the release tag or commit).",
        },
        "AlarmEmail": {
            "Type": "String",
            "Default": "",
            "Description": "Optional e-mail address subscribed to the stage's alarm topic.",
        },
        "SiteDomainName": {
            "Type": "String",
            "Default": "",
            "Description": "Alternate domain name (CNAME) of the site distribution. Required in the "
            "China regions (ICP-registered domain); without it no distribution is created there.",
        },
        "SiteIamCertificateId": {
            "Type": "String",
            "Default": "",
            "Description": "IAM server certificate id for SiteDomainName (CloudFront in the China "
            "regions does not take ACM certificates).",
        },
    }


ENV_PARAMETERS = {
    "COGNITO_USER_POOL_ID": "CognitoUserPoolId",
    "COGNITO_APP_CLIENT_IDS": "CognitoAppClientIds",
    "APP_VERSION": "AppVersion",
}


def conditions() -> dict:
    return {
        "HasAlarmEmail": {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]},
        "HasSiteDomain": {"Fn::Not": [{"Fn::Equals": [{"Ref": "SiteDomainName"}, ""]}]},
        "HasSiteCertificate": {"Fn::Not": [{"Fn::Equals": [{"Ref": "SiteIamCertificateId"}, ""]}]},
        "IsChina": {"Fn::Equals": [{"Ref": "AWS::Partition"}, "aws-cn"]},
        # CloudFront in aws-cn cannot serve from its default domain: create it only with a domain.
        "CreateSiteDistribution": {
            "Fn::Or": [{"Fn::Not": [{"Condition": "IsChina"}]}, {"Condition": "HasSiteDomain"}]
        },
    }


# ---------------------------------------------------------------------------------------------
# The single-page app: a private bucket behind CloudFront, with /api/* sent to API Gateway.


def site_resources(api_stage: str, stage: str) -> dict[str, dict]:
    api_origin = {
        "Id": "api",
        "DomainName": {"Fn::Sub": "${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}"},
        # Routes already carry the /api prefix: /api/x is served by <stage>/api/x.
        "OriginPath": f"/{api_stage}",
        "CustomOriginConfig": {
            "OriginProtocolPolicy": "https-only",
            "OriginSSLProtocols": ["TLSv1.2"],
        },
    }
    site_origin = {
        "Id": "site",
        "DomainName": {"Fn::GetAtt": ["SiteBucket", "RegionalDomainName"]},
        "S3OriginConfig": {
            # Origin access control is not offered in the China regions; an OAI is.
            "OriginAccessIdentity": {"Fn::Sub": "origin-access-identity/cloudfront/${SiteOriginAccessIdentity}"}
        },
    }
    return {
        "SiteBucket": _private_bucket({"Tags": [{"Key": "qd:stage", "Value": stage}]}),
        "SiteOriginAccessIdentity": {
            "Type": "AWS::CloudFront::CloudFrontOriginAccessIdentity",
            "Properties": {
                "CloudFrontOriginAccessIdentityConfig": {"Comment": {"Fn::Sub": "${AWS::StackName} site"}}
            },
        },
        "SiteBucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": "SiteBucket"},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "CloudFrontReadsTheSite",
                            "Effect": "Allow",
                            "Principal": {
                                "CanonicalUser": {"Fn::GetAtt": ["SiteOriginAccessIdentity", "S3CanonicalUserId"]}
                            },
                            "Action": "s3:GetObject",
                            "Resource": {"Fn::Sub": "${SiteBucket.Arn}/*"},
                        },
                        _deny_insecure_transport("SiteBucket"),
                    ],
                },
            },
        },
        "ApiNoCachePolicy": {
            "Type": "AWS::CloudFront::CachePolicy",
            "Condition": "CreateSiteDistribution",
            "Properties": {
                "CachePolicyConfig": {
                    "Name": {"Fn::Sub": "${AWS::StackName}-api-no-cache"},
                    "Comment": "API answers are never cached at the edge",
                    "MinTTL": 0,
                    "DefaultTTL": 0,
                    "MaxTTL": 0,
                    "ParametersInCacheKeyAndForwardedToOrigin": {
                        "EnableAcceptEncodingGzip": False,
                        "HeadersConfig": {"HeaderBehavior": "none"},
                        "CookiesConfig": {"CookieBehavior": "none"},
                        "QueryStringsConfig": {"QueryStringBehavior": "none"},
                    },
                }
            },
        },
        "ApiOriginRequestPolicy": {
            "Type": "AWS::CloudFront::OriginRequestPolicy",
            "Condition": "CreateSiteDistribution",
            "Properties": {
                "OriginRequestPolicyConfig": {
                    "Name": {"Fn::Sub": "${AWS::StackName}-api-all-but-host"},
                    "Comment": "Everything the viewer sent except Host (API Gateway needs its own)",
                    "HeadersConfig": {"HeaderBehavior": "allExcept", "Headers": ["Host"]},
                    "CookiesConfig": {"CookieBehavior": "all"},
                    "QueryStringsConfig": {"QueryStringBehavior": "all"},
                }
            },
        },
        "SiteDistribution": {
            "Type": "AWS::CloudFront::Distribution",
            "Condition": "CreateSiteDistribution",
            "Properties": {
                "DistributionConfig": {
                    "Comment": {"Fn::Sub": "${AWS::StackName}: single-page app and /api/*"},
                    "Enabled": True,
                    "HttpVersion": "http2",
                    "DefaultRootObject": "index.html",
                    "Aliases": {
                        "Fn::If": ["HasSiteDomain", [{"Ref": "SiteDomainName"}], {"Ref": "AWS::NoValue"}]
                    },
                    "ViewerCertificate": {
                        "Fn::If": [
                            "HasSiteCertificate",
                            {
                                "IamCertificateId": {"Ref": "SiteIamCertificateId"},
                                "SslSupportMethod": "sni-only",
                                "MinimumProtocolVersion": "TLSv1.2_2021",
                            },
                            {"CloudFrontDefaultCertificate": True},
                        ]
                    },
                    "Origins": [site_origin, api_origin],
                    "DefaultCacheBehavior": {
                        "TargetOriginId": "site",
                        "ViewerProtocolPolicy": "redirect-to-https",
                        "AllowedMethods": ["GET", "HEAD"],
                        "CachedMethods": ["GET", "HEAD"],
                        "Compress": True,
                        "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                    },
                    "CacheBehaviors": [
                        {
                            "PathPattern": "/api/*",
                            "TargetOriginId": "api",
                            "ViewerProtocolPolicy": "https-only",
                            "AllowedMethods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
                            "CachedMethods": ["GET", "HEAD"],
                            "Compress": True,
                            "CachePolicyId": {"Ref": "ApiNoCachePolicy"},
                            "OriginRequestPolicyId": {"Ref": "ApiOriginRequestPolicy"},
                        }
                    ],
                }
            },
        },
    }


# ---------------------------------------------------------------------------------------------
# Alarms: function errors, anything in a dead-letter queue, DynamoDB throttling.


def _alarm(description: str, props: dict) -> dict:
    base = {
        "AlarmDescription": description,
        "ActionsEnabled": True,
        "AlarmActions": [{"Ref": ALARM_TOPIC}],
        "OKActions": [{"Ref": ALARM_TOPIC}],
        "EvaluationPeriods": 1,
        "TreatMissingData": "notBreaching",
    }
    base.update(props)
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": base}


def alarm_resources(function_ids: list[str], queue_ids: list[str], table_ids: list[str]) -> dict[str, dict]:
    resources: dict[str, dict] = {
        ALARM_TOPIC: {
            "Type": "AWS::SNS::Topic",
            "Properties": {"DisplayName": {"Fn::Sub": "${AWS::StackName} alarms"}},
        },
        ALARM_TOPIC + "Email": {
            "Type": "AWS::SNS::Subscription",
            "Condition": "HasAlarmEmail",
            "Properties": {
                "TopicArn": {"Ref": ALARM_TOPIC},
                "Protocol": "email",
                "Endpoint": {"Ref": "AlarmEmail"},
            },
        },
    }
    for fid in function_ids:
        resources[f"{fid}ErrorsAlarm"] = _alarm(
            {"Fn::Sub": "${%s} raised errors" % fid},
            {
                "Namespace": "AWS/Lambda",
                "MetricName": "Errors",
                "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": fid}}],
                "Statistic": "Sum",
                "Period": 300,
                "Threshold": 1,
                "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            },
        )
    for qid in queue_ids:
        resources[f"{qid}DepthAlarm"] = _alarm(
            {"Fn::Sub": "Messages are waiting in the dead-letter queue ${%s.QueueName}" % qid},
            {
                "Namespace": "AWS/SQS",
                "MetricName": "ApproximateNumberOfMessagesVisible",
                "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [qid, "QueueName"]}}],
                "Statistic": "Maximum",
                "Period": 300,
                "Threshold": 0,
                "ComparisonOperator": "GreaterThanThreshold",
            },
        )
    for tid in table_ids:
        def stat(metric_id: str, metric: str, tid: str = tid) -> dict:
            return {
                "Id": metric_id,
                "ReturnData": False,
                "MetricStat": {
                    "Metric": {
                        "Namespace": "AWS/DynamoDB",
                        "MetricName": metric,
                        "Dimensions": [{"Name": "TableName", "Value": {"Ref": tid}}],
                    },
                    "Period": 300,
                    "Stat": "Sum",
                },
            }

        resources[f"{tid}ThrottlesAlarm"] = _alarm(
            {"Fn::Sub": "DynamoDB throttled requests on ${%s}" % tid},
            {
                "Metrics": [
                    stat("reads", "ReadThrottleEvents"),
                    stat("writes", "WriteThrottleEvents"),
                    {
                        "Id": "throttles",
                        "Expression": "FILL(reads, 0) + FILL(writes, 0)",
                        "Label": "Throttle events",
                        "ReturnData": True,
                    },
                ],
                "Threshold": 0,
                "ComparisonOperator": "GreaterThanThreshold",
            },
        )
    return resources


# ---------------------------------------------------------------------------------------------
# Putting it together


def finish_template(template: dict, facts: dict, layer_content_uri: str) -> dict:
    """Merge the stage's resources into Chalice's SAM template (returns a new template)."""
    template = copy.deepcopy(template)
    stage = facts["stage"]
    env = facts["env"]
    prefix = env["TABLE_PREFIX"]
    resources = template["Resources"]
    added: dict[str, dict] = {}

    functions = sorted(k for k, v in resources.items() if v["Type"] == "AWS::Serverless::Function")
    if not functions:
        raise ValueError("Chalice produced no functions")

    # Chalice 1.34 names the API handler's log group after `${ApiHandler}` while the function is
    # `APIHandler` (log_retention_in_days): point every log group at its real function.
    by_lower = {fid.lower(): fid for fid in functions}
    for resource in resources.values():
        if resource["Type"] != "AWS::Logs::LogGroup":
            continue
        name = resource["Properties"].get("LogGroupName")
        sub = name.get("Fn::Sub") if isinstance(name, dict) else None
        match = re.fullmatch(r"/aws/lambda/\$\{([A-Za-z0-9]+)\}", sub or "")
        if match and match.group(1) not in resources:
            target = by_lower.get(match.group(1).lower())
            if target is None:
                raise ValueError(f"log group {sub!r} names no function of the template")
            resource["Properties"]["LogGroupName"] = {"Fn::Sub": "/aws/lambda/${%s}" % target}

    # Tables
    table_ids = []
    for table in facts["tables"]:
        tid = table_logical_id(table["create_table"]["TableName"], prefix)
        added[tid] = table_resource(table, stage)
        table_ids.append(tid)

    # Queues: every SQS event of the template must be one of the app's queues; wire it to the
    # queue resource (GetAtt gives CloudFormation the dependency and checks the name).
    queue_ids = []
    dlq_ids = []
    by_name = {q["name"]: q for q in facts["queues"]}
    for queue in facts["queues"]:
        added.update(queue_resources(queue, prefix, stage))
        queue_ids.append(queue_logical_id(queue["name"], prefix))
        dlq_ids.append(dlq_logical_id(queue["name"], prefix))
    wired = set()
    for fid in functions:
        for event in (resources[fid]["Properties"].get("Events") or {}).values():
            if event.get("Type") != "SQS":
                continue
            queue_ref = event["Properties"]["Queue"]
            sub = queue_ref.get("Fn::Sub", "") if isinstance(queue_ref, dict) else queue_ref
            name = sub.rsplit(":", 1)[-1]
            if name not in by_name:
                raise ValueError(f"{fid} reads SQS queue {name!r} that the app does not declare")
            event["Properties"]["Queue"] = arn(queue_logical_id(name, prefix))
            wired.add(name)
    unwired = set(by_name) - wired
    if unwired:
        raise ValueError(f"queues without a consumer in the template: {sorted(unwired)}")

    added.update(files_bucket_resources(env["BUCKET_NAME"], stage))

    # The dependency layer, on every function.
    added[LAYER] = {
        "Type": "AWS::Serverless::LayerVersion",
        "Properties": {
            "LayerName": {"Fn::Sub": "${AWS::StackName}-dependencies"},
            "Description": f"Third-party packages of layers/requirements.txt (lock sha256 {facts['lock_sha256'][:12]})",
            "ContentUri": layer_content_uri,
            "CompatibleRuntimes": ["python3.11"],
            "CompatibleArchitectures": ["x86_64"],
        },
    }
    for fid in functions:
        props = resources[fid]["Properties"]
        if props.get("Runtime") != "python3.11":
            raise ValueError(f"{fid} has runtime {props.get('Runtime')!r}; build with Python 3.11")
        layers = [layer for layer in props.get("Layers", []) if layer != {"Ref": LAYER}]
        props["Layers"] = [{"Ref": LAYER}] + layers
        variables = props.get("Environment", {}).get("Variables", {})
        for var, param in ENV_PARAMETERS.items():
            if var in variables:
                variables[var] = {"Ref": param}

    added.update(site_resources(facts["api_gateway_stage"], stage))
    added.update(alarm_resources(functions, dlq_ids, table_ids))

    clash = set(added) & set(resources)
    if clash:
        raise ValueError(f"logical ids generated twice: {sorted(clash)}")
    resources.update(added)

    template["Description"] = (
        f"Qingdao enterprise service platform, stage {stage} "
        f"(division {env['DIVISION_CODE']}, platforms {env['PLATFORMS']})"
    )
    template["Parameters"] = parameters(env)
    template["Conditions"] = conditions()
    outputs = template.setdefault("Outputs", {})
    outputs["FilesBucketName"] = {"Value": {"Ref": FILES_BUCKET}}
    outputs["SiteBucketName"] = {"Value": {"Ref": "SiteBucket"}}
    outputs["SiteDistributionDomainName"] = {
        "Condition": "CreateSiteDistribution",
        "Value": {"Fn::GetAtt": ["SiteDistribution", "DomainName"]},
    }
    outputs["SiteDistributionId"] = {
        "Condition": "CreateSiteDistribution",
        "Value": {"Ref": "SiteDistribution"},
    }
    outputs["AlarmTopicArn"] = {"Value": {"Ref": ALARM_TOPIC}}
    for tid in table_ids:
        outputs[f"{tid}Name"] = {"Value": {"Ref": tid}}
    for qid in queue_ids:
        outputs[f"{qid}Url"] = {"Value": {"Ref": qid}}
    # Stable key order: the same inputs give the same file.
    template["Resources"] = dict(sorted(resources.items()))
    return template
