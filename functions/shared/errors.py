"""Domain errors. Domain code raises these; one middleware maps them to RFC 9457 problem+json.

Each class carries its HTTP status and a stable machine-readable `code`, so the mapping lives in
one place and domain code never imports Chalice.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(self, detail: str = "", errors: list[FieldError] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = list(errors or [])
        self.headers: dict[str, str] = {}


class MalformedRequest(DomainError):
    status = 400
    code = "malformed_request"
    title = "The request body is not well-formed"


class MissingIdempotencyKey(DomainError):
    """A route that moves money or leases work takes no request without a key (draft-ietf-httpapi-
    idempotency-key-header: 400 for a missing required key): a retry must never act twice."""

    status = 400
    code = "idempotency_key_required"
    title = "This operation needs an Idempotency-Key header"


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    title = "The request is not valid"

    def __init__(self, errors: list[FieldError], detail: str = ""):
        super().__init__(detail or "; ".join(f"{e.field}: {e.message}" for e in errors), errors)


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"
    title = "Authentication is required"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = "This action is not allowed for the caller"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "The request conflicts with the current state"


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"
    title = "The request body is too large"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"
    title = "The request body must be JSON"


class RetryLater(DomainError):
    """An answer that says when to ask again (Retry-After, in seconds)."""

    def __init__(self, detail: str = "", retry_after_seconds: int = 60):
        super().__init__(detail)
        self.headers["Retry-After"] = str(retry_after_seconds)


class RateLimited(RetryLater):
    status = 429
    code = "rate_limited"
    title = "Too many requests"


class Unavailable(RetryLater):
    """Not ready to answer yet (e.g. a search index still being built): try again after a while."""

    status = 503
    code = "unavailable"
    title = "Not available yet"
