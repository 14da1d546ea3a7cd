"""Appeal jobs: the appeals' part of the SLA sweep (functions/calendar/jobs.py runs it every minute).

The sweeper calls `service.on_clock` for every clock owned by "appeal#…": warnings to the unit at
80%, breaches marked and escalated to the supervisory unit, and auto-close when the enterprise
does not confirm within the configured days.
"""
from __future__ import annotations

from chalice import Blueprint

from functions.appeals.service import on_clock
from functions.calendar.sweeper import register_clock_handler

bp = Blueprint(__name__)
register_clock_handler("appeal", on_clock)
