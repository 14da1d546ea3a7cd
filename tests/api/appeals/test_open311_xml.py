"""Open311 GeoReport v2 in XML: every document as `.xml` as well as `.json`, same content, same statuses.

XML answers are parsed back with ElementTree and compared field by field with the JSON answer to the
same request. A path with no format or an unknown one is a 404 problem+json. Fixtures and helpers
come from test_open311.py (the JSON tests).
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.api.appeals.conftest import ZHENGRIXIN
from tests.api.appeals.test_open311 import (  # noqa: F401 - fixtures are used by name
    BASE,
    HOTLINE_KEY,
    LAOSHAN_KEY,
    TAX_MATTER,
    appeal_of,
    channels,
    created,
    form,
    http,
    o311_app,
    open311,
    open311_error,
    post,
    server,
    submission,
)
from tests.support import assert_problem

XML_TYPE = "text/xml; charset=utf-8"


# -- helpers ---------------------------------------------------------------------------------------
def xml_answer(response, status: int = 200) -> ET.Element:
    assert response.status_code == status, (response.status_code, response.body.decode())
    assert response.headers["Content-Type"] == XML_TYPE, response.headers
    assert response.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), response.body[:60]
    return ET.fromstring(response.body)


def json_answer(response, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.body.decode())
    assert response.headers["Content-Type"].startswith("application/json"), response.headers
    return json.loads(response.body)


def as_text(value: Any) -> str | None:
    """What an XML element says for a JSON scalar: empty for null, true/false, numbers as in JSON."""
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value)


def assert_same(element: ET.Element, value: Any, path: str = "") -> None:
    """The element says what the JSON value says: objects field by field in the same order, lists
    item by item, scalars as text."""
    where = path or element.tag
    if isinstance(value, dict):
        assert [child.tag for child in element] == list(value), where
        for child, key in zip(element, value):
            assert_same(child, value[key], f"{where}/{key}")
    elif isinstance(value, list):
        assert len(element) == len(value), where
        for index, (child, item) in enumerate(zip(element, value)):
            assert_same(child, item, f"{where}[{index}]")
    else:
        assert len(element) == 0, where
        assert element.text == as_text(value), (where, element.text, value)


def assert_same_list(root: ET.Element, root_name: str, item_name: str, items: list) -> None:
    assert root.tag == root_name
    assert [child.tag for child in root] == [item_name] * len(items)
    assert_same(root, items)


def both(http, path: str, method: str = "GET", **kwargs):
    """The answers to the same request as .json and as .xml: `path` has `{format}` where the extension goes."""
    call = http.get if method == "GET" else http.post
    return call(BASE + "/" + path.format(format="json"), **kwargs), call(BASE + "/" + path.format(format="xml"), **kwargs)


def keyed(key: str = HOTLINE_KEY, **params: str) -> str:
    return "?" + urlencode({"api_key": key, **params})


# -- discovery -------------------------------------------------------------------------------------
def test_the_service_list_and_definitions_in_xml(http, channels):
    as_json, as_xml = both(http, "services.{format}")
    services = json_answer(as_json)
    root = xml_answer(as_xml)
    assert_same_list(root, "services", "service", services)
    assert [s.findtext("service_name") for s in root] == ["咨询", "求助", "投诉", "意见建议", "举报", "损害营商环境问题线索"]
    assert root[1].findtext("metadata") == "false" and root[1].findtext("group") == "企业诉求"
    # UTF-8 itself, not character references: a vendor's parser and a person reading the wire see 求助.
    assert "<service_name>求助</service_name>".encode("utf-8") in as_xml.body

    for service in services:
        as_json, as_xml = both(http, f"services/{service['service_code']}.{{format}}")
        definition = xml_answer(as_xml)
        assert definition.tag == "service_definition"
        assert_same(definition, json_answer(as_json))
    assert [child.tag for child in definition] == ["service_code", "attributes"] and len(definition[1]) == 0

    as_json, as_xml = both(http, "services.{format}?jurisdiction_id=370212")
    assert_same(xml_answer(as_xml), json_answer(as_json))


# -- service requests ------------------------------------------------------------------------------
def test_requests_in_xml_say_what_the_json_says(http, channels, clock):
    first = created(post(http, **submission(account_id=ZHENGRIXIN, address_string="青岛市市南区香港中路76号",
                                            address_id="QD-SN-0076", lat="36.0671", long="120.3826",
                                            media_url="https://files.example.com/call-0001.mp3")))
    clock.advance(hours=1)
    # A CRLF line end, as a hotline's form sends it: the XML reads back the same characters.
    second = created(post(http, **submission(service_code="consultation", first_name="Lei", last_name="Zhao",
                                             description="请问高新技术企业认定的申报材料有哪些？\r\n谢谢。")))
    clock.advance(hours=1)
    merged = created(post(http, **submission(api_key=HOTLINE_KEY, account_id=ZHENGRIXIN)))  # a duplicate: closed

    as_json, as_xml = both(http, "requests.{format}" + keyed())
    listed = json_answer(as_json)
    assert [r["service_request_id"] for r in listed] == [merged, second, first]
    assert_same_list(xml_answer(as_xml), "service_requests", "request", listed)
    by_id = {r["service_request_id"]: r for r in listed}
    assert by_id[first]["lat"] == 36.0671 and by_id[second]["agency_responsible"] is None
    assert by_id[second]["description"] == "请问高新技术企业认定的申报材料有哪些？\r\n谢谢。"
    assert by_id[merged]["status"] == "closed" and by_id[merged]["expected_datetime"] is None

    for request_id in (first, second, merged):
        as_json, as_xml = both(http, f"requests/{request_id}.{{format}}" + keyed())
        assert_same_list(xml_answer(as_xml), "service_requests", "request", json_answer(as_json))

    for params in ({"service_request_id": f"{second},{first},370200-9999999"}, {"status": "closed"},
                   {"service_code": "consultation"}, {"start_date": "2026-11-20T10:30:00+08:00"}):
        as_json, as_xml = both(http, "requests.{format}" + keyed(**params))
        assert_same_list(xml_answer(as_xml), "service_requests", "request", json_answer(as_json))


def test_post_requests_xml_creates_an_appeal(http, channels):
    response = http.post(f"{BASE}/requests.xml", **form(**submission(account_id=ZHENGRIXIN, address_string="香港中路76号")))
    root = xml_answer(response)
    assert root.tag == "service_requests" and [child.tag for child in root] == ["request"]
    (receipt,) = root
    assert [child.tag for child in receipt] == ["service_request_id", "service_notice", "account_id"]
    request_id = receipt.findtext("service_request_id")
    assert request_id == "370200-0000001" and receipt.find("account_id").text is None  # <account_id/>, as in the spec
    assert receipt.findtext("service_notice") == f"已受理，工单号 {request_id}，已分派至市税务局办理"

    appeal = appeal_of(channels, "hotline_12345@370200", request_id)
    assert appeal.category == "help" and appeal.content == TAX_MATTER + "\n\n【地址】香港中路76号"
    assert (appeal.contact_name, appeal.enterprise_uscc) == ("王敏", ZHENGRIXIN)
    assert appeal.submitted_by == "open311:hotline_12345@370200"

    # The same answer, field for field, as POST requests.json gives for its own request.
    other = http.post(f"{BASE}/requests.json", **form(**submission(service_code="consultation",
                                                                   description="请问稳岗补贴如何申领？")))
    (answer,) = json_answer(other)
    assert list(answer) == [child.tag for child in receipt] and answer["account_id"] is None
    as_json, as_xml = both(http, f"requests/{request_id}.{{format}}" + keyed())
    assert_same_list(xml_answer(as_xml), "service_requests", "request", json_answer(as_json))


def test_post_requests_xml_keeps_the_toolkits_retries(http, channels, monkeypatch):
    """The XML answer is rendered after the toolkit's commit: a contended commit is run again, as for .json."""
    from functions.shared.audit import UnitOfWork
    from functions.shared.errors import Conflict

    commit, lost = UnitOfWork.commit, []

    def contended_once(self, *args, **kwargs):
        if not self.empty and not lost:
            lost.append(True)
            conflict = Conflict("another transaction held an item")
            conflict.failed_labels, conflict.contended = [], True
            raise conflict
        return commit(self, *args, **kwargs)

    monkeypatch.setattr(UnitOfWork, "commit", contended_once)
    root = xml_answer(http.post(f"{BASE}/requests.xml", **form(**submission())))
    assert lost == [True]
    request_id = root.findtext("request/service_request_id")
    (request,) = json_answer(http.get(f"{BASE}/requests/{request_id}.json" + keyed()))
    assert request["status"] == "open"


