"""Build one stage, in its own process: `python -m infra.stage_worker --stage S --project P --out O`.

Run by infra/build.py with the stage's environment (the variables `.chalice/config.json` gives
the stage's functions) plus AWS_DEFAULT_REGION and no credentials. In this one process:

1. import the app and the models from the staged project P (P/app.py, P/vendor/functions: what
   ships), under that environment, so table and queue names are the stage's own;
2. record the CreateTable / UpdateTimeToLive requests PynamoDB would send for every model of
   `functions.tables.all_models()` (PynamoDB's own request building, with the network call
   replaced by a recorder), and the app's SQS event sources;
3. write the stage's IAM policy to P/.chalice/policy-<stage>.json (autogen_policy is false, so
   Chalice puts exactly that document on every function role);
4. run `chalice package --stage S` (the CLI command, in-process);
5. merge the stage's resources into Chalice's sam.json (infra/resources.py), rewrite
   deployment.zip deterministically, and write O/sam.json, O/deployment.zip, O/facts.json.
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
    facts = {
        "stage": stage,
        "env": env,
        "api_gateway_stage": api_stage,
        "lock_sha256": args.lock_sha256,
        "tables": tables,
        "queues": queues,
        "schedules": schedules,
    }

    notify = tuple(c.strip() for c in env.get("NOTIFY_CHANNELS", "").split(",") if c.strip())
    policy = resources.iam_policy(tables, queues, env["TABLE_PREFIX"], notify)
    policy_file = project / ".chalice" / f"policy-{stage}.json"
    policy_file.write_text(json.dumps(policy, indent=2) + "\n", encoding="utf-8")

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
    normalize_zip(chalice_out / "deployment.zip", out / "deployment.zip")
    shutil.rmtree(chalice_out)
    facts["deployment_zip_sha256"] = sha256(out / "deployment.zip")
    facts["policy_sha256"] = hashlib.sha256(policy_file.read_bytes()).hexdigest()
    (out / "facts.json").write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
