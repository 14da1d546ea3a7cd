"""Open311 GeoReport v2 for external intake channels (the 12345 hotline, district systems).

A stock GeoReport v2 client works unchanged against `/api/open311/v2/`, in either of the spec's
formats: paths end in `.json` (JSON answers) or `.xml` (the spec's XML, text/xml, UTF-8), `POST
requests.{json,xml}` is form-encoded with `api_key` as a form field, and errors are Open311's
`[{"code": 400, "description": "<field>: <message>"}]` (XML: `<errors><error><code/><description/>`)
with the same HTTP status. Both formats carry the same data (`xml_document` renders the JSON answer).
A path with no format or another one (`services`, `services.yaml`) is a 404 problem+json.
Every request enters the platform through the one appeal intake, `service.submit`, as the
channel's machine principal (role "staff", like intake staff). See README-open311.md.

Routes (all under /api/open311/v2; every one as .json and as .xml)
| route                        | key            | answer (XML root) |
|------------------------------|----------------|--------|
| GET services.json            | none (public)  | the six services below (`<services><service>`) |
| GET services/{code}.json     | none (public)  | `{"service_code", "attributes": []}` (metadata=false) (`<service_definition>`) |
| POST requests.json           | form `api_key` | `[{"service_request_id", "service_notice", "account_id": null}]` (`<service_requests><request>`) |
| GET requests.json            | query `api_key`| the key's channel's requests (extension: the spec needs no key here; our data is not public) |
| GET requests/{id}.json       | query `api_key`| a list of one; 404 for another channel's request |
services.* and requests.* are one route, `{document}` (GET and POST), since a Chalice path parameter
is a whole segment; services/{service_file} and requests/{request_file} take either extension.

Services (service_code = the appeal category, stable)
| service_code              | service_name          | group        |
|---------------------------|-----------------------|--------------|
| consultation              | 咨询                  | 企业诉求     |
| help                      | 求助                  | 企业诉求     |
| complaint                 | 投诉                  | 企业诉求     |
| suggestion                | 意见建议              | 企业诉求     |
| report                    | 举报                  | 举报与线索   |
| business_environment_clue | 损害营商环境问题线索  | 举报与线索   |

POST fields → `Submission`
| Open311 field                 | platform                                                         |
|-------------------------------|------------------------------------------------------------------|
| api_key                       | the channel (Open311Channel): channel, district, principal       |
| service_code                  | category                                                         |
| description (required)        | content; title = its first 30 characters (or the `title` extension field) |
| first_name, last_name         | contact name (Chinese order 姓名 when either part is CJK)        |
| phone                         | contact phone. Name and phone are required, except for report / business_environment_clue sent with neither: those are anonymous |
| account_id                    | enterprise_uscc (checked with parse_uscc; a bad one is a 400 naming account_id); it enables the duplicate merge |
| jurisdiction_id               | district: a division code within the channel's district and this stage (default: the channel's district) |
| address_string, address_id, lat, long | appended to the content as lines 【地址】/【地址编号】/【坐标】 (the handling unit sees them); kept on the link item and answered back |
| media_url                     | attachments[0]                                                   |
| requested_datetime (extension)| received_at (when the call or visit happened; ISO 8601, +08:00 assumed without offset) |
| email, device_id              | accepted, not stored (the appeal has no such fields)            |

Statuses: our `closed` and `merged` → `closed`; every other status → `open`. `status_notes` says the
status in plain Chinese (with the preliminary opinion / resolution when there is one);
`agency_responsible` is the lead unit's Chinese name; `expected_datetime` is the `resolve_by`
deadline; `requested_datetime` is received_at, else submitted_at; every time is ISO 8601 +08:00.
`service_request_id` is the platform ticket number ("370200-0000042"), the number a hotline reads out.

Access patterns (every read is a GetItem or a Query)
| pattern                                     | key / index                                                  | call |
|---------------------------------------------|--------------------------------------------------------------|------|
| the channel of an API key                   | open311-channels: `key_hash` = sha256(api_key)               | GetItem |
| every registered channel (admin list)       | GSI `registry-index`: `registry` = "open311" (constant), `channel_id` | Query |
| one channel by its id (disable, rotate)     | GSI `registry-index`: `registry`, `channel_id` = id; then `key_hash`  | Query + GetItem (consistent) |
| one request of a channel (ownership)        | open311-requests: `channel_key`, `service_request_id`        | GetItem / BatchGet |
| a channel's requests in a date range        | LSI `requested-index`: `channel_key`, `requested_at` between | Query |
| the appeals, deadlines and merge targets    | appeals / sla-clocks (`appeal#{id}`, "resolve_by")           | BatchGet |
A channel is (channel, district): its `channel_key` is "hotline_12345@370200"; a rotated key of the
same channel sees the same requests, another channel's key sees none of them.

A channel's one item is its current key's: `channel_id` (stable, "och-…"; the demo ones "demo-…")
names it across key rotations, which replace the item (delete the old key's, put the new key's, one
transaction), so an old key stops working at once. Every item carries `registry`, the one partition
of the admin list (a channel registry is dozens of items: one partition is no hot key). Items
written before channel ids existed have neither attribute: the seed fills in the demo ones (keys
were issued only as demo keys before the admin API). Admin use cases: functions/appeals/channels.py.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import secrets
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field, RootModel
from pynamodb.attributes import BooleanAttribute, UnicodeAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, LocalSecondaryIndex
from pynamodb.models import Model

from functions.appeals import service
from functions.appeals.models import (
    CLOSED,
    DISPATCHED,
    IN_PROGRESS,
    MERGED,
    PENDING_DISPATCH,
    RESOLVED,
    Appeal,
)
from functions.appeals.vocabulary import CATEGORIES, CONFIDENTIAL_CATEGORIES, INTAKE_CHANNELS, LEAD_CLOCKS
from functions.calendar.models import SlaClock, shanghai_iso, utc_stamp
from functions.identity.principal import STAFF, Principal
from functions.refdata.directory import units
from functions.refdata.divisions import covers, parse_division
from functions.refdata.uscc import parse_uscc
from functions.settings import get_settings
from functions.shared.clock import SHANGHAI, get_clock, isoformat_utc
from functions.shared.errors import FieldError, ValidationFailed
from functions.shared.models import BaseMeta, put_if_absent, table_name
from functions.shared.schemas import Schema, dump

BASE = "/open311/v2"
JSON_TYPE = "application/json; charset=utf-8"

# Demo keys, for local and dev stages only (seeded by `seed_open311_channels`). Production keys are
# made with `create_channel`, handed to the channel once, and only their sha256 is stored.
DEMO_KEYS: dict[str, tuple[str, str, str]] = {
    "hotline-12345-demo-key": ("hotline_12345", "370200", "12345政务服务便民热线"),
    "laoshan-district-demo-key": ("district_window", "370212", "崂山区政务服务大厅"),
}

TITLE_CHARS = 30
MAX_DESCRIPTION = 4500  # leaves room in the appeal's 5,000 characters for the location lines
MAX_IDS = 50  # service_request_id values in one GET requests.json
MAX_RESULTS = 1000  # the spec's cap on one GET requests.json answer
MAX_RANGE = timedelta(days=90)  # the spec's default and widest date range


@dataclass(frozen=True)
class ServiceType:
    code: str
    name: str
    description: str
    keywords: str
    group: str


# The service list is the appeal categories (names and descriptions from vocabulary.py), with what
# only Open311 clients see: search keywords and the group, in the order hotline software lists them.
_OPEN311_TERMS = {
    "consultation": ("政策,办事,流程,咨询", "企业诉求"),
    "help": ("困难,求助,帮办,资金,用工", "企业诉求"),
    "complaint": ("投诉,服务,态度,推诿", "企业诉求"),
    "suggestion": ("意见,建议,营商环境", "企业诉求"),
    "report": ("举报,违法,违规", "举报与线索"),
    "business_environment_clue": ("营商环境,线索,吃拿卡要,乱收费", "举报与线索"),
}
SERVICES: tuple[ServiceType, ...] = tuple(
    ServiceType(code, CATEGORIES[code].zh, CATEGORIES[code].description, keywords, group)
    for code, (keywords, group) in _OPEN311_TERMS.items()
)
SERVICE_BY_CODE = {s.code: s for s in SERVICES}
DEADLINES_NOTICE = "办理时限：" + "，".join(clock.zh for clock in LEAD_CLOCKS)

# Where a field named by the appeal service comes from in the Open311 form.
FIELD_NAMES = {
    "category": "service_code",
    "title": "description",
    "content": "description",
    "district": "jurisdiction_id",
    "channel": "api_key",
    "received_at": "requested_datetime",
    "enterprise_uscc": "account_id",
    "contact": "first_name/last_name, phone",
    "contact.phone": "phone",
    "anonymous": "first_name/last_name, phone",
    "attachments": "media_url",
}


# -- tables ----------------------------------------------------------------------------------------
REGISTRY = "open311"  # the one partition of registry-index: every channel of the stage


class RegistryIndex(GlobalSecondaryIndex):
    """Every channel, by id: the admin list and the lookups behind disable, enable and rotate."""

    class Meta:
        index_name = "registry-index"
        projection = AllProjection()

    registry = UnicodeAttribute(hash_key=True)
    channel_id = UnicodeAttribute(range_key=True)


class Open311Channel(Model):
    """The current API key of an intake channel. Only the key's sha256 is stored, never the key."""

    class Meta(BaseMeta):
        table_name = table_name("open311-channels")

    key_hash = UnicodeAttribute(hash_key=True)
    channel = UnicodeAttribute()  # hotline_12345 | district_window | department | onsite
    district = UnicodeAttribute()  # division code the channel serves; 370200 is the whole city
    display_name = UnicodeAttribute()
    enabled = BooleanAttribute(default=True)
    created_at = UnicodeAttribute()
    # Absent on items written before channels had ids (the seed fills in the demo ones).
    channel_id = UnicodeAttribute(null=True)
    registry = UnicodeAttribute(null=True)
    key_rotated_at = UnicodeAttribute(null=True)
    registry_index = RegistryIndex()

    @property
    def channel_key(self) -> str:
        return f"{self.channel}@{self.district}"

    def principal(self) -> "ChannelPrincipal":
        """The machine principal the channel submits as: intake staff of the channel."""
        return ChannelPrincipal(sub=f"open311:{self.channel_key}", role=STAFF, org_id=f"channel:{self.channel}",
                                district=self.district, name=self.display_name, channel=self)


