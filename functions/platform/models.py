"""Stage-wide settings kept in DynamoDB.

Access pattern: read or change one setting → platform-settings: hash `name` → GetItem / UpdateItem.
Settings: `clock` (the dev clock's forward offset, local and dev stages only).
"""
from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name


class PlatformSetting(Model):
    class Meta(BaseMeta):
        table_name = table_name("platform-settings")

    name = UnicodeAttribute(hash_key=True)
    offset_seconds = NumberAttribute(default=0)
    updated_at = UnicodeAttribute(null=True)
