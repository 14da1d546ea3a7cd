"""Demo routing rules, loaded once (conditional puts), for local and dev stages."""
from __future__ import annotations

import json
from pathlib import Path

from pynamodb.exceptions import PutError

from functions.appeals.models import RoutingRule
from functions.appeals.routing import RULESET

RULES_FILE = Path(__file__).with_name("data") / "routing_rules.json"


def seed_routing_rules() -> int:
    created = 0
    for rule in json.loads(RULES_FILE.read_text(encoding="utf-8"))["rules"]:
        item = RoutingRule(ruleset=RULESET, updated_by="seed", **rule)
        try:
            item.save(RoutingRule.rule_id.does_not_exist())
            created += 1
        except PutError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
    return created
