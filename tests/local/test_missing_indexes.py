"""Local data made before an index existed: start-up adds the index and fills in its keys."""
from __future__ import annotations

from datetime import timedelta

import boto3

from functions.calendar.models import SlaClock, attention_key, utc_stamp
from functions.calendar.service import get_calendar, new_clock
from infra.local.stack import REGION, add_missing_indexes


def test_an_older_clocks_table_gains_the_attention_index_and_its_breached_clock_shows(aws, clock):
    client = boto3.client("dynamodb", region_name=REGION)
    name = SlaClock.Meta.table_name
    # The table as it was before `attention-index`: the same, less that index.
    schema = SlaClock._get_schema()
    older = [i for i in schema["global_secondary_indexes"] if i["index_name"] != "attention-index"]
    client.delete_table(TableName=name)
    client.get_waiter("table_not_exists").wait(TableName=name)
    used = {a["AttributeName"] for i in older for a in i["key_schema"]} | {k["AttributeName"] for k in schema["key_schema"]}
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST", KeySchema=schema["key_schema"],
        AttributeDefinitions=[a for a in schema["attribute_definitions"] if a["AttributeName"] in used],
        GlobalSecondaryIndexes=[{"IndexName": i["index_name"], "KeySchema": i["key_schema"], "Projection": i["projection"]}
                                for i in older],
    )
    breached = new_clock(get_calendar(clock.now()), "appeal#A1", "contact_by", "hours:2", clock.now())
    breached.mark_breached(clock.now() + timedelta(hours=3))
    quiet = new_clock(get_calendar(clock.now()), "appeal#A2", "contact_by", "hours:2", clock.now())
    for item in (breached, quiet):
        item.attention = None  # written by code that knew no attention key
        item.save()

    assert add_missing_indexes(SlaClock) == 1
    found = list(SlaClock.attention_index.query(attention_key("appeal", "breached")))
    assert [(c.owner, c.name, c.due) for c in found] == [("appeal#A1", "contact_by", breached.due)]
    assert SlaClock.get("appeal#A2", "contact_by").attention is None
    assert add_missing_indexes(SlaClock) == 0  # the second start finds nothing to add
    assert utc_stamp(clock.now()) < breached.due


def test_an_older_profiles_table_gains_the_district_index_with_every_profile_in_it(aws, clock):
    from functions.enterprises.models import EnterpriseProfile
    from functions.enterprises.seed import demo_profiles

    client = boto3.client("dynamodb", region_name=REGION)
    name = EnterpriseProfile.Meta.table_name
    schema = EnterpriseProfile._get_schema()
    client.delete_table(TableName=name)
    client.get_waiter("table_not_exists").wait(TableName=name)
    client.create_table(  # as it was before `district-index`: no index at all
        TableName=name, BillingMode="PAY_PER_REQUEST", KeySchema=schema["key_schema"],
        AttributeDefinitions=[a for a in schema["attribute_definitions"] if a["AttributeName"] == "uscc"],
    )
    for profile in demo_profiles():
        profile.district = None  # written by code that knew no district key
        profile.save()

    assert add_missing_indexes(EnterpriseProfile) == 1
    assert [p.uscc for p in EnterpriseProfile.district_index.query("370202")] == ["91370202MA3C4R7K75"]
    assert sorted(p.district for p in EnterpriseProfile.batch_get([p.uscc for p in demo_profiles()])) == \
        ["370202", "370211", "370212", "370215"]
    assert add_missing_indexes(EnterpriseProfile) == 0
