"""The 青融通 catalogue as stored: financial institutions with their branches, and their loan products.

An institution keeps its branches inside its own item (`branches`, a JSON list): a branch is a few short
fields, is only ever read with its institution, and the largest institution has 80 of them (well under
DynamoDB's 400 KB item limit), so an institution and its branches are one GetItem, not a GetItem and a
Query. A product is one item whose whole description is kept as JSON (`content`); what a key needs is
lifted out.

Access patterns (every read is a GetItem or a Query; nothing walks a table)
| pattern                                              | key / index                                   | call |
|------------------------------------------------------|-----------------------------------------------|------|
| one institution with its branches                    | finance-institutions: `institution_id`        | GetItem |
| every listed institution (the process's catalogue)   | GSI `listed-index`: `listed`="listed", `institution_id` | Query, paged |
| one product                                          | finance-products: `product_id`                | GetItem |
| every listed product (the process's catalogue)       | GSI `listed-index`: `listed`="listed", `product_id` | Query, paged |
| which of the demo catalogue exist (the seed)         | both tables: ids × n                          | BatchGetItem |

Why the product filters read no index of their own: the catalogue is small (~300 products, ~57
institutions, together a few hundred KB: one page of each `listed-index` Query) and changes a few times a
month, while the filters (category, guarantee type, an amount or term *inside* a product's range, a
district among the districts it is offered in, an institution) combine freely, and two of them are range
containment that no key can answer. A GSI per filter would still need the others applied in memory, and
facet counts need every match anyway. So each process reads the whole listed catalogue with the two
Queries once and keeps it for 60 s (functions/finance/catalogue.py `_catalogue`, a ProcessCache): a
request reads no table, a change is seen within a minute. `listed` is removed from an item to take it
off the catalogue without deleting it (the GSI is sparse).
"""
from __future__ import annotations

from pynamodb.attributes import JSONAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name

LISTED = "listed"


class InstitutionListedIndex(GlobalSecondaryIndex["FinanceInstitution"]):
    class Meta:
        index_name = "listed-index"
        projection = AllProjection()

    listed = UnicodeAttribute(hash_key=True)
    institution_id = UnicodeAttribute(range_key=True)


class FinanceInstitution(Model):
    """A bank, guarantee company, microcredit, leasing, factoring or credit-insurance company, with its
    branches in Qingdao: [{"id", "name_zh", "district", "address_zh", "phone"}]."""

    class Meta(BaseMeta):
        table_name = table_name("finance-institutions")

    institution_id = UnicodeAttribute(hash_key=True)
    name_zh = UnicodeAttribute()
    name_en = UnicodeAttribute()
    short_zh = UnicodeAttribute()
    kind = UnicodeAttribute()  # catalogue_data.KINDS
    district = UnicodeAttribute()  # GB/T 2260 code of its Qingdao head office
    hotline = UnicodeAttribute(null=True)
    branches = JSONAttribute(default=list)
    listed = UnicodeAttribute(null=True)  # = LISTED while it is in the catalogue (listed-index)
    updated_at = UnicodeAttribute()

    listed_index = InstitutionListedIndex()


class ProductListedIndex(GlobalSecondaryIndex["FinanceProduct"]):
    class Meta:
        index_name = "listed-index"
        projection = AllProjection()

    listed = UnicodeAttribute(hash_key=True)
    product_id = UnicodeAttribute(range_key=True)


class FinanceProduct(Model):
    """A loan product: `content` is the product as catalogue_data.products() describes it (category,
    guarantee, amount range in fen, term range in months, indicative rate range in bp, channel, targets,
    districts, description)."""

    class Meta(BaseMeta):
        table_name = table_name("finance-products")

    product_id = UnicodeAttribute(hash_key=True)
    institution_id = UnicodeAttribute()
    content = JSONAttribute()
    listed = UnicodeAttribute(null=True)  # = LISTED while it is offered (listed-index)
    updated_at = UnicodeAttribute()

    listed_index = ProductListedIndex()
