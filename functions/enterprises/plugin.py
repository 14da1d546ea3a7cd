"""The enterprise profile: a core package (functions/platforms.py CORE), shared by policy matching
now and financing's credit report later, and each enterprise's notification settings. Policy's fan-out
job reads both (its access is declared in functions/policy/plugin.py, beside the job)."""
from functions.shared.plugins import Plugin

PLUGIN = Plugin(
    name="enterprises",
    blueprints=("functions.enterprises.routes:bp",),
    models=("functions.enterprises.models",),
    seed=("functions.enterprises.seed:seed",),
)