@dataclass(frozen=True)
class ChannelPrincipal(Principal):
    """An Open311 channel as the caller: the principal its verified key names (open311_routes'
    Open311KeyAuthenticator), carrying the channel the views read (channel_key, district)."""

    channel: Open311Channel | None = field(default=None, compare=False, hash=False, repr=False)


class RequestedIndex(LocalSecondaryIndex):
    class Meta:
        index_name = "requested-index"
        projection = AllProjection()

    channel_key = UnicodeAttribute(hash_key=True)
    requested_at = UnicodeAttribute(range_key=True)


class Open311Request(Model):
    """A request that came in through a channel: which appeal it became, and what Open311 said
    about it that the appeal does not keep (its location fields). Written in the submit transaction."""

    class Meta(BaseMeta):
        table_name = table_name("open311-requests")

    channel_key = UnicodeAttribute(hash_key=True)
    service_request_id = UnicodeAttribute(range_key=True)  # the ticket number
    appeal_id = UnicodeAttribute()
    service_code = UnicodeAttribute()
    requested_at = UnicodeAttribute()  # utc_stamp: received_at, else submitted_at
    location_note = UnicodeAttribute(null=True)  # the lines appended to the content
    address_string = UnicodeAttribute(null=True)
    address_id = UnicodeAttribute(null=True)
    lat = UnicodeAttribute(null=True)
    long = UnicodeAttribute(null=True)
    media_url = UnicodeAttribute(null=True)
    requested_index = RequestedIndex()


