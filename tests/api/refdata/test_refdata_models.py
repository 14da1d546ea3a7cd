from functions.refdata.demo import load_demo
from functions.refdata.models import Organisation, demo_organisations, list_orgs, seed_demo_data


def test_table_and_index_names():
    assert Organisation.Meta.table_name.endswith("-orgs")
    assert Organisation.kind_district_index.Meta.index_name == "kind-district-index"


def test_seed_is_idempotent(orgs_table):
    total = len(demo_organisations())
    data = load_demo()
    assert total == len(data.key_areas) + len(data.units) + len(data.enterprises) + len(data.banks)
    assert seed_demo_data() == total
    assert seed_demo_data() == 0
    kinds = ("key_area", "unit", "enterprise", "bank")
    assert sum(sum(1 for _ in Organisation.kind_district_index.query(kind)) for kind in kinds) == total


def test_seed_leaves_existing_items_alone(orgs_table):
    Organisation("unit-tax", kind="unit", name_zh="已改名", district="370200").save()
    assert seed_demo_data() == len(demo_organisations()) - 1
    assert Organisation.get("unit-tax").name_zh == "已改名"


def test_units_of_a_district_through_the_index(orgs_table):
    seed_demo_data()
    laoshan = list_orgs("unit", "370212")
    assert [o.org_id for o in laoshan] == ["unit-laoshan-approval"]
    assert laoshan[0].name_zh == "崂山区行政审批服务局"
    assert laoshan[0].key_areas == ["ka-administrative-approval"]

    query = Organisation.kind_district_index.query("unit", Organisation.district_org.startswith("370215#"))
    assert [o.org_id for o in query] == ["unit-jimo-business-env"]

    city_units = list_orgs("unit", "370200")
    assert len(city_units) == 35 + 2  # participating units + dispatch centre + supervisory unit
    assert [o.org_id for o in city_units] == sorted(o.org_id for o in city_units)
    dispatch = next(o for o in city_units if o.org_id == "unit-dispatch")
    assert dispatch.roles == ["dispatch_centre"] and dispatch.level == "city"


def test_list_banks_key_areas_and_enterprises(orgs_table):
    seed_demo_data()
    assert {o.org_id for o in list_orgs("bank")} == {b.id for b in load_demo().banks}
    areas = list_orgs("key_area")
    assert sorted(o.seq for o in areas) == list(range(1, 11))
    [jimo] = list_orgs("enterprise", "370215")
    assert jimo.industry == "C1830" and jimo.employees == 380 and jimo.revenue_wan == 26500
    assert jimo.district_org == f"370215#{jimo.org_id}"
    assert list_orgs("unit", "370285") == []


def test_save_keeps_the_index_key_in_step(orgs_table):
    org = Organisation("bank-test", kind="bank", name_zh="测试银行", district="370200")
    org.save()
    org.district = "370212"
    org.save()
    assert Organisation.get("bank-test").district_org == "370212#bank-test"
    assert [o.org_id for o in list_orgs("bank", "370212")] == ["bank-test"]
