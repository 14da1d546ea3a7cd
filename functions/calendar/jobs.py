"""Scheduled jobs of the calendar: the SLA sweeper, every minute."""
from __future__ import annotations

from chalice import Blueprint, Rate

from functions.calendar.sweeper import sweep
from functions.shared.clock import get_clock

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.MINUTES), name="sweep_clocks", description="Warn at 80% of every SLA clock and mark breaches")
def sweep_clocks(event):
    return sweep(get_clock().now()).as_dict()
