"""Build one stage, in its own process: `python -m infra.stage_worker --stage S --project P --out O`.

Run by infra/build.py with the stage's environment (the variables `.chalice/config.json` gives
the stage's functions) plus AWS_DEFAULT_REGION and no credentials. In this one process:

1. import the app and the models from the staged project P (P/app.py, P/vendor/functions: what
   ships), under that environment, so table and queue names are the stage's own;
2. record the CreateTable / UpdateTimeToLive requests PynamoDB would send for every model of
   `functions.tables.all_models()` (PynamoDB's own request building, with the network call
   replaced by a recorder), and the app's SQS event sources;
3. write each function's IAM policy to P/.chalice/policy-<stage>-<function>.json and name it in
   the staged config's `stages.<stage>.lambda_functions.<function>.iam_policy_file`
   (autogen_policy is false, so Chalice gives each function its own role with exactly that
   document); render the problem+json answers of the API's gateway responses with the app's own
   `problem_response`, and read its security headers;
4. run `chalice package --stage S` (the CLI command, in-process);
5. merge the stage's resources into Chalice's sam.json (infra/resources.py), rewrite
   deployment.zip deterministically with every module's Python 3.11 bytecode (infra/ziputil.py:
   Lambda's /var/task is read-only, so without it every cold start compiles app.py and functions/),
   and write O/sam.json, O/deployment.zip, O/facts.json.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from infra import resources
from infra.ziputil import normalize_zip, sha256


def _isolate_project(project: Path) -> None:
    """Import app/functions from the staged project only (not from the repo checkout)."""
    repo = Path(__file__).absolute().parent.parent
    sys.path[:] = [p for p in sys.path if p not in ("", ".") and Path(p).absolute() != repo]
    sys.path[:0] = [str(project), str(project / "vendor")]


def record_tables() -> list[dict]:
    """What PynamoDB would send to create each model's table (and switch on its TTL)."""
    from pynamodb.connection.base import Connection
    from pynamodb.exceptions import TableDoesNotExist

    from functions.tables import all_models

    calls: list[tuple[str, dict]] = []

    def recorder(self, operation_name, operation_kwargs):  # replaces the network call
        calls.append((operation_name, copy.deepcopy(operation_kwargs)))
        if operation_name == "DescribeTable":
            raise TableDoesNotExist(operation_kwargs.get("TableName"))
        return {}

    original = Connection.dispatch
    Connection.dispatch = recorder
    tables = []
    try:
        for model in all_models():
            calls.clear()
            model._connection = None
            model.create_table(wait=False)
            model._connection = None
            creates = [kw for op, kw in calls if op == "CreateTable"]
            ttls = [kw for op, kw in calls if op == "UpdateTimeToLive"]
            if len(creates) != 1:
                raise RuntimeError(f"{model.__name__}: expected one CreateTable, saw {calls}")
            ttl = ttls[0]["TimeToLiveSpecification"]["AttributeName"] if ttls else None
            tables.append(
                {
                    "model": f"{model.__module__}.{model.__qualname__}",
                    "create_table": creates[0],
                    "ttl_attribute": ttl,
                }
            )
    finally:
        Connection.dispatch = original
    names = [t["create_table"]["TableName"] for t in tables]
    if len(names) != len(set(names)):
        raise RuntimeError(f"two models share a table name: {sorted(names)}")
    return tables


def record_event_sources(chalice_app, default_timeout: int, function_timeouts: dict) -> tuple[list, list]:
    from chalice.app import ScheduledEventConfig, SQSEventConfig

    queues: dict[str, dict] = {}
    schedules = []
    for source in chalice_app.event_sources:
        if isinstance(source, SQSEventConfig):
            if source.queue_arn and not source.queue:
                raise RuntimeError(
                    f"{source.name}: on_sqs_message(queue_arn=...) names a queue this stack does "
                    "not own; use queue=settings.queue_name(...) so the build creates it"
                )
            timeout = function_timeouts.get(source.name, default_timeout)
            entry = queues.setdefault(
                source.queue, {"name": source.queue, "consumers": [], "visibility_timeout": 0}
            )
            entry["consumers"].append(source.name)
            entry["visibility_timeout"] = max(
                entry["visibility_timeout"], resources.VISIBILITY_TIMEOUT_FACTOR * timeout
            )
        elif isinstance(source, ScheduledEventConfig):
            expression = source.schedule_expression
            if not isinstance(expression, str):
                expression = expression.to_string()
            schedules.append({"function": source.name, "expression": expression})
    return sorted(queues.values(), key=lambda q: q["name"]), schedules


def record_functions(chalice_app) -> list[dict]:
    """The Lambda functions Chalice makes of the app: the API handler (all HTTP routes) and one
    per event source or pure Lambda function, with the logical id Chalice gives each."""
    from chalice.app import ScheduledEventConfig, SQSEventConfig
    from chalice.utils import to_cfn_resource_name

    functions = []
    if chalice_app.routes:
        functions.append({"name": resources.API_FUNCTION, "logical_id": "APIHandler", "kind": "api"})
    for source in chalice_app.event_sources:
        kind = "schedule" if isinstance(source, ScheduledEventConfig) else "queue" if isinstance(source, SQSEventConfig) else "event"
        functions.append({"name": source.name, "logical_id": to_cfn_resource_name(source.name), "kind": kind})
    for function in getattr(chalice_app, "pure_lambda_functions", []):
        functions.append({"name": function.name, "logical_id": to_cfn_resource_name(function.name), "kind": "lambda"})
    if getattr(chalice_app, "websocket_handlers", None):
        raise RuntimeError("websocket handlers: give them their own role decision in infra/resources.py first")
    names = [f["name"] for f in functions]
    if len(names) != len(set(names)):
        raise RuntimeError(f"two functions share a name: {sorted(names)}")
    return functions


