"""Partial batch failures on AWS as locally: every SQS event source of a packaged template carries
`FunctionResponseTypes: ["ReportBatchItemFailures"]`, so Lambda deletes what a handler did not
report failed instead of retrying the whole batch (the local runner, jobs_runtime.run_queue_batch,
does the same: tests/unit/platform/test_jobs_runtime.py, tests/local/test_journal.py).

Besides the packaged stage (whose one queue consumer is policy's fan-out), this packages a small app
with a consumer of its own with the real `chalice package` and merges it with infra/resources.py.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from infra import build, resources
from infra.stage_worker import write_policies
from tests.infra.test_resources import JOBS, facts

ROOT = Path(__file__).absolute().parents[2]

SQS_APP = '''
from chalice import Chalice

app = Chalice(app_name="sqs-probe")


@app.route("/api/health")
def health():
    return {}


@app.route("/api/appeals", methods=["GET", "POST"])
def appeals():
    return {}


@app.route("/api/oauth/token", methods=["POST"])
def token():
    return {}


@app.route("/api/open311/v2/services.json")
def services():
    return {}


@app.route("/api/open311/v2/{document}", methods=["POST"])
def requests_document(document):
    return {}


@app.on_sqs_message(queue="qd-jimo-outbox", batch_size=10, name="relay")
def relay(event):
    return {"batchItemFailures": []}
'''


def sqs_events(template: dict) -> list[dict]:
    return [
        event
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::Serverless::Function"
        for event in (resource["Properties"].get("Events") or {}).values()
        if event["Type"] == "SQS"
    ]


def test_the_packaged_stage_reports_batch_item_failures_on_every_queue(template, packaged):
    stage_facts = json.loads((packaged / "facts.json").read_text(encoding="utf-8"))
    events = sqs_events(template)
    assert len(events) == sum(len(queue["consumers"]) for queue in stage_facts["queues"])
    for event in events:
        assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


@pytest.mark.slow
def test_a_chalice_packaged_queue_consumer_reports_batch_item_failures(tmp_path):
    project = tmp_path / "project"
    (project / ".chalice").mkdir(parents=True)
    (project / "app.py").write_text(SQS_APP, encoding="utf-8")
    (project / "requirements.txt").write_text("", encoding="utf-8")
    stage_facts = facts()
    config = {
        "version": "2.0",
        "app_name": "sqs-probe",
        "autogen_policy": False,
        "api_gateway_stage": "v1",
        "stages": {"jimo": {"api_gateway_stage": "v1", "environment_variables": {"STAGE": "jimo"}}},
    }
    write_policies(project, config, "jimo", resources.function_policies(stage_facts, JOBS))
    out = tmp_path / "chalice-out"
    code = "import sys; from chalice.cli import cli; cli.main(args=sys.argv[1:], obj={}, standalone_mode=False)"
    result = subprocess.run(
        [sys.executable, "-c", code, "--project-dir", str(project), "package", "--stage", "jimo", str(out)],
        cwd=tmp_path, env=build.worker_env({}, "cn-north-1"), capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    chalice_template = json.loads((out / "sam.json").read_text(encoding="utf-8"))
    (chalice_event,) = sqs_events(chalice_template)
    assert "FunctionResponseTypes" not in chalice_event["Properties"]  # what this test exists for

    final = resources.finish_template(chalice_template, stage_facts, "./layer.zip", JOBS)
    (event,) = sqs_events(final)
    assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert event["Properties"]["Queue"] == {"Fn::GetAtt": ["QueueOutbox", "Arn"]}
    assert event["Properties"]["BatchSize"] == 10

    # It is SAM's SQS event property, with its one allowed value (SAM's schema, as cfn-lint ships it;
    # cfn-lint itself does not check the properties of SAM events).
    import jsonschema
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    sam = PROVIDER_SCHEMA_MANAGER.get_resource_schema("cn-north-1", "AWS::Serverless::Function").schema
    allowed = sam["definitions"]["SQSEventProperties"]["properties"]
    assert set(event["Properties"]) <= set(allowed)
    jsonschema.validate(event["Properties"]["FunctionResponseTypes"], allowed["FunctionResponseTypes"])
