"""Scheduled jobs of the calendar: the SLA sweeper every minute, and settling provisional deadlines
once an hour (after a holiday notice is loaded the route recomputes them at once; this job repeats
it, so a load interrupted after its commit still settles every clock)."""
from __future__ import annotations

from chalice import Blueprint, Rate

from functions.calendar.service import settle_loaded_notices
from functions.calendar.sweeper import sweep
from functions.shared.clock import get_clock

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.MINUTES), name="sweep_clocks", description="Warn at 80% of every SLA clock and mark breaches")
def sweep_clocks(event):
    return sweep(get_clock().now()).as_dict()


@bp.schedule(Rate(1, unit=Rate.HOURS), name="settle_notices",
             description="Recompute open provisional deadlines that a loaded holiday notice settles")
def settle_notices(event):
    return settle_loaded_notices(get_clock().now())