# -- errors ----------------------------------------------------------------------------------------
def xml_errors(response, status: int) -> list[dict]:
    root = xml_answer(response, status)
    assert root.tag == "errors" and root and all(child.tag == "error" for child in root)
    errors = [{"code": int(e.findtext("code")), "description": e.findtext("description")} for e in root]
    assert all([child.tag for child in e] == ["code", "description"] for e in root)
    assert all(e["code"] == status for e in errors)
    return errors


def test_errors_in_xml_are_open311_errors_in_xml(http, channels):
    as_json, as_xml = both(http, "requests.{format}", "POST", **form(**submission(api_key="hotline-12345-demo-key-2")))
    assert xml_errors(as_xml, 403) == open311_error(as_json, 403) == [{"code": 403, "description": "api_key: is not valid"}]

    as_json, as_xml = both(http, "requests.{format}")
    assert xml_errors(as_xml, 403) == open311_error(as_json, 403, "api_key: is required")
    as_json, as_xml = both(http, "requests/370200-0000001.{format}?api_key=guess")
    assert xml_errors(as_xml, 403) == open311_error(as_json, 403, "api_key: is not valid")

    bad = form(**submission(phone=None, lat="95", long=None, media_url="ftp://x", requested_datetime="yesterday"))
    as_json, as_xml = both(http, "requests.{format}", "POST", **bad)
    errors = xml_errors(as_xml, 400)
    assert errors == open311_error(as_json, 400) and len(errors) == 5

    as_json, as_xml = both(http, "requests.{format}" + keyed(status="pending", start_date="soon"))
    assert xml_errors(as_xml, 400) == open311_error(as_json, 400)
    as_json, as_xml = both(http, "services/parking.{format}")
    assert xml_errors(as_xml, 404) == open311_error(as_json, 404, "service_code: 'parking' is not a service here")
    as_json, as_xml = both(http, "services.{format}?jurisdiction_id=qingdao.gov.cn")
    assert xml_errors(as_xml, 404) == open311_error(as_json, 404, "jurisdiction_id")