def render_gateway_problems() -> dict[str, dict]:
    """Each gateway response type's answer as the app itself would give it: the problem of
    `resources.GATEWAY_RESPONSES` rendered by functions/api/routes.py `problem_response`."""
    from functions.shared import errors
    from functions.api.routes import problem_response

    rendered = {}
    for response_type, problem in resources.GATEWAY_RESPONSES.items():
        cls = getattr(errors, problem.error)
        if not (isinstance(cls, type) and issubclass(cls, errors.DomainError)):
            raise RuntimeError(f"{response_type}: {problem.error} is not a DomainError")
        if problem.retry_after_seconds is not None:
            error = cls(problem.detail, retry_after_seconds=problem.retry_after_seconds)
        else:
            error = cls(problem.detail)
        for attribute in ("status", "code", "title"):
            if getattr(problem, attribute) is not None:
                setattr(error, attribute, getattr(problem, attribute))
        response = problem_response(error)
        rendered[response_type] = {
            "status": response.status_code,
            "headers": dict(response.headers),
            "body": response.body,
        }
    return rendered


def write_policies(project: Path, config: dict, stage: str, policies: dict[str, dict]) -> dict[str, str]:
    """One policy file per function, named in the staged config; returns each file's sha256."""
    stage_config = config["stages"][stage]
    per_function = stage_config.setdefault("lambda_functions", {})
    hashes = {}
    for name, policy in sorted(policies.items()):
        file_name = resources.policy_file_name(stage, name)
        data = (json.dumps(policy, indent=2) + "\n").encode("utf-8")
        (project / ".chalice" / file_name).write_bytes(data)
        settings = per_function.setdefault(name, {})
        top = config.get("lambda_functions", {}).get(name, {})
        if {"iam_policy_file", "iam_role_arn", "manage_iam_role"} & (set(settings) | set(top)):
            raise RuntimeError(f"{name}: .chalice/config.json sets its role; the build owns the roles")
        settings["iam_policy_file"] = file_name
        hashes[name] = hashlib.sha256(data).hexdigest()
    (project / ".chalice" / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return hashes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stage", required=True)
    parser.add_argument("--project", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--lock-sha256", required=True)
    args = parser.parse_args(argv)
    stage = args.stage
    project = args.project.absolute()
    out = args.out.absolute()

    config = json.loads((project / ".chalice" / "config.json").read_text(encoding="utf-8"))
    stage_config = config["stages"][stage]
    env = dict(config.get("environment_variables", {}))
    env.update(stage_config.get("environment_variables", {}))
    for key, value in env.items():
        if os.environ.get(key) != value:
            raise RuntimeError(f"run me with the stage's environment ({key} is not {value!r})")

    _isolate_project(project)
    import app as app_module  # noqa: E402  (the staged app, under the stage's environment)
    import functions  # noqa: E402
    from functions import platforms  # noqa: E402

    functions_dir = Path(functions.__file__).absolute().parent
    if functions_dir != project / "vendor" / "functions":
        raise RuntimeError(f"functions imported from {functions_dir}, not the staged vendor/")

    default_timeout = stage_config.get("lambda_timeout", config.get("lambda_timeout", 60))
    function_timeouts = {}
    for scope in (config.get("lambda_functions", {}), stage_config.get("lambda_functions", {})):
        for name, settings in scope.items():
            if "lambda_timeout" in settings:
                function_timeouts[name] = settings["lambda_timeout"]

    tables = record_tables()
    queues, schedules = record_event_sources(app_module.app, default_timeout, function_timeouts)
    api_stage = stage_config.get("api_gateway_stage", config.get("api_gateway_stage", "api"))
    from functions.shared.middleware import SECURITY_HEADERS

    facts = {
        "stage": stage,
        "env": env,
        "api_gateway_stage": api_stage,
        "lock_sha256": args.lock_sha256,
        "tables": tables,
        "queues": queues,
        "schedules": schedules,
        "functions": record_functions(app_module.app),
        # What each job touches, as this stage's platforms declare it (functions/platforms.py).
        "job_access": {job: {"tables": {k: list(v) for k, v in a.tables.items()}, "notifies": a.notifies,
                             "sends_to": list(a.sends_to), "files": a.files} for job, a in platforms.job_access().items()},
        "security_headers": dict(SECURITY_HEADERS),
        "gateway_problems": render_gateway_problems(),
    }

    policies = resources.function_policies(facts)
    policy_hashes = write_policies(project, config, stage, policies)

    chalice_out = out / ".chalice-package"
    shutil.rmtree(chalice_out, ignore_errors=True)
    from chalice.cli import cli

    cli.main(
        args=["--project-dir", str(project), "package", "--stage", stage, str(chalice_out)],
        obj={},
        standalone_mode=False,
    )

    template = json.loads((chalice_out / "sam.json").read_text(encoding="utf-8"))
    final = resources.finish_template(template, facts, "./layer.zip")
    out.mkdir(parents=True, exist_ok=True)
    (out / "sam.json").write_text(json.dumps(final, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    normalize_zip(chalice_out / "deployment.zip", out / "deployment.zip", bytecode=True)
    shutil.rmtree(chalice_out)
    facts["deployment_zip_sha256"] = sha256(out / "deployment.zip")
    facts["policy_sha256"] = policy_hashes
    (out / "facts.json").write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
