"""Open311 GeoReport v2 routes under /api/open311/v2 (the mapping and models: functions/appeals/open311.py).

Every document comes in both of GeoReport v2's formats, named by the path's extension: services.json
and services.xml, services/{code}.json and .xml, requests.json and requests.xml (GET and POST),
requests/{id}.json and .xml. The views answer JSON; a .xml path gets that same answer, success or
Open311 error, as GeoReport v2 XML (see Open311Blueprint). A path with no format or an unknown one
is not an Open311 document at all: 404 problem+json, whatever else is wrong with the request.

The channel's routes take its key through the toolkit: `authenticator=Open311KeyAuthenticator(...)`
reads `api_key` (the form field of a POST, the query parameter of a GET) and names the channel's
principal before the unit of work is opened, so every record of the request names the channel.
"""
from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any, Callable

from chalice import Response

from functions.appeals import service
from functions.appeals.open311 import (
    BASE,
    FORMATS,
    CreatedOut,
    DiscoveryQuery,
    DocumentOut,
    FIELD_NAMES,
    JSON_TYPE,
    MAX_IDS,
    MAX_RANGE,
    Open311Error,
    RequestForm,
    RequestQuery,
    RequestsQuery,
    SERVICE_BY_CODE,
    SERVICES,
    ServiceDefinitionOut,
    ServiceOut,
    ServiceRequestOut,
    ServiceType,
    XML_TYPE,
    ChannelPrincipal,
    _jurisdiction,
    _merged_notice,
    _parse_time,
    _read_form,
    _text,
    authenticate as channel_of_key,
    link_request,
    open311_status,
    present,
    request_of,
    requests_between,
    requests_by_ids,
    xml_document,
)
from functions.calendar.models import utc_stamp
from functions.refdata.directory import units
from functions.refdata.divisions import covers
from functions.shared.errors import DomainError, FieldError, NotFound, ValidationFailed
from functions.api.routes import ANY_ROLE, BEARER, ApiBlueprint, AuthRequest, Call, Principal, Refusal, Reply

if TYPE_CHECKING:  # table models are the service's (open311.py): a routes module holds none
    from functions.appeals.models import Appeal
    from functions.appeals.open311 import Open311Channel


class Open311Blueprint(ApiBlueprint):
    """A blueprint whose routes end in a format: the last path parameter is `{name}.json` or `{name}.xml`.

    The toolkit runs the views as for any route, and they answer JSON, so POST requests.xml parses,
    commits, retries a lost race and voids an unused ticket number exactly as requests.json does.
    Only then is a .xml path's answer (the document, or the Open311 error list) rendered as XML;
    problem+json answers (unknown format, 401, 415, 409, 500) are the same for both formats.
    """

    def route(self, path: str, **kwargs: Any) -> Callable:
        register = super().route(path, **kwargs)

        def decorator(handler: Callable[..., Response]) -> Callable[..., Response]:
            @functools.wraps(handler)
            def in_format(**params: str) -> Response:
                return _in_format(path, params, handler(**params))

            return register(in_format)

        return decorator


bp = Open311Blueprint(__name__, tag="open311")


def _format_of(name: str) -> str | None:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem and extension.lower() in FORMATS else None


def split_format(name: str, where: str = "") -> str:
    """'370200-0000001.xml' → '370200-0000001'. Without a known format the path names no Open311
    document, so there is no format to refuse it in: NotFound, answered as problem+json."""
    if _format_of(name) is None:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and extension:
            raise NotFound(f"{where}{name}: .{extension} is not a format served here; use .json or .xml")
        raise NotFound(f"{where}{name}: the path names no format; add .json or .xml, e.g. {where}{name}.json")
    return name.rpartition(".")[0]


def _in_format(route: str, params: dict[str, str], response: Response) -> Response:
    """The answer to a .xml path in GeoReport v2 XML: <services>, <service_definition>,
    <service_requests> (GET and POST alike), or <errors> for an Open311 error; same status, same data."""
    name = params.get(route.rsplit("/", 1)[1].strip("{}"), "")
    content_type = next((v for k, v in response.headers.items() if k.lower() == "content-type"), "")
    if _format_of(name) != "xml" or content_type.split(";")[0].strip().lower() != "application/json":
        return response
    if response.status_code >= 400:
        root = "errors"
    elif route.endswith("{service_file}"):
        root = "service_definition"
    elif route.endswith("{document}") and split_format(name) == "services":
        root = "services"
    else:
        root = "service_requests"
    body = response.body.decode("utf-8") if isinstance(response.body, bytes) else response.body
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-type"}
    return Response(xml_document(root, json.loads(body)), status_code=response.status_code,
                    headers={**headers, "Content-Type": XML_TYPE})


def _error_response(status: int, descriptions: list[str] | tuple[str, ...]) -> Response:
    body = [{"code": status, "description": d} for d in descriptions]
    return Response(json.dumps(body, ensure_ascii=False), status_code=status, headers={"Content-Type": JSON_TYPE})