@pytest.mark.parametrize(("method", "path", "mentions"), [
    ("GET", "services.yaml", ".yaml"),
    ("GET", "services", "no format"),
    ("GET", "services.", "services."),
    ("GET", "services/help.csv", ".csv"),
    ("GET", "services/help", "no format"),
    ("GET", f"requests/370200-0000001.csv?api_key={HOTLINE_KEY}", ".csv"),
    ("GET", "requests/370200-0000001?api_key=guess", "no format"),  # no format: not even the key is looked at
    ("GET", f"requests.yaml?api_key={HOTLINE_KEY}", ".yaml"),
    ("GET", "requests", "no format"),
    ("GET", "tokens.json", "not a GeoReport v2 document"),
    ("POST", "requests.yaml", ".yaml"),
    ("POST", "requests", "no format"),
    ("POST", "services.xml", "not a GeoReport v2 document"),
])
def test_unknown_formats_are_404_problems(http, channels, method, path, mentions):
    kwargs = form(**submission()) if method == "POST" else {}
    response = (http.post if method == "POST" else http.get)(f"{BASE}/{path}", **kwargs)
    problem = assert_problem(response, 404)
    assert problem["code"] == "not_found" and mentions in problem["detail"], problem
    assert problem["instance"] == f"{BASE}/{path.split('?')[0]}"


# -- channels --------------------------------------------------------------------------------------
def test_another_channels_request_is_absent_in_xml_too(http, channels):
    request_id = created(post(http, **submission()))
    as_json, as_xml = both(http, f"requests/{request_id}.{{format}}" + keyed(LAOSHAN_KEY))
    assert xml_errors(as_xml, 404) == open311_error(as_json, 404, "service_request_id")
    for params in ({"service_request_id": request_id}, {}):
        as_json, as_xml = both(http, "requests.{format}" + keyed(LAOSHAN_KEY, **params))
        assert json_answer(as_json) == []
        assert_same_list(xml_answer(as_xml), "service_requests", "request", [])
    assert [r.findtext("service_request_id") for r in xml_answer(http.get(f"{BASE}/requests.xml" + keyed()))] == [request_id]


