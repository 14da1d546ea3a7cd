"""Adding a platform touches only its own package and the stage's platform list.

The fixture platform in tests/kit/platforms/permits (one model, one action, one clock, one notice,
one seed) is plugged into a stage in a fresh process; the app, the table list, the seed, the
sweeper, the notices and the OpenAPI document all find it through its plugin.py alone.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def plugged(tmp_path_factory):
    found = tmp_path_factory.mktemp("kit") / "found.json"
    env = {**os.environ, "PLATFORMS": "appeals,permits", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "tests.kit.add_platform_script", str(found)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(found.read_text(encoding="utf-8"))


def test_the_stage_runs_the_platform_and_creates_its_table(plugged):
    assert plugged["platforms"][-2:] == ["appeals", "permits"]
    assert "qd-test-permits" in plugged["tables"]
    assert plugged["seeded"]["permits"] == 1 and plugged["seeded"]["routing_rules"] > 0


def test_its_part_of_the_sweepers_role_is_merged_with_the_others(plugged):
    access = plugged["sweep_access"]
    assert access["audit"] == ["PutItem"]  # declared by permits (and appeals)
    assert access["appeals"] == ["GetItem", "PutItem"] and access["sla-clocks"] == ["PutItem"]


def test_its_action_is_a_route_with_the_declared_refusals(plugged):
    status, permit = plugged["apply"]
    assert status == 201 and permit == {"id": "p1", "status": "submitted"}
    assert plugged["approve_by_applicant"] == 403  # not a reviewer
    assert plugged["approve_bad_body"] == 422  # the typed body
    assert plugged["approve"] == [200, {"id": "p1", "status": "approved"}]
    assert plugged["approve_again"] == 409  # not from this status


def test_its_action_is_in_the_openapi_document(plugged):
    assert plugged["openapi"]["summary"] == "Permit action: approve"
    assert "Allowed from: submitted. Leads to: approved. Taken by: reviewer." in plugged["openapi"]["description"]
    assert plugged["openapi"]["body"]


def test_the_sweeper_hands_its_clock_to_its_handler_and_its_notice_has_its_words(plugged):
    assert plugged["sweep"]["breached"] == 1 and plugged["sweep"]["unhandled"] == 0
    assert "permit.clock_breach" in plugged["clock_audit"]
    assert [m["topic"] for m in plugged["mailbox"]] == ["permit.approved"]  # delivered by the outbox relay
    assert plugged["notice"] == "【许可】p1 已批准。"  # in the platform's own words
