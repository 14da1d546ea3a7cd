"""Packaging a stage: tables from the models, a policy scoped to the stage, the layer on every
function, cfn-lint clean, reproducible zips, and a function that imports with nothing but its
zip, its layer and the Lambda runtime's boto3."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from infra import build
from infra.stages import load_stages
from infra.ziputil import pyc_name, sha256

pytestmark = pytest.mark.slow

ROOT = Path(__file__).absolute().parents[2]
LAYER_CACHE = ROOT / "build" / "layer"
STAGE = "laoshan"  # the stage conftest's `packaged` fixture builds


def stage_subprocess_env(stage: str) -> dict[str, str]:
    return build.worker_env(load_stages()[stage].env, "cn-north-1")

PREFIX = f"qd-{STAGE}"


def resources_of(template: dict, type_: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def by_key(items: list[dict], key: str) -> dict:
    return {item[key]: item for item in items}


# --------------------------------------------------------------------------------------------
# (b) tables equal the models


def test_tables_equal_the_models(template, model_schemas):
    tables = {t["Properties"]["TableName"]: t for t in resources_of(template, "AWS::DynamoDB::Table").values()}
    assert set(tables) == set(model_schemas)
    assert all(name.startswith(PREFIX + "-") for name in tables)
    for name, model in model_schemas.items():
        props = tables[name]["Properties"]
        schema = model["schema"]
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert {(k["AttributeName"], k["KeyType"]) for k in props["KeySchema"]} == {
            (k["AttributeName"], k["KeyType"]) for k in schema["key_schema"]
        }, name
        assert {(a["AttributeName"], a["AttributeType"]) for a in props["AttributeDefinitions"]} == {
            (a["AttributeName"], a["AttributeType"]) for a in schema["attribute_definitions"]
        }, name
        for cfn_key, schema_key in (
            ("GlobalSecondaryIndexes", "global_secondary_indexes"),
            ("LocalSecondaryIndexes", "local_secondary_indexes"),
        ):
            generated = by_key(props.get(cfn_key, []), "IndexName")
            declared = by_key(schema[schema_key], "index_name")
            assert set(generated) == set(declared), (name, cfn_key)
            for index_name, index in declared.items():
                got = generated[index_name]
                assert {(k["AttributeName"], k["KeyType"]) for k in got["KeySchema"]} == {
                    (k["AttributeName"], k["KeyType"]) for k in index["key_schema"]
                }, (name, index_name)
                assert got["Projection"]["ProjectionType"] == index["projection"]["ProjectionType"]
                assert got["Projection"].get("NonKeyAttributes") == index["projection"].get("NonKeyAttributes")
                assert "ProvisionedThroughput" not in got
        ttl = props.get("TimeToLiveSpecification")
        if model["ttl"]:
            assert ttl == {"AttributeName": model["ttl"], "Enabled": True}, name
        else:
            assert ttl is None, name
        assert tables[name]["DeletionPolicy"] == "Retain"


# --------------------------------------------------------------------------------------------
# (b) IAM: one role per function, each scoped to the stage's own resources; no Scan


def _logical_ids_in(value) -> set[str]:
    """Logical ids a policy Resource refers to (GetAtt X.Arn, Sub ${X.Arn}/...)."""
    if isinstance(value, list):
        return set().union(*(_logical_ids_in(v) for v in value)) if value else set()
    if isinstance(value, dict):
        if "Fn::GetAtt" in value:
            target, attribute = value["Fn::GetAtt"]
            assert attribute == "Arn"
            return {target}
        if "Fn::Sub" in value:
            text = value["Fn::Sub"]
            refs = set(re.findall(r"\$\{([A-Za-z0-9]+)\.Arn\}", text))
            return refs
    raise AssertionError(f"unexpected policy resource {value!r}")


def policies_of(template: dict) -> dict[str, dict]:
    roles = resources_of(template, "AWS::IAM::Role")
    assert roles
    out = {}
    for role_id, role in roles.items():
        docs = [p["PolicyDocument"] for p in role["Properties"].get("Policies", [])]
        assert len(docs) == 1, role_id
        assert "ManagedPolicyArns" not in role["Properties"], role_id
        out[role_id] = docs[0]
    return out


def function_policies_of(template: dict) -> dict[str, dict]:
    """Each function's policy document, by function logical id; each role serves one function."""
    roles = policies_of(template)
    out = {}
    for fid, fn in resources_of(template, "AWS::Serverless::Function").items():
        role_id = fn["Properties"]["Role"]["Fn::GetAtt"][0]
        assert role_id in roles, fid
        out[fid] = roles[role_id]
    role_ids = [fn["Properties"]["Role"]["Fn::GetAtt"][0] for fn in resources_of(template, "AWS::Serverless::Function").values()]
    assert len(role_ids) == len(set(role_ids)) == len(roles), "one role per function"
    return out


