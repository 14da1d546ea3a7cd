"""Open311 GeoReport v2 routes under /api/open311/v2 (the mapping and models: functions/appeals/open311.py)."""
from __future__ import annotations

import functools
import json
from typing import Any, Callable

from chalice import Response

from functions.appeals import service
from functions.appeals.models import Appeal
from functions.appeals.open311 import (
    BASE,
    CreatedOut,
    DiscoveryQuery,
    FIELD_NAMES,
    JSON_TYPE,
    MAX_IDS,
    MAX_RANGE,
    MAX_RESULTS,
    Open311Error,
    Open311Request,
    RequestForm,
    RequestQuery,
    RequestsQuery,
    SERVICE_BY_CODE,
    SERVICES,
    ServiceDefinitionOut,
    ServiceOut,
    ServiceRequestOut,
    ServiceType,
    _act_as,
    _jurisdiction,
    _merged_notice,
    _parse_time,
    _read_form,
    _text,
    authenticate,
    open311_status,
    present,
)
from functions.calendar.models import utc_stamp
from functions.refdata.divisions import covers
from functions.shared.errors import DomainError, FieldError, ValidationFailed
from functions.shared.routes import ApiBlueprint, Call, Reply

bp = ApiBlueprint(__name__, tag="open311")


def _error_response(status: int, descriptions: list[str] | tuple[str, ...]) -> Response:
    body = [{"code": status, "description": d} for d in descriptions]
    return Response(json.dumps(body, ensure_ascii=False), status_code=status, headers={"Content-Type": JSON_TYPE})


def open311_errors(view: Callable[[Call], Any]) -> Callable[[Call], Any]:
    """Answer every refusal of the view in Open311's error format instead of problem+json."""

    @functools.wraps(view)
    def wrapper(call: Call):
        try:
            return view(call)
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


def _json_file(name: str, what: str) -> str:
    """'370200-0000001.json' → '370200-0000001'; another format is refused."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        raise Open311Error(404, f"{what}: add the format to the path, e.g. {name}.json")
    if extension.lower() != "json":
        raise Open311Error(400, f"format: only .json is served here, not .{extension}")
    return stem


@bp.api(f"{BASE}/services.json", summary="Open311: the service list (appeal categories)", query=DiscoveryQuery,
        response=list[ServiceOut], roles=None, errors=(404,), raw=True)
@open311_errors
def services(call: Call):
    _jurisdiction(call.query.jurisdiction_id, None, 404)
    return [_service_out(s) for s in SERVICES]


@bp.api(f"{BASE}/services/{{service_file}}", summary="Open311: one service's definition (services/{code}.json)",
        query=DiscoveryQuery, response=ServiceDefinitionOut, roles=None, errors=(404,), raw=True)
@open311_errors
def service_definition(call: Call):
    _jurisdiction(call.query.jurisdiction_id, None, 404)
    code = _json_file(call.params["service_file"], "service_code")
    if code not in SERVICE_BY_CODE:
        raise Open311Error(404, f"service_code: {code!r} is not a service here")
    # metadata=false for every service: no attributes to fill in.
    return ServiceDefinitionOut(service_code=code, attributes=[])


@bp.api(f"{BASE}/requests.json", "POST", summary="Open311: submit a service request (form-encoded, api_key)",
        form=RequestForm, response=list[CreatedOut], roles=None, idempotent=False, errors=(403,), raw=True)
@open311_errors
def create_request(call: Call):
    # A lost ticket-number race, or a concurrent change of the appeal a duplicate merges onto: run again.
    call.retry_on = {service.TICKET_LABEL, "original"}
    form: RequestForm = call.body
    channel = authenticate(form.api_key)
    principal = channel.principal()
    _act_as(call.uow, principal)
    intake = _read_form(form, channel, call.now)
    result = service.submit(call.uow, principal, intake.submission)
    appeal = result.appeal
    call.uow.put(
        Open311Request(channel_key=channel.channel_key, service_request_id=appeal.ticket_no, appeal_id=appeal.appeal_id,
                       **intake.link),
        Open311Request.service_request_id.does_not_exist(),
        label="open311-request",
    )
    if result.duplicate_of:
        notice = _merged_notice(service.load(result.duplicate_of).ticket_no)
    else:
        unit = service.units.names().get(appeal.assignee_unit or "")
        notice = f"已受理，工单号 {appeal.ticket_no}，" + (f"已分派至{unit}办理" if unit else "正在分派承办单位")
    if result.receipt_code:
        notice += f"；回执码 {result.receipt_code}（仅此一次显示，请告知反映人凭此查询办理进度）"
    return Reply([CreatedOut(service_request_id=appeal.ticket_no, service_notice=notice, account_id=None)])


@bp.api(f"{BASE}/requests.json", summary="Open311: the key's channel's service requests (api_key required)",
        query=RequestsQuery, response=list[ServiceRequestOut], roles=None, errors=(403, 404), raw=True)
@open311_errors
def list_requests(call: Call):
    query: RequestsQuery = call.query
    channel = authenticate(query.api_key)
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
        found = {link.service_request_id: link
                 for link in Open311Request.batch_get([(channel.channel_key, i) for i in dict.fromkeys(ids)])}
        links = [found[i] for i in dict.fromkeys(ids) if i in found]
        return present(links)
    try:
        end = end or (start + MAX_RANGE if start else call.now)
        start = start or end - MAX_RANGE
        if start > end:
            raise Open311Error(400, "start_date: is after end_date")
        if end - start > MAX_RANGE:
            raise Open311Error(400, "start_date/end_date: the range may not span more than 90 days")
        condition = Open311Request.requested_at.between(utc_stamp(start), utc_stamp(end))
    except OverflowError:
        raise Open311Error(400, "start_date/end_date: out of range") from None
    filter_condition = Open311Request.service_code.is_in(*codes) if codes else None
    links = list(Open311Request.requested_index.query(channel.channel_key, condition, filter_condition,
                                                      scan_index_forward=False, limit=MAX_RESULTS))

    def keep(appeal: Appeal) -> bool:
        if statuses and open311_status(appeal.status) not in statuses:
            return False
        return jurisdiction is None or covers(jurisdiction, appeal.district)

    return present(links, keep)


@bp.api(f"{BASE}/requests/{{request_file}}", summary="Open311: one service request (requests/{id}.json, api_key required)",
        query=RequestQuery, response=list[ServiceRequestOut], roles=None, errors=(403, 404), raw=True)
@open311_errors
def get_request(call: Call):
    channel = authenticate(call.query.api_key)
    _jurisdiction(call.query.jurisdiction_id, channel, 404)
    request_id = _json_file(call.params["request_file"], "service_request_id")
    try:
        link = Open311Request.get(channel.channel_key, request_id)
    except Open311Request.DoesNotExist:
        # Another channel's request is as absent as one that never existed.
        raise Open311Error(404, f"service_request_id: no request {request_id} from this channel") from None
    return present([link])
