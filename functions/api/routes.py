"""The route toolkit every platform's `routes.py` uses: `ApiBlueprint.api(...)`.

It sits on `shared` and imports nothing else of the platform: the bearer-token verifier is
installed into it at start-up (`install_bearer_verifier`), so identity builds on it, not under it.

Who the caller is, is an `Authenticator`'s answer, chosen per route (`authenticator=`, default
`BEARER`): it reads the request (`AuthRequest`: headers, path parameters, query, form or body) and
returns the caller's `Principal`, None for an anonymous caller, or refuses. The toolkit asks it
before it opens the unit of work, so every record of the request names that principal from the start.

One declaration gives a route its path under /api, its schemas (which validate the request and
generate /api/openapi.json), who may call it, and the conventions of API.md: problem+json for
every error, 400 for malformed JSON, 415 for a non-JSON body, 413 for a large one, 422 with a
field list, `Idempotency-Key` replay, and one transaction for the change, its audit record, its
outbox messages and its idempotency record. Views stay thin: parse (done here), resolve the
caller (done here), call one service function, return.
"""
from __future__ import annotations

import hmac
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Protocol
from urllib.parse import parse_qsl

from chalice import Blueprint, Response
from pydantic import BaseModel

from functions.settings import get_settings
from functions.shared import idempotency
from functions.shared.audit import UnitOfWork
from functions.shared.clock import get_clock
from functions.shared.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    MalformedRequest,
    MissingIdempotencyKey,
    NotFound,
    PayloadTooLarge,
    Unauthenticated,
    UnsupportedMediaType,
    ValidationFailed,
)
from functions.shared.logs import get_logger, request_id_var
from functions.shared.openapi import (
    BEARER_SCHEME,
    BEARER_SECURITY_SCHEME,
    RouteSpec,
    register,
    register_security_scheme,
)
from functions.shared.schemas import dump, parse

MAX_BODY_BYTES = 1024 * 1024
MAX_ATTEMPTS = 10
MAX_BACKOFF_SECONDS = 0.5
MAX_JSON_DEPTH = 32
# Longer than any id the platform issues (appeal ids are 16, ticket numbers 14, unit ids < 64).
MAX_PATH_PARAM = 128
ABORT_HOOKS = "abort_hooks"
PROBLEM_TYPE_BASE = "https://qingdao-platform.example/problems/"
ANY_ROLE = ("*",)
# `idempotent=REQUIRED`: a request without an Idempotency-Key is refused (400) before anything runs.
REQUIRED = "required"
log = get_logger(__name__)


class Principal(Protocol):
    """Who an authenticator says the caller is (functions.identity.principal.Principal is one)."""

    sub: str
    role: str
    org_id: str
    district: str


# Bearer tokens are verified by the identity floor above; it installs its verifier at start-up
# (functions/platform/startup.py), so this toolkit imports nothing above `shared`.
_verify_bearer: Callable[[str, datetime], Principal] | None = None


def install_bearer_verifier(verify: Callable[[str, datetime], Principal]) -> None:
    global _verify_bearer
    _verify_bearer = verify


class Refusal(Exception):
    """An authenticator's refusal in its protocol's own error format (Open311's error list, say),
    answered as it is instead of problem+json. Raise a DomainError (Unauthenticated, Forbidden)
    for a problem+json refusal."""

    def __init__(self, response: Response):
        super().__init__(f"refused with {response.status_code}")
        self.response = response


