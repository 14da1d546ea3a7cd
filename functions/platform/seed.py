"""Loads the demo data once, idempotently: organisations, demo people and bank clients.

Run by the local stack at every start (a second run creates nothing). Production stages load
real organisations through their admin tools instead; this module is for local and dev stages.
"""
from __future__ import annotations

from functions.appeals.open311 import seed_open311_channels
from functions.appeals.seed import seed_routing_rules
from functions.identity import service as identity
from functions.identity.models import DevUser
from functions.refdata.demo import load_demo
from functions.refdata.models import seed_demo_data
from functions.shared.clock import get_clock


def load_demo_data() -> dict[str, int]:
    demo = load_demo()
    now = get_clock().now()
    created = {"organisations": seed_demo_data(), "people": 0, "bank_clients": 0, "routing_rules": seed_routing_rules(),
               "open311_channels": seed_open311_channels()}
    for user in demo.users:
        created["people"] += identity.add_dev_user(
            DevUser(
                user_id=user.user_id,
                role=user.role,
                org_id=user.org_id,
                district=user.district,
                display_name=user.display_name,
                client_id=user.client_id,
                client_secret=user.client_secret,
            )
        )
        if user.client_id and user.client_secret:
            created["bank_clients"] += identity.register_client(
                user.client_id, user.client_secret, user.org_id, user.district, user.display_name, now
            )
    return created
