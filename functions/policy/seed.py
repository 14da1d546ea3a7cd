"""The demo library (data/demo.json), published as the platform on local and dev stages."""
from __future__ import annotations

import json
from pathlib import Path

from functions.shared.clock import get_clock

DEMO = Path(__file__).with_name("data") / "demo.json"


def demo_content() -> dict:
    return json.loads(DEMO.read_text(encoding="utf-8"))


def seed() -> dict[str, int]:
    from functions.policy.service import seed_library

    return seed_library(demo_content(), get_clock().now())