class AuthRequest:
    """What an authenticator may read of a request: headers (lower-case names), path parameters,
    the query, and the form or body, each parsed as the route declares it.

    The query and body are parsed when first read, with the route's own refusals (415, 400, 413,
    422), and the view gets the same objects: an authenticator that reads a form field is answered
    415 for a JSON body before it looks for its key, and one that reads only headers (the bearer
    one) refuses a bad token before anything of the body is looked at.
    """

    def __init__(self, request, method: str, path: str, params: dict[str, str], headers: dict[str, str], now: datetime,
                 required: bool, query_model: type[BaseModel] | None = None, body_model: type[BaseModel] | None = None,
                 form_model: type[BaseModel] | None = None):
        self.method = method
        self.path = path  # the route's path, e.g. /api/open311/v2/{document}
        self.params = params
        self.headers = headers
        self.now = now
        # Whether the route refuses anonymous callers (roles is not None): an authenticator says
        # what is missing in its own words; the toolkit refuses a None principal with 401 anyway.
        self.required = required
        self._request = request
        self._models = (query_model, body_model, form_model)
        self._parsed: dict[str, Any] = {}

    @property
    def query_params(self) -> dict[str, str]:
        """The query string's parameters as sent (the last value of a repeated one)."""
        return dict(self._request.query_params or {})

    @property
    def query(self) -> Any:
        """The route's query model (None if it declares none)."""
        if "query" not in self._parsed:
            self._parsed["query"] = _read_query(self._request, self._models[0])
        return self._parsed["query"]

    @property
    def body(self) -> Any:
        """The route's body or form model (None if it declares neither)."""
        if "body" not in self._parsed:
            _, body_model, form_model = self._models
            if form_model is not None:
                self._parsed["body"] = parse(form_model, self.form)
            elif body_model is not None:
                self._parsed["body"] = _read_body(self._request, body_model, None)
            else:
                self._parsed["body"] = None
        return self._parsed["body"]

    @property
    def form(self) -> dict[str, str] | None:
        """The form's fields as sent (None if the route takes no form); 415 if the body is not a form."""
        if "form" not in self._parsed:
            self._parsed["form"] = _read_form_fields(self._request) if self._models[2] is not None else None
        return self._parsed["form"]


class Authenticator(Protocol):
    """Says who the caller of a route is: `authenticate` returns the caller's principal, None for an
    anonymous caller (the toolkit answers 401 if the route has roles), or refuses (a DomainError,
    or a `Refusal` in the authenticator's own protocol). `name` and `scheme` are its OpenAPI
    security scheme (components.securitySchemes[name] = scheme)."""

    name: str
    scheme: dict[str, Any]

    def authenticate(self, request: AuthRequest) -> Principal | None: ...


class BearerAuthenticator:
    """`Authorization: Bearer <token>`, verified by the verifier installed at start-up. Without a
    bearer token the caller is anonymous, unless the route has roles (401)."""

    name = BEARER_SCHEME
    scheme = BEARER_SECURITY_SCHEME

    def authenticate(self, request: AuthRequest) -> Principal | None:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            if not request.required:
                return None
            raise Unauthenticated("Send a bearer token in the Authorization header.")
        if _verify_bearer is None:
            raise Unauthenticated("This process verifies no bearer tokens.")
        return _verify_bearer(header[7:].strip(), request.now)


BEARER = BearerAuthenticator()


@dataclass
class Reply:
    """A view's answer when it is not a plain 200 (or the route's declared status)."""

    body: Any = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    """Everything a view needs, already parsed and verified."""

    principal: Principal | None
    params: dict[str, str]
    body: Any
    query: Any
    request_id: str
    uow: UnitOfWork
    headers: dict[str, str]
    # Where the request came from (the viewer's address behind CloudFront), for per-client limits.
    client_address: str = ""
    # Kept across the attempts of one request (a ticket number claimed by the first attempt, say).
    memo: dict[str, Any] = field(default_factory=dict)
    # Labels of optimistic writes (a counter, say) whose lost race means "run the view again".
    retry_on: set[str] = field(default_factory=set)

    @property
    def now(self):
        return self.uow.now

    def on_abort(self, undo: Callable[[str], None]) -> None:
        """Run `undo(reason)` if this request ends without committing (once, whatever the attempts)."""
        hooks = self.memo.setdefault(ABORT_HOOKS, [])
        if undo not in hooks:
            hooks.append(undo)

    @property
    def caller(self) -> Principal:
        if self.principal is None:
            raise Unauthenticated()
        return self.principal


