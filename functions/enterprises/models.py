"""The enterprise profile table.

Access patterns (every read is a GetItem; nothing scans the table)
| pattern                                              | key                 | call |
|------------------------------------------------------|---------------------|------|
| one enterprise's profile (its page, policy matching, a reviewer's look) | enterprise-profiles: `uscc` | GetItem |
| self-declare or import fields (read, then write)     | `uscc`              | GetItem (consistent), then a put in the caller's transaction, conditioned on `version` |
| demo seed                                            | `uscc`              | PutItem, `uscc` must not exist |

Each stored field is a map {value, source, as_of}: `source` is self_declared (the enterprise said
so, `as_of` the day it did) or imported (an authority's data, `as_of` the day the data describes).
What is derived is never stored: the district comes from the credit code (positions 3–8), the size
class (MIIT 2011) and the years since founding are computed when read (functions/enterprises/facts.py).
A profile that was never written reads as empty (version 0).
"""
from __future__ import annotations

from pynamodb.attributes import ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name


class SourcedText(MapAttribute):
    value = UnicodeAttribute()
    source = UnicodeAttribute()  # self_declared | imported
    as_of = UnicodeAttribute()  # ISO date


class SourcedNumber(MapAttribute):
    value = NumberAttribute()
    source = UnicodeAttribute()
    as_of = UnicodeAttribute()


class SourcedList(MapAttribute):
    value = ListAttribute(of=UnicodeAttribute, default=list)  # a set, kept sorted (may be empty)
    source = UnicodeAttribute()
    as_of = UnicodeAttribute()


class EnterpriseProfile(Model):
    class Meta(BaseMeta):
        table_name = table_name("enterprise-profiles")

    uscc = UnicodeAttribute(hash_key=True)  # the unified social credit code: the enterprise's org_id
    name = SourcedText(null=True)
    industry_code = SourcedText(null=True)  # GB/T 4754, e.g. C3911
    founded_on = SourcedText(null=True)  # ISO date
    registered_capital_fen = SourcedNumber(null=True)
    employees = SourcedNumber(null=True)
    revenue_fen = SourcedNumber(null=True)  # last year
    assets_fen = SourcedNumber(null=True)
    rd_expense_fen = SourcedNumber(null=True)
    certifications = SourcedList(null=True)
    tax_credit_rating = SourcedText(null=True)  # A | B | M | C | D
    updated_at = UnicodeAttribute(null=True)  # UTC, ISO 8601
    version = VersionAttribute()