def hash_key(api_key: str) -> str:
    return hashlib.sha256(api_key.strip().encode("utf-8")).hexdigest()


def _check_channel(channel: str, district: str, display_name: str) -> None:
    if channel not in INTAKE_CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(INTAKE_CHANNELS)}")
    parse_division(district, "district")
    if not display_name.strip():
        raise ValueError("display_name is required")


def new_api_key() -> str:
    return secrets.token_urlsafe(32)


def new_channel_id() -> str:
    return "och-" + secrets.token_hex(6)


def demo_channel_id(channel: str, district: str) -> str:
    return f"demo-{channel}-{district}"


def channel_item(api_key: str, channel_id: str, channel: str, district: str, display_name: str,
                 created_at: str, enabled: bool = True) -> Open311Channel:
    return Open311Channel(key_hash=hash_key(api_key), channel_id=channel_id, registry=REGISTRY, channel=channel,
                          district=district, display_name=display_name, enabled=enabled, created_at=created_at)


def add_channel(api_key: str, channel: str, district: str, display_name: str, enabled: bool = True,
                channel_id: str | None = None) -> bool:
    """Register a key (conditional put): True if created, False if that key already exists."""
    _check_channel(channel, district, display_name)
    item = channel_item(api_key, channel_id or new_channel_id(), channel, district, display_name,
                        isoformat_utc(get_clock().now()), enabled)
    return put_if_absent(item, Open311Channel.key_hash)


