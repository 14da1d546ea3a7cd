"""The policy platform (青岛政策通): everything it brings to a stage that lists "policy"."""
from functions.shared.plugins import JobAccess, Plugin

PLUGIN = Plugin(
    name="policy",
    blueprints=("functions.policy.routes:bp", "functions.policy.jobs:bp"),
    models=("functions.policy.models",),
    seed=("functions.policy.seed:seed",),
    job_access={
        # jobs.py build_policy_index: the index state, the published library, the index object.
        "build_policy_index": JobAccess(tables={"policy-index-state": ("GetItem", "UpdateItem"),
                                                "policy-items/index/kind-index": ("Query",)}, files=True),
    },
)
