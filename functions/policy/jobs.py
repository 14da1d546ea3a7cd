"""Policy jobs.

`build_policy_index` (every minute) rebuilds the search index when the library changed since the
last build (every publish and withdrawal ADDs to its content version in the same transaction) or the
day changed (statuses follow dates), and stores it in the stage's bucket, where the search route
opens it (functions/search/index.py). Idle it is one GetItem.
"""
from __future__ import annotations

from chalice import Blueprint, Rate

from functions.policy.service import rebuild_index
from functions.shared.clock import get_clock

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.MINUTES), name="build_policy_index",
             description="Rebuild the policy search index after the library changed, and once a day")
def build_policy_index(event):
    return rebuild_index(get_clock().now())
