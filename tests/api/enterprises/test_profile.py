"""Enterprise profile routes: who reads and changes what, bad input, audit records, derived fields."""
from __future__ import annotations

import json

import pytest

from tests.support import assert_problem, bearer, body, json_headers

ZHENGRIXIN = "91370202MA3C4R7K75"  # 市南区, L7211
HAILIAN = "91370211MA3D2H8N0J"  # 黄岛区, F5111
BLUESEA = "91370212MA3EK9W53N"  # 崂山区, I6513
UNSEEDED = "91370283MA3J8D4Y22"  # 平度绿野: in the directory, no profile seeded


def url(uscc: str) -> str:
    return f"/api/enterprises/{uscc}/profile"


@pytest.fixture
def api(client, token):
    issued: dict[str, str] = {}

    def token_of(user: str) -> str:  # one token per person: issuing one reads the directory
        if user not in issued:
            issued[user] = token(user)
        return issued[user]

    class Api:
        def forget_tokens(self):
            issued.clear()

        def get(self, user, uscc):
            return client.http.get(url(uscc), headers=bearer(token_of(user)))

        def put(self, user, uscc, payload):
            return client.http.put(url(uscc), headers=json_headers(token_of(user)),
                                   body=json.dumps(payload, ensure_ascii=False))

        def import_(self, user, uscc, payload):
            return client.http.post(url(uscc) + "/import", headers=json_headers(token_of(user)),
                                    body=json.dumps(payload, ensure_ascii=False))

    return Api()


# -- reading ------------------------------------------------------------------------------------------
def test_the_enterprise_reads_its_profile_with_sources_and_derived_fields(api):
    response = api.get("ent-zhengrixin", ZHENGRIXIN)
    assert response.status_code == 200, response.body
    profile = body(response)
    assert profile["district"] == {"code": "370202", "name_zh": "市南区", "name_en": "Shinan District"}
    assert profile["industry_code"] == {"value": "L7211", "source": "imported", "as_of": "2026-06-30"}
    assert profile["employees"] == {"value": 12, "source": "self_declared", "as_of": "2026-11-02"}
    assert profile["certifications"]["value"] == []
    assert profile["rd_expense_fen"] is None
    assert profile["size_class"]["value"] == "small"  # 租赁和商务服务业: 12 persons, 650万元 of assets
    assert "第四条（十五）" in profile["size_class"]["basis"]
    assert profile["years_since_founding"] == 10  # founded 2016-05-18, today 2026-11-20
    assert profile["version"] == 1


@pytest.mark.parametrize("user,uscc", [
    ("ent-bluesea-soft", BLUESEA), ("admin-city", HAILIAN), ("auditor-city", ZHENGRIXIN),
    ("admin-laoshan", BLUESEA), ("staff-laoshan", BLUESEA), ("staff-tax", HAILIAN),
])
def test_allowed_readers(api, user, uscc):
    assert api.get(user, uscc).status_code == 200


@pytest.mark.parametrize("user,uscc", [
    ("ent-zhengrixin", HAILIAN),  # another enterprise
    ("ent-hailian-trade", ZHENGRIXIN),
    ("admin-laoshan", HAILIAN),  # outside the admin's district
    ("staff-laoshan", ZHENGRIXIN),  # outside the staff's district
    ("admin-city", UNSEEDED),  # never written: only its enterprise sees it (empty)
    ("admin-city", "91370202MA3C4R7K7X"),  # not a credit code
])
def test_others_get_404(api, user, uscc):
    assert_problem(api.get(user, uscc), 404)


@pytest.mark.parametrize("user", ["dispatcher-city", "supervisor-city", "custodian-city", "bank-qrcb-client"])
def test_roles_without_a_reason_to_read_are_refused(api, user):
    assert_problem(api.get(user, ZHENGRIXIN), 403)


def test_without_a_token_401(client):
    assert_problem(client.http.get(url(ZHENGRIXIN)), 401)


