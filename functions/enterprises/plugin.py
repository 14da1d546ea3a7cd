"""The enterprise profile: a core package (functions/platforms.py CORE), shared by policy matching
now and financing's credit report later. No job touches its table."""
from functions.shared.plugins import Plugin

PLUGIN = Plugin(
    name="enterprises",
    blueprints=("functions.enterprises.routes:bp",),
    models=("functions.enterprises.models:EnterpriseProfile",),
    seed=("functions.enterprises.seed:seed",),
)
