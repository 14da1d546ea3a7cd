"""Demo routing rules, loaded once (conditional puts), for local and dev stages."""
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
