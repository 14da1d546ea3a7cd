"""The `Organisation` table: every unit, key area, enterprise and bank the platform knows.

One item per organisation, hash key `org_id`:

- unit       → "unit-…" slug (functions/refdata/data/*.json)
- key_area   → "ka-…" slug
- enterprise → its unified social credit code (18 characters, canonical form)
- bank       → "bank-…" institution id

Access patterns
===============

| pattern                                   | key / index                                                    | call                                                                                              |
|-------------------------------------------|----------------------------------------------------------------|---------------------------------------------------------------------------------------------------|
| get one organisation                      | table: `org_id`                                                | `Organisation.get(org_id)`                                                                        |
| list units of a district (or city-level)  | `kind-district-index`: `kind="unit"`, `district_org` begins_with `"{district}#"` | `Organisation.kind_district_index.query("unit", Organisation.district_org.startswith(f"{d}#"))` |
| list all units / banks / key areas        | `kind-district-index`: `kind=…`                                | `Organisation.kind_district_index.query("bank")`  (or `list_orgs("bank")`)                       |
| list enterprises of a district            | `kind-district-index`: `kind="enterprise"`, begins_with `"{district}#"` | `list_orgs("enterprise", district)`                                                        |

`district_org` = f"{district}#{org_id}"; `save()` keeps it in step with `district` and `org_id`,
so results come back grouped by district and sorted by id. The index projects all attributes.
"""
from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from functions.shared.models import BaseMeta, put_if_absent, table_name

KINDS = ("unit", "key_area", "enterprise", "bank")


def district_org_key(district: str, org_id: str) -> str:
    return f"{district}#{org_id}"


class KindDistrictIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "kind-district-index"
        projection = AllProjection()

    kind = UnicodeAttribute(hash_key=True)
    district_org = UnicodeAttribute(range_key=True)



class Organisation(Model):
    class Meta(BaseMeta):
        table_name = table_name("orgs")

    org_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()  # one of KINDS
    name_zh = UnicodeAttribute()
    name_en = UnicodeAttribute(null=True)
    district = UnicodeAttribute()  # GB/T 2260 code; city-level organisations use 370200
    district_org = UnicodeAttribute()  # f"{district}#{org_id}", range key of kind-district-index

    # kind == "enterprise"
    industry = UnicodeAttribute(null=True)  # GB/T 4754-2017 code, e.g. "I6513"
    employees = NumberAttribute(null=True)
    revenue_wan = NumberAttribute(null=True)  # 营业收入, 万元
    assets_wan = NumberAttribute(null=True)  # 资产总额, 万元
    foreign_invested = BooleanAttribute(null=True)

    # kind == "unit"
    level = UnicodeAttribute(null=True)  # "city" | "district"
    key_areas = ListAttribute(of=UnicodeAttribute, null=True)  # key-area ids
    roles = ListAttribute(of=UnicodeAttribute, null=True)  # "dispatch_centre", "supervisory"

    # kind in ("unit", "key_area"): 1-based position in the special action's source list
    seq = NumberAttribute(null=True)

    # Where notices for this organisation go besides the in-app inbox (email / SMS channels).
    notify_email = UnicodeAttribute(null=True)
    notify_phone = UnicodeAttribute(null=True)

    kind_district_index = KindDistrictIndex()

    def save(self, condition=None, **kwargs):
        self.district_org = district_org_key(self.district, self.org_id)
        return super().save(condition, **kwargs)


def list_orgs(kind: str, district: str | None = None) -> list[Organisation]:
    """Organisations of one kind, optionally only those registered in `district`."""
    condition = Organisation.district_org.startswith(f"{district}#") if district else None
    return list(Organisation.kind_district_index.query(kind, condition))


def demo_organisations() -> list[Organisation]:
    """Every organisation of the special action and the demo dataset, as unsaved items."""
    from functions.refdata.demo import load_demo

    data = load_demo()
    orgs: list[Organisation] = []
    for area in data.key_areas:
        orgs.append(Organisation(area.id, kind="key_area", name_zh=area.name_zh, name_en=area.name_en,
                                 district="370200", seq=area.seq))
    for unit in data.units:
        orgs.append(Organisation(unit.id, kind="unit", name_zh=unit.name_zh, name_en=unit.name_en,
                                 district=unit.district, level=unit.level, seq=unit.seq,
                                 key_areas=list(unit.key_areas), roles=list(unit.roles)))
    for ent in data.enterprises:
        orgs.append(Organisation(ent.uscc, kind="enterprise", name_zh=ent.name_zh, name_en=ent.name_en,
                                 district=ent.district, industry=ent.industry_code, employees=ent.employees,
                                 revenue_wan=ent.revenue_wan, assets_wan=ent.assets_wan,
                                 foreign_invested=ent.foreign_invested))
    for bank in data.banks:
        orgs.append(Organisation(bank.id, kind="bank", name_zh=bank.name_zh, name_en=bank.name_en,
                                 district=bank.district))
    for org in orgs:
        org.district_org = district_org_key(org.district, org.org_id)
    return orgs


def seed_demo_data() -> int:
    """Create every demo organisation that does not exist yet; return how many were created.

    Idempotent: each put is conditional on `attribute_not_exists(org_id)`, so existing items
    (including ones edited since) are left alone and a second run creates 0.
    """
    return sum(put_if_absent(org, Organisation.org_id) for org in demo_organisations())


def seed_organisations() -> dict[str, int]:
    return {"organisations": seed_demo_data()}
