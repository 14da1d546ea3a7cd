"""Open311 GeoReport v2 for external intake channels: /api/open311/v2/*.json (the XML forms: test_open311_xml.py).

The blueprint is mounted on an app of this module's own (it is not in app.py's list yet), the way a
stock client sees it: paths ending in .json, form-encoded POSTs with api_key, Open311 error lists.
"""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlencode

import pytest

from tests.api.appeals.conftest import HAILIAN, ZHENGRIXIN

HOTLINE_KEY = "hotline-12345-demo-key"
LAOSHAN_KEY = "laoshan-district-demo-key"
HOTLINE = "hotline_12345@370200"
LAOSHAN = "district_window@370212"
BASE = "/api/open311/v2"
TAX_MATTER = "我司今年3月申请的增值税留抵退税，至今未到账，影响资金周转，请税务部门帮助查询。"


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def open311():
    from functions.appeals import open311 as module

    return module


@pytest.fixture
def channels(open311, seeded):
    """Demo data, with the two demo channels the demo seed creates once."""
    assert open311.seed_open311_channels() == 0  # already there: seeding is idempotent
    return open311


@pytest.fixture(scope="module")
def o311_app(open311):
    import app as main

    return main.app


@pytest.fixture
def http(o311_app, channels):
    from chalice.test import Client

    with Client(o311_app) as client:
        yield client.http