def problem_response(error: DomainError, instance: str = "") -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + error.code,
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "code": error.code,
    }
    if instance:
        body["instance"] = instance
    if error.errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in error.errors]
    headers = {"Content-Type": "application/problem+json", **error.headers}
    if error.status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="qingdao-platform"')
    return Response(body=json.dumps(body, ensure_ascii=False), status_code=error.status, headers=headers)


def _json_response(body: Any, status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(body, ensure_ascii=False),
        status_code=status,
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )


def _media_type(headers: dict[str, str]) -> str:
    return headers.get("content-type", "").split(";")[0].strip().lower()


def _raw_body(request) -> bytes:
    raw: bytes = request.raw_body or b""
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"The body is {len(raw)} bytes; the limit is {MAX_BODY_BYTES}.")
    return raw


def _read_form_fields(request) -> dict[str, str]:
    raw = _raw_body(request)
    if _media_type(request.headers) != "application/x-www-form-urlencoded":
        raise UnsupportedMediaType("Send the form as application/x-www-form-urlencoded.")
    try:
        return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw)))
    except (UnicodeDecodeError, ValueError):
        raise MalformedRequest("The form body is not valid URL-encoded UTF-8.") from None


def _read_body(request, json_model, form_model) -> Any:
    if form_model is not None:
        return parse(form_model, _read_form_fields(request))
    raw = _raw_body(request)
    if not raw and all(not f.is_required() for f in json_model.model_fields.values()):
        return parse(json_model, {})  # every field optional: no body at all means none of them
    media = _media_type(request.headers)
    if media != "application/json":
        raise UnsupportedMediaType("Send the body as application/json.")
    try:
        data = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError) as error:
        raise MalformedRequest(f"The body is not valid JSON: {error}.") from None
    except RecursionError:
        data = _TOO_DEEP
    if data is _TOO_DEEP or _depth_exceeds(data, MAX_JSON_DEPTH):
        raise MalformedRequest(f"The body nests arrays and objects more than {MAX_JSON_DEPTH} levels deep.")
    if data is None:
        raise MalformedRequest("The request needs a JSON body.")
    return parse(json_model, data)


_TOO_DEEP = object()


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether a parsed JSON value nests deeper than `limit` (iteratively: no recursion to exhaust)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    return False


def _read_query(request, model) -> Any:
    raw = request.query_params or {}
    if model is None:
        return None
    return parse(model, dict(raw))


ORIGIN_VERIFY_HEADER = "x-origin-verify"


def client_address(request, origin_secret: str | None = None) -> str:
    """The caller's IP address, for per-client limits.

    Behind CloudFront, API Gateway's source address is CloudFront's edge. CloudFront appends the
    viewer's address to `X-Forwarded-For` (after anything the viewer sent there) and API Gateway
    then appends the edge's, so the client is the entry just before the edge's. That entry is
    believed only when the request carries the stage's `X-Origin-Verify` secret, which CloudFront
    adds: a caller reaching API Gateway directly cannot claim someone else's address and is counted
    at its own. Stages without a secret (local, tests) believe the header as sent.
    """
    secret = get_settings().origin_verify_secret if origin_secret is None else origin_secret
    headers = request.headers or {}
    identity = (request.context or {}).get("identity") or {}
    source = str(identity.get("sourceIp") or "unknown")
    if secret and not hmac.compare_digest(headers.get(ORIGIN_VERIFY_HEADER, "").encode("utf-8", "replace"), secret.encode()):
        return source
    forwarded = [part.strip() for part in headers.get("x-forwarded-for", "").split(",") if part.strip()]
    if forwarded and forwarded[-1] == source:
        forwarded.pop()
    return forwarded[-1][:64] if forwarded else source


def _admit(principal: Principal | None, roles: tuple[str, ...] | None) -> Principal | None:
    """The route's own rule on the authenticator's answer: roles=None admits anyone (anonymous
    included), ANY_ROLE any authenticated caller, a tuple of roles those roles."""
    if roles is None:
        return principal
    if principal is None:
        raise Unauthenticated()
    if roles != ANY_ROLE and principal.role not in roles:
        raise Forbidden(f"This route is for the roles: {', '.join(roles)}.")
    return principal


