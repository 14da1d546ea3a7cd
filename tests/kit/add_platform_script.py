"""Run by tests/kit/test_adding_a_platform.py in a fresh process (the OpenAPI registry and the app are
per process): plug the fixture platform `permits` into a stage and use every piece of it.

The stage differs from the tests' only in PLATFORMS (set by the caller) and the package path below:
nothing under functions/ names the fixture platform.
"""
from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import functions

functions.__path__.append(str(Path(__file__).resolve().parent / "platforms"))


def main() -> dict:
    from chalice.test import Client
    from moto import mock_aws

    from functions.shared.clock import FixedClock, set_clock

    now = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
    clock = FixedClock(now)
    set_clock(clock)
    found: dict = {}
    with mock_aws():
        from functions import platforms
        from functions.tables import all_models

        found["platforms"] = [p.name for p in platforms.enabled()]
        found["tables"] = sorted(m.Meta.table_name for m in all_models())
        found["sweep_access"] = {k: list(v) for k, v in platforms.job_access()["sweep_clocks"].tables.items()}
        for model in all_models():
            model.create_table(wait=True)
        from functions.platform.seed import load_demo_data

        found["seeded"] = load_demo_data()
        from app import app
        from functions.identity.service import dev_login
        from functions.platform.jobs_runtime import list_jobs

        def headers(user):
            return {"Authorization": f"Bearer {dev_login(user, clock.now()).access_token}", "Content-Type": "application/json"}

        with Client(app) as client:
            def call(method, path, user, payload=None):
                response = client.http.request(method, path, headers=headers(user),
                                               body=json.dumps(payload).encode() if payload is not None else b"")
                return response.status_code, json.loads(response.body or b"null")

            found["apply"] = call("PUT", "/api/permits/p1", "ent-zhengrixin")
            found["approve_by_applicant"] = call("POST", "/api/permits/p1/approve", "ent-zhengrixin", {"note": "ok"})[0]
            found["approve_bad_body"] = call("POST", "/api/permits/p1/approve", "supervisor-city", {"note": ""})[0]
            found["approve"] = call("POST", "/api/permits/p1/approve", "supervisor-city", {"note": "ok"})
            found["approve_again"] = call("POST", "/api/permits/p1/approve", "supervisor-city", {"note": "again"})[0]
            document = json.loads(client.http.get("/api/openapi.json").body)
            operation = document["paths"].get("/api/permits/{permit_id}/approve", {}).get("post", {})
            found["openapi"] = {"summary": operation.get("summary"), "description": operation.get("description"),
                                "body": "requestBody" in operation}
            found["jobs"] = sorted(job.name for job in list_jobs(app))
            clock.advance(hours=2)
            found["sweep"] = json.loads(client.http.post("/api/dev/jobs/sweep_clocks/run").body)["result"]
            client.http.post("/api/dev/jobs/relay_outbox/run")
            found["mailbox"] = json.loads(client.http.get("/api/dev/mailbox?recipient=org:91370202MA3C4R7K75").body)
        from functions.notifications.channels import render
        from functions.shared.audit import AuditRecord, OutboxMessage

        found["notice"] = render(OutboxMessage(message_id="m", topic="permit.approved", payload=json.dumps({"permit_id": "p1"})))[1]
        found["clock_audit"] = [r.action for r in AuditRecord.query("permit#p1")]
    return found


if __name__ == "__main__":  # the app logs to stdout: the findings go to the file named
    Path(sys.argv[1]).write_text(json.dumps(main(), ensure_ascii=False, default=str), encoding="utf-8")