@pytest.fixture
def server(o311_app, channels):
    """The same app behind a real HTTP server on the loopback address, for stock HTTP clients."""
    from chalice.config import Config
    from chalice.local import ChaliceRequestHandler, CustomLocalChalice, LocalChalice, LocalDevServer

    class QuietHandler(ChaliceRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the signature of BaseHTTPRequestHandler
            pass

    original_class = o311_app.__class__
    # What chalice.local.create_local_server does: a thread-local current_request for the server's threads.
    CustomLocalChalice.__bases__ = (LocalChalice, original_class)
    o311_app.__class__ = CustomLocalChalice
    local = LocalDevServer(o311_app, Config.create(chalice_stage="test", app_name="open311-test"), "127.0.0.1", 0,
                           handler_cls=QuietHandler)
    thread = threading.Thread(target=local.server.serve_forever, name="open311-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{local.server.server_port}{BASE}"
    finally:
        local.server.shutdown()
        local.server.server_close()
        thread.join(timeout=10)
        o311_app.__class__ = original_class


def form(**fields) -> dict:
    return {"body": urlencode({k: v for k, v in fields.items() if v is not None}),
            "headers": {"Content-Type": "application/x-www-form-urlencoded"}}


def submission(**overrides) -> dict:
    fields = {"api_key": HOTLINE_KEY, "service_code": "help", "description": TAX_MATTER,
              "first_name": "敏", "last_name": "王", "phone": "13805321234"}
    fields.update(overrides)
    return fields


def post(http, **fields):
    return http.post(f"{BASE}/requests.json", **form(**fields))


def created(response) -> str:
    assert response.status_code == 200, (response.status_code, response.body.decode())
    assert response.headers["Content-Type"].startswith("application/json")
    (item,) = json.loads(response.body)
    assert set(item) == {"service_request_id", "service_notice", "account_id"} and item["account_id"] is None
    return item["service_request_id"]


def read(http, request_id: str, key: str = HOTLINE_KEY) -> dict:
    response = http.get(f"{BASE}/requests/{request_id}.json?" + urlencode({"api_key": key}))
    assert response.status_code == 200, (response.status_code, response.body.decode())
    (item,) = json.loads(response.body)
    return item


def listing(http, key: str = HOTLINE_KEY, **params) -> list[dict]:
    response = http.get(f"{BASE}/requests.json?" + urlencode({"api_key": key, **params}))
    assert response.status_code == 200, (response.status_code, response.body.decode())
    return json.loads(response.body)


def open311_error(response, status: int, mentions: str = "") -> list[dict]:
    """Open311's error body: a list of {code, description}, with the HTTP status as the code."""
    assert response.status_code == status, (response.status_code, response.body.decode())
    assert response.headers["Content-Type"].startswith("application/json"), response.headers
    errors = json.loads(response.body)
    assert isinstance(errors, list) and errors
    assert all(set(e) == {"code", "description"} and e["code"] == status for e in errors), errors
    if mentions:
        assert any(mentions in e["description"] for e in errors), errors
    return errors


def appeal_of(open311, channel_key: str, request_id: str):
    from functions.appeals.models import Appeal

    return Appeal.get(open311.Open311Request.get(channel_key, request_id).appeal_id)


def act(clock, principal, appeal_id: str, action: str, **payload) -> None:
    from functions.appeals import states
    from functions.shared.audit import UnitOfWork

    clock.advance(minutes=10)
    uow = UnitOfWork.for_actor(principal, uuid.uuid4().hex, clock.now())
    states.act(uow, principal, appeal_id, action, states.MACHINE.actions[action].body(**payload))
    uow.commit()


# -- discovery -------------------------------------------------------------------------------------
def test_service_list_and_definitions_are_public(http, channels):
    response = http.get(f"{BASE}/services.json")
    assert response.status_code == 200
    services = json.loads(response.body)
    assert [s["service_code"] for s in services] == [
        "consultation", "help", "complaint", "suggestion", "report", "business_environment_clue"]
    help_ = services[1]
    assert help_ == {"service_code": "help", "service_name": "求助", "description": help_["description"], "metadata": False,
                     "type": "realtime", "keywords": help_["keywords"], "group": "企业诉求"}
    assert services[5]["service_name"] == "损害营商环境问题线索"

    definition = http.get(f"{BASE}/services/complaint.json")
    assert json.loads(definition.body) == {"service_code": "complaint", "attributes": []}
    open311_error(http.get(f"{BASE}/services/parking.json"), 404, "service_code")
    assert http.get(f"{BASE}/services/complaint.xml").status_code == 200  # XML too: test_open311_xml.py
    assert http.get(f"{BASE}/services.json?jurisdiction_id=370212").status_code == 200
    open311_error(http.get(f"{BASE}/services.json?jurisdiction_id=qingdao.gov.cn"), 404, "jurisdiction_id")


# -- a stock client, over real HTTP ------------------------------------------------------------------
def _call(url: str, data: dict | None = None):
    """urllib only: GET, or a form-encoded POST, as any GeoReport v2 client sends it."""
    body = urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=30) as response:
            return response.status, response.headers.get("Content-Type"), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type"), json.loads(error.read())


def test_stock_client_round_trip_over_http(server, clock):
    status, content_type, services = _call(f"{server}/services.json")
    assert status == 200 and content_type.startswith("application/json")
    code = services[1]["service_code"]

    status, _, answer = _call(f"{server}/requests.json", {
        "api_key": HOTLINE_KEY, "service_code": code, "description": TAX_MATTER, "first_name": "敏", "last_name": "王",
        "phone": "13805321234", "email": "wangmin@example.com", "device_id": "hotline-seat-07",
        "address_string": "青岛市市南区香港中路76号", "lat": "36.0671", "long": "120.3826",
        "media_url": "https://files.example.com/call-0001.mp3", "account_id": ZHENGRIXIN,
    })
    assert status == 200, answer
    (receipt,) = answer
    first = receipt["service_request_id"]
    assert first == "370200-0000001"
    assert first in receipt["service_notice"] and "市税务局" in receipt["service_notice"]

    status, _, answer = _call(f"{server}/requests/{first}.json?" + urlencode({"api_key": HOTLINE_KEY}))
    assert status == 200
    (request,) = answer
    assert request["service_request_id"] == first
    assert request["status"] == "open"
    assert request["service_code"] == "help" and request["service_name"] == "求助"
    assert request["description"] == TAX_MATTER  # the location lines are answered in their own fields
    assert request["agency_responsible"] == "市税务局"
    assert request["status_notes"] == "已分派至市税务局，待签收"
    assert request["requested_datetime"] == request["updated_datetime"] == "2026-11-20T10:00:00+08:00"
    assert request["expected_datetime"] == "2026-12-12T00:00:00+08:00"  # resolve_by: 15 working days
    assert request["address"] == "青岛市市南区香港中路76号"
    assert (request["lat"], request["long"]) == (36.0671, 120.3826)
    assert request["media_url"] == "https://files.example.com/call-0001.mp3"

    status, _, answer = _call(f"{server}/requests.json", {
        "api_key": HOTLINE_KEY, "service_code": "consultation", "description": "请问高新技术企业认定的申报材料有哪些？",
        "first_name": "Lei", "last_name": "Zhao", "phone": "0532-88886666",
    })
    assert status == 200, answer
    second = answer[0]["service_request_id"]
    assert second == "370200-0000002" and "正在分派" in answer[0]["service_notice"]

    status, _, answer = _call(f"{server}/requests.json?" + urlencode(
        {"api_key": HOTLINE_KEY, "service_request_id": f"{first},{second},370200-9999999"}))
    assert status == 200
    assert [r["service_request_id"] for r in answer] == [first, second]
    assert answer[1]["status"] == "open" and answer[1]["agency_responsible"] is None
    assert answer[1]["status_notes"] == "已受理，正在分派承办单位" and answer[1]["expected_datetime"] is None

    status, _, errors = _call(f"{server}/requests.json", {"api_key": "nope", "service_code": "help", "description": "x"})
    assert status == 403 and errors == [{"code": 403, "description": "api_key: is not valid"}]


def test_the_appeal_gets_the_mapped_fields(http, channels, clock):
    first = created(post(http, **submission(account_id=ZHENGRIXIN, address_string="香港中路76号", lat="36.0671",
                                            long="120.3826", media_url="https://files.example.com/a.jpg")))
    appeal = appeal_of(channels, HOTLINE, first)
    assert appeal.channel == "hotline_12345" and appeal.district == "370200"
    assert appeal.category == "help" and appeal.title == TAX_MATTER[:30] + "…"
    assert appeal.content == TAX_MATTER + "\n\n【地址】香港中路76号\n【坐标】纬度 36.0671，经度 120.3826"
    assert (appeal.contact_name, appeal.contact_phone) == ("王敏", "13805321234")
    assert appeal.enterprise_uscc == ZHENGRIXIN and appeal.attachments == ["https://files.example.com/a.jpg"]
    assert appeal.submitted_by == "open311:hotline_12345@370200" and appeal.submitter_role == "staff"
    assert appeal.submitter_org == "channel:hotline_12345" and appeal.received_at is None

    from functions.shared.audit import AuditRecord

    records = list(AuditRecord.query(f"appeal#{appeal.appeal_id}"))
    assert {r.actor_sub for r in records} == {"open311:hotline_12345@370200"}  # the channel, not "system"

    second = created(post(http, **submission(title="高新技术企业认定咨询", service_code="consultation",
                                             description="请问高新技术企业认定需要哪些材料？", first_name="Lei",
                                             last_name="Zhao", requested_datetime="2026-11-20T09:30:00+08:00")))
    appeal = appeal_of(channels, HOTLINE, second)
    assert appeal.title == "高新技术企业认定咨询" and appeal.contact_name == "Lei Zhao"
    assert appeal.received_at == "2026-11-20T01:30:00Z"
    assert read(http, second)["requested_datetime"] == "2026-11-20T09:30:00+08:00"


# -- status mapping ----------------------------------------------------------------------------------
def test_status_becomes_closed_when_the_appeal_is_closed(http, channels, clock):
    from functions.identity.principal import Principal

    request_id = created(post(http, **submission(account_id=ZHENGRIXIN)))
    appeal_id = appeal_of(channels, HOTLINE, request_id).appeal_id
    staff = Principal(sub="staff-tax", role="staff", org_id="unit-tax", district="370200", name="张磊")
    enterprise = Principal(sub="ent-zhengrixin", role="enterprise", org_id=ZHENGRIXIN, district="370202", name="王敏")

    act(clock, staff, appeal_id, "accept")
    assert read(http, request_id)["status_notes"] == "市税务局正在办理"
    act(clock, staff, appeal_id, "contact", method="phone", note="已电话联系")
    act(clock, staff, appeal_id, "feedback", text="退税款正在复核中")
    assert read(http, request_id)["status_notes"] == "市税务局正在办理；初步意见：退税款正在复核中"
    act(clock, staff, appeal_id, "resolve", result="退税款已到账")
    resolved = read(http, request_id)
    assert resolved["status"] == "open" and "待反映人确认" in resolved["status_notes"]
    assert listing(http, status="closed") == []

    act(clock, enterprise, appeal_id, "confirm", satisfied=True, comment="谢谢")
    closed = read(http, request_id)
    assert closed["status"] == "closed"
    assert closed["status_notes"] == "已办结；办理结果：退税款已到账"
    assert closed["updated_datetime"] == "2026-11-20T10:50:00+08:00" and closed["service_notice"] is None
    assert [r["service_request_id"] for r in listing(http, status="closed")] == [request_id]
    assert listing(http, status="open") == []
    assert len(listing(http, status="open,closed")) == 1


# -- keys ------------------------------------------------------------------------------------------
def test_missing_wrong_or_disabled_keys_are_refused(http, channels):
    assert open311_error(post(http, **submission(api_key=None)), 403) == [{"code": 403, "description": "api_key: is required"}]
    open311_error(post(http, **submission(api_key="hotline-12345-demo-key-2")), 403, "api_key: is not valid")
    open311_error(http.get(f"{BASE}/requests.json"), 403, "api_key: is required")
    open311_error(http.get(f"{BASE}/requests/370200-0000001.json?api_key=guess"), 403, "api_key: is not valid")

    channel = channels.Open311Channel.get(channels.hash_key(LAOSHAN_KEY))
    channel.enabled = False
    channel.save()
    open311_error(post(http, **submission(api_key=LAOSHAN_KEY)), 403, "disabled")
    open311_error(http.get(f"{BASE}/requests.json?api_key={LAOSHAN_KEY}"), 403, "disabled")
    created(post(http, **submission()))  # the other channel goes on


def test_only_hashes_of_keys_are_stored_and_seeding_is_idempotent(channels):
    assert channels.seed_open311_channels() == 0
    stored = channels.Open311Channel.get(channels.hash_key(HOTLINE_KEY))
    assert (stored.channel, stored.district, stored.display_name, stored.enabled) == (
        "hotline_12345", "370200", "12345政务服务便民热线", True)
    values = json.dumps(stored.serialize(), ensure_ascii=False)
    assert HOTLINE_KEY not in values and len(stored.key_hash) == 64
    key = channels.create_channel("department", "370200", "市发展改革委来访接待")
    assert channels.authenticate(key).channel_key == "department@370200"
    with pytest.raises(ValueError):
        channels.add_channel("k", "web", "370200", "网上")


# -- validation ------------------------------------------------------------------------------------
def test_bad_service_code_is_400(http, channels):
    open311_error(post(http, **submission(service_code="pothole")), 400, "service_code: 'pothole' is not a service")
    open311_error(post(http, **submission(service_code=None)), 400, "service_code: is required")


def test_missing_description_is_400(http, channels):
    open311_error(post(http, **submission(description=None)), 400, "description: is required")
    open311_error(post(http, **submission(description="   ")), 400, "description: is required")


def test_invalid_account_id_is_400_naming_it(http, channels):
    errors = open311_error(post(http, **submission(account_id="91370202MA3C4R7K76")), 400)
    assert [e["description"].split(":")[0] for e in errors] == ["account_id"]


def test_every_bad_field_is_listed(http, channels):
    errors = open311_error(post(http, **submission(phone=None, lat="95", long=None, media_url="ftp://x",
                                                   requested_datetime="yesterday")), 400)
    fields = {e["description"].split(":")[0] for e in errors}
    assert fields == {"phone", "lat/long", "lat", "media_url", "requested_datetime"}


def test_service_refusals_are_mapped_to_form_fields(http, channels, clock):
    # The intake refuses a call recorded as happening more than 30 days ago: named as the form field.
    open311_error(post(http, **submission(requested_datetime="2026-10-01T09:00:00+08:00")), 400,
                  "requested_datetime: is more than 30 days ago")
    open311_error(post(http, **submission(phone="12")), 400, "phone: must be 5 to 20 characters")
    open311_error(post(http, **submission(phone="abcdefg")), 400, "phone: is not a phone number")


def test_form_encoding_is_required(http, channels):
    response = http.post(f"{BASE}/requests.json", headers={"Content-Type": "application/json"},
                         body=json.dumps(submission()))
    assert response.status_code == 415  # the toolkit's problem+json: not an Open311 request at all


def test_each_request_names_its_own_ticket_in_the_ledger(http, channels):
    # Numbers are claimed with an atomic ADD (tests/local/test_concurrent_intake.py races 64 intakes).
    from functions.appeals.models import TicketNumber

    first, second = created(post(http, **submission())), created(post(http, **submission(description="另一件事：道路开挖审批进度")))
    assert [first[-1], second[-1]] == ["1", "2"]
    assert all(TicketNumber.get(ticket).appeal_id for ticket in (first, second))


# -- channels and districts ------------------------------------------------------------------------
def test_a_key_cannot_read_another_channels_requests(http, channels):
    request_id = created(post(http, **submission()))
    assert read(http, request_id)["service_request_id"] == request_id
    response = http.get(f"{BASE}/requests/{request_id}.json?api_key={LAOSHAN_KEY}")
    open311_error(response, 404, "service_request_id")
    assert listing(http, LAOSHAN_KEY, service_request_id=request_id) == []
    assert listing(http, LAOSHAN_KEY) == []
    assert [r["service_request_id"] for r in listing(http)] == [request_id]
    open311_error(http.get(f"{BASE}/requests/370200-0000999.json?api_key={HOTLINE_KEY}"), 404)


def test_the_channels_district_is_used(http, channels):
    hotline = created(post(http, **submission()))
    assert appeal_of(channels, HOTLINE, hotline).district == "370200"
    laoshan = created(post(http, **submission(api_key=LAOSHAN_KEY)))
    laoshan_appeal = appeal_of(channels, LAOSHAN, laoshan)
    assert (laoshan_appeal.district, laoshan_appeal.channel) == ("370212", "district_window")
    # The city's hotline may name a district; a district's window only its own.
    named = created(post(http, **submission(jurisdiction_id="370212", description="崂山区施工许可审批进度缓慢，请帮助协调。")))
    named_appeal = appeal_of(channels, HOTLINE, named)
    assert named_appeal.district == "370212" and named_appeal.assignee_unit == "unit-laoshan-approval"
    open311_error(post(http, **submission(api_key=LAOSHAN_KEY, jurisdiction_id="370203")), 400,
                  "jurisdiction_id: 370203 is outside this channel's district 370212")
    open311_error(post(http, **submission(jurisdiction_id="110000")), 400, "jurisdiction_id")
    assert [r["service_request_id"] for r in listing(http, jurisdiction_id="370212")] == [named]


# -- duplicates and confidential reports -----------------------------------------------------------
def test_a_duplicate_is_merged_and_the_notice_says_onto_which_ticket(http, channels, clock):
    first = created(post(http, **submission(account_id=ZHENGRIXIN)))
    clock.advance(hours=1)
    response = post(http, **submission(api_key=LAOSHAN_KEY, account_id=ZHENGRIXIN, first_name="敏", last_name="王"))
    second = created(response)
    assert second != first
    notice = json.loads(response.body)[0]["service_notice"]
    assert first in notice and "合并办理" in notice
    merged = read(http, second, LAOSHAN_KEY)
    assert merged["status"] == "closed" and first in merged["status_notes"] and first in merged["service_notice"]
    assert merged["expected_datetime"] is None
    assert appeal_of(channels, LAOSHAN, second).duplicate_of == appeal_of(channels, HOTLINE, first).appeal_id
    assert read(http, first)["status"] == "open"  # the original goes on, seen by its own channel only
    open311_error(http.get(f"{BASE}/requests/{first}.json?api_key={LAOSHAN_KEY}"), 404)


def test_a_clue_without_contact_is_anonymous_and_gets_a_receipt_code(http, channels):
    response = post(http, **submission(service_code="business_environment_clue", first_name=None, last_name=None, phone=None,
                                       account_id=HAILIAN, description="某单位办理许可时索要好处费，请核查。"))
    request_id = created(response)
    assert "回执码" in json.loads(response.body)[0]["service_notice"]
    appeal = appeal_of(channels, HOTLINE, request_id)
    assert appeal.anonymous and appeal.confidential
    assert appeal.contact_name is None and appeal.contact_phone is None and appeal.enterprise_uscc is None
    assert read(http, request_id)["agency_responsible"] == "市纪委监委营商环境监督室"  # the clue rule routes it
    open311_error(post(http, **submission(service_code="report", phone=None)), 400, "anonymous")
    open311_error(post(http, **submission(first_name=None, last_name=None, phone=None)), 400, "first_name/last_name")


# -- queries ---------------------------------------------------------------------------------------
def test_listing_filters_by_code_and_dates(http, channels, clock):
    first = created(post(http, **submission()))
    clock.advance(days=2)
    second = created(post(http, **submission(service_code="consultation", description="请问稳岗补贴如何申领？")))
    assert [r["service_request_id"] for r in listing(http)] == [second, first]  # newest first
    assert [r["service_request_id"] for r in listing(http, service_code="consultation")] == [second]
    assert [r["service_request_id"] for r in listing(http, service_code="help,consultation")] == [second, first]
    assert [r["service_request_id"] for r in listing(http, start_date="2026-11-21", end_date="2026-11-23")] == [second]
    assert [r["service_request_id"] for r in listing(http, end_date="2026-11-20T23:59:59+08:00")] == [first]
    open311_error(http.get(f"{BASE}/requests.json?" + urlencode(
        {"api_key": HOTLINE_KEY, "start_date": "2026-01-01", "end_date": "2026-11-20"})), 400, "90 days")
    open311_error(http.get(f"{BASE}/requests.json?" + urlencode({"api_key": HOTLINE_KEY, "start_date": "9999-12-31"})), 400)
    open311_error(http.get(f"{BASE}/requests.json?" + urlencode(
        {"api_key": HOTLINE_KEY, "start_date": "2026-11-22", "end_date": "2026-11-21"})), 400, "after end_date")
    errors = open311_error(http.get(f"{BASE}/requests.json?" + urlencode(
        {"api_key": HOTLINE_KEY, "status": "pending", "service_code": "pothole", "start_date": "soon"})), 400)
    assert {e["description"].split(":")[0] for e in errors} == {"status", "service_code", "start_date"}


def test_reads_use_keys_and_batches_only(http, channels, dynamo_calls):
    first = created(post(http, **submission(account_id=ZHENGRIXIN)))
    second = created(post(http, **submission(service_code="consultation", description="请问稳岗补贴如何申领？")))
    dynamo_calls.reset()
    read(http, first)
    assert set(dynamo_calls.by_operation) <= {"GetItem", "BatchGetItem", "Query"}
    assert dynamo_calls.by_operation["GetItem"] == 2  # the key, the link
    dynamo_calls.reset()
    assert len(listing(http, service_request_id=f"{first},{second}")) == 2
    assert len(listing(http)) == 2
    assert set(dynamo_calls.by_operation) <= {"GetItem", "BatchGetItem", "Query"}  # and the root conftest refuses Scan


# -- a published third-party Open311 client, when installed ----------------------------------------
def test_georeport_client_reads_services_and_requests(server, clock):
    """`georeport` (PyPI) unchanged: it sends no api_key on reads, so the key is added as a default
    query parameter, the way a deployment configures extra parameters on its HTTP stack."""
    georeport = pytest.importorskip("georeport")
    import requests

    client = georeport.GeoReport(server)
    services = client.get_service_list()
    assert {s["service_code"] for s in services} >= {"help", "complaint"}
    assert client.get_service_definition("help") == {"service_code": "help", "attributes": []}

    status, _, answer = _call(f"{server}/requests.json", submission())
    assert status == 200
    request_id = answer[0]["service_request_id"]

    original = requests.Session.request

    def with_key(self, method, url, params=None, **kwargs):
        return original(self, method, url, params={**(params or {}), "api_key": HOTLINE_KEY}, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(requests.Session, "request", with_key)
        assert client.get_service_request(request_id)["status"] == "open"
        assert [r["service_request_id"] for r in client.get_service_requests(service_request_id=request_id)] == [request_id]
        assert len(client.get_service_requests(status="open", service_code="help")) == 1
    with pytest.raises(requests.HTTPError):
        client.get_service_request(request_id)  # no key: 403
