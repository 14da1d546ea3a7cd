"""The stage's CloudFormation resources and IAM policy, generated from what the app declares.

Inputs are the "facts" a stage worker reads from the real code under that stage's environment
(infra/stage_worker.py): the CreateTable/UpdateTimeToLive calls PynamoDB itself would make for
each model of `functions.tables.all_models()`, the app's functions and the SQS queues of its
`on_sqs_message` event sources, the security headers and the problem bodies the app answers
with. Nothing here is a second, hand-kept list of tables, queues or headers. What is declared
here is a decision, checked against the code by tests/infra: which tables each scheduled or
queue job may touch (`JOB_ACCESS`), the throttling limits and the gateway responses.

Every ARN is built with `${AWS::Partition}` (or `Fn::GetAtt … Arn`) so the templates deploy in
aws-cn (Beijing/Ningxia) as well as aws.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

FILES_BUCKET = "FilesBucket"
LAYER = "DependencyLayer"
ALARM_TOPIC = "AlarmTopic"

# SQS: Lambda needs the queue's visibility timeout >= the function timeout; AWS advises 6x.
VISIBILITY_TIMEOUT_FACTOR = 6
# The same as functions/shared/queues.py (jobs read them there; infra imports nothing of the app:
# infra/stage_worker.py loads the app from the staged package): tests/infra/test_resources.py checks.
MAX_RECEIVE_COUNT = 5
DEAD_LETTER_SUFFIX = "-dlq"
DLQ_RETENTION_SECONDS = 14 * 24 * 3600
# Every SQS event source reports partial batch failures: a handler answers
# {"batchItemFailures": [{"itemIdentifier": <messageId>}]} and Lambda deletes the rest of the batch
# (the local runner, jobs_runtime.run_queue_batch, does the same). Without it Lambda ignores the
# answer and retries the whole batch. Chalice 1.34 has no setting for it.
SQS_FUNCTION_RESPONSE_TYPES = ["ReportBatchItemFailures"]


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
                "QueueName": name + DEAD_LETTER_SUFFIX,
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


# The page uploads straight to the files bucket (the presigned POST of functions/files) and may fetch
# a download link, from its own origin: the bucket answers CORS for it. The presigned signature is what
# grants access (the bucket stays private); CORS only lets the page read S3's answer. The local stack
# gives moto the same rule for its page (infra/local/stack.py `allow_page_origins`).
FILES_CORS_METHODS = ("GET", "HEAD", "POST")
FILES_CORS_EXPOSED_HEADERS = ("ETag",)
FILES_CORS_MAX_AGE_SECONDS = 3600


def files_cors_rule(origins: Any) -> dict:
    """The files bucket's CORS rule (CloudFormation's CorsRule) for the page's origins."""
    return {"Id": "PageUploadsAndDownloads", "AllowedOrigins": origins, "AllowedMethods": list(FILES_CORS_METHODS),
            "ExposedHeaders": list(FILES_CORS_EXPOSED_HEADERS), "MaxAge": FILES_CORS_MAX_AGE_SECONDS}


# The site's origin: https://<SiteDomainName> when the stage has one (always in the China regions,
# where the distribution exists only with it). Without one, the distribution's own *.cloudfront.net
# name cannot be written here: the bucket would then depend on the distribution, the distribution on
# the API, and the API's role names the bucket, a cycle CloudFormation refuses; CloudFront's domain
# is admitted instead (the signature, not CORS, decides who may upload or read).
SITE_ORIGINS = {"Fn::If": ["HasSiteDomain", [{"Fn::Sub": "https://${SiteDomainName}"}], ["https://*.cloudfront.net"]]}


