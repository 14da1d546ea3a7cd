"""Credit data imported per enterprise, and the credit reports the platform has issued.

Access patterns (every read is a GetItem or a Query; nothing walks a table)
| pattern                                                   | key                                          | call |
|-----------------------------------------------------------|----------------------------------------------|------|
| every credit item of one enterprise (composing a report)  | finance-credit-items: `uscc`                 | Query (paged by PynamoDB; a few dozen items) |
| import items (admin)                                      | `uscc`, `item_id`                            | PutItem each, in the caller's transaction (replaces the same item) |
| demo seed                                                 | `uscc`, `item_id`                            | PutItem, the key must not exist |
| issue a report                                            | finance-credit-reports: `report_no`          | PutItem in the caller's transaction, `report_no` must not exist |
| verify a report (public)                                  | `report_no`                                  | GetItem |

A credit item is one fact of public credit data about one enterprise, with where it came from
(`source`: the authority or system that published it, e.g. 信用中国, 国家企业信用信息公示系统) and the
day it describes (`as_of`). Its `item_id` is its kind, then its own key where a kind has many
(`penalty#青市监罚〔2026〕12号`, `utility#water`): importing the same item again replaces it, so an
import can be repeated. Kinds and their data fields: compose.py `KINDS`, validated by schemas.py.

An issued report keeps only what verification needs: its number, whose it is, to whom it was issued,
when, and the SHA-256 of its canonical JSON. Never its content: a report is composed from live data
when asked for, and a verifier holding one recomputes the hash.
"""
from __future__ import annotations

from pynamodb.attributes import JSONAttribute, UnicodeAttribute
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name


class CreditItem(Model):
    class Meta(BaseMeta):
        table_name = table_name("finance-credit-items")

    uscc = UnicodeAttribute(hash_key=True)
    item_id = UnicodeAttribute(range_key=True)  # "<kind>" or "<kind>#<its key>"
    kind = UnicodeAttribute()  # compose.KINDS
    source = UnicodeAttribute()  # who published it
    as_of = UnicodeAttribute()  # ISO date the data describes
    data = JSONAttribute(default=dict)  # the kind's fields (schemas.py), amounts in fen
    imported_at = UnicodeAttribute()  # UTC, ISO 8601
    imported_by = UnicodeAttribute()  # the admin's sub


class IssuedReport(Model):
    class Meta(BaseMeta):
        table_name = table_name("finance-credit-reports")

    report_no = UnicodeAttribute(hash_key=True)  # CR-YYYYMMDD-XXXXXXXXXX
    uscc = UnicodeAttribute()
    sha256 = UnicodeAttribute()  # of the report's canonical JSON (compose.canonical_json)
    issued_at = UnicodeAttribute()  # UTC, ISO 8601
    issued_to = UnicodeAttribute()  # the org it was issued to: the enterprise itself, or a bank's institution id
    issued_to_role = UnicodeAttribute()  # enterprise | bank