def _job_names(packaged) -> dict[str, str]:
    """Function logical id -> Chalice name, for the jobs (from facts.json)."""
    facts = json.loads((packaged / "facts.json").read_text(encoding="utf-8"))
    return {f["logical_id"]: f["name"] for f in facts["functions"] if f["kind"] != "api"}


def stage_job_access():
    """What each job touches on the packaged stage: the declarations of the platforms it runs (a part a
    platform adds to a shared job, such as the sweeper's, is granted only where that platform runs)."""
    from functions.platforms import job_access

    return job_access(load_stages()[STAGE].platforms)


def _audit_table_id(template: dict, model_schemas: dict) -> str:
    name = next(n for n, m in model_schemas.items() if m["model"] == "AuditRecord")
    (tid,) = [k for k, v in resources_of(template, "AWS::DynamoDB::Table").items() if v["Properties"]["TableName"] == name]
    return tid


def test_policy_grants_only_the_stage_resources(template, packaged):
    JOB_ACCESS = stage_job_access()

    resources = template["Resources"]
    tables = resources_of(template, "AWS::DynamoDB::Table")
    short = {tid: t["Properties"]["TableName"][len(PREFIX) + 1:] for tid, t in tables.items()}
    queues = {k: v for k, v in resources_of(template, "AWS::SQS::Queue").items() if not k.startswith("DeadLetter")}
    buckets = resources_of(template, "AWS::S3::Bucket")
    files_bucket = [k for k, v in buckets.items() if v["Properties"].get("BucketName") == f"{PREFIX}-files"]
    assert files_bucket == ["FilesBucket"]
    jobs = _job_names(packaged)

    for fid, doc in function_policies_of(template).items():
        text = json.dumps(doc)
        assert "dynamodb:Scan" not in text and "dynamodb:*" not in text, fid
        assert '"*"' not in text, fid  # no wildcard action or resource
        for other in load_stages().values():
            if other.name != STAGE:
                assert other.table_prefix + "-" not in text, (fid, other.name)
        seen_tables, seen_buckets = set(), set()
        for statement in doc["Statement"]:
            if statement["Effect"] == "Deny":
                assert statement["Sid"] == "AppendOnlyTablesStayAppendOnly", statement
                continue
            assert statement["Effect"] == "Allow"
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            services = {a.split(":")[0] for a in actions}
            assert len(services) == 1, statement
            service = services.pop()
            if service == "logs":
                assert statement["Resource"] == {
                    "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*"
                }
                continue
            refs = _logical_ids_in(statement["Resource"])
            assert refs, statement
            if service == "dynamodb":
                assert refs <= set(tables), (fid, refs - set(tables))
                seen_tables |= refs
            elif service == "sqs":
                assert refs <= set(queues), (fid, refs)
            elif service == "s3":
                assert refs == {"FilesBucket"}, (fid, refs)
                seen_buckets |= refs
            else:
                raise AssertionError(f"{fid} grants {service}")
        if fid == "APIHandler":
            assert seen_tables == set(tables), fid  # every route's tables
            assert seen_buckets == {"FilesBucket"}
        else:
            declared = {key.split("/index/")[0] for key in JOB_ACCESS[jobs[fid]].tables}
            assert {short[tid] for tid in seen_tables} == declared, fid  # only what the job touches
            # the stage's bucket only for a job that declares it (policy's index job stores the index)
            assert seen_buckets == ({"FilesBucket"} if JOB_ACCESS[jobs[fid]].files else set()), fid
        for tid in seen_tables:
            assert resources[tid]["Properties"]["TableName"].startswith(PREFIX + "-")


