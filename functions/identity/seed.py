"""The demo people and bank clients of local and dev stages (idempotent: a second run creates none)."""
from __future__ import annotations

from functions.identity import service as identity
from functions.identity.models import DevUser
from functions.refdata.demo import load_demo
from functions.shared.clock import get_clock


def seed_demo_people() -> dict[str, int]:
    now = get_clock().now()
    created = {"people": 0, "bank_clients": 0}
    for user in load_demo().users:
        created["people"] += identity.add_dev_user(
            DevUser(user_id=user.user_id, role=user.role, org_id=user.org_id, district=user.district,
                    display_name=user.display_name, client_id=user.client_id, client_secret=user.client_secret)
        )
        if user.client_id and user.client_secret:
            created["bank_clients"] += identity.register_client(
                user.client_id, user.client_secret, user.org_id, user.district, user.display_name, now, user.branches
            )
    return created
