"""Identity routes: bank client credentials (RFC 6749 §4.4), the JWKS, the dev issuer's login."""
from __future__ import annotations

import json

from chalice import Response

from functions.identity import service, tokens
from functions.identity.schemas import (
    ClientCredentialsIn,
    ClientTokenOut,
    DevLoginIn,
    DevUserOut,
    TokenOut,
    WhoAmIOut,
)
from functions.shared.errors import DomainError, RateLimited
from functions.api.routes import ApiBlueprint, Call

bp = ApiBlueprint(__name__, tag="identity")


def _oauth_error(status: int, error: str, description: str, extra_headers: dict[str, str] | None = None) -> Response:
    # RFC 6749 §5.2 prescribes this body for token-endpoint errors; bank clients' OAuth
    # libraries parse it, so it is kept here instead of problem+json.
    headers = {"Content-Type": "application/json", "Cache-Control": "no-store", "Pragma": "no-cache", **(extra_headers or {})}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="qingdao-platform"'
    return Response(json.dumps({"error": error, "error_description": description}), status_code=status, headers=headers)


@bp.api(
    "/oauth/token",
    "POST",
    summary="Bank client credentials grant (RFC 6749 §4.4)",
    form=ClientCredentialsIn,
    response=ClientTokenOut,
    roles=None,
    idempotent=False,
    errors=(401, 429),
    raw=True, protocol_errors=True,
)
def oauth_token(call: Call):
    form: ClientCredentialsIn = call.body
    if form.grant_type != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "Only client_credentials is supported.")
    try:
        grant = service.client_credentials(form.client_id, form.client_secret, call.now, client_address=call.client_address)
    except service.InvalidClient as error:
        return _oauth_error(401, "invalid_client", error.detail)
    except RateLimited as error:
        # Too many failures from the caller's network. RFC 6749 has no code for this; `slow_down`
        # is the token-endpoint error registered (RFC 8628) for "wait before trying again".
        return _oauth_error(429, "slow_down", error.detail, {"Retry-After": error.headers["Retry-After"]})
    except DomainError:
        raise
    body = ClientTokenOut(access_token=grant.access_token, token_type="Bearer", expires_in=grant.expires_in, scope=grant.scope)
    return Response(
        body.model_dump_json(),
        status_code=200,
        headers={"Content-Type": "application/json", "Cache-Control": "no-store", "Pragma": "no-cache"},
    )


@bp.api("/auth/jwks.json", summary="The platform issuer's public keys (JWKS)", roles=None)
def jwks(call: Call):
    return tokens.platform_keys.jwks(call.now)


@bp.api("/auth/me", summary="Who the bearer token says the caller is", response=WhoAmIOut)
def whoami(call: Call):
    p = call.caller
    return WhoAmIOut(sub=p.sub, role=p.role, org_id=p.org_id, district=p.district, name=p.name)


@bp.api(
    "/auth/dev-users",
    summary="The demo people (local and dev stages only)",
    response=list[DevUserOut],
    roles=None,
    dev_only=True,
)
def dev_users(call: Call):
    return [
        DevUserOut(
            user_id=u.user_id,
            role=u.role,
            org_id=u.org_id,
            display_name=u.display_name,
            district=u.district,
            client_id=u.client_id,
            client_secret=u.client_secret,
        )
        for u in service.list_dev_users()
    ]


@bp.api(
    "/auth/dev-login",
    "POST",
    summary="Sign in as a demo person (local and dev stages only)",
    body=DevLoginIn,
    response=TokenOut,
    roles=None,
    idempotent=False,
    dev_only=True,
    errors=(404,),
)
def dev_login(call: Call):
    grant = service.dev_login(call.body.user_id, call.now)
    return TokenOut(access_token=grant.access_token, token_type="Bearer", expires_in=grant.expires_in)
