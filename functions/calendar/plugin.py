"""The working-day calendar and the SLA clocks every platform keeps (and the sweeper that watches them)."""
from functions.shared.plugins import JobAccess, Plugin

PLUGIN = Plugin(
    name="calendar",
    blueprints=("functions.calendar.routes:bp", "functions.calendar.jobs:bp"),
    models=("functions.calendar.models:CalendarNotice", "functions.calendar.models:SlaClock"),
    job_access={
        # The sweeper's own part; each platform's clock handler adds what it touches.
        "sweep_clocks": JobAccess(tables={"sla-clocks/index/due-index": ("Query",), "sla-clocks": ("PutItem",)}),
        "settle_notices": JobAccess(tables={"calendar-notices": ("Query",),
                                            "sla-clocks/index/provisional-index": ("Query",),
                                            "sla-clocks": ("PutItem",)}),
    },
)
