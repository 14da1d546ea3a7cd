import json
from collections import Counter

import pytest
from stdnum.cn import uscc as stdnum_uscc

from functions.refdata.demo import DATA_DIR, ROLES, load_demo, load_special_action
from functions.refdata.divisions import BY_CODE, CITY, DISTRICT_CODES
from functions.refdata.enterprise_size import industry_group
from functions.refdata.uscc import division_of, parse_uscc

# Verbatim from the source article (copied from the brief, not from the JSON).
KEY_AREAS = "政法、发展改革、工业和信息化、商务、住房城乡建设、交通运输、土地规划、市场监管、生态环保、行政审批"
UNITS = (
    "市委组织部、市委编办、市政府办公厅（市口岸办）、市教育局、市科技局、市民政局、市财政局、"
    "市人力资源社会保障局、市城市管理局、市水务管理局、市农业农村局、市海洋发展局、市园林和林业局、"
    "市文化和旅游局、市卫生健康委、市应急局、市国资委、市体育局、市统计局、市医保局、市国防动员办公室、"
    "市地方金融监管局、市大数据局、市民营经济局、青岛仲裁办、市总工会、市工商联、市住房公积金管理中心、"
    "市税务局、青岛海关、人民银行青岛市中心支行、青岛市监局、青岛银保监局、国网青岛供电公司、市通信管理局"
)

data = load_demo()


def test_key_areas_verbatim_and_in_order():
    special = load_special_action()
    assert [a.name_zh for a in special.key_areas] == KEY_AREAS.split("、")
    assert len(special.key_areas) == 10
    assert [a.seq for a in special.key_areas] == list(range(1, 11))
    assert all(a.id.startswith("ka-") for a in special.key_areas)


def test_participating_units_verbatim_and_in_order():
    special = load_special_action()
    assert len(special.units) == 35
    assert [u.name_zh for u in special.units] == UNITS.split("、")
    assert [u.seq for u in special.units] == list(range(1, 36))
    assert all(u.id.startswith("unit-") and u.participating for u in special.units)
    assert special.source["note"]


def test_demo_units_come_after_the_participating_ones():
    assert [u.name_zh for u in data.units[:35]] == UNITS.split("、")
    assert not any(u.participating for u in data.units[35:])


def test_ids_are_unique_and_ascii():
    ids = ([a.id for a in data.key_areas] + [u.id for u in data.units]
           + [e.org_id for e in data.enterprises] + [b.id for b in data.banks])
    assert len(ids) == len(set(ids))
    assert all(i.isascii() for i in ids)
    user_ids = [u.user_id for u in data.users]
    assert len(user_ids) == len(set(user_ids))


def test_dispatch_centre_and_supervisory_unit():
    assert data.dispatch_centre.id == "unit-dispatch"
    assert data.dispatch_centre.name_zh == "市服务企业统一平台调度中心"
    assert data.dispatch_centre.level == "city"
    assert data.supervisory_unit.id == "unit-supervision"
    assert data.supervisory_unit.name_zh == "市纪委监委营商环境监督室"


def test_district_units_exist():
    district_units = [u for u in data.units if u.level == "district"]
    assert len({u.district for u in district_units}) >= 2
    assert all(u.district in DISTRICT_CODES for u in district_units)
    key_area_ids = {a.id for a in data.key_areas}
    assert all(set(u.key_areas) <= key_area_ids for u in data.units)


def test_enterprises():
    assert len(data.enterprises) >= 6
    assert data.enterprises[0].name_zh == "青岛正日信企业管理有限公司"
    assert any(e.foreign_invested and e.name_en for e in data.enterprises)
    assert any(e.district == "370211" for e in data.enterprises)  # 西海岸新区
    assert any(e.district == "370215" and industry_group(e.industry_code) == "industry" for e in data.enterprises)
    for ent in data.enterprises:
        assert stdnum_uscc.validate(ent.uscc) == ent.uscc
        assert parse_uscc(ent.uscc) == ent.uscc
        assert division_of(ent.uscc) == ent.district
        assert ent.district in DISTRICT_CODES
        assert ent.size().size is not None, ent.name_zh  # demo figures are complete
    assert {e.size().size for e in data.enterprises} == {"large", "medium", "small", "micro"}


def test_banks():
    assert len(data.banks) >= 2
    assert {"青岛农商银行", "青岛银行"} <= {b.name_zh for b in data.banks}
    assert all(b.id.startswith("bank-") for b in data.banks)


def test_every_role_is_present():
    counts = Counter(u.role for u in data.users)
    assert set(counts) == set(ROLES)
    assert counts["enterprise"] >= 2 and counts["bank"] >= 2


def test_users_point_at_existing_orgs_in_their_district():
    for user in data.users:
        assert user.district in BY_CODE
        assert user.display_name and not user.display_name.isascii()
        if user.role == "enterprise":
            org = data.enterprise(user.org_id)
            assert org.district == user.district
        elif user.role == "bank":
            data.bank(user.org_id)
        else:
            unit = data.unit(user.org_id)
            assert unit.district == user.district


def test_enterprise_users_belong_to_different_enterprises():
    assert len({u.org_id for u in data.users_with_role("enterprise")}) >= 2


def test_staff_of_several_units_including_a_district_unit():
    staff = data.users_with_role("staff")
    assert len({u.org_id for u in staff}) >= 3
    assert any(data.unit(u.org_id).level == "district" for u in staff)


@pytest.mark.parametrize("role,unit_id", [("dispatcher", "unit-dispatch"), ("supervisor", "unit-supervision")])
def test_dispatcher_and_supervisor_units(role, unit_id):
    assert {u.org_id for u in data.users_with_role(role)} == {unit_id}


def test_city_admin_exists():
    assert any(u.district == CITY for u in data.users_with_role("admin"))


def test_bank_users_are_demo_client_credentials_one_per_bank_and_branch_narrowed_ones():
    banks = data.users_with_role("bank")
    whole = [u for u in banks if not u.branches]
    assert len({u.org_id for u in whole}) == len(whole) >= 2  # one client per bank acts for all of it…
    assert {u.org_id for u in banks} == {u.org_id for u in whole}  # …and a narrowed one belongs to a bank with one
    for user in banks:
        assert user.client_id and user.client_secret.startswith("demo-only-")
        assert all(b.startswith(user.org_id + "-b") for b in user.branches)  # its own institution's branches
    assert all(u.client_id is None and u.client_secret is None for u in data.users if u.role != "bank")
    raw = json.loads((DATA_DIR / "demo.json").read_text(encoding="utf-8"))
    assert "DEMO-ONLY" in raw["client_secret_note"]