class Open311KeyAuthenticator:
    """An Open311 channel's API key, as GeoReport v2 sends it: the `api_key` form field of a POST
    (the form is read first: a JSON body is a 415), the `api_key` query parameter of a GET. One
    GetItem of the key's sha256 (open311.authenticate); the caller is the channel's machine principal
    (`ChannelPrincipal`). A missing, unknown or disabled key is GeoReport v2's 403, answered as an
    Open311 error list (XML on a .xml path, by Open311Blueprint).

    The toolkit's own checks come first, as on any route (README-open311.md): a bearer token that
    does not verify is a 401 (a raw key sent as a bearer is not taken for a key), a body that is not
    a form a 415. Then `keyed(request)` says whether the request is one of the channel's; it may
    refuse a path that names no document (404 problem+json, before the key is looked at). A request
    that is not keyed is public: anonymous, or whoever a bearer token it carries names.
    """

    name = "open311_api_key"
    scheme: dict[str, Any] = {
        "type": "apiKey",
        "in": "query",
        "name": "api_key",
        "description": "An Open311 channel's key: the api_key query parameter of a GET, the api_key form field "
                       "of POST requests.json / requests.xml (GeoReport v2). A missing, unknown or disabled key "
                       "is a 403 with Open311's error list.",
    }

    def __init__(self, keyed: Callable[[AuthRequest], bool] = lambda request: True):
        self.keyed = keyed

    def authenticate(self, request: AuthRequest) -> Principal | None:
        sent_bearer = request.headers.get("authorization", "").lower().startswith("bearer ")
        bearer = BEARER.authenticate(request) if sent_bearer else None
        _ = (request.query, request.body)  # parsed now: their 415 / 400 come before the path's 404
        if not self.keyed(request):
            return bearer
        fields = request.form if request.form is not None else request.query_params
        try:
            return channel_of_key(fields.get("api_key")).principal()
        except Open311Error as error:
            raise Refusal(_error_response(error.status, error.descriptions)) from None


def _channel(call: Call) -> Open311Channel:
    """The channel whose key the route's authenticator verified."""
    principal = call.principal
    if not isinstance(principal, ChannelPrincipal) or principal.channel is None:
        raise Open311Error(403, "api_key: is required")
    return principal.channel


def open311_errors(view: Callable[[Call], Any]) -> Callable[[Call], Any]:
    """Answer every refusal of the view in Open311's error format instead of problem+json."""

    @functools.wraps(view)
    def wrapper(call: Call, *args: Any):
        try:
            return view(call, *args)
        except Open311Error as error:
            return _error_response(error.status, error.descriptions)
        except ValidationFailed as error:
            return _error_response(400, [f"{FIELD_NAMES.get(e.field, e.field)}: {e.message}" for e in error.errors] or [error.detail])
        except DomainError as error:
            return _error_response(error.status, [error.detail])

    return wrapper


def _service_out(s: ServiceType) -> ServiceOut:
    return ServiceOut(service_code=s.code, service_name=s.name, description=s.description, metadata=False,
                      type="realtime", keywords=s.keywords, group=s.group)


@open311_errors
def services(call: Call):
    _jurisdiction(call.query.jurisdiction_id, None, 404)
    return [_service_out(s) for s in SERVICES]


@bp.api(f"{BASE}/services/{{service_file}}", summary="Open311: one service's definition (services/{code}.json or .xml)",
        query=DiscoveryQuery, response=ServiceDefinitionOut, roles=None, errors=(404,), raw=True, protocol_errors=True)
def service_definition(call: Call):
    return _service_definition(call, split_format(call.params["service_file"], "services/"))


@open311_errors
def _service_definition(call: Call, code: str):
    _jurisdiction(call.query.jurisdiction_id, None, 404)
    if code not in SERVICE_BY_CODE:
        raise Open311Error(404, f"service_code: {code!r} is not a service here")
    # metadata=false for every service: no attributes to fill in.
    return ServiceDefinitionOut(service_code=code, attributes=[])


@open311_errors
def create_request(call: Call):
    # A lost ticket-number race, or a concurrent change of the appeal a duplicate merges onto: run again.
    call.retry_on = {"original"}
    tickets = call.memo.setdefault("tickets", service.TicketBook())
    call.on_abort(tickets.void_unused)
    form: RequestForm = call.body
    # The key was the route's authenticator's: the unit of work names the channel from the start.
    channel = _channel(call)
    intake = _read_form(form, channel, call.now)
    result = service.submit(call.uow, call.principal, intake.submission, tickets, call.client_address)
    appeal = result.appeal
    link_request(call.uow, channel, appeal.ticket_no, appeal.appeal_id, intake.link)
    if result.duplicate_of:
        notice = _merged_notice(result.duplicate_ticket_no)
    else:
        unit = units.names().get(appeal.assignee_unit or "")
        notice = f"已受理，工单号 {appeal.ticket_no}，" + (f"已分派至{unit}办理" if unit else "正在分派承办单位")
    if result.receipt_code:
        notice += f"；回执码 {result.receipt_code}（仅此一次显示，请告知反映人凭此查询办理进度）"
    return Reply([CreatedOut(service_request_id=appeal.ticket_no, service_notice=notice, account_id=None)])


