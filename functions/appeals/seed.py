"""Demo data of the appeals platform, loaded once (conditional puts), for local and dev stages:
routing rules and the Open311 channels of the demo keys."""
from __future__ import annotations

import json
from pathlib import Path

from functions.appeals.models import RoutingRule
from functions.appeals.routing import RULESET
from functions.shared.models import put_if_absent

RULES_FILE = Path(__file__).with_name("data") / "routing_rules.json"


def seed_routing_rules() -> int:
    rules = json.loads(RULES_FILE.read_text(encoding="utf-8"))["rules"]
    return sum(put_if_absent(RoutingRule(ruleset=RULESET, updated_by="seed", **rule), RoutingRule.rule_id) for rule in rules)


def seed() -> dict[str, int]:
    from functions.appeals.open311 import seed_open311_channels

    return {"routing_rules": seed_routing_rules(), "open311_channels": seed_open311_channels()}