def files_bucket_resources(bucket_name: str, stage: str) -> dict[str, dict]:
    return {
        FILES_BUCKET: _private_bucket(
            {
                "BucketName": bucket_name,
                "CorsConfiguration": {"CorsRules": [files_cors_rule(SITE_ORIGINS)]},
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
# IAM: one role per function (autogen_policy is false; the stage worker writes one policy file per
# function and names it in the staged config's `lambda_functions`, and finish_template checks
# that every role Chalice generated carries exactly its function's document).


@dataclass(frozen=True)
class Access:
    """What one function may touch, besides writing its own logs.

    `tables` keys are table short names (`appeals` for `qd-<stage>-appeals`) or
    `<table>/index/<index>`; values are DynamoDB actions without the `dynamodb:` prefix.
    """

    tables: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    all_tables: bool = False  # every table of the stage, every item action (the API handler)
    sends_to: tuple[str, ...] = ()  # short names of the queues it sends to
    notifies: bool = False  # delivers through the stage's NOTIFY_CHANNELS (SES, SNS)
    files: bool = False  # the stage's files bucket


API_FUNCTION = "api_handler"  # Chalice's name for the function behind every HTTP route

# The API handler serves every route, so it needs every table, and the stage's bucket (uploads, the
# search indexes it reads). A job reaches the bucket only when it declares `files` (policy's index job).
API_ACCESS = Access(all_tables=True, files=True)

# What each scheduled or queue job touches, and how: declared by the platforms beside their jobs
# (each plugin.py `job_access`, merged over the stage's platforms by functions/platforms.py; a
# platform's clock handler declares its part of the sweeper's). tests/infra/test_job_access.py
# runs every job of the app under moto (warnings, breaches, auto-close, deliveries through every
# channel, failed deliveries, abandoned ticket numbers), records the tables, indexes and actions
# PynamoDB sends, and requires them to equal the declaration; it also fails for a registered job
# without one, and the build refuses to package one. A queue consumer may additionally
# receive/delete messages of its own queue (from the app's event sources), nothing else.
def declared_job_access(declared: Mapping[str, Any] | None = None) -> dict[str, Access]:
    """The platforms' declarations as Access: those of this process's stage, or `declared` (the
    stage worker's facts, {job: {"tables", "notifies", "sends_to", "files"}})."""
    if declared is None:
        from functions import platforms

        declared = {job: {"tables": a.tables, "notifies": a.notifies, "sends_to": a.sends_to, "files": a.files}
                    for job, a in platforms.job_access().items()}
    return {job: Access(tables={k: tuple(v) for k, v in a["tables"].items()}, notifies=bool(a["notifies"]),
                        sends_to=tuple(a["sends_to"]), files=bool(a.get("files")))
            for job, a in declared.items()}


def __getattr__(name: str) -> Any:
    # JOB_ACCESS: the merge for this process's stage, read when asked for. Not at import: the stage
    # worker imports this module before it puts the staged copy of `functions` on the path.
    if name == "JOB_ACCESS":
        return declared_job_access()
    raise AttributeError(name)

# DynamoDB actions a function may be granted on a table. No Scan. Transactions
# (TransactWriteItems / TransactGetItems) have no IAM action of their own: DynamoDB authorises
# each item of a transaction by its item action (a Put by PutItem, an Update by UpdateItem, a
# Delete by DeleteItem, a ConditionCheck by ConditionCheckItem, a Get by GetItem).
DYNAMODB_TABLE_ACTIONS = (
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
)
DYNAMODB_INDEX_ACTIONS = ("dynamodb:Query",)

# Append-only tables (the audit trail): every role gets an explicit Deny of whatever rewrites or
# removes their items, the table, or its recovery, so no Allow (this build's or a later one) can
# give it back. BatchWriteItem is denied whole: IAM authorises a batch by the one action
# BatchWriteItem, whether it carries puts or deletes, and its puts are unconditional overwrites;
# the code writes audit records only as conditional Puts inside TransactWriteItems.
APPEND_ONLY_MODELS = ("functions.shared.audit.AuditRecord",)
APPEND_ONLY_DENIED_ACTIONS = (
    "dynamodb:BatchWriteItem",  # deletes and unconditional overwrites, indistinguishable in IAM
    "dynamodb:DeleteBackup",  # the table's backups (resources <table>/backup/*)
    "dynamodb:DeleteItem",
    "dynamodb:DeleteTable",
    "dynamodb:DeleteTableReplica",
    "dynamodb:PartiQLDelete",
    "dynamodb:PartiQLUpdate",
    "dynamodb:UpdateContinuousBackups",  # switching point-in-time recovery off
    "dynamodb:UpdateItem",
    "dynamodb:UpdateTable",
    "dynamodb:UpdateTimeToLive",  # a TTL would make DynamoDB delete records
)

SQS_CONSUMER_ACTIONS = ("sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage")
SQS_SENDER_ACTIONS = ("sqs:GetQueueUrl", "sqs:SendMessage")
S3_OBJECT_ACTIONS = ("s3:DeleteObject", "s3:GetObject", "s3:PutObject")
S3_BUCKET_ACTIONS = ("s3:ListBucket",)
# As Chalice grants by default, narrowed to this account and region.
LOGS_ACTIONS = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")


def _table_by_short_name(tables: list[dict], prefix: str) -> dict[str, dict]:
    return {short_name(t["create_table"]["TableName"], prefix): t for t in tables}


def append_only_tables(tables: list[dict]) -> list[dict]:
    found = [t for t in tables if t.get("model") in APPEND_ONLY_MODELS]
    missing = set(APPEND_ONLY_MODELS) - {t.get("model") for t in found}
    if missing:
        raise ValueError(f"append-only models {sorted(missing)} are not among the stage's tables")
    return found


def _index_names(table: dict) -> set[str]:
    request = table["create_table"]
    return {
        index["IndexName"]
        for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes")
        for index in request.get(key) or []
    }


def _dynamodb(actions) -> list[str]:
    return sorted(a if a.startswith("dynamodb:") else f"dynamodb:{a}" for a in actions)


def _declared_table_statements(access: Access, tables: list[dict], prefix: str, append_only: set[str]) -> list[dict]:
    """Statements of a job's declared tables and indexes, checked against the models."""
    by_short = _table_by_short_name(tables, prefix)
    statements = []
    for key, actions in sorted(access.tables.items()):
        table_short, _, index = key.partition("/index/")
        if table_short not in by_short:
            raise ValueError(f"access to table {table_short!r}: no model of the stage declares it")
        tid = table_logical_id(by_short[table_short]["create_table"]["TableName"], prefix)
        granted = _dynamodb(actions)
        if index:
            if index not in _index_names(by_short[table_short]):
                raise ValueError(f"access to index {key!r}: table {table_short!r} has no such index")
            if set(granted) - set(DYNAMODB_INDEX_ACTIONS):
                raise ValueError(f"{key}: an index can only be queried, not {granted}")
            resource: Any = {"Fn::Sub": "${%s.Arn}/index/%s" % (tid, index)}
            sid = "Index" + camel(table_short) + camel(index)
        else:
            unknown = set(granted) - set(DYNAMODB_TABLE_ACTIONS)
            if unknown:
                raise ValueError(f"{key}: {sorted(unknown)} may not be granted (no Scan, no table administration)")
            if tid in append_only and set(granted) & set(APPEND_ONLY_DENIED_ACTIONS):
                raise ValueError(f"{key} is append-only: {sorted(set(granted) & set(APPEND_ONLY_DENIED_ACTIONS))} are denied")
            resource = arn(tid)
            sid = "Table" + camel(table_short)
        statements.append({"Sid": sid, "Effect": "Allow", "Action": granted, "Resource": [resource]})
    return statements


def _all_table_statements(tables: list[dict], prefix: str, append_only: set[str]) -> list[dict]:
    table_ids = [table_logical_id(t["create_table"]["TableName"], prefix) for t in tables]
    statements = []
    writable = [tid for tid in table_ids if tid not in append_only]
    if writable:
        statements.append(
            {"Sid": "StageTables", "Effect": "Allow", "Action": list(DYNAMODB_TABLE_ACTIONS),
             "Resource": [arn(tid) for tid in writable]}
        )
    appendable = [tid for tid in table_ids if tid in append_only]
    if appendable:
        statements.append(
            {"Sid": "AppendOnlyTables", "Effect": "Allow",
             "Action": [a for a in DYNAMODB_TABLE_ACTIONS if a not in APPEND_ONLY_DENIED_ACTIONS],
             "Resource": [arn(tid) for tid in appendable]}
        )
    index_resources = [
        {"Fn::Sub": "${%s.Arn}/index/*" % tid} for tid, table in zip(table_ids, tables) if has_indexes(table)
    ]
    if index_resources:
        statements.append(
            {"Sid": "StageTableIndexes", "Effect": "Allow", "Action": list(DYNAMODB_INDEX_ACTIONS),
             "Resource": index_resources}
        )
    return statements


def iam_policy(
    tables: list[dict],
    queues: list[dict],
    prefix: str,
    notify_channels: tuple[str, ...] = (),
    access: Access = API_ACCESS,
    consumes: tuple[str, ...] = (),
) -> dict:
    """One function's policy: its logs; the tables, indexes, queues and bucket `access` names (of
    the stage's own resources only); receiving from the queues it `consumes`; the delivery services
    of the stage's NOTIFY_CHANNELS if it delivers notifications; and, on every role, the explicit
    Deny that keeps the append-only tables append-only."""
    append_only_ids = {
        table_logical_id(t["create_table"]["TableName"], prefix) for t in append_only_tables(tables)
    }
    statements: list[dict] = [
        {
            "Sid": "Logs",
            "Effect": "Allow",
            "Action": list(LOGS_ACTIONS),
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*"},
        }
    ]
    if access.all_tables:
        if access.tables:
            raise ValueError("an access with all_tables names no single tables")
        statements += _all_table_statements(tables, prefix, append_only_ids)
    else:
        statements += _declared_table_statements(access, tables, prefix, append_only_ids)

    queue_names = {q["name"] for q in queues}
    for name in consumes:
        if name not in queue_names:
            raise ValueError(f"consumes queue {name!r} that the app does not declare")
    sends = [f"{prefix}-{short}" for short in access.sends_to]
    for name in sends:
        if name not in queue_names:
            raise ValueError(f"sends to queue {name!r} that the app does not declare")
    if consumes:
        statements.append(
            {"Sid": "ConsumeOwnQueue", "Effect": "Allow", "Action": list(SQS_CONSUMER_ACTIONS),
             "Resource": [arn(queue_logical_id(name, prefix)) for name in sorted(consumes)]}
        )
    if sends:
        statements.append(
            {"Sid": "SendToQueues", "Effect": "Allow", "Action": list(SQS_SENDER_ACTIONS),
             "Resource": [arn(queue_logical_id(name, prefix)) for name in sorted(sends)]}
        )
    if access.files:
        statements.append(
            {"Sid": "StageFilesObjects", "Effect": "Allow", "Action": list(S3_OBJECT_ACTIONS),
             "Resource": {"Fn::Sub": "${%s.Arn}/*" % FILES_BUCKET}}
        )
        statements.append(
            {"Sid": "StageFilesBucket", "Effect": "Allow", "Action": list(S3_BUCKET_ACTIONS),
             "Resource": arn(FILES_BUCKET)}
        )
    if access.notifies and "email" in notify_channels:
        statements.append(
            {
                "Sid": "NotifyEmail",
                "Effect": "Allow",
                "Action": ["ses:SendEmail"],
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"},
            }
        )
    if access.notifies and "sms" in notify_channels:
        # SNS can scope Publish to topics, not to phone numbers: direct SMS needs Resource "*".
        statements.append({"Sid": "NotifySms", "Effect": "Allow", "Action": ["sns:Publish"], "Resource": "*"})
    # Last, and on every role: an explicit Deny wins over any Allow, here or added later.
    deny_resources = []
    for tid in sorted(append_only_ids):
        deny_resources += [arn(tid), {"Fn::Sub": "${%s.Arn}/*" % tid}]
    statements.append(
        {"Sid": "AppendOnlyTablesStayAppendOnly", "Effect": "Deny", "Action": list(APPEND_ONLY_DENIED_ACTIONS),
         "Resource": deny_resources}
    )
    return {"Version": "2012-10-17", "Statement": statements}


def function_access(function: dict, job_access: Mapping[str, Access]) -> Access:
    if function["kind"] == "api":
        return API_ACCESS
    if function["name"] not in job_access:
        raise ValueError(
            f"job {function['name']!r} has no access declared: add it to its platform's plugin.py job_access "
            "(tests/infra/test_job_access.py records what it touches) before it can be packaged"
        )
    return job_access[function["name"]]


def function_policies(facts: dict, job_access: Mapping[str, Access] | None = None) -> dict[str, dict]:
    """Each function's policy document, by Chalice function name."""
    if job_access is None:
        job_access = declared_job_access(facts.get("job_access"))
    env = facts["env"]
    prefix = env["TABLE_PREFIX"]
    notify = tuple(c.strip() for c in env.get("NOTIFY_CHANNELS", "").split(",") if c.strip())
    consumers: dict[str, list[str]] = {}
    for queue in facts["queues"]:
        for consumer in queue["consumers"]:
            consumers.setdefault(consumer, []).append(queue["name"])
    policies = {}
    for function in facts["functions"]:
        name = function["name"]
        policies[name] = iam_policy(
            facts["tables"], facts["queues"], prefix, notify,
            access=function_access(function, job_access),
            consumes=tuple(consumers.get(name, ())),
        )
    unknown = set(consumers) - set(policies)
    if unknown:
        raise ValueError(f"queue consumers {sorted(unknown)} are not functions of the app")
    return policies


def policy_file_name(stage: str, function: str) -> str:
    return f"policy-{stage}-{function}.json"


def check_function_roles(resources: dict, functions: list[dict], policies: dict[str, dict]) -> None:
    """Every function of the template has its own role, carrying exactly its policy document."""
    logical = {f["logical_id"]: f["name"] for f in functions}
    in_template = {k for k, v in resources.items() if v["Type"] == "AWS::Serverless::Function"}
    if set(logical) != in_template:
        raise ValueError(f"functions of the template {sorted(in_template)} are not the app's {sorted(logical)}")
    roles_seen: dict[str, str] = {}
    for fid, name in sorted(logical.items()):
        role_ref = resources[fid]["Properties"].get("Role")
        if not (isinstance(role_ref, dict) and "Fn::GetAtt" in role_ref):
            raise ValueError(f"{fid} has no role of this template: {role_ref!r}")
        role_id = role_ref["Fn::GetAtt"][0]
        if role_id in roles_seen:
            raise ValueError(f"{fid} shares role {role_id} with {roles_seen[role_id]}")
        roles_seen[role_id] = fid
        documents = [p["PolicyDocument"] for p in resources[role_id]["Properties"].get("Policies", [])]
        if documents != [policies[name]] or resources[role_id]["Properties"].get("ManagedPolicyArns"):
            raise ValueError(f"role {role_id} of {fid} does not carry exactly the policy built for {name!r}")


# ---------------------------------------------------------------------------------------------
# API Gateway: throttling (stage default and tighter per-method limits) and gateway responses.
# The numbers and their reasoning are in infra/README.md ("Throttling").

API_RESOURCE = "RestAPI"  # Chalice's AWS::Serverless::Api


@dataclass(frozen=True)
class Throttle:
    rate: float  # steady requests per second (token refill)
    burst: int  # bucket size: requests accepted at once


@dataclass(frozen=True)
class MethodThrottle:
    method: str
    path: str  # regular expression, matched whole against the API's resource paths
    throttle: Throttle
    why: str


# Every method of the stage, per stack (each stack has its own API and stage).
STAGE_THROTTLE = Throttle(rate=100, burst=200)
# Anonymous or expensive routes. A rule must match at least one route of the API, or the build
# stops: a renamed route cannot silently lose its limit.
METHOD_THROTTLES = (
    MethodThrottle("POST", r"/api/appeals", Throttle(rate=2, burst=10),
                   "anonymous intake; each submission runs the similarity check and a transaction"),
    MethodThrottle("POST", r"/api/oauth/token", Throttle(rate=2, burst=10),
                   "anonymous; every call costs one scrypt of the client secret"),
    # requests.json today, a {document} parameter tomorrow: any POST directly under /api/open311/v2/.
    MethodThrottle("POST", r"/api/open311/v2/[^/]+", Throttle(rate=5, burst=20),
                   "hotline vendors' intake; forwards arrive in batches after a backlog"),
)


def _method_setting_path(path: str) -> str:
    """A resource path as method settings name it: every '/' becomes '~1', after a leading '/'
    (`/api/appeals` is `/~1api~1appeals`; the root is `/`)."""
    return "/" + path.replace("/", "~1") if path != "/" else "/"


def method_settings(definition: dict, stage: Throttle = STAGE_THROTTLE,
                    rules: tuple[MethodThrottle, ...] = METHOD_THROTTLES) -> list[dict]:
    settings = [
        {"ResourcePath": "/*", "HttpMethod": "*",
         "ThrottlingRateLimit": stage.rate, "ThrottlingBurstLimit": stage.burst}
    ]
    paths = definition.get("paths") or {}
    for rule in rules:
        matched = sorted(
            path for path, methods in paths.items()
            if re.fullmatch(rule.path, path) and rule.method.lower() in {m.lower() for m in methods}
        )
        if not matched:
            raise ValueError(f"throttle rule {rule.method} {rule.path} matches no route of the API")
        for path in matched:
            settings.append(
                {"ResourcePath": _method_setting_path(path), "HttpMethod": rule.method,
                 "ThrottlingRateLimit": rule.throttle.rate, "ThrottlingBurstLimit": rule.throttle.burst}
            )
    return settings


@dataclass(frozen=True)
class GatewayProblem:
    """How one API Gateway response type answers: as the app's own problem for `error` (a class of
    functions/shared/errors.py), rendered by the stage worker with functions/api/routes.py
    `problem_response`. `status`/`code`/`title` override the class's, as the app does for 500."""

    error: str
    detail: str
    status: int | None = None
    code: str | None = None
    title: str | None = None
    retry_after_seconds: int | None = None  # RateLimited only


_INTERNAL = {"error": "DomainError", "status": 500, "code": "internal_error", "title": "Internal server error"}

# Every response type API Gateway defines, so none answers in its own format or without our headers.
GATEWAY_RESPONSES: dict[str, GatewayProblem] = {
    # No route for this method and path (API Gateway calls it a missing token).
    "MISSING_AUTHENTICATION_TOKEN": GatewayProblem("NotFound", "No resource of this API answers this method and path."),
    "RESOURCE_NOT_FOUND": GatewayProblem("NotFound", "No resource of this API answers this method and path."),
    "THROTTLED": GatewayProblem("RateLimited", "Too many requests for this API; retry after the time in Retry-After.",
                                retry_after_seconds=1),
    "QUOTA_EXCEEDED": GatewayProblem("RateLimited", "The request quota is used up; retry later.", retry_after_seconds=60),
    "REQUEST_TOO_LARGE": GatewayProblem("PayloadTooLarge", "The request is larger than the API accepts."),
    "UNSUPPORTED_MEDIA_TYPE": GatewayProblem("UnsupportedMediaType", "The API does not accept this media type."),
    "BAD_REQUEST_BODY": GatewayProblem("MalformedRequest", "The request body was refused by the API gateway."),
    "BAD_REQUEST_PARAMETERS": GatewayProblem("DomainError", "The request parameters were refused by the API gateway."),
    "UNAUTHORIZED": GatewayProblem("Unauthenticated", "Send a valid bearer token in the Authorization header."),
    "ACCESS_DENIED": GatewayProblem("Forbidden", "The API gateway refused this request."),
    "EXPIRED_TOKEN": GatewayProblem("Forbidden", "The request's signature has expired."),
    "INVALID_API_KEY": GatewayProblem("Forbidden", "The API key is not valid."),
    "INVALID_SIGNATURE": GatewayProblem("Forbidden", "The request's signature is not valid."),
    "WAF_FILTERED": GatewayProblem("Forbidden", "The request was blocked by the web application firewall."),
    # Catch-alls, for response types AWS adds later (every known type is configured above).
    "DEFAULT_4XX": GatewayProblem("DomainError", "The API gateway refused this request."),
    "DEFAULT_5XX": GatewayProblem(detail="The API gateway could not complete the request.", **_INTERNAL),
    "API_CONFIGURATION_ERROR": GatewayProblem(detail="The API is misconfigured; it has been logged.", **_INTERNAL),
    "AUTHORIZER_CONFIGURATION_ERROR": GatewayProblem(detail="The API's authorizer is misconfigured.", **_INTERNAL),
    "AUTHORIZER_FAILURE": GatewayProblem(detail="The API's authorizer failed.", **_INTERNAL),
    "INTEGRATION_FAILURE": GatewayProblem("DomainError", "The service failed to answer; retry later.",
                                          status=502, code="bad_gateway", title="Bad gateway"),
    "INTEGRATION_TIMEOUT": GatewayProblem("DomainError", "The service did not answer in time; retry later.",
                                          status=504, code="gateway_timeout", title="Gateway timeout"),
}
REQUIRED_GATEWAY_RESPONSES = ("DEFAULT_4XX", "DEFAULT_5XX", "MISSING_AUTHENTICATION_TOKEN", "THROTTLED")


def _static_header_value(value: str) -> str:
    if "'" in value:
        raise ValueError(f"header value {value!r} cannot be a static gateway-response value")
    return f"'{value}'"


def gateway_responses(rendered: dict[str, dict], security_headers: dict[str, str]) -> dict[str, dict]:
    """`x-amazon-apigateway-gateway-responses` from the problems the stage worker rendered with the
    app's own `problem_response` ({type: {status, headers, body}}) and the app's security headers.

    They go into the API's OpenAPI body, not into separate AWS::ApiGateway::GatewayResponse
    resources: SAM re-imports the body (mode overwrite) and creates a deployment keyed on it, so
    separately defined responses are dropped by the next import or never deployed."""
    missing = set(GATEWAY_RESPONSES) - set(rendered)
    if missing:
        raise ValueError(f"no rendered problem for gateway responses {sorted(missing)}")
    out = {}
    for response_type in sorted(GATEWAY_RESPONSES):
        problem = rendered[response_type]
        body = problem["body"]
        if "$" in body:  # the template does $context substitution: keep the body literal
            raise ValueError(f"{response_type}: a problem body may not contain '$'")
        if json.loads(body)["status"] != problem["status"]:
            raise ValueError(f"{response_type}: body status differs from the response status")
        headers = {**security_headers, **problem["headers"]}  # as the middleware: the answer's own win
        out[response_type] = {
            "statusCode": str(problem["status"]),
            "responseParameters": {
                f"gatewayresponse.header.{name}": _static_header_value(value) for name, value in sorted(headers.items())
            },
            # The key selects the template (API Gateway's default media type); the Content-Type
            # header above makes the answer application/problem+json.
            "responseTemplates": {"application/json": body},
        }
    return out


def configure_api(resources: dict, facts: dict) -> None:
    """Throttling and gateway responses on Chalice's RestAPI (in place)."""
    api = resources.get(API_RESOURCE)
    if api is None or api["Type"] != "AWS::Serverless::Api":
        raise ValueError(f"Chalice produced no {API_RESOURCE} (AWS::Serverless::Api)")
    props = api["Properties"]
    definition = props["DefinitionBody"]
    if "MethodSettings" in props or "x-amazon-apigateway-gateway-responses" in definition:
        raise ValueError("Chalice already set method settings or gateway responses: merge them here")
    props["MethodSettings"] = method_settings(definition)
    definition["x-amazon-apigateway-gateway-responses"] = gateway_responses(
        facts["gateway_problems"], facts["security_headers"]
    )


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
        "OriginVerifySecret": {
            "Type": "String",
            "NoEcho": True,
            "MinLength": 32,
            "Description": "A random secret (32+ characters) CloudFront adds as X-Origin-Verify to API requests; "
            "only with it does the API take a client's address from X-Forwarded-For. Generate one per stage, e.g. `openssl rand -hex 32`.",
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
        # Proves a request came through this distribution: only then does the API take the client's
        # address from the X-Forwarded-For entry CloudFront appended (functions/api/routes.py
        # client_address); API Gateway itself sees only the edge. (CloudFront Functions, which could
        # set a header of their own, do not exist in the China regions.)
        "OriginCustomHeaders": [{"HeaderName": "X-Origin-Verify", "HeaderValue": {"Ref": "OriginVerifySecret"}}],
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
                            "OriginRequestPolicyId": {"Ref": "ApiOriginRequestPolicy"}
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


def finish_template(template: dict, facts: dict, layer_content_uri: str,
                    job_access: Mapping[str, Access] | None = None) -> dict:
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
    # queue resource (GetAtt gives CloudFormation the dependency and checks the name), and have it
    # report partial batch failures (SQS_FUNCTION_RESPONSE_TYPES).
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
            event["Properties"]["FunctionResponseTypes"] = list(SQS_FUNCTION_RESPONSE_TYPES)
            wired.add(name)
    unwired = set(by_name) - wired
    if unwired:
        raise ValueError(f"queues without a consumer in the template: {sorted(unwired)}")

    added.update(files_bucket_resources(env["BUCKET_NAME"], stage))

    # One role per function, each with exactly the policy built for it (Chalice wrote them from the
    # per-function policy files the stage worker named in the staged config).
    check_function_roles(resources, facts["functions"], function_policies(facts, job_access))

    # API Gateway: throttling and gateway responses.
    configure_api(resources, facts)

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
        if variables:
            variables["ORIGIN_VERIFY_SECRET"] = {"Ref": "OriginVerifySecret"}
            # Where a credit report's QR code sends its reader (functions/finance/reports/routes.py
            # site_of): the site's own domain. CloudFront does not pass the viewer's Host to API
            # Gateway, and the distribution's default name cannot be written here (a cycle, see
            # SITE_ORIGINS); without a SiteDomainName (outside China only) the host asked is used.
            variables["SITE_URL"] = {"Fn::If": ["HasSiteDomain", {"Fn::Sub": "https://${SiteDomainName}"}, ""]}

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