class ApiBlueprint(Blueprint):
    def __init__(self, import_name: str, tag: str):
        super().__init__(import_name)
        self.tag = tag

    def api(
        self,
        path: str,
        method: str = "GET",
        *,
        summary: str,
        description: str = "",
        body: type[BaseModel] | None = None,
        form: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: Any = None,
        status: int = 200,
        roles: tuple[str, ...] | None = ANY_ROLE,
        idempotent: bool | str | None = None,
        dev_only: bool = False,
        errors: tuple[int, ...] = (),
        raw: bool = False,
        protocol_errors: bool = False,
        replay: bool = True,
        headers: tuple[tuple[str, str, bool], ...] = (),
        authenticator: Authenticator = BEARER,
    ) -> Callable:
        """Declare a route. `authenticator` says who the caller is (default: a bearer token); `roles`
        whom the route admits: a tuple of roles, ANY_ROLE (the default: any authenticated caller), or
        None (public: an anonymous caller too, and `call.principal` is whoever the authenticator names,
        if anyone). `dev_only` routes answer 404 on production stages; `replay=False` keeps a route's
        answer out of the idempotency store (a replay runs it again). `idempotent` (default: POST routes) takes
        an `Idempotency-Key`; `idempotent=REQUIRED` refuses a request without one (400). A `raw` view may return
        its own Response (a file, a redirect); `protocol_errors` says that it also answers some errors in its
        protocol's JSON (OAuth 2.0, Open311) rather than problem+json, which the OpenAPI document then shows."""
        method = method.upper()
        if idempotent is None:
            idempotent = method == "POST"
        full_path = "/api" + path
        if not (dev_only and not get_settings().dev_features):
            register(
                RouteSpec(
                    path=full_path,
                    method=method,
                    summary=summary,
                    description=description,
                    tag=self.tag,
                    status=status,
                    body=body,
                    form_body=form,
                    query=query,
                    response=response,
                    roles=roles,
                    idempotent=idempotent,
                    error_statuses=errors,
                    protocol_errors=protocol_errors,
                    headers=headers,
                    security=authenticator.name,
                )
            )
            register_security_scheme(authenticator.name, authenticator.scheme)
        route = _Route(path=full_path, method=method, body_model=body, form_model=form, query_model=query,
                       status=status, roles=roles, idempotent=idempotent, dev_only=dev_only, raw=raw, replay=replay,
                       authenticator=authenticator)

        def decorator(view: Callable[[Call], Any]) -> Callable:
            def handler(**params: str) -> Response:
                return self._handle(view, route, params)

            handler.__name__ = view.__name__
            handler.__doc__ = view.__doc__
            self.route(full_path, methods=[method], content_types=["*/*"])(handler)
            return view

        return decorator

    def _handle(self, view: Callable[[Call], Any], route: "_Route", params: dict[str, str]) -> Response:
        request = self.current_request
        path, method = route.path, route.method
        request_id = request_id_var.get()
        if request_id == "-":
            request_id = uuid.uuid4().hex
        instance = request.context.get("path", path) if request.context else path
        memo: dict[str, Any] = {}
        try:
            if route.dev_only and not get_settings().dev_features:
                raise NotFound("Not found.")
            _check_path_params(params)
            now = get_clock().now()
            headers = {k.lower(): v for k, v in (request.headers or {}).items()}
            asked = AuthRequest(request, method, path, dict(params), headers, now, route.roles is not None,
                                route.query_model, route.body_model, route.form_model)
            # Who the caller is, before anything is opened in their name: the unit of work, its audit
            # records and the idempotency record are the principal's from the start.
            principal = _admit(route.authenticator.authenticate(asked), route.roles)
            query = asked.query
            body = asked.body
            uow = UnitOfWork.for_actor(principal, request_id, now)
            key_ref = None
            key = headers.get("idempotency-key")
            replayed_view = False
            if route.idempotent == REQUIRED and key is None:
                raise MissingIdempotencyKey("Send an Idempotency-Key header (a UUID per operation); a retry with "
                                            "the same key returns the first answer.",
                                            [FieldError("Idempotency-Key", "is required on this route")])
            if route.idempotent and key is not None:
                caller = principal.sub if principal else idempotency.ANONYMOUS
                key = idempotency.validate_key(key, anonymous=principal is None)
                key_ref = idempotency.resolve(caller, method, instance, key, request.raw_body or b"")
                stored = idempotency.find(key_ref, now)
                if stored is not None and stored.replay:
                    return _json_response(stored.body, stored.status, {"Idempotent-Replayed": "true"})
                replayed_view = stored is not None  # a route that never replays: run it again, record nothing new
            address = client_address(request)
            for attempt in range(MAX_ATTEMPTS):
                call = Call(principal, dict(params), body, query, request_id, uow, headers, address, memo)
                result = view(call)
                if route.raw and isinstance(result, Response):
                    uow.commit()
                    return result
                reply = result if isinstance(result, Reply) else Reply(body=result)
                reply_status = reply.status or route.status
                payload = dump(reply.body)
                if key_ref is not None and not replayed_view and 200 <= reply_status < 300:
                    idempotency.remember(uow, key_ref, reply_status, payload, replay=route.replay)
                try:
                    uow.commit()
                except Conflict as conflict:
                    labels = set(getattr(conflict, "failed_labels", ()))
                    if key_ref is not None and "idempotency" in labels:
                        # Another request with this key won the race; answer what it answered.
                        stored = idempotency.find(key_ref, now)
                        if stored is not None and stored.replay:
                            _abort(memo, "the same request was answered by a concurrent attempt")
                            return _json_response(stored.body, stored.status, {"Idempotent-Replayed": "true"})
                    retryable = getattr(conflict, "contended", False) or (labels and labels <= call.retry_on)
                    if retryable and attempt + 1 < MAX_ATTEMPTS:
                        # Exponential backoff with full jitter: contenders spread out instead of colliding again.
                        time.sleep(random.uniform(0, min(MAX_BACKOFF_SECONDS, 0.01 * 2**attempt)))
                        uow = UnitOfWork.for_actor(principal, request_id, now)
                        continue
                    raise
                return _json_response(payload, reply_status, reply.headers)
            raise Conflict("Too much contention; try again.")
        except Refusal as refusal:
            _abort(memo, f"refused: {refusal.response.status_code}")
            return refusal.response
        except DomainError as error:
            _abort(memo, f"refused: {error.code}")
            return problem_response(error, instance)
        except Exception:  # noqa: BLE001 - the last line of defence: never a stack trace to a client
            log.exception("unhandled error")
            _abort(memo, "internal error")
            internal = DomainError("An internal error occurred; it has been logged with the request id.")
            internal.status, internal.code, internal.title = 500, "internal_error", "Internal server error"
            return problem_response(internal, instance)


@dataclass(frozen=True)
class _Route:
    """One route's declaration, as `_handle` runs it."""

    path: str
    method: str
    body_model: type[BaseModel] | None
    form_model: type[BaseModel] | None
    query_model: type[BaseModel] | None
    status: int
    roles: tuple[str, ...] | None
    idempotent: bool | str
    dev_only: bool
    raw: bool
    replay: bool
    authenticator: Authenticator


def _abort(memo: dict[str, Any], reason: str) -> None:
    """Run what views asked to run if their request ends without committing (void a claimed number)."""
    for undo in memo.pop(ABORT_HOOKS, []):
        try:
            undo(reason)
        except Exception:  # noqa: BLE001 - the answer is already an error; the sweep catches what this misses
            log.exception("abort hook failed")


def _check_path_params(params: dict[str, str]) -> None:
    errors = [FieldError(name, f"is not an id: at most {MAX_PATH_PARAM} printable characters")
              for name, value in params.items() if not (0 < len(value) <= MAX_PATH_PARAM and value.isprintable())]
    if errors:
        raise ValidationFailed(errors)
