"""Routes of financing demands and consents (青融通) for enterprises, staff and oversight. Thin."""
from __future__ import annotations

from functions.api.routes import ApiBlueprint, Call, Reply
from functions.finance import consents, demands, presenters
from functions.finance.schemas import (
    ConsentIn,
    ConsentOut,
    DataReadPageOut,
    DemandIn,
    DemandOut,
    DemandPageOut,
    VocabularyOut,
)
from functions.finance.vocabulary import page_vocabulary
from functions.identity.principal import ADMIN, ENTERPRISE, STAFF
from functions.shared.pagination import decode_cursor, encode_cursor
from functions.shared.schemas import PageQuery

bp = ApiBlueprint(__name__, tag="finance")


@bp.api("/finance/vocabulary", summary="Guarantee types, source channels and the published rejection reasons",
        response=VocabularyOut, roles=None)
def vocabulary(call: Call):
    return VocabularyOut(**page_vocabulary())


@bp.api("/finance/demands", "POST", summary="Post a financing demand (an enterprise), or enter one collected offline or "
        "through another channel (staff); the same matter through a second channel is merged into the first (200)",
        body=DemandIn, response=DemandOut, status=201, roles=(ENTERPRISE, STAFF, ADMIN), errors=(409,))
def post_demand(call: Call):
    body: DemandIn = call.body
    call.retry_on = set(demands.FEED_RACE)  # another demand took the feed's next number first: run again
    posted = demands.post(call.uow, call.caller, demands.Posting(
        amount_fen=body.amount_fen, term_months=body.term_months, purpose=body.purpose, guarantee=body.guarantee,
        source_channel=body.source_channel, enterprise_uscc=body.enterprise_uscc))
    view = demands.view_of(posted.demand, call.uow.audits)
    return Reply(presenters.demand(view, duplicate=posted.duplicate), status=200 if posted.duplicate else 201)


@bp.api("/finance/demands", summary="The calling enterprise's demands, newest first", query=PageQuery, response=DemandPageOut,
        roles=(ENTERPRISE,))
def my_demands(call: Call):
    cursor = decode_cursor(call.query.cursor, expected={"enterprise_uscc": call.caller.org_id})
    rows, key = demands.enterprise_demands(call.caller, cursor, call.query.limit)
    return DemandPageOut(items=[presenters.summary(d) for d in rows], next_cursor=encode_cursor(key))


@bp.api("/finance/demands/{demand_id}", summary="One demand with its timeline: published, claimed by whom, contacted, "
        "approved, disbursed or rejected with the reason", response=DemandOut)
def read_demand(call: Call):
    return presenters.demand(demands.read(call.caller, call.params["demand_id"]))


@bp.api("/finance/consents", "POST", summary="Consent to an institution (or every one: *) reading your credit report, "
        "for one demand or standing, until it expires or you revoke it", body=ConsentIn, response=ConsentOut, status=201,
        roles=(ENTERPRISE,))
def grant_consent(call: Call):
    body: ConsentIn = call.body
    consent = consents.grant(call.uow, call.caller, consents.Grant(body.institution_id, body.scope, body.expires_at, body.demand_id))
    return Reply(presenters.consent(consent, call.now), status=201)


@bp.api("/finance/consents", summary="Your consents, newest first, each live or not", response=list[ConsentOut],
        roles=(ENTERPRISE,))
def list_consents(call: Call):
    return [presenters.consent(c, call.now) for c in consents.mine(call.caller)]


@bp.api("/finance/consents/{consent_id}/revoke", "POST", summary="Revoke a consent: no read rests on it from now on",
        response=ConsentOut, roles=(ENTERPRISE,), errors=(409,))
def revoke_consent(call: Call):
    return presenters.consent(consents.revoke(call.uow, call.caller, call.params["consent_id"]), call.now)


@bp.api("/finance/data-reads", summary="The log of your data: every read by an institution (who, when, under which "
        "consent), and consents given and revoked", query=PageQuery, response=DataReadPageOut, roles=(ENTERPRISE,))
def data_reads(call: Call):
    entity = consents.data_entity(call.caller.org_id)
    cursor = decode_cursor(call.query.cursor, expected={"entity": entity})
    rows, key = consents.reads(call.caller, call.query.limit, cursor)
    return DataReadPageOut(items=[presenters.data_read(r) for r in rows], next_cursor=encode_cursor(key))