def create_channel(channel: str, district: str, display_name: str) -> str:
    """Issue a new random key for a channel and return it; it is shown this once, never stored.
    Scripts only: the admin API (channels.create_channel) also audits it."""
    api_key = new_api_key()
    add_channel(api_key, channel, district, display_name)
    return api_key


def _fill_in_registry(api_key: str, channel: str, district: str) -> None:
    """A demo item written before channels had ids gets its id and registry partition (once)."""
    item = Open311Channel(key_hash=hash_key(api_key))
    try:
        item.update([Open311Channel.channel_id.set(demo_channel_id(channel, district)),
                     Open311Channel.registry.set(REGISTRY)],
                    condition=Open311Channel.key_hash.exists() & Open311Channel.channel_id.does_not_exist())
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def seed_open311_channels() -> int:
    """The demo channels of DEMO_KEYS (local and dev stages): conditional puts, so a rerun creates none,
    and demo items from before channel ids get theirs."""
    created = 0
    for key, (channel, district, display_name) in DEMO_KEYS.items():
        if add_channel(key, channel, district, display_name, channel_id=demo_channel_id(channel, district)):
            created += 1
        else:
            _fill_in_registry(key, channel, district)
    return created


# -- schemas ----------------------------------------------------------------------------------------
class _Permissive(BaseModel):
    """Open311 inputs: everything optional text, unknown fields kept (attribute[...], extensions).

    The view validates and answers Open311 errors itself; the toolkit's 422 problem+json never fires."""

    model_config = ConfigDict(extra="allow", defer_build=True)


class DiscoveryQuery(_Permissive):
    jurisdiction_id: str | None = None


class RequestForm(_Permissive):
    api_key: str | None = None
    jurisdiction_id: str | None = None
    service_code: str | None = None
    lat: str | None = None
    long: str | None = None
    address_string: str | None = None
    address_id: str | None = None
    email: str | None = None
    device_id: str | None = None
    account_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    description: str | None = None
    media_url: str | None = None
    title: str | None = None  # extension: the appeal's title
    requested_datetime: str | None = None  # extension: when the call or visit happened


_REQUESTS_ONLY = "requests.json / requests.xml only (services.* ignores it): "


