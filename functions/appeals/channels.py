"""Open311 channels as an administrator manages them: list, create, disable, enable, rotate the key.

The rules:
- admins only; an admin reaches the channels of their jurisdiction (identity.access: a district
  admin its district's, a city admin every district's). Another jurisdiction's channel is a 404,
  as if it did not exist; creating one in another jurisdiction is a 403.
- a channel is (channel, district): that pair decides which requests a key sees (open311.py
  `channel_key`), so a second registration of the same pair is a 409 ("rotate its key instead").
- a new key is answered once: it is not kept, not even sealed in the idempotency store (the routes
  never replay). A rotation replaces the key's item in one transaction: the old key stops working
  at once, the channel keeps its id, its state and its requests.
- disabling a disabled channel (enabling an enabled one) changes nothing and answers 200 with the
  channel as it is: no write, no audit record.
Every change goes into the caller's UnitOfWork with its audit record (`open311-channel#{id}`).
No notice applies: a channel's operator is told by the admin who holds the key.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, field_validator

from functions.appeals.open311 import (
    REGISTRY,
    Open311Channel,
    channel_item,
    new_api_key,
    new_channel_id,
)
from functions.appeals.vocabulary import INTAKE_CHANNELS
from functions.identity.access import WRITE, Resource, require
from functions.identity.principal import ADMIN, Principal
from functions.refdata.divisions import covers, parse_division
from functions.settings import get_settings
from functions.shared.audit import UnitOfWork
from functions.shared.clock import isoformat_utc
from functions.shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from functions.shared.schemas import Instant, Schema

KIND = "Open311 channel"
WRITERS = frozenset({ADMIN})


# -- schemas ---------------------------------------------------------------------------------------
class Open311ChannelIn(Schema):
    channel: Literal[INTAKE_CHANNELS] = Field(description="How requests arrive: " + ", ".join(INTAKE_CHANNELS))
    district: str = Field(description="The division the channel serves (GB/T 2260; 370200 is the whole city)")
    display_name: str = Field(min_length=2, max_length=100)

    @field_validator("district")
    @classmethod
    def _district(cls, value: str) -> str:
        try:
            code = parse_division(value, "district")
        except ValidationFailed as error:
            raise ValueError(error.errors[0].message) from None
        stage = get_settings().division_code
        if not covers(stage, code):
            raise ValueError(f"{code} is not served by this stage ({stage})")
        return code


class Open311ChannelOut(Schema):
    channel_id: str
    channel: str
    district: str
    display_name: str
    enabled: bool
    created_at: Instant
    key_rotated_at: Instant | None = None


class Open311ChannelKeyOut(Schema):
    """A channel with its new key: the only answer that ever holds the key."""

    channel: Open311ChannelOut
    api_key: str = Field(description="The channel's API key. Shown this once: it is not stored and cannot be shown again.")


# -- use cases -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Issued:
    channel: Open311Channel
    api_key: str


def _require_admin(caller: Principal) -> None:
    if caller.role != ADMIN:
        raise Forbidden("Only an administrator manages Open311 channels.")


def _resource(channel: Open311Channel) -> Resource:
    return Resource(kind=KIND, object_id=channel.channel_id or "", district=channel.district, writers=WRITERS)


def record(channel: Open311Channel) -> dict[str, Any]:
    """How an audit record shows a channel (never its key, nor the key's hash)."""
    return {"channel_id": channel.channel_id, "channel": channel.channel, "district": channel.district,
            "display_name": channel.display_name, "enabled": channel.enabled}


def _registered() -> list[Open311Channel]:
    return list(Open311Channel.registry_index.query(REGISTRY))


def list_channels(caller: Principal) -> list[Open311Channel]:
    """The channels of the caller's jurisdiction, by id: one Query of registry-index."""
    _require_admin(caller)
    return [c for c in _registered() if covers(caller.district, c.district)]


def load_channel(caller: Principal, channel_id: str) -> Open311Channel:
    """One channel the caller may change: its item in registry-index, then read again consistently
    by its key hash (the index may lag a rotation). 404 outside the caller's jurisdiction."""
    _require_admin(caller)
    found = list(Open311Channel.registry_index.query(REGISTRY, Open311Channel.channel_id == channel_id, limit=1))
    channel = None
    if found:
        try:
            channel = Open311Channel.get(found[0].key_hash, consistent_read=True)
        except Open311Channel.DoesNotExist:
            channel = None
    if channel is None or channel.channel_id != channel_id:
        raise NotFound(f"No {KIND} {channel_id}.")
    require(caller, WRITE, _resource(channel))
    return channel


def create_channel(uow: UnitOfWork, caller: Principal, body: Open311ChannelIn) -> Issued:
    _require_admin(caller)
    if not covers(caller.district, body.district):
        raise Forbidden(f"An administrator of {caller.district} creates channels of that jurisdiction only.")
    # The index is read, not conditioned on: two admins registering the same pair within the index's
    # lag get two listed channels that share requests, which either can disable. Rare and visible.
    taken = [c for c in _registered() if (c.channel, c.district) == (body.channel, body.district)]
    if taken:
        raise Conflict(f"{body.channel}@{body.district} is registered already as {taken[0].channel_id}; "
                       "rotate its key instead.")
    api_key = new_api_key()
    channel = channel_item(api_key, new_channel_id(), body.channel, body.district, body.display_name,
                           isoformat_utc(uow.now))
    uow.put(channel, Open311Channel.key_hash.does_not_exist(), label="open311-channel")
    uow.audit(f"open311-channel#{channel.channel_id}", "open311_channel.created", after=record(channel))
    return Issued(channel, api_key)


def set_enabled(uow: UnitOfWork, caller: Principal, channel_id: str, enabled: bool) -> Open311Channel:
    """Disable or enable a channel; a channel already so is answered as it is (no write)."""
    channel = load_channel(caller, channel_id)
    if channel.enabled == enabled:
        return channel
    before = record(channel)
    uow.update(channel, [Open311Channel.enabled.set(enabled)],
               Open311Channel.key_hash.exists() & (Open311Channel.enabled == (not enabled)), label="open311-channel")
    channel.enabled = enabled
    uow.audit(f"open311-channel#{channel_id}", "open311_channel." + ("enabled" if enabled else "disabled"),
              before=before, after=record(channel))
    return channel


def rotate_key(uow: UnitOfWork, caller: Principal, channel_id: str) -> Issued:
    """A new key for the channel; the old key's item is deleted in the same transaction."""
    old = load_channel(caller, channel_id)
    api_key = new_api_key()
    new = channel_item(api_key, channel_id, old.channel, old.district, old.display_name, old.created_at, old.enabled)
    new.key_rotated_at = isoformat_utc(uow.now)
    uow.delete(old, Open311Channel.key_hash.exists() & (Open311Channel.channel_id == channel_id), label="open311-channel")
    uow.put(new, Open311Channel.key_hash.does_not_exist(), label="open311-channel-key")
    uow.audit(f"open311-channel#{channel_id}", "open311_channel.key_rotated", before=record(old), after=record(new))
    return Issued(new, api_key)


# -- presenting ------------------------------------------------------------------------------------
def present(channel: Open311Channel) -> Open311ChannelOut:
    return Open311ChannelOut(channel_id=channel.channel_id or "", channel=channel.channel, district=channel.district,
                      display_name=channel.display_name, enabled=channel.enabled, created_at=channel.created_at,
                      key_rotated_at=channel.key_rotated_at)


def present_key(issued: Issued) -> Open311ChannelKeyOut:
    return Open311ChannelKeyOut(channel=present(issued.channel), api_key=issued.api_key)
