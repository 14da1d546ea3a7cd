"""The appeals platform (青诉即办): everything it brings to a stage that lists "appeals"."""
from functions.shared.plugins import JobAccess, Plugin

PLUGIN = Plugin(
    name="appeals",
    blueprints=("functions.appeals.routes:bp", "functions.appeals.open311_routes:bp",
                "functions.appeals.channel_routes:bp", "functions.appeals.jobs:bp"),
    models=("functions.appeals.models", "functions.appeals.open311:Open311Channel", "functions.appeals.open311:Open311Request"),
    seed=("functions.appeals.seed:seed",),
    clock_handlers={"appeal": "functions.appeals.service:on_clock"},
    notices="functions.appeals.vocabulary:NOTICE_TEXTS",
    vocabulary="functions.appeals.vocabulary:page_vocabulary",
    job_access={
        # on_clock inside the sweeper: the appeal, its statistics, the supervisory units a breach
        # escalates to, audit and outbox.
        "sweep_clocks": JobAccess(tables={"appeals": ("GetItem", "PutItem"), "appeal-stats": ("UpdateItem",),
                                          "orgs/index/kind-district-index": ("Query",), "audit": ("PutItem",),
                                          "outbox": ("PutItem",)}),
        # jobs.py audit_tickets: accounts for every claimed ticket number.
        "audit_tickets": JobAccess(tables={"appeal-counters": ("GetItem", "PutItem"),
                                           "appeal-tickets": ("BatchGetItem", "PutItem")}),
    },
)
