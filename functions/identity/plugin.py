"""Identity: signing keys, bank clients, the dev stage's demo people, and the token endpoints."""
from functions.shared.plugins import Plugin

PLUGIN = Plugin(
    name="identity",
    blueprints=("functions.identity.routes:bp",),
    models=("functions.identity.models:SigningKey", "functions.identity.models:OAuthClient", "functions.identity.models:DevUser"),
    seed=("functions.identity.seed:seed_demo_people",),
)