def test_api_handler_has_the_data_actions_the_code_needs(template):
    doc = function_policies_of(template)["APIHandler"]
    granted = {a for s in doc["Statement"] if s["Effect"] == "Allow"
               for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])}
    assert {
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
        "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem",
        "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable",
        "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket",
    } <= granted
    # Index queries: on the index ARNs of exactly the tables that have indexes.
    index_refs = {
        r["Fn::Sub"] for s in doc["Statement"] if s.get("Sid") == "StageTableIndexes" for r in s["Resource"]
    }
    with_indexes = {
        f"${{{tid}.Arn}}/index/*"
        for tid, t in resources_of(template, "AWS::DynamoDB::Table").items()
        if t["Properties"].get("GlobalSecondaryIndexes") or t["Properties"].get("LocalSecondaryIndexes")
    }
    assert index_refs == with_indexes


def test_each_job_role_grants_exactly_its_declared_tables_and_actions(template, packaged):
    JOB_ACCESS = stage_job_access()
    from tests.infra.iam_eval import allowed

    tables = resources_of(template, "AWS::DynamoDB::Table")
    by_short = {t["Properties"]["TableName"][len(PREFIX) + 1:]: tid for tid, t in tables.items()}
    candidates = ["dynamodb:" + a for a in ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query",
                                            "BatchGetItem", "BatchWriteItem", "ConditionCheckItem", "DescribeTable")]
    policies = function_policies_of(template)
    jobs = _job_names(packaged)
    assert set(jobs.values()) == set(JOB_ACCESS)  # every job of the app is declared (the build refuses otherwise)
    for fid, name in jobs.items():
        expected = set()
        for key, actions in JOB_ACCESS[name].tables.items():
            table, _, index = key.partition("/index/")
            resource = f"arn:{by_short[table]}" + (f"/index/{index}" if index else "")
            expected |= {(resource, "dynamodb:" + a) for a in actions}
        granted = set()
        for short, tid in by_short.items():
            resources_to_ask = [f"arn:{tid}"] + [
                f"arn:{tid}/index/{i['IndexName']}" for i in tables[tid]["Properties"].get("GlobalSecondaryIndexes", [])
            ]
            for resource in resources_to_ask:
                granted |= {(resource, a) for a in candidates if allowed(policies[fid], a, resource)}
        assert granted == expected, (fid, sorted(granted ^ expected))


def test_audit_table_is_append_only_for_every_role(template, model_schemas):
    from tests.infra.iam_eval import ALLOW_EVERYTHING, allowed, with_statement

    audit = f"arn:{_audit_table_id(template, model_schemas)}"
    for fid, doc in function_policies_of(template).items():
        denies = [s for s in doc["Statement"] if s["Effect"] == "Deny"]
        assert len(denies) == 1 and "Condition" not in denies[0], fid
        later = with_statement(doc, ALLOW_EVERYTHING)  # whatever is allowed later
        for action in ("UpdateItem", "DeleteItem", "BatchWriteItem", "PartiQLUpdate", "PartiQLDelete", "DeleteTable",
                       "UpdateTable", "UpdateTimeToLive", "UpdateContinuousBackups"):
            assert not allowed(doc, f"dynamodb:{action}", audit), (fid, action)
            assert not allowed(later, f"dynamodb:{action}", audit), (fid, action)
        assert not allowed(later, "dynamodb:DeleteBackup", f"{audit}/backup/01700000000000-abcdef12"), fid
        assert allowed(later, "dynamodb:PutItem", audit)  # appending stays possible
    # The functions that write audit records may: the API handler and the sweeper.
    policies = function_policies_of(template)
    assert allowed(policies["APIHandler"], "dynamodb:PutItem", audit)
    assert allowed(policies["SweepClocks"], "dynamodb:PutItem", audit)


