"""Files: uploads straight to the stage's bucket (presigned POST), owned by the uploader's organisation.

A core package: every stage runs it (functions/platforms.py CORE); appeals (later applications and
credit data) attach what it stores by reference (`file:{id}`, checked and taken with `service.attach`).
No job touches the bucket or the table.
"""
from functions.shared.plugins import Plugin

PLUGIN = Plugin(
    name="files",
    blueprints=("functions.files.routes:bp",),
    models=("functions.files.models:FileRecord",),
    vocabulary="functions.files.vocabulary:page_vocabulary",
)
