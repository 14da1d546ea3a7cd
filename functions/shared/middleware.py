"""App-wide HTTP middleware: request id, one JSON access-log line per request, security headers."""
from __future__ import annotations

import time
import uuid

from chalice import Chalice

from functions.shared.logs import configure_logging, get_logger, log_event, request_id_var

log = get_logger("access")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}


def _correlation_id(event) -> str | None:
    """A client's own `X-Request-Id`: logged beside ours so a bank can find its call, never used as an id.

    Server-side ids (audit sequence, outbox message ids) derive from the request id; a client that
    chose it could make two requests collide, so the request id is always the server's own.
    """
    supplied = (event.headers or {}).get("x-request-id", "")
    if supplied and len(supplied) <= 64 and supplied.replace("-", "").isalnum():
        return supplied
    return None


def install_middleware(app: Chalice) -> None:
    configure_logging()

    @app.middleware("http")
    def request_context(event, get_response):
        request_id = uuid.uuid4().hex
        correlation_id = _correlation_id(event)
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = get_response(event)
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            response.headers["X-Request-Id"] = request_id
            if correlation_id:
                response.headers["X-Correlation-Id"] = correlation_id
            log_event(
                log,
                "request",
                method=event.method,
                path=event.path,
                status=response.status_code,
                correlation_id=correlation_id,
                gateway_request_id=(event.context or {}).get("requestId"),
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )
            return response
        finally:
            request_id_var.reset(token)
