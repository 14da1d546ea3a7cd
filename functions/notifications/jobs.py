"""Scheduled jobs of notifications."""
from __future__ import annotations

from chalice import Blueprint, Rate

from functions.notifications.service import relay_pending
from functions.shared.clock import get_clock

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.MINUTES), name="relay_outbox", description="Deliver committed outbox messages")
def relay_outbox(event):
    return relay_pending(get_clock().now()).as_dict()