# -- self-declaring -------------------------------------------------------------------------------------
def test_the_enterprise_declares_fields_as_of_today(api, dynamo_calls):
    api.get("ent-zhengrixin", ZHENGRIXIN)
    dynamo_calls.reset()
    response = api.put("ent-zhengrixin", ZHENGRIXIN, {"employees": 25, "rd_expense_fen": 50_000_000,
                                                       "certifications": ["tech_sme"], "version": 1})
    assert response.status_code == 200, response.body
    profile = body(response)
    assert profile["employees"] == {"value": 25, "source": "self_declared", "as_of": "2026-11-20"}
    assert profile["certifications"] == {"value": ["tech_sme"], "source": "self_declared", "as_of": "2026-11-20"}
    assert profile["industry_code"]["source"] == "imported"  # untouched
    assert profile["version"] == 2
    assert dynamo_calls.by_operation["GetItem"] == 1 and dynamo_calls.by_operation["TransactWriteItems"] == 1
    again = body(api.get("ent-zhengrixin", ZHENGRIXIN))
    assert again == profile


def test_an_unseeded_enterprise_starts_from_an_empty_profile(seeded, clock):
    # 平度绿野 has no demo user; this principal is what a login of it would give.
    from functions.enterprises import service
    from functions.identity.principal import Principal
    from functions.shared.audit import UnitOfWork

    me = Principal("ent-lvye", "enterprise", UNSEEDED, "370283")
    empty = service.read(me, UNSEEDED)
    assert (empty.version, empty.fields, empty.size.size) == (0, {}, None)
    uow = UnitOfWork.for_actor(me, "req-1", clock.now())
    view = service.declare(uow, me, UNSEEDED, {"industry_code": "A0141", "employees": 35, "revenue_fen": 420_000_000})
    uow.commit()
    assert (view.version, view.size.size) == (1, "small")
    assert service.read(me, UNSEEDED).version == 1


@pytest.mark.parametrize("user,uscc,status", [
    ("ent-zhengrixin", HAILIAN, 404),  # another enterprise's profile
    ("admin-city", ZHENGRIXIN, 403),  # admins import; they do not declare for an enterprise
    ("auditor-city", ZHENGRIXIN, 403),
    ("staff-tax", ZHENGRIXIN, 403),
])
def test_only_the_enterprise_declares(api, user, uscc, status):
    assert_problem(api.put(user, uscc, {"employees": 1}), status)
    assert body(api.get("admin-city", uscc))["employees"]["value"] != 1


@pytest.mark.parametrize("payload,field", [
    ({"industry_code": "Z123"}, "industry_code"),
    ({"industry_code": "C12345"}, "industry_code"),
    ({"employees": -1}, "employees"),
    ({"employees": "12"}, "employees"),
    ({"revenue_fen": 1.5}, "revenue_fen"),
    ({"certifications": ["gold_star"]}, "certifications[0]"),
    ({"certifications": ["high_tech", "high_tech"]}, "certifications"),
    ({"tax_credit_rating": "AA"}, "tax_credit_rating"),
    ({"founded_on": "2026-13-01"}, "founded_on"),
    ({"founded_on": "2026-12-01"}, "founded_on"),  # after today
    ({"founded_on": "1899-12-31"}, "founded_on"),
    ({"district": "370212"}, "district"),  # derived from the credit code, never typed
    ({"size_class": "small"}, "size_class"),  # derived
    ({}, "body"),
])
def test_bad_input_is_a_problem_naming_the_field(api, payload, field):
    problem = assert_problem(api.put("ent-zhengrixin", ZHENGRIXIN, payload), 422, field)
    assert problem["code"]


def test_a_stale_version_is_409(api):
    assert api.put("ent-zhengrixin", ZHENGRIXIN, {"employees": 13, "version": 1}).status_code == 200
    assert_problem(api.put("ent-zhengrixin", ZHENGRIXIN, {"employees": 14, "version": 1}), 409)


# -- importing --------------------------------------------------------------------------------------------
def test_an_admin_imports_fields_with_their_date(api):
    response = api.import_("admin-city", BLUESEA, {"as_of": "2026-09-30", "fields": {
        "employees": 120, "certifications": ["high_tech", "little_giant", "tech_sme"]}})
    assert response.status_code == 200, response.body
    profile = body(response)
    assert profile["employees"] == {"value": 120, "source": "imported", "as_of": "2026-09-30"}
    assert profile["certifications"]["value"] == ["high_tech", "little_giant", "tech_sme"]
    assert profile["size_class"]["value"] == "medium"  # 软件和信息技术服务业: 120 persons, 4200万元