class RequestsQuery(_Permissive):
    """The query of GET {document}: services.* reads jurisdiction_id, requests.* all of it."""

    api_key: str | None = Field(None, description=_REQUESTS_ONLY + "the channel's key (required)")
    jurisdiction_id: str | None = None
    service_request_id: str | None = Field(None, description=_REQUESTS_ONLY + f"ids, comma-separated, at most {MAX_IDS}")
    service_code: str | None = Field(None, description=_REQUESTS_ONLY + "service codes, comma-separated")
    start_date: str | None = Field(None, description=_REQUESTS_ONLY + "ISO 8601; the range is at most 90 days")
    end_date: str | None = Field(None, description=_REQUESTS_ONLY + "ISO 8601; default now")
    status: str | None = Field(None, description=_REQUESTS_ONLY + "open, closed, or open,closed")


class RequestQuery(_Permissive):
    api_key: str | None = None
    jurisdiction_id: str | None = None


class ServiceOut(Schema):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class ServiceDefinitionOut(Schema):
    service_code: str
    attributes: list[dict[str, Any]]


class CreatedOut(Schema):
    service_request_id: str
    service_notice: str | None
    account_id: str | None


class ServiceRequestOut(Schema):
    service_request_id: str
    status: str
    status_notes: str | None
    service_name: str
    service_code: str
    description: str
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str
    expected_datetime: str | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


class DocumentOut(RootModel[list[ServiceOut] | list[ServiceRequestOut]]):
    """GET {document}: services.json / services.xml, or requests.json / requests.xml (OpenAPI only)."""

    model_config = ConfigDict(defer_build=True)


# -- formats ---------------------------------------------------------------------------------------
FORMATS = ("json", "xml")
# text/xml, as the Open311 wiki's GeoReport documentation has it ("Format Support": a GET of
# /services.xml gives text/xml output; every text answer UTF-8, said in the header). RFC 7303 makes
# text/xml and application/xml the same once the charset is stated, so a client expecting either reads it.
XML_TYPE = "text/xml; charset=utf-8"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'  # required by the spec before the root element
# List items in GeoReport v2 XML: <service_requests><request>; every other list names its items by
# the singular: <services><service>, <errors><error>, <attributes><attribute>, <values><value>.
_XML_ITEM = {"service_requests": "request"}
# What XML 1.0 cannot carry at all (C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_element(name: str, value: Any) -> ET.Element:
    element = ET.Element(name)
    if isinstance(value, dict):
        element.extend(_xml_element(key, item) for key, item in value.items())
    elif isinstance(value, list):
        item = _XML_ITEM.get(name) or (name[:-1] if name.endswith("s") else "item")
        element.extend(_xml_element(item, entry) for entry in value)
    elif value is not None:  # None: an empty element, like the spec's <account_id/>
        text = value if isinstance(value, str) else json.dumps(value)  # true/false, numbers: as in JSON
        element.text = _NOT_XML.sub("\ufffd", text)
    return element


def xml_document(root: str, value: Any) -> str:
    """The GeoReport v2 XML of an answer: output models (or a list of them, or their JSON data) under
    `root`, one element per field in the models' order, so it says what the JSON answer says."""
    body = ET.tostring(_xml_element(root, dump(value)), encoding="unicode")
    # ElementTree leaves a carriage return as it is, and XML parsers read it as a line feed: escape it,
    # so a description sent with CRLF line ends reads back as it does in JSON.
    return XML_DECLARATION + body.replace("\r", "&#13;")


# -- errors ----------------------------------------------------------------------------------------
class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str):
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = descriptions


# -- helpers ---------------------------------------------------------------------------------------
def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def authenticate(api_key: str | None) -> Open311Channel:
    """The channel of this key (one GetItem), or 403 as GeoReport v2 prescribes for a missing or bad key.
    Routes do not call it: their authenticator does (open311_routes.Open311KeyAuthenticator)."""
    api_key = _text(api_key)
    if api_key is None:
        raise Open311Error(403, "api_key: is required")
    try:
        channel = Open311Channel.get(hash_key(api_key))
    except Open311Channel.DoesNotExist:
        raise Open311Error(403, "api_key: is not valid") from None
    if not channel.enabled:
        raise Open311Error(403, "api_key: this channel is disabled")
    return channel


