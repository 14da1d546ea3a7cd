"""The financing platform's statistics: counters per bank, branch, district and the city, per month and year.

Every counter is ADDed in the transaction of the change it counts (stats.py), so a row is never ahead of
or behind the demands it describes, and reading the statistics is reading a few items, not the demands.
An event is counted in the month (and year) it happens in, in Qingdao's time: a demand claimed in
January and approved in February is a claim of January and an approval of February.

Access patterns (every read is a GetItem or a Query; nothing walks a table)
| pattern                                                   | key / index                                                   | call |
|-----------------------------------------------------------|---------------------------------------------------------------|------|
| every bank's (branch's, district's) row of a month or year | finance-stats: `period_by`="2026-11#bank" (`YYYY#by` a year)  | Query (one page: ≤ 57 banks, ≤ ~550 branches, 10 districts) |
| the city's row of a month or year (the totals)             | finance-stats: `period_by`="2026-11#city", `key`="city"       | GetItem |
| one district's row (a district's own totals)               | finance-stats: `period_by`="2026-11#district", `key`=code     | GetItem |
| count an event                                             | the 8 rows it touches (4 scopes × month and year)            | UpdateItem ADD, in the change's transaction |
"""
from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name

BANK, BRANCH, DISTRICT, CITY = "bank", "branch", "district", "city"
SCOPES = (BANK, BRANCH, DISTRICT, CITY)
CITY_KEY = "city"
COUNTERS = ("claimed", "contacted", "approved", "rejected", "disbursed", "released", "publish_to_claim_seconds",
            "claim_to_contact_seconds", "asked_fen_approved", "approved_fen", "disbursed_fen")


class FinanceStat(Model):
    """One scope's counters for one period: `period_by` = "<YYYY-MM or YYYY>#<bank|branch|district|city>",
    `key` = institution id, catalogue branch id, district code, or "city"."""

    class Meta(BaseMeta):
        table_name = table_name("finance-stats")

    period_by = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)
    claimed = NumberAttribute(default=0)
    contacted = NumberAttribute(default=0)
    approved = NumberAttribute(default=0)
    rejected = NumberAttribute(default=0)
    disbursed = NumberAttribute(default=0)
    released = NumberAttribute(default=0)  # leases lapsed for want of contact
    publish_to_claim_seconds = NumberAttribute(default=0)  # summed over `claimed`
    claim_to_contact_seconds = NumberAttribute(default=0)  # summed over `contacted`
    asked_fen_approved = NumberAttribute(default=0)  # the amounts asked by the demands approved
    approved_fen = NumberAttribute(default=0)
    disbursed_fen = NumberAttribute(default=0)
