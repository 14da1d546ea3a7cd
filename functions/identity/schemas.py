from __future__ import annotations

from typing import Literal

from pydantic import Field

from functions.shared.schemas import Schema


class DevUserOut(Schema):
    user_id: str
    role: str
    org_id: str
    display_name: str
    district: str
    client_id: str | None = None
    client_secret: str | None = None


class DevLoginIn(Schema):
    user_id: str = Field(min_length=1, max_length=64)


class TokenOut(Schema):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int


class ClientCredentialsIn(Schema):
    grant_type: str
    client_id: str = Field(min_length=1, max_length=128)
    client_secret: str = Field(min_length=1, max_length=256)
    scope: str | None = None


class ClientTokenOut(Schema):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    scope: str


class WhoAmIOut(Schema):
    sub: str
    role: str
    org_id: str
    district: str
    name: str
