"""The bank API (`/api/bank/v1`): what a financial institution's client builds against. Thin.

Authenticate with a client-credentials token (`POST /api/oauth/token`). Poll `GET /demands` with the
`next_cursor` of your last poll: you get only what is new, nothing missed or repeated. Claim with
`POST /demands/{id}/claim` (exactly one institution wins; others 409), then record `contacted`
within 1 working day or the claim lapses. Every claim and outcome needs an `Idempotency-Key` (scoped
to your client): a retry with the same key returns the first answer and acts once.
"""
from __future__ import annotations

from functions.api.routes import REQUIRED, ApiBlueprint, Call
from functions.shared.openapi import describe_tag
from functions.finance import bank, presenters
from functions.finance.models import FEED
from functions.finance.reports.schemas import CreditReportOut
from functions.finance.schemas import BankDemandPageOut, BankPollQuery, BankReportQuery, ClaimedDemandOut, ClaimIn, OutcomeIn
from functions.identity.principal import BANK
from functions.shared.pagination import decode_cursor, encode_cursor

bp = ApiBlueprint(__name__, tag="bank API")
BANKS = (BANK,)

describe_tag("bank API", """For the developers of a financial institution's client: everything needed to take demands.

1. **Token.** `POST /api/oauth/token` with `grant_type=client_credentials`, `client_id`, `client_secret`
   (a form, RFC 6749 §4.4) → `{"access_token", "token_type": "Bearer", "expires_in", "scope"}`. Send
   `Authorization: Bearer <token>`; take a new one when it expires. A client narrowed to branches has
   `branch:<id>` scopes: it sees its branches' districts only and claims for them.
2. **Poll.** `GET /api/bank/v1/demands?cursor=<next_cursor>&limit=50`. Keep `next_cursor` and send it
   next time: you get exactly what is new, in a stable order, nothing missed or repeated, even while
   demands are being posted. The enterprise is masked until you claim. At most 60 polls a minute per
   client (429 with `Retry-After`).
3. **Claim.** `POST /api/bank/v1/demands/{id}/claim` with an `Idempotency-Key` (a UUID per operation;
   a retry with the same key returns the first answer). One institution wins (200, with who the
   enterprise is and `contact_by`); every other gets 409. A lapsed claim of yours bars you from that
   demand for 30 days (409).
4. **Contact within 1 working day** (China's official calendar): `POST .../outcomes`
   `{"status": "contacted"}`. Otherwise the demand returns to the pool.
5. **Outcomes.** `approved` (amount ≤ asked, `annual_rate_bp`, `term_months`, guarantee) → `disbursed`;
   or `rejected` with a `reason` from `GET /api/finance/vocabulary`. Out of order: 409. Another
   institution's demand: 404.
6. **Credit report.** `GET .../credit-report` (`?format=pdf` with `Accept: application/pdf`) once the
   enterprise has consented (403 otherwise); every read is shown to the enterprise. Verify any report at
   `GET /api/credit-reports/{report_no}/verify?sha256=`.

Errors are RFC 9457 `application/problem+json` naming the field at fault. Amounts are integers in fen.""")


def _position(after: int) -> str:
    return encode_cursor({"feed": {"S": FEED}, "seq": {"N": str(after)}})


@bp.api("/bank/v1/demands", summary="Poll open demands in a stable order, the enterprise masked; poll again with "
        "next_cursor for exactly what is new", description="One poll is one query of the feed. Rate limited per client "
        "(429 with Retry-After).", query=BankPollQuery, response=BankDemandPageOut, roles=BANKS, errors=(429,))
def poll(call: Call):
    key = decode_cursor(call.query.cursor, expected={"feed": FEED})
    after = int(key["seq"]["N"]) if key else 0
    found = bank.poll(call.caller, after, call.query.limit, call.now)
    return BankDemandPageOut(items=[presenters.masked(d, d.updated_at if d.releases else d.created_at) for d in found.demands],
                             next_cursor=_position(found.after))


@bp.api("/bank/v1/demands/{demand_id}/claim", "POST", summary="Claim a demand: one conditional write decides it; "
        "every other institution gets 409", description="Record `contacted` within 1 working day, or the demand returns "
        "to the pool and your institution may not claim it again for 30 days. Idempotency-Key required. The body is "
        "optional: `branch_id` names the branch that takes it (a client narrowed to branches claims for one of them, "
        "in the demand's district: 403 otherwise).",
        body=ClaimIn, response=ClaimedDemandOut, roles=BANKS, idempotent=REQUIRED, errors=(403, 404, 409))
def claim(call: Call):
    body: ClaimIn = call.body
    found = bank.claim(call.uow, call.caller, call.params["demand_id"], body.branch_id)
    return presenters.claimed(found.demand, found.contact_by)


@bp.api("/bank/v1/demands/{demand_id}", summary="A demand your institution claimed, with who and what", response=ClaimedDemandOut,
        roles=BANKS, errors=(404,))
def read_claimed(call: Call):
    found = bank.read_claimed(call.caller, call.params["demand_id"])
    return presenters.claimed(found.demand, found.contact_by)


@bp.api("/bank/v1/demands/{demand_id}/outcomes", "POST", summary="Record an outcome: contacted → approved (amount, annual "
        "rate in basis points, term, guarantee) → disbursed; or rejected with a published reason code",
        description="Only the claiming institution (others 404); a step out of order is 409. Idempotency-Key required.",
        body=OutcomeIn, response=ClaimedDemandOut, roles=BANKS, idempotent=REQUIRED, errors=(404, 409))
def outcome(call: Call):
    body: OutcomeIn = call.body
    found = bank.record_outcome(call.uow, call.caller, call.params["demand_id"], bank.Outcome(**body.model_dump()))
    return presenters.claimed(found.demand, found.contact_by)


@bp.api("/bank/v1/demands/{demand_id}/credit-report", summary="The enterprise's real-time credit report: to the "
        "claiming institution only, under a live consent; every read is logged for the enterprise",
        description="`format=json` (default) or `pdf` (send `Accept: application/pdf`; the font is embedded). The report "
                    "carries its number, time, SHA-256 and a verification link (GET /api/credit-reports/{report_no}/verify). "
                    "Not the claimer: 404. No live consent (none, revoked, expired): 403.",
        query=BankReportQuery, response=CreditReportOut, roles=BANKS, errors=(403, 404), raw=True)
def credit_report(call: Call):
    from chalice import Response

    from functions.finance.reports import presenters as report_presenters
    from functions.finance.reports import render
    from functions.finance.reports.routes import PDF, site_of

    issued = bank.credit_report(call.uow, call.caller, call.params["demand_id"])
    site = site_of(call)
    headers = {"X-Report-No": issued.report_no, "X-Report-SHA256": issued.sha256}
    if call.query.format == "pdf":
        return Response(render.pdf(issued.report, issued.sha256, site), status_code=200,
                        headers={**headers, "Content-Type": PDF, "Content-Disposition": f'attachment; filename="{issued.report_no}.pdf"'})
    body = report_presenters.report(issued, render.verify_url(issued.report_no, site, issued.sha256))
    return Response(body.model_dump_json(), status_code=200, headers={**headers, "Content-Type": "application/json"})
