"""Reference data: every organisation the platform knows (units, key areas, enterprises, banks)."""
from functions.shared.plugins import Plugin

PLUGIN = Plugin(
    name="refdata",
    models=("functions.refdata.models:Organisation",),
    seed=("functions.refdata.models:seed_organisations",),
    vocabulary="functions.refdata.divisions:page_vocabulary",
)