# --------------------------------------------------------------------------------------------
# API Gateway: throttling and gateway responses


def test_api_stage_has_default_and_per_method_throttles(template):
    from infra.resources import METHOD_THROTTLES, STAGE_THROTTLE

    api = template["Resources"]["RestAPI"]["Properties"]
    paths = api["DefinitionBody"]["paths"]
    settings = {(s["ResourcePath"], s["HttpMethod"]): s for s in api["MethodSettings"]}
    default = settings.pop(("/*", "*"))
    assert (default["ThrottlingRateLimit"], default["ThrottlingBurstLimit"]) == (STAGE_THROTTLE.rate, STAGE_THROTTLE.burst)
    decoded = {(path.replace("~1", "/")[1:], method) for path, method in settings}
    for path, method in decoded:
        assert method.lower() in paths[path], (path, method)  # every limit names a real route
    assert ("/api/appeals", "POST") in decoded
    assert ("/api/oauth/token", "POST") in decoded
    open311 = [p for p, m in decoded if p.startswith("/api/open311/v2/") and m == "POST"]
    assert open311, decoded
    for setting in settings.values():
        assert setting["ThrottlingRateLimit"] < STAGE_THROTTLE.rate
        assert setting["ThrottlingBurstLimit"] < STAGE_THROTTLE.burst
    assert len(settings) >= len(METHOD_THROTTLES)


def test_gateway_responses_are_problem_json_with_security_headers(template):
    from functions.shared.middleware import SECURITY_HEADERS
    from functions.api.routes import PROBLEM_TYPE_BASE

    body = template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    responses = body["x-amazon-apigateway-gateway-responses"]
    for required in ("DEFAULT_4XX", "DEFAULT_5XX", "MISSING_AUTHENTICATION_TOKEN", "THROTTLED"):
        assert required in responses
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["statusCode"] == "404"
    assert responses["THROTTLED"]["statusCode"] == "429"
    for response_type, response in responses.items():
        problem = json.loads(response["responseTemplates"]["application/json"])
        assert set(problem) == {"type", "title", "status", "detail", "code"}
        assert problem["type"] == PROBLEM_TYPE_BASE + problem["code"]
        assert problem["status"] == int(response["statusCode"]), response_type
        headers = response["responseParameters"]
        assert headers["gatewayresponse.header.Content-Type"] == "'application/problem+json'"
        for name, value in SECURITY_HEADERS.items():
            assert headers[f"gatewayresponse.header.{name}"] == f"'{value}'", (response_type, name)


# --------------------------------------------------------------------------------------------
# queues come from the app's event sources, each with a dead-letter queue


def test_queues_have_dead_letter_queues_and_consumers(template, packaged):
    facts = json.loads((packaged / "facts.json").read_text(encoding="utf-8"))
    queues = resources_of(template, "AWS::SQS::Queue")
    names = {q["Properties"]["QueueName"] for q in queues.values()}
    expected = {q["name"] for q in facts["queues"]} | {q["name"] + "-dlq" for q in facts["queues"]}
    assert names == expected
    for qid, queue in queues.items():
        assert queue["Properties"]["QueueName"].startswith(PREFIX + "-")
        if qid.startswith("DeadLetter"):
            continue
        redrive = queue["Properties"]["RedrivePolicy"]
        assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["DeadLetter" + qid, "Arn"]}
        assert queue["Properties"]["VisibilityTimeout"] >= 30
    for fid, fn in resources_of(template, "AWS::Serverless::Function").items():
        for event in (fn["Properties"].get("Events") or {}).values():
            if event["Type"] == "SQS":
                target = event["Properties"]["Queue"]["Fn::GetAtt"][0]
                assert target in queues and not target.startswith("DeadLetter")


