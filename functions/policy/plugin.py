"""The policy platform (青岛政策通): everything it brings to a stage that lists "policy"."""
from functions.shared.plugins import JobAccess, Plugin

PLUGIN = Plugin(
    name="policy",
    blueprints=("functions.policy.routes:bp", "functions.policy.application_routes:bp", "functions.policy.jobs:bp"),
    models=("functions.policy.models", "functions.policy.application_models"),
    seed=("functions.policy.seed:seed",),
    clock_handlers={"application": "functions.policy.applications:on_clock",
                    "policy-notice": "functions.policy.notices:on_clock"},
    notices="functions.policy.vocabulary:NOTICE_TEXTS",
    job_access={
        # Inside the sweeper: applications.on_clock (a review stage's or the payment's deadline) and
        # notices.on_clock (closing a notice's window: its objections, the awards, their payment clocks).
        "sweep_clocks": JobAccess(tables={"policy-applications": ("GetItem", "BatchGetItem", "PutItem"),
                                          "policy-notices": ("GetItem", "PutItem"), "policy-objections": ("Query",),
                                          "sla-clocks": ("PutItem",), "calendar-notices": ("Query",),
                                          "orgs/index/kind-district-index": ("Query",),
                                          "audit": ("PutItem",), "outbox": ("PutItem",)}),
        # jobs.py build_policy_index: the index state, the published library, the index object.
        "build_policy_index": JobAccess(tables={"policy-index-state": ("GetItem", "UpdateItem"),
                                                "policy-items/index/kind-index": ("Query",)}, files=True),
        # fanout.py: the pending project versions, each project, a message per district to the fan-out queue.
        "start_policy_fanout": JobAccess(tables={"policy-index-state": ("GetItem", "UpdateItem"),
                                                 "policy-items": ("GetItem",)}, sends_to=("policy-fanout",)),
        # fanout.py, one page: the project, a page of a district's profiles, their settings, the notices.
        "fan_out_policy": JobAccess(tables={"policy-items": ("GetItem",),
                                            "enterprise-profiles/index/district-index": ("Query",),
                                            "enterprise-notification-settings": ("BatchGetItem",),
                                            "outbox": ("PutItem",)}, sends_to=("policy-fanout",)),
    },
)