@open311_errors
def list_requests(call: Call):
    query: RequestsQuery = call.query
    channel = _channel(call)
    jurisdiction = _jurisdiction(query.jurisdiction_id, channel, 404)
    errors: list[FieldError] = []
    ids = [i.strip() for i in (query.service_request_id or "").split(",") if i.strip()]
    codes = [c.strip() for c in (query.service_code or "").split(",") if c.strip()]
    statuses = {s.strip().lower() for s in (query.status or "").split(",") if s.strip()}
    if len(ids) > MAX_IDS:
        errors.append(FieldError("service_request_id", f"at most {MAX_IDS} ids in one query"))
    errors += [FieldError("service_code", f"{c!r} is not a service here") for c in codes if c not in SERVICE_BY_CODE]
    if statuses - {"open", "closed"}:
        errors.append(FieldError("status", "must be open, closed, or open,closed"))
    start = _parse_time(query.start_date, "start_date", errors) if _text(query.start_date) else None
    end = _parse_time(query.end_date, "end_date", errors) if _text(query.end_date) else None
    if errors:
        raise ValidationFailed(errors)
    if ids:
        # service_request_id overrides every other filter (GeoReport v2); ids of other channels are simply absent.
        return present(requests_by_ids(channel, ids))
    try:
        end = end or (start + MAX_RANGE if start else call.now)
        start = start or end - MAX_RANGE
        if start > end:
            raise Open311Error(400, "start_date: is after end_date")
        if end - start > MAX_RANGE:
            raise Open311Error(400, "start_date/end_date: the range may not span more than 90 days")
        window = (utc_stamp(start), utc_stamp(end))
    except OverflowError:
        raise Open311Error(400, "start_date/end_date: out of range") from None
    links = requests_between(channel, window, codes)

    def keep(appeal: Appeal) -> bool:
        if statuses and open311_status(appeal.status) not in statuses:
            return False
        return jurisdiction is None or covers(jurisdiction, appeal.district)

    return present(links, keep)


def _request_file(request: AuthRequest) -> bool:
    """requests/{id}.json and .xml are the channel's; without a known format the path names no request."""
    return bool(split_format(request.params["request_file"], "requests/"))


@bp.api(f"{BASE}/requests/{{request_file}}",
        summary="Open311: one service request (requests/{id}.json or .xml, api_key required)",
        query=RequestQuery, response=list[ServiceRequestOut], roles=ANY_ROLE, errors=(403, 404), raw=True, protocol_errors=True,
        authenticator=Open311KeyAuthenticator(_request_file))
def get_request(call: Call):
    return _get_request(call, split_format(call.params["request_file"], "requests/"))


@open311_errors
def _get_request(call: Call, request_id: str):
    channel = _channel(call)
    _jurisdiction(call.query.jurisdiction_id, channel, 404)
    return present([request_of(channel, request_id)])


# -- the top-level documents: one path parameter, so that services.xml is routed as well as services.json
GET_DOCUMENTS: dict[str, Callable[[Call], Any]] = {"services": services, "requests": list_requests}
POST_DOCUMENTS: dict[str, Callable[[Call], Any]] = {"requests": create_request}


def _document(method: str, name: str, documents: dict[str, Callable[[Call], Any]]) -> Callable[[Call], Any]:
    stem, dot, _ = name.rpartition(".")
    if (stem if dot else name) not in documents:
        known = ", ".join(f"{d}.json, {d}.xml" for d in documents)
        raise NotFound(f"{method} {name}: not a GeoReport v2 document here; {method} {known}")
    return documents[split_format(name)]


def _keyed_document(request: AuthRequest) -> bool:
    """requests.* (GET and POST) are the channel's; services.* are public. A path naming no document
    is a 404 before any key is looked at."""
    documents = GET_DOCUMENTS if request.method == "GET" else POST_DOCUMENTS
    return _document(request.method, request.params["document"], documents) is not services


@bp.api(f"{BASE}/{{document}}",
        summary="Open311: GET services.json or services.xml (the service list, public), requests.json or requests.xml "
                "(the key's channel's service requests, api_key required); any other document is a 404",
        query=RequestsQuery, response=DocumentOut, roles=None, errors=(403, 404), raw=True, protocol_errors=True,
        authenticator=Open311KeyAuthenticator(_keyed_document))
def get_document(call: Call):
    return _document("GET", call.params["document"], GET_DOCUMENTS)(call)


@bp.api(f"{BASE}/{{document}}", "POST",
        summary="Open311: POST requests.json or requests.xml, a service request (form-encoded, api_key); "
                "any other document is a 404",
        form=RequestForm, response=list[CreatedOut], roles=ANY_ROLE, idempotent=False, errors=(403, 404), raw=True, protocol_errors=True,
        authenticator=Open311KeyAuthenticator(_keyed_document))
def post_document(call: Call):
    return _document("POST", call.params["document"], POST_DOCUMENTS)(call)