@pytest.mark.parametrize("user,uscc,status", [
    ("admin-laoshan", HAILIAN, 404),  # outside the admin's district
    ("ent-zhengrixin", ZHENGRIXIN, 403),  # enterprises declare; they do not import
    ("auditor-city", ZHENGRIXIN, 403),
    ("staff-tax", ZHENGRIXIN, 403),
])
def test_only_an_admin_of_the_jurisdiction_imports(api, user, uscc, status):
    assert_problem(api.import_(user, uscc, {"as_of": "2026-09-30", "fields": {"employees": 1}}), status)


@pytest.mark.parametrize("payload,field", [
    ({"fields": {"employees": 1}}, "as_of"),
    ({"as_of": "2026-12-01", "fields": {"employees": 1}}, "as_of"),  # not yet
    ({"as_of": "2026-09-30", "fields": {"employees": -5}}, "fields.employees"),
    ({"as_of": "2026-09-30", "fields": {"founded_on": "2026-10-01"}}, "fields.founded_on"),  # after as_of
    ({"as_of": "2026-09-30", "fields": {}}, "fields"),
])
def test_bad_imports_name_the_field(api, payload, field):
    assert_problem(api.import_("admin-city", ZHENGRIXIN, payload), 422, field)


# -- audit ----------------------------------------------------------------------------------------------------
def test_every_change_is_audited_with_before_and_after(api, seeded, clock):
    from functions.shared.audit import AuditRecord

    api.put("ent-zhengrixin", ZHENGRIXIN, {"employees": 30})
    clock.advance(seconds=1)  # records of one instant sort by their random request ids
    api.import_("admin-city", ZHENGRIXIN, {"as_of": "2026-10-31", "fields": {"employees": 31}})
    records = list(AuditRecord.query(f"enterprise#{ZHENGRIXIN}"))
    assert [r.action for r in records] == ["enterprise_profile.declared", "enterprise_profile.imported"]
    declared, imported = records
    assert declared.actor_org == ZHENGRIXIN and imported.actor_sub == "admin-city"
    assert json.loads(declared.before) == {"employees": {"value": 12, "source": "self_declared", "as_of": "2026-11-02"}}
    assert json.loads(declared.after) == {"employees": {"value": 30, "source": "self_declared", "as_of": "2026-11-20"}}
    assert json.loads(imported.after) == {"employees": {"value": 31, "source": "imported", "as_of": "2026-10-31"}}


def test_declaring_what_is_already_there_writes_nothing(api, dynamo_calls):
    api.get("ent-zhengrixin", ZHENGRIXIN)
    dynamo_calls.reset()
    # imported A, declared A: the import stands (its source and date), nothing is written
    response = api.put("ent-zhengrixin", ZHENGRIXIN, {"tax_credit_rating": "A"})
    assert response.status_code == 200 and body(response)["version"] == 1
    assert body(response)["tax_credit_rating"]["source"] == "imported"
    assert "TransactWriteItems" not in dynamo_calls.by_operation
    api.put("ent-zhengrixin", ZHENGRIXIN, {"employees": 40})  # a new figure is declared
    dynamo_calls.reset()
    response = api.put("ent-zhengrixin", ZHENGRIXIN, {"employees": 40})  # and declaring it again changes nothing
    assert response.status_code == 200 and body(response)["version"] == 2
    assert "TransactWriteItems" not in dynamo_calls.by_operation


# -- derived fields -------------------------------------------------------------------------------------------
def test_years_since_founding_follow_the_platform_clock(api, clock):
    api.put("ent-zhengrixin", ZHENGRIXIN, {"founded_on": "2016-11-21"})
    assert body(api.get("ent-zhengrixin", ZHENGRIXIN))["years_since_founding"] == 9
    clock.advance(days=1)  # 2026-11-21 in Qingdao: the tenth anniversary
    api.forget_tokens()  # yesterday's have expired
    assert body(api.get("ent-zhengrixin", ZHENGRIXIN))["years_since_founding"] == 10


def test_size_class_is_unknown_until_the_figures_decide_it(api):
    profile = body(api.get("ent-hailian-trade", HAILIAN))
    assert profile["size_class"]["value"] == "medium"  # 批发业: 45 persons, 18600万元
    from functions.enterprises.facts import size_of

    undecided = size_of("F5111", 45, None, None)
    assert undecided.size is None and undecided.missing == ["revenue_fen"]
