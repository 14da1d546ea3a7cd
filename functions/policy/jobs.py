"""Policy jobs.

`build_policy_index` (every minute) rebuilds the search index when the library changed since the
last build (every publish and withdrawal ADDs to its content version in the same transaction) or the
day changed (statuses follow dates), and stores it in the stage's bucket, where the search route
opens it (functions/search/index.py). Idle it is one GetItem.

`start_policy_fanout` (every minute) and `fan_out_policy` (the `policy-fanout` queue) tell the enterprises
a newly published project may suit, a page of a district at a time (fanout.py). Idle the first is one
GetItem.
"""
from __future__ import annotations

from chalice import Blueprint, Rate

from functions.policy import fanout
from functions.policy.service import rebuild_index
from functions.settings import get_settings
from functions.shared.clock import get_clock

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.MINUTES), name="build_policy_index",
             description="Rebuild the policy search index after the library changed, and once a day")
def build_policy_index(event):
    return rebuild_index(get_clock().now())


@bp.schedule(Rate(1, unit=Rate.MINUTES), name="start_policy_fanout",
             description="Queue the fan-out of newly published policy projects, one message per district")
def start_policy_fanout(event):
    return fanout.start(get_clock().now())


@bp.on_sqs_message(queue=get_settings().queue_name(fanout.QUEUE), name="fan_out_policy", batch_size=5)
def fan_out_policy(event):
    return fanout.handle([(record.to_dict()["messageId"], record.body) for record in event], get_clock().now())
