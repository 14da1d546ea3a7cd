"""Appeal jobs.

The appeals' part of the SLA sweep is `service.on_clock`, declared in plugin.py: the sweeper
(functions/calendar/jobs.py, every minute) calls it for every clock owned by "appeal#…": warnings to
the unit at 80%, breaches marked and escalated to the supervisory unit, and auto-close when the
enterprise does not confirm within the configured days.

`audit_tickets` (every 5 minutes) accounts for every ticket number: a number claimed by a
submission that died before committing is recorded as void, with the reason.
"""
from __future__ import annotations

from chalice import Blueprint, Rate

from functions.appeals.service import audit_tickets
from functions.shared.clock import get_clock

bp = Blueprint(__name__)


@bp.schedule(Rate(5, unit=Rate.MINUTES), name="audit_tickets",
             description="Account for every ticket number: void those claimed by a submission that never committed")
def audit_ticket_numbers(event):
    return audit_tickets(get_clock().now())
