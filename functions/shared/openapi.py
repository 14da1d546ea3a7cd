"""The OpenAPI 3.1 document, generated from the routes' own validating schemas.

Routes register a `RouteSpec` when they are declared (see `functions.api.routes`); the document
is built from those specs and the pydantic models' JSON Schemas, so it cannot drift.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

BEARER_SCHEME = "bearer"
BEARER_SECURITY_SCHEME: dict[str, Any] = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


@dataclass(frozen=True)
class RouteSpec:
    path: str
    method: str
    summary: str
    tag: str
    status: int = 200
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None  # a model, list[model], or None
    roles: tuple[str, ...] | None = None  # None: public
    idempotent: bool | str = False  # True: takes an Idempotency-Key; "required": refuses a request without one
    form_body: type[BaseModel] | None = None
    error_statuses: tuple[int, ...] = field(default=())
    # The route answers some errors in its own protocol's JSON (OAuth 2.0, Open311) as well.
    protocol_errors: bool = False
    # Request headers the route reads: (name, description, required).
    headers: tuple[tuple[str, str, bool], ...] = ()
    # The security scheme (a key of components.securitySchemes) of the route's authenticator.
    security: str = BEARER_SCHEME
    # Longer words than the summary: a state machine's action says where it is allowed and leads.
    description: str = ""


_ROUTES: list[RouteSpec] = []
# components.securitySchemes: the bearer token's always, and each other authenticator's a route uses.
_SECURITY_SCHEMES: dict[str, dict[str, Any]] = {BEARER_SCHEME: dict(BEARER_SECURITY_SCHEME)}
# Keys sent without a token: 22+ URL-safe characters (132 bits), a UUID included.
ANONYMOUS_KEY_PATTERN = "^[A-Za-z0-9_-]{22,128}$"


def register(spec: RouteSpec) -> None:
    _ROUTES.append(spec)


def registered_routes() -> list[RouteSpec]:
    return list(_ROUTES)


# tags[]: a description per tag that has one (a guide for the developers of one audience's client).
_TAG_DESCRIPTIONS: dict[str, str] = {}


def describe_tag(name: str, description: str) -> None:
    """The OpenAPI Tag Object's description for `name` (Markdown): what a reader of that section needs first."""
    known = _TAG_DESCRIPTIONS.setdefault(name, description)
    if known != description:
        raise ValueError(f"tag {name!r} is already described")


def register_security_scheme(name: str, scheme: dict[str, Any]) -> None:
    """An authenticator's OpenAPI Security Scheme Object, under its name (one scheme per name)."""
    known = _SECURITY_SCHEMES.setdefault(name, dict(scheme))
    if known != scheme:
        raise ValueError(f"security scheme {name!r} is already registered as {known}")


def security_schemes() -> dict[str, dict[str, Any]]:
    return {name: dict(scheme) for name, scheme in _SECURITY_SCHEMES.items()}


def _schema_ref(model: Any, components: dict[str, Any], mode: str = "serialization") -> dict[str, Any]:
    """A component for `model`: as a client must send it (`validation`: a field with a default is
    optional) or as the API answers it (`serialization`: every field is there)."""
    origin = getattr(model, "__origin__", None)
    if origin is list:
        (item,) = model.__args__
        return {"type": "array", "items": _schema_ref(item, components, mode)}
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
    for name, definition in [*schema.pop("$defs", {}).items(), (model.__name__, schema)]:
        if components.get(name, definition) != definition:
            # Schemas are filed by class name: a second model of the same name would silently take
            # the first one's place, and every route using the first would be typed as the second.
            raise ValueError(f"two different schemas are both named {name!r}; rename one (e.g. with its platform's word)")
        components[name] = definition
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _parameters(spec: RouteSpec) -> list[dict[str, Any]]:
    params = []
    for segment in spec.path.split("/"):
        if segment.startswith("{") and segment.endswith("}"):
            params.append({"name": segment[1:-1], "in": "path", "required": True,
                           "schema": {"type": "string", "minLength": 1, "maxLength": 128}})
    for name, description, required in spec.headers:
        params.append({"name": name, "in": "header", "required": required, "description": description,
                       "schema": {"type": "string", "minLength": 1, "maxLength": 64}})
    if spec.query is not None:
        schema = spec.query.model_json_schema()
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    if spec.idempotent:
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": spec.idempotent == "required",
                "description": "A replay with the same key returns the first response; "
                "the same key with a different body is refused with 422.",
                "schema": {"type": "string", "maxLength": 128},
            }
        )
    if spec.idempotent and spec.roles is None:
        params[-1]["description"] += " Without a bearer token the key must carry at least 128 random bits (a UUID)."
        params[-1]["schema"] = dict(params[-1]["schema"], pattern=ANONYMOUS_KEY_PATTERN)
    return params


def build_document(title: str, version: str, server_url: str = "/") -> dict[str, Any]:
    components: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    paths: dict[str, Any] = {}
    for spec in sorted(_ROUTES, key=lambda s: (s.path, s.method)):
        operation: dict[str, Any] = {
            "summary": spec.summary,
            "tags": [spec.tag],
            "operationId": f"{spec.method.lower()}_{spec.path.strip('/').replace('/', '_').replace('{', '').replace('}', '')}",
            "parameters": _parameters(spec),
            "responses": {},
        }
        if spec.description:
            operation["description"] = spec.description
        if spec.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _schema_ref(spec.body, components, "validation")}},
            }
        if spec.form_body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {"schema": _schema_ref(spec.form_body, components, "validation")}
                },
            }
        success: dict[str, Any] = {"description": "OK"}
        if spec.response is not None:
            success["content"] = {"application/json": {"schema": _schema_ref(spec.response, components)}}
        operation["responses"][str(spec.status)] = success
        problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        statuses = {400, 422} if (spec.body or spec.query or spec.form_body) else set()
        if spec.body is not None:
            statuses |= {413, 415}
        # Any request may carry a bearer token; one that does not verify is refused with 401 even on a
        # public route, rather than silently treated as anonymous.
        statuses |= {401}
        if spec.roles is not None:
            statuses |= {403, 404}
            operation["security"] = [{spec.security: []}]
        elif spec.security != BEARER_SCHEME:
            # Public, and its authenticator names a caller who sends a credential (an empty requirement
            # is "anonymous too"). Public bearer routes say nothing: any request may carry a token.
            operation["security"] = [{spec.security: []}, {}]
        statuses |= set(spec.error_statuses)
        if "{" in spec.path:
            statuses |= {404}  # the object named in the path may not exist (or not for this caller)
            statuses |= {422}  # a path id longer than any real one, or not printable, is refused by name
        if spec.headers or (spec.idempotent and spec.roles is None):
            statuses |= {422}  # a missing or malformed header (Receipt-Code; a guessable anonymous key)
        content = dict(problem)
        if spec.protocol_errors:
            statuses |= {400, 403, 404}
            content["application/json"] = {"schema": {"description": "the protocol's own error body (OAuth 2.0 / Open311)"}}
        for status in sorted(statuses):
            operation["responses"][str(status)] = {"description": "Problem", "content": content}
        paths.setdefault(spec.path, {})[spec.method.lower()] = operation
    used = {spec.tag for spec in _ROUTES}
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "servers": [{"url": server_url}],
        "tags": [{"name": name, "description": text} for name, text in sorted(_TAG_DESCRIPTIONS.items()) if name in used],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": security_schemes(),
        },
    }
