"""Credit report routes: admins import public credit items; the enterprise gets its report (JSON,
HTML or PDF, each a newly issued report); anyone verifies a report number."""
from __future__ import annotations

import os
from urllib.parse import quote

from chalice import Response

from functions.api.routes import ApiBlueprint, Call
from functions.finance.reports import presenters, render, service
from functions.finance.reports.schemas import CreditItemsIn, CreditItemsOut, CreditReportOut, ReportQuery, VerifyOut, VerifyQuery, validated_items
from functions.identity.principal import ADMIN, AUDITOR, ENTERPRISE, STAFF

bp = ApiBlueprint(__name__, tag="finance")
PDF = "application/pdf"


def _pdf_is_binary(app, options) -> None:
    """API Gateway returns a body as bytes only for the app's binary types (Chalice's list has no PDF)."""
    if PDF not in app.api.binary_types:
        app.api.binary_types.append(PDF)


bp._deferred_registrations.append(_pdf_is_binary)


def site_of(call: Call) -> str:
    """The site the QR code sends a reader to: the stage's SITE_URL, else the host asked (local stack)."""
    configured = os.environ.get("SITE_URL", "")
    if configured:
        return configured
    host = call.headers.get("host", "")
    if not host:
        return ""
    scheme = call.headers.get("x-forwarded-proto", "http" if host.startswith(("127.", "localhost")) else "https")
    return f"{scheme}://{host}"


@bp.api("/enterprises/{uscc}/credit-items", "POST", summary="Import public credit items of an enterprise",
        description="Admins of the enterprise's jurisdiction. Each item has its kind, the source that published it "
                    "and the day its data describes (`as_of`, not after today); an item with the same id (its kind, "
                    "then its number or title) replaces the stored one. Every bad field is reported (422).",
        roles=(ADMIN,), body=CreditItemsIn, response=CreditItemsOut, errors=(403, 404))
def import_items(call: Call):
    items = validated_items(call.body)
    return presenters.items(call.params["uscc"], service.import_items(call.uow, call.caller, call.params["uscc"], items))


@bp.api("/enterprises/{uscc}/credit-report", summary="The enterprise's credit report, issued now",
        description="The enterprise itself. Composed in real time from its profile, the public credit data "
                    "imported and the platform's own records; every call issues a new report number. "
                    "`format=json` (default): the report with its SHA-256 (of the report's canonical JSON) and "
                    "verification link; `html` and `pdf` (font embedded) carry the number, time, SHA-256 and a QR "
                    "code (ask for the PDF with `Accept: application/pdf`: API Gateway returns binary bodies only then). "
                    "Another enterprise gets 404; an official who may read the profile 403.",
        roles=(ENTERPRISE, STAFF, ADMIN, AUDITOR), query=ReportQuery, response=CreditReportOut, errors=(403, 404),
        raw=True)
def credit_report(call: Call):
    query: ReportQuery = call.query
    issued = service.report_for_enterprise(call.uow, call.caller, call.params["uscc"])
    site = site_of(call)
    headers = {"X-Report-No": issued.report_no, "X-Report-SHA256": issued.sha256}
    if query.format == "html":
        return Response(render.html(issued.report, issued.sha256, site), status_code=200,
                        headers={**headers, "Content-Type": "text/html; charset=utf-8"})
    if query.format == "pdf":
        return Response(render.pdf(issued.report, issued.sha256, site), status_code=200,
                        headers={**headers, "Content-Type": PDF,
                                 "Content-Disposition": f'attachment; filename="{issued.report_no}.pdf"'})
    body = presenters.report(issued, render.verify_url(issued.report_no, site, issued.sha256))
    return Response(body.model_dump_json(), status_code=200, headers={**headers, "Content-Type": "application/json"})


@bp.api("/credit-reports/{report_no}/verify", summary="Verify a credit report: was it issued, and when",
        description="Public. Whether the platform issued this report number and when; with `sha256`, whether it "
                    "is the hash of the report issued. Nothing of the report's content. An unknown number: 404. "
                    "This is the address the report's QR code carries: a browser (asking for `text/html` before "
                    "JSON) is sent on with 303 to the site's verification page `/verify/{report_no}`, which asks "
                    "this route for JSON and says what it answered.",
        roles=None, query=VerifyQuery, response=VerifyOut, errors=(404,), raw=True)
def verify(call: Call):
    query: VerifyQuery = call.query
    if _wants_a_page(call.headers.get("accept", "")):
        location = f"{site_of(call)}/verify/{quote(call.params['report_no'], safe='')}"
        if query.sha256:
            location += f"?sha256={query.sha256}"
        return Response("", status_code=303, headers={"Location": location, "Cache-Control": "no-store"})
    body = presenters.verification(service.verify(call.params["report_no"], query.sha256))
    return Response(body.model_dump_json(), status_code=200, headers={"Content-Type": "application/json"})


def _wants_a_page(accept: str) -> bool:
    """A browser's navigation (a scanned QR code, a clicked link) lists text/html first; fetch() and
    programs ask for JSON or anything."""
    first = accept.split(",", 1)[0].split(";", 1)[0].strip().lower()
    return first in ("text/html", "application/xhtml+xml")