# --------------------------------------------------------------------------------------------
# the layer on every function; stage settings; bucket


def test_every_function_has_the_layer(template, packaged):
    functions = resources_of(template, "AWS::Serverless::Function")
    assert "APIHandler" in functions
    layer = template["Resources"]["DependencyLayer"]
    assert layer["Type"] == "AWS::Serverless::LayerVersion"
    assert layer["Properties"]["ContentUri"] == "./layer.zip"
    assert layer["Properties"]["CompatibleRuntimes"] == ["python3.11"]
    assert (packaged / "layer.zip").is_file()
    assert (packaged / "deployment.zip").is_file()
    for fid, fn in functions.items():
        props = fn["Properties"]
        assert {"Ref": "DependencyLayer"} in props["Layers"], fid
        assert props["Runtime"] == "python3.11"
        assert props["CodeUri"] == "./deployment.zip"
        variables = props["Environment"]["Variables"]
        assert variables["STAGE"] == STAGE
        assert variables["DIVISION_CODE"] == "370212"
        assert variables["TABLE_PREFIX"] == PREFIX
        assert variables["BUCKET_NAME"] == f"{PREFIX}-files"
        assert variables["IDENTITY_MODE"] == "cognito"
        assert variables["COGNITO_USER_POOL_ID"] == {"Ref": "CognitoUserPoolId"}


def test_files_bucket_is_private_and_encrypted(template):
    props = template["Resources"]["FilesBucket"]["Properties"]
    assert props["BucketName"] == f"{PREFIX}-files"
    assert all(props["PublicAccessBlockConfiguration"].values())
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"]


def test_arns_are_partition_neutral(template):
    text = json.dumps(template)
    assert "arn:aws:" not in text  # ${AWS::Partition} everywhere: it deploys to aws-cn
    assert "amazonaws.com/" not in text


def test_function_zip_has_no_third_party_packages(packaged):
    with zipfile.ZipFile(packaged / "deployment.zip") as zf:
        names = zf.namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {"app.py", "__pycache__", "chalice", "functions"}, tops  # __pycache__: app.py's bytecode
    # The only bytecode is each module's own Python 3.11 one (tests/infra/test_bytecode.py).
    assert {n for n in names if n.endswith(".pyc")} == {pyc_name(n) for n in names if n.endswith(".py")}


# --------------------------------------------------------------------------------------------
# (c) cfn-lint


def test_cfn_lint_passes(packaged):
    assert build.lint([STAGE], packaged.parent) == 0


# --------------------------------------------------------------------------------------------
# reproducible zips


def test_packaging_twice_gives_identical_outputs(packaged, tmp_path):
    build.package([STAGE], tmp_path / "dist", build_dir=tmp_path / "build", jobs=1, layer_cache=LAYER_CACHE)
    again = tmp_path / "dist" / STAGE
    assert sha256(again / "deployment.zip") == sha256(packaged / "deployment.zip")
    assert (again / "sam.json").read_bytes() == (packaged / "sam.json").read_bytes()


def test_layer_built_twice_is_identical(tmp_path):
    from infra.layer import LAYER_FILES, build_layer, pip_cache_dir

    # Two independent builds (the downloads come from the shared layer pip cache, for speed).
    pip_cache = pip_cache_dir(LAYER_CACHE)
    first = build_layer(tmp_path / "one", force=True, log=lambda _: None, pip_cache=pip_cache)
    second = build_layer(tmp_path / "two", force=True, log=lambda _: None, pip_cache=pip_cache)
    assert sha256(first) == sha256(second)
    with zipfile.ZipFile(first) as zf:
        names = zf.namelist()
    assert names == sorted(names) and all(n.startswith("python/") or n in LAYER_FILES for n in names)
    assert set(LAYER_FILES) <= set(names)  # the report font, /opt/fonts/ in Lambda
    assert not any(n.startswith("python/bin/") for n in names)
    # Bytecode: each module's Python 3.11 one, nothing pip or another interpreter left.
    assert {n for n in names if n.endswith(".pyc")} == {pyc_name(n) for n in names if n.endswith(".py")}
    assert all(n.endswith(".pyc") for n in names if "__pycache__" in n)
    for absent in ("boto3/", "botocore/", "s3transfer/", "urllib3/", "dateutil/", "jmespath/"):
        assert not any(n.startswith("python/" + absent) for n in names), absent


