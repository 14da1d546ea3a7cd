"""The enterprise profile table, and each enterprise's notification settings.

Access patterns (every read is a GetItem or a Query; nothing walks a table)
| pattern                                              | key                 | call |
|------------------------------------------------------|---------------------|------|
| one enterprise's profile (its page, policy matching, a reviewer's look) | enterprise-profiles: `uscc` | GetItem |
| self-declare or import fields (read, then write)     | `uscc`              | GetItem (consistent), then a put in the caller's transaction, conditioned on `version` |
| demo seed                                            | `uscc`              | PutItem, `uscc` must not exist |
| the profiles of one district, a page at a time (a published project's fan-out, functions/policy/fanout.py) | GSI `district-index`: `district`, `uscc` | Query, paged (100) |
| one enterprise's notification settings (its page)    | enterprise-notification-settings: `uscc` | GetItem; PutItem in the caller's transaction |
| the settings of a page of enterprises (fan-out)      | `uscc` × ≤ 100      | BatchGetItem |

Each stored field is a map {value, source, as_of}: `source` is self_declared (the enterprise said
so, `as_of` the day it did) or imported (an authority's data, `as_of` the day the data describes).
What is derived is never stored by hand: the district comes from the credit code (positions 3–8), the
size class (MIIT 2011) and the years since founding are computed when read (functions/enterprises/facts.py).
The district is kept on the item only as the key of `district-index`, written with every profile from its
credit code (`reindex()` fills it in on items written before the index). A profile that was never written
reads as empty (version 0), and is in no district's index: an enterprise that told us nothing can be
eligible for nothing but a rule on its district alone.

Notification settings are their own item, not profile fields: changing them is no change of the facts
(no profile version, no 409 against a concurrent declaration). Never written: policy alerts are on, for
every topic.
"""
from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
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


def district_of(uscc: str) -> str:
    """The registering division of a credit code (positions 3–8, GB/T 2260)."""
    return uscc[2:8]


class DistrictIndex(GlobalSecondaryIndex["EnterpriseProfile"]):
    class Meta:
        index_name = "district-index"
        projection = AllProjection()  # a fan-out page evaluates the profiles it reads: no GetItem each

    district = UnicodeAttribute(hash_key=True)
    uscc = UnicodeAttribute(range_key=True)


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
    district = UnicodeAttribute(null=True)  # = district_of(uscc): the key of district-index, never set by hand
    version = VersionAttribute()

    district_index = DistrictIndex()

    def reindex(self) -> None:
        """Fill in the index key from the credit code (items written before district-index existed:
        infra/local `add_missing_indexes`)."""
        self.district = district_of(self.uscc)


class NotificationSettings(Model):
    """What an enterprise wants to be told. `policy_alerts`: notices of newly published policy projects
    it may be eligible for; `topics`: only projects with one of these topics (empty: every topic)."""

    class Meta(BaseMeta):
        table_name = table_name("enterprise-notification-settings")

    uscc = UnicodeAttribute(hash_key=True)
    policy_alerts = BooleanAttribute(default=True)
    topics = ListAttribute(of=UnicodeAttribute, default=list)  # kept sorted, no repeats
    updated_at = UnicodeAttribute(null=True)  # UTC, ISO 8601
