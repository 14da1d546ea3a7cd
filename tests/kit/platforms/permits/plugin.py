"""The fixture platform's whole declaration (see functions/shared/plugins.py)."""
from functions.shared.plugins import JobAccess, Plugin

PLUGIN = Plugin(
    name="permits",
    blueprints=("functions.permits.routes:bp",),
    models=("functions.permits.models",),
    seed=("functions.permits.service:seed",),
    clock_handlers={"permit": "functions.permits.service:on_clock"},
    notices="functions.permits.service:NOTICE_TEXTS",
    job_access={"sweep_clocks": JobAccess(tables={"audit": ("PutItem",)})},  # on_clock inside the sweeper
)
