"""The financing platform (青融通): everything it brings to a stage that lists "finance"."""
from functions.shared.plugins import JobAccess, Plugin

PLUGIN = Plugin(
    name="finance",
    blueprints=("functions.finance.catalogue_routes:bp", "functions.finance.routes:bp", "functions.finance.bank_routes:bp",
                "functions.finance.reports.routes:bp", "functions.finance.stats_routes:bp",
                "functions.finance.snapshots.routes:bp", "functions.finance.snapshots.jobs:bp"),
    models=("functions.finance.catalogue_models", "functions.finance.models", "functions.finance.reports.models",
            "functions.finance.stats_models", "functions.finance.snapshots.models"),
    seed=("functions.finance.catalogue_seed:seed", "functions.finance.reports.seed:seed"),
    clock_handlers={"demand": "functions.finance.bank:on_clock"},
    notices="functions.finance.vocabulary:NOTICE_TEXTS",
    vocabulary="functions.finance.vocabulary:page_vocabulary",
    job_access={
        # bank.on_clock inside the sweeper: a lapsed claim goes back to the pool (the demand, its ban,
        # a new feed entry taken from the counter), the enterprise is told; the lapse is counted (stats.py).
        "sweep_clocks": JobAccess(tables={"finance-demands": ("GetItem", "PutItem"), "finance-claim-bans": ("PutItem",),
                                          "finance-feed": ("GetItem", "PutItem"), "finance-institutions": ("GetItem",),
                                          "finance-stats": ("UpdateItem",),
                                          "audit": ("PutItem",), "outbox": ("PutItem",)}),
        # snapshots/service.py start: the month's run (new, or started again), its audit record, a message per division.
        "start_credit_snapshots": JobAccess(tables={"finance-snapshot-runs": ("GetItem", "PutItem", "UpdateItem"),
                                                    "audit": ("PutItem",)}, sends_to=("credit-snapshots",)),
        # snapshots/service.py snapshot_page: the run, a page of a division's profiles, the snapshots known,
        # each report composed (credit items, paid policy awards, demands, the claimers' names), the
        # objects, the page's records and the run's counters; the next page.
        "snapshot_credit_page": JobAccess(tables={"finance-snapshot-runs": ("GetItem", "UpdateItem"),
                                                  "enterprise-profiles/index/district-index": ("Query",),
                                                  "finance-credit-snapshots": ("BatchGetItem", "Query", "PutItem"),
                                                  "finance-credit-items": ("Query",),
                                                  "policy-applications/index/enterprise-index": ("Query",),
                                                  "finance-demands/index/enterprise-index": ("Query",),
                                                  "finance-institutions": ("GetItem",)},
                                          files=True, sends_to=("credit-snapshots",)),
    },
)