# -- the serialiser --------------------------------------------------------------------------------
def test_text_xml_cannot_carry_is_replaced_not_sent(open311):
    """A vertical tab is accepted in a description; XML 1.0 has no way to carry it, so it reads U+FFFD."""
    document = open311.xml_document("errors", [{"code": 400, "description": "甲\x0b乙\r\n丙 <&>"}])
    assert ET.fromstring(document.encode("utf-8")).findtext("error/description") == "甲\ufffd乙\r\n丙 <&>"


def test_the_openapi_document_has_one_route_per_document_kind(http, channels):
    document = json.loads(http.get("/api/openapi.json").body)
    paths = {p: sorted(ops) for p, ops in document["paths"].items() if p.startswith(BASE)}
    assert paths == {f"{BASE}/{{document}}": ["get", "post"], f"{BASE}/requests/{{request_file}}": ["get"],
                     f"{BASE}/services/{{service_file}}": ["get"]}
    get = document["paths"][f"{BASE}/{{document}}"]["get"]
    assert "services.xml" in get["summary"] and "requests.xml" in get["summary"]
    assert {p["name"] for p in get["parameters"]} >= {"document", "api_key", "service_request_id", "jurisdiction_id"}
    listed = document["components"]["schemas"][get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
                                                .rsplit("/", 1)[1]]
    assert {option["items"]["$ref"].rsplit("/", 1)[1] for option in listed["anyOf"]} == {"ServiceOut", "ServiceRequestOut"}
    assert "404" in document["paths"][f"{BASE}/{{document}}"]["post"]["responses"]


# -- a stock client, over real HTTP ----------------------------------------------------------------
def _fetch(url: str, data: dict | None = None) -> tuple[int, str, bytes]:
    body = urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=30) as response:
            return response.status, response.headers.get("Content-Type"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type"), error.read()


def test_georeport_client_speaks_xml(server, clock):
    """`georeport` (PyPI) unchanged, with output_format="xml": it parses our XML with xmltodict."""
    georeport = pytest.importorskip("georeport")
    import requests

    status, content_type, raw = _fetch(f"{server}/requests.xml", submission())
    assert (status, content_type) == (200, XML_TYPE), raw
    first = ET.fromstring(raw).findtext("request/service_request_id")
    status, _, raw = _fetch(f"{server}/requests.xml", submission(service_code="consultation", description="请问高新技术企业认定的申报材料有哪些？"))
    second = ET.fromstring(raw).findtext("request/service_request_id")

    client = georeport.GeoReport(server, output_format="xml")
    json_services = json.loads(_fetch(f"{server}/services.json")[2])
    assert client.get_service_list() == [{k: as_text(v) for k, v in s.items()} for s in json_services]
    assert client.get_service_definition("help") == {"service_code": "help", "attributes": None}

    original = requests.Session.request

    def with_key(self, method, url, params=None, **kwargs):
        return original(self, method, url, params={**(params or {}), "api_key": HOTLINE_KEY}, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(requests.Session, "request", with_key)
        (json_first,) = json.loads(_fetch(f"{server}/requests/{first}.json?" + urlencode({"api_key": HOTLINE_KEY}))[2])
        assert client.get_service_request(first) == {k: as_text(v) for k, v in json_first.items()}
        both_ids = client.get_service_requests(service_request_id=f"{first},{second}")
        assert [r["service_request_id"] for r in both_ids] == [first, second]
        assert both_ids[1]["service_name"] == "咨询" and both_ids[1]["agency_responsible"] is None
    with pytest.raises(requests.HTTPError):
        client.get_service_request(first)  # no key: 403, in XML
    status, content_type, raw = _fetch(f"{server}/requests/{first}.xml")
    assert (status, content_type) == (403, XML_TYPE)
    assert ET.fromstring(raw).findtext("error/description") == "api_key: is required"
