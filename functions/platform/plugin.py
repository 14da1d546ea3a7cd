"""The platform's own routes: health, OpenAPI, audit trails, settings, the dev clock and mailbox."""
from functions.shared.plugins import Plugin

PLUGIN = Plugin(
    name="platform",
    blueprints=("functions.platform.routes:bp",),
    models=("functions.platform.models:PlatformSetting",),
)
