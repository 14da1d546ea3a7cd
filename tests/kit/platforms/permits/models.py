"""Permits: one table.

| pattern     | key                  | call    |
|-------------|----------------------|---------|
| one permit  | permits: `permit_id` | GetItem |
"""
from pynamodb.attributes import UnicodeAttribute, VersionAttribute
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name


class Permit(Model):
    class Meta(BaseMeta):
        table_name = table_name("permits")

    permit_id = UnicodeAttribute(hash_key=True)
    district = UnicodeAttribute()
    applicant_org = UnicodeAttribute()
    status = UnicodeAttribute()
    note = UnicodeAttribute(null=True)
    version = VersionAttribute()