# --------------------------------------------------------------------------------------------
# (d) self-containment: function zip + layer + the runtime's boto3, nothing else


def _runtime_boto3() -> Path:
    """boto3 at the venv's version, as the Lambda runtime provides it (cached in build/)."""
    import boto3

    target = ROOT / "build" / "lambda-runtime" / f"boto3-{boto3.__version__}"
    if not target.is_dir():
        partial = target.with_name(target.name + f".partial{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-qq", "--no-compile", "--disable-pip-version-check",
             "--target", str(partial), f"boto3=={boto3.__version__}"],
            check=True,
        )
        try:
            partial.rename(target)
        except OSError:  # another run got there first
            shutil.rmtree(partial, ignore_errors=True)
    return target


def test_function_imports_with_only_its_zip_layer_and_boto3(packaged, template, tmp_path):
    task = tmp_path / "task"
    task.mkdir()
    with zipfile.ZipFile(packaged / "deployment.zip") as zf:
        zf.extractall(task)
    with zipfile.ZipFile(packaged / "layer.zip") as zf:
        members = [m for m in zf.namelist() if m.startswith("python/")]
        assert members
        for member in members:
            target = task / member[len("python/"):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(member))
    boto_dir = _runtime_boto3()
    handlers = sorted(
        fn["Properties"]["Handler"] for fn in resources_of(template, "AWS::Serverless::Function").values()
    )
    code = f"""
import importlib, pkgutil, sys
sys.path[:0] = [{str(task)!r}, {str(boto_dir)!r}]
import app
assert app.app.app_name == "qingdao-platform", app.app.app_name
import functions, pynamodb, chalice
for module in (functions, pynamodb, chalice):
    assert module.__file__.startswith({str(task)!r}), module.__file__
from functions.tables import all_models
models = all_models()
assert models
# Every module of the package imports: no lazily imported package is missing from the layer.
for info in pkgutil.walk_packages(functions.__path__, "functions."):
    importlib.import_module(info.name)
# Every Lambda handler of the template resolves (module path, then attribute).
for handler in {handlers!r}:
    module_name, _, attribute = handler.rpartition(".")
    assert callable(getattr(importlib.import_module(module_name), attribute)), handler
print("ok", len(models), "models")
"""
    env = stage_subprocess_env(STAGE)
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-6000:]
    assert result.stdout.startswith("ok"), result.stdout


# --------------------------------------------------------------------------------------------
# every deployable stage packages and lints


def test_every_stage_packages_and_lints(tmp_path):
    stages = build.select_stages(None)
    assert len(stages) == 11 and "local" not in stages
    out = tmp_path / "dist"
    build.package(stages, out, build_dir=tmp_path / "build", jobs=2, layer_cache=LAYER_CACHE)
    all_tables = set()
    for stage in stages:
        template = json.loads((out / stage / "sam.json").read_text(encoding="utf-8"))
        names = {
            t["Properties"]["TableName"] for t in resources_of(template, "AWS::DynamoDB::Table").values()
        }
        assert names and all(n.startswith(f"qd-{stage}-") for n in names), stage
        assert not names & all_tables
        all_tables |= names
        for fn in resources_of(template, "AWS::Serverless::Function").values():
            assert fn["Properties"]["Environment"]["Variables"]["STAGE"] == stage
    assert build.lint(stages, out) == 0


def test_local_is_never_packaged():
    with pytest.raises(SystemExit):
        build.select_stages(["local"])