def _jurisdiction_problem(code: str, channel: Open311Channel | None) -> str | None:
    stage = get_settings().division_code
    if not covers(stage, code):
        return f"{code} is not served here (this endpoint serves {stage})"
    if channel is not None and not covers(channel.district, code):
        return f"{code} is outside this channel's district {channel.district}"
    return None


def _jurisdiction(value: str | None, channel: Open311Channel | None, status: int) -> str | None:
    """A division code served by this stage (and within the channel's district), or an Open311
    error with `status`: 404 on the GETs ("jurisdiction_id was not found"), 400 on the POST."""
    value = _text(value)
    if value is None:
        return None
    try:
        code = parse_division(value, "jurisdiction_id")
    except ValidationFailed as error:
        raise Open311Error(status, f"jurisdiction_id: {error.errors[0].message}") from None
    problem = _jurisdiction_problem(code, channel)
    if problem:
        raise Open311Error(status, f"jurisdiction_id: {problem}")
    return code


def _parse_time(value: str, field_name: str, errors: list[FieldError]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        errors.append(FieldError(field_name, "must be an ISO 8601 date-time, e.g. 2026-11-20T09:30:00+08:00"))
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=SHANGHAI)


def _is_cjk(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CJK") for ch in text)


def _contact_name(first: str | None, last: str | None) -> str | None:
    if first and last:
        return f"{last}{first}" if _is_cjk(first + last) else f"{first} {last}"
    return first or last


def _title(description: str) -> str:
    flat = " ".join(description.split())
    return flat if len(flat) <= TITLE_CHARS else flat[:TITLE_CHARS] + "…"


def _coordinate(value: str | None, name: str, bound: float, errors: list[FieldError]) -> str | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or abs(number) > bound:
        errors.append(FieldError(name, f"must be a decimal degree between -{bound:g} and {bound:g}"))
        return None
    return repr(round(number, 7))


@dataclass
class _Intake:
    submission: service.Submission
    link: dict[str, Any]


def _read_form(form: RequestForm, channel: Open311Channel, now: datetime) -> _Intake:
    errors: list[FieldError] = []
    code = _text(form.service_code)
    if code is None:
        errors.append(FieldError("service_code", "is required"))
    elif code not in SERVICE_BY_CODE:
        errors.append(FieldError("service_code", f"{code!r} is not a service here; GET services.json lists them"))
    description = _text(form.description)
    if description is None:
        errors.append(FieldError("description", "is required"))
    elif not 2 <= len(description) <= MAX_DESCRIPTION:
        errors.append(FieldError("description", f"must be 2 to {MAX_DESCRIPTION} characters"))
    title = _text(form.title)
    if title is not None and not 2 <= len(title) <= 200:
        errors.append(FieldError("title", "must be 2 to 200 characters"))
    first, last, phone = _text(form.first_name), _text(form.last_name), _text(form.phone)
    name = _contact_name(first, last)
    if name is not None and len(name) > 50:
        errors.append(FieldError("first_name/last_name", "the name is at most 50 characters"))
    if phone is not None and not 5 <= len(phone) <= 20:
        errors.append(FieldError("phone", "must be 5 to 20 characters"))
    confidential = code in CONFIDENTIAL_CATEGORIES
    anonymous = confidential and name is None and phone is None
    if not anonymous:
        hint = " (a report or clue may leave out both name and phone to stay anonymous)" if confidential else ""
        if name is None:
            errors.append(FieldError("first_name/last_name", f"the contact's name is required{hint}"))
        if phone is None:
            errors.append(FieldError("phone", f"the contact's phone is required{hint}"))
    uscc = _text(form.account_id)
    if uscc is not None:
        try:
            uscc = parse_uscc(uscc, "account_id")
        except ValidationFailed as error:
            errors += error.errors
    lat, long = _text(form.lat), _text(form.long)
    if (lat is None) != (long is None):
        errors.append(FieldError("lat/long", "give both lat and long, or neither"))
    lat = _coordinate(lat, "lat", 90, errors)
    long = _coordinate(long, "long", 180, errors)
    address, address_id = _text(form.address_string), _text(form.address_id)
    if address is not None and len(address) > 300:
        errors.append(FieldError("address_string", "is at most 300 characters"))
    if address_id is not None and len(address_id) > 100:
        errors.append(FieldError("address_id", "is at most 100 characters"))
    media_url = _text(form.media_url)
    if media_url is not None and (not media_url.lower().startswith(("https://", "http://")) or len(media_url) > 500):
        errors.append(FieldError("media_url", "must be an http(s) URL of at most 500 characters"))
    received_at = None
    if _text(form.requested_datetime):
        received_at = _parse_time(form.requested_datetime, "requested_datetime", errors)
    district = channel.district
    if _text(form.jurisdiction_id):
        try:
            district = parse_division(form.jurisdiction_id, "jurisdiction_id")
            problem = _jurisdiction_problem(district, channel)
            if problem:
                errors.append(FieldError("jurisdiction_id", problem))
        except ValidationFailed as error:
            errors += error.errors
    if errors:
        raise ValidationFailed(errors)

    lines = []
    if address:
        lines.append(f"【地址】{address}")
    if address_id:
        lines.append(f"【地址编号】{address_id}")
    if lat is not None:
        lines.append(f"【坐标】纬度 {lat}，经度 {long}")
    note = ("\n\n" + "\n".join(lines)) if lines else None
    submission = service.Submission(
        category=code, title=title or _title(description), content=description + (note or ""), district=district,
        channel=channel.channel, contact_name=None if anonymous else name, contact_phone=None if anonymous else phone,
        received_at=received_at, enterprise_uscc=uscc, anonymous=anonymous,
        attachments=(media_url,) if media_url else (),
    )
    link = {"service_code": code, "requested_at": utc_stamp(received_at or now), "location_note": note,
            "address_string": address, "address_id": address_id, "lat": lat, "long": long, "media_url": media_url}
    return _Intake(submission, link)


# -- presenting ------------------------------------------------------------------------------------
def open311_status(status: str) -> str:
    return "closed" if status in (CLOSED, MERGED) else "open"


def status_notes(appeal: Appeal, unit_name: str | None, merged_into: str | None) -> str:
    unit = unit_name or "承办单位"
    if appeal.status == PENDING_DISPATCH:
        return "已受理，正在分派承办单位"
    if appeal.status == DISPATCHED:
        return f"已分派至{unit}，待签收"
    if appeal.status == IN_PROGRESS:
        return f"{unit}正在办理" + (f"；初步意见：{appeal.feedback_text}" if appeal.feedback_text else "")
    if appeal.status == RESOLVED:
        return f"{unit}已办理完毕，待反映人确认；办理结果：{appeal.resolution or ''}"
    if appeal.status == CLOSED:
        how = "反映人未在期限内确认，自动办结" if appeal.closed_reason == "auto_closed" else "已办结"
        return how + (f"；办理结果：{appeal.resolution}" if appeal.resolution else "")
    if appeal.status == MERGED:
        return f"与工单 {merged_into or '（在办工单）'} 为同一事项，已合并办理，进度以该工单为准"
    return appeal.status


def _merged_notice(ticket: str | None) -> str:
    return f"与在办工单 {ticket} 为同一事项，已合并办理，进度以该工单为准"


def _updated(appeal: Appeal) -> str:
    stamps = [appeal.submitted_at, appeal.received_at, appeal.dispatched_at, appeal.accepted_at, appeal.contacted_at,
              appeal.feedback_at, appeal.resolved_at, appeal.closed_at]
    return max(s for s in stamps if s)


def present(links: list[Open311Request], keep: Callable[[Appeal], bool] | None = None) -> list[ServiceRequestOut]:
    """The requests of these link items (those whose appeal passes `keep`), in their order: BatchGets
    of the appeals, their resolve_by deadlines and (for merged ones) the tickets they were merged into."""
    if not links:
        return []
    appeals = {a.appeal_id: a for a in Appeal.batch_get(list(dict.fromkeys(link.appeal_id for link in links)))}
    if keep is not None:
        appeals = {i: a for i, a in appeals.items() if keep(a)}
    open_ids = [i for i, a in appeals.items() if open311_status(a.status) == "open"]
    deadlines = {c.owner: c.due for c in SlaClock.batch_get([(service.owner(i), "resolve_by") for i in open_ids])} \
        if open_ids else {}
    targets = list(dict.fromkeys(a.duplicate_of for a in appeals.values() if a.status == MERGED and a.duplicate_of))
    merged_into = {a.appeal_id: a.ticket_no for a in Appeal.batch_get(targets, attributes_to_get=["appeal_id", "ticket_no"])} \
        if targets else {}
    names = units.names()
    out = []
    for link in links:
        appeal = appeals.get(link.appeal_id)
        if appeal is None:  # filtered out by `keep`
            continue
        unit_name = names.get(appeal.assignee_unit or "")
        content = appeal.content
        if link.location_note and content.endswith(link.location_note):
            content = content[: -len(link.location_note)]
        status = open311_status(appeal.status)
        target = merged_into.get(appeal.duplicate_of or "")
        if appeal.status == MERGED:
            notice = _merged_notice(target)
        elif status == "open":
            notice = DEADLINES_NOTICE
        else:
            notice = None
        service_type = SERVICE_BY_CODE.get(appeal.category)
        out.append(ServiceRequestOut(
            service_request_id=link.service_request_id,
            status=status,
            status_notes=status_notes(appeal, unit_name, target),
            service_name=service_type.name if service_type else appeal.category,
            service_code=appeal.category,
            description=content,
            agency_responsible=unit_name,
            service_notice=notice,
            requested_datetime=shanghai_iso(appeal.received_at or appeal.submitted_at),
            updated_datetime=shanghai_iso(_updated(appeal)),
            expected_datetime=shanghai_iso(deadlines.get(service.owner(appeal.appeal_id))),
            address=link.address_string,
            address_id=link.address_id,
            zipcode=None,
            lat=float(link.lat) if link.lat else None,
            long=float(link.long) if link.long else None,
            media_url=link.media_url,
        ))
    return out


# -- a channel's requests --------------------------------------------------------------------------
def link_request(uow: Any, channel: Open311Channel, ticket_no: str, appeal_id: str, link: dict[str, Any]) -> None:
    """Record, in the submit transaction, which appeal a channel's request became (`_Intake.link`)."""
    uow.put(
        Open311Request(channel_key=channel.channel_key, service_request_id=ticket_no, appeal_id=appeal_id, **link),
        Open311Request.service_request_id.does_not_exist(),
        label="open311-request",
    )


def request_of(channel: Open311Channel, request_id: str) -> Open311Request:
    """One request of this channel (a GetItem); another channel's is as absent as one that never existed."""
    try:
        return Open311Request.get(channel.channel_key, request_id)
    except Open311Request.DoesNotExist:
        raise Open311Error(404, f"service_request_id: no request {request_id} from this channel") from None


def requests_by_ids(channel: Open311Channel, ids: list[str]) -> list[Open311Request]:
    """This channel's requests of these ids, in their order (a BatchGet); other channels' are absent."""
    unique = list(dict.fromkeys(ids))
    keys = [(channel.channel_key, i) for i in unique]
    found = {link.service_request_id: link for link in Open311Request.batch_get(keys)}
    return [found[i] for i in unique if i in found]


def requests_between(channel: Open311Channel, window: tuple[str, str], codes: list[str]) -> list[Open311Request]:
    """This channel's requests with requested_at in `window` (utc_stamps), of these service codes (all
    if none), newest first, at most MAX_RESULTS: one Query of the requested-index."""
    condition = Open311Request.requested_at.between(*window)
    filter_condition = Open311Request.service_code.is_in(*codes) if codes else None
    return list(Open311Request.requested_index.query(channel.channel_key, condition, filter_condition,
                                                     scan_index_forward=False, limit=MAX_RESULTS))
