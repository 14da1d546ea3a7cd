"""The enterprise profile's use cases: read it, self-declare fields, import fields. No Chalice.

Who may do what (the profile is the enterprise's own object, its district that of its credit code):
- the enterprise itself (its org_id is its credit code) reads its profile and self-declares fields;
- admin and auditor reach every profile in their jurisdiction (identity.access: oversight roles);
  admin imports fields, the auditor only reads;
- staff read the profiles of their jurisdiction (the reviewers of a policy project, later the
  checkers of a credit report need the applicant's facts) and change nothing;
- anyone else, another enterprise included, gets 404: a profile's existence does not leak.

Every change goes into the caller's unit of work: the profile (conditioned on its version, so a
concurrent change loses with 409) and an audit record of the fields before and after.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from functions.enterprises.facts import (
    IMPORTED,
    SELF_DECLARED,
    STORED_FIELDS,
    Fact,
    ProfileFacts,
    facts_of,
    size_of,
    years_since,
)
from functions.enterprises.models import (
    EnterpriseProfile,
    NotificationSettings,
    SourcedList,
    SourcedNumber,
    SourcedText,
    district_of,
)
from functions.identity.access import READ, WRITE, Resource, require
from functions.identity.principal import ADMIN, ENTERPRISE, STAFF, Principal
from functions.refdata.divisions import covers
from functions.refdata.enterprise_size import SizeResult
from functions.refdata.uscc import parse_uscc
from functions.shared.audit import UnitOfWork
from functions.shared.clock import SHANGHAI, get_clock, isoformat_utc
from functions.shared.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed

KIND = "enterprise profile"
TEXT_FIELDS = ("name", "industry_code", "founded_on", "tax_credit_rating")
LIST_FIELDS = ("certifications",)


@dataclass(frozen=True)
class ProfileView:
    """A profile as read (or as it will be once the caller's unit of work commits)."""

    uscc: str
    district: str
    fields: dict[str, Fact]  # stored fields only
    version: int
    updated_at: str | None
    size: SizeResult
    years_since_founding: int | None

    @property
    def facts(self) -> ProfileFacts:
        return facts_of(self.uscc, self.district, self.fields)


def _district(uscc: str) -> str:
    return district_of(uscc)


def _resource(uscc: str) -> Resource:
    return Resource(KIND, uscc, _district(uscc), frozenset({uscc}), writers=frozenset({ENTERPRISE, ADMIN}))


def _require(caller: Principal, action: str, uscc: str) -> None:
    resource = _resource(uscc)
    if caller.role == STAFF and covers(caller.district, resource.district):
        if action == READ:
            return
        raise Forbidden("Staff read enterprise profiles; they do not change them.")
    require(caller, action, resource)


def _credit_code(value: str) -> str:
    """A path's credit code, normalised; one that is not a valid code names no profile (404)."""
    try:
        return parse_uscc(value)
    except ValidationFailed:
        raise NotFound(f"No {KIND} {value}.") from None


def _today() -> date:
    return get_clock().now().astimezone(SHANGHAI).date()


def _load(uscc: str, consistent: bool = False) -> EnterpriseProfile | None:
    try:
        return EnterpriseProfile.get(uscc, consistent_read=consistent)
    except EnterpriseProfile.DoesNotExist:
        return None


def stored_facts(profile: EnterpriseProfile | None) -> dict[str, Fact]:
    if profile is None:
        return {}
    found: dict[str, Fact] = {}
    for name in STORED_FIELDS:
        attribute = getattr(profile, name)
        if attribute is None:
            continue
        value: Any = attribute.value
        if name == "founded_on":
            value = date.fromisoformat(value)
        elif name in LIST_FIELDS:
            value = frozenset(value or ())
        elif name not in TEXT_FIELDS:
            value = int(value)
        found[name] = Fact(value, attribute.source, date.fromisoformat(attribute.as_of))
    return found


def _view(uscc: str, fields: dict[str, Fact], version: int, updated_at: str | None) -> ProfileView:
    value = (lambda name: fields[name].value if name in fields else None)
    founded = value("founded_on")
    return ProfileView(uscc, _district(uscc), fields, version, updated_at,
                       size_of(value("industry_code"), value("employees"), value("revenue_fen"), value("assets_fen")),
                       None if founded is None else years_since(founded, _today()))


def read(caller: Principal, uscc: str) -> ProfileView:
    """The profile: one GetItem. Never written: the enterprise itself sees it empty, others get 404."""
    uscc = _credit_code(uscc)
    _require(caller, READ, uscc)
    profile = _load(uscc)
    if profile is None and caller.org_id != uscc:
        raise NotFound(f"No {KIND} {uscc}.")
    return _view(uscc, stored_facts(profile), int(profile.version or 0) if profile else 0,
                 profile.updated_at if profile else None)


def facts(uscc: str) -> ProfileFacts:
    """What eligibility and the credit report read, for a caller already allowed to (one GetItem)."""
    uscc = _credit_code(uscc)
    return facts_of(uscc, _district(uscc), stored_facts(_load(uscc)))


def declare(uow: UnitOfWork, caller: Principal, uscc: str, changes: Mapping[str, Any],
            expected_version: int | None = None) -> ProfileView:
    """The enterprise self-declares fields: each is stored as self_declared, as of today."""
    uscc = _credit_code(uscc)
    _require(caller, WRITE, uscc)
    if caller.role != ENTERPRISE:
        raise Forbidden("Only the enterprise itself declares its profile; an admin imports fields.")
    today = _today()
    _check_dates(changes, today, "")
    return _apply(uow, uscc, changes, SELF_DECLARED, today, expected_version, "enterprise_profile.declared")


def import_fields(uow: UnitOfWork, caller: Principal, uscc: str, as_of: date, changes: Mapping[str, Any],
                  expected_version: int | None = None) -> ProfileView:
    """An admin imports an authority's data: each field stored as imported, as of `as_of`."""
    uscc = _credit_code(uscc)
    _require(caller, WRITE, uscc)
    if caller.role != ADMIN:
        raise Forbidden("Fields are imported by an admin.")
    if as_of > _today():
        raise ValidationFailed([FieldError("as_of", "is a day that has not come yet")])
    _check_dates(changes, as_of, "fields.")
    return _apply(uow, uscc, changes, IMPORTED, as_of, expected_version, "enterprise_profile.imported")


def _check_dates(changes: Mapping[str, Any], latest: date, prefix: str) -> None:
    founded = changes.get("founded_on")
    if founded is not None and founded > latest:
        raise ValidationFailed([FieldError(f"{prefix}founded_on", f"must be on or before {latest.isoformat()}")])


def _stored_value(name: str, value: Any) -> Any:
    if name == "founded_on":
        return value.isoformat()
    if name in LIST_FIELDS:
        return sorted(set(value))
    return value


def _snapshot(fields: Mapping[str, Fact], names: list[str]) -> dict[str, Any]:
    shown = {}
    for name in names:
        fact = fields.get(name)
        shown[name] = None if fact is None else {
            "value": _stored_value(name, fact.value), "source": fact.source, "as_of": fact.as_of.isoformat()}
    return shown


def _apply(uow: UnitOfWork, uscc: str, changes: Mapping[str, Any], source: str, as_of: date,
           expected_version: int | None, action: str) -> ProfileView:
    profile = _load(uscc, consistent=True)
    version = int(profile.version or 0) if profile else 0
    if expected_version is not None and expected_version != version:
        raise Conflict(f"The profile is at version {version}, not {expected_version}; read it again.")
    before = stored_facts(profile)
    after = dict(before)
    for name, value in changes.items():
        if value is None:
            continue
        if name in LIST_FIELDS:
            value = frozenset(value)
        if source == SELF_DECLARED and name in before and before[name].value == value:
            continue  # what is known already stays as it is known: an import is not made a mere declaration
        after[name] = Fact(value, source, as_of)
    changed = [name for name in STORED_FIELDS if after.get(name) != before.get(name)]
    if not changed:  # nothing new: no write, no audit record
        return _view(uscc, before, version, profile.updated_at if profile else None)
    if profile is None:
        profile = EnterpriseProfile(uscc=uscc)
    profile.district = _district(uscc)  # the key of district-index (models.py)
    for name in changed:
        fact = after[name]
        attribute = SourcedList if name in LIST_FIELDS else SourcedText if name in TEXT_FIELDS else SourcedNumber
        setattr(profile, name, attribute(value=_stored_value(name, fact.value), source=fact.source,
                                         as_of=fact.as_of.isoformat()))
    profile.updated_at = isoformat_utc(uow.now)
    uow.put(profile, label="profile")  # version-conditioned: a concurrent change of the profile wins (409)
    uow.audit(f"enterprise#{uscc}", action, before=_snapshot(before, changed), after=_snapshot(after, changed))
    return _view(uscc, after, version + 1, profile.updated_at)


# -- notification settings ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SettingsView:
    uscc: str
    policy_alerts: bool
    topics: tuple[str, ...]  # empty: every topic
    updated_at: str | None


DEFAULT_SETTINGS = (True, ())  # never written: alerts on, every topic


def _settings_view(uscc: str, item: NotificationSettings | None) -> SettingsView:
    if item is None:
        return SettingsView(uscc, DEFAULT_SETTINGS[0], DEFAULT_SETTINGS[1], None)
    return SettingsView(uscc, bool(item.policy_alerts), tuple(item.topics or ()), item.updated_at)


def _require_own(caller: Principal, action: str, uscc: str) -> None:
    """Notification settings are the enterprise's own: another organisation gets 404 (as for its
    profile), and an official who may read the profile still may not see or change them (403)."""
    _require(caller, READ, uscc)
    if caller.role != ENTERPRISE or caller.org_id != uscc:
        raise Forbidden("An enterprise's notification settings are its own.")


def read_settings(caller: Principal, uscc: str) -> SettingsView:
    """The enterprise's settings: one GetItem (never written: the defaults)."""
    uscc = _credit_code(uscc)
    _require_own(caller, READ, uscc)
    try:
        item = NotificationSettings.get(uscc)
    except NotificationSettings.DoesNotExist:
        item = None
    return _settings_view(uscc, item)


def save_settings(uow: UnitOfWork, caller: Principal, uscc: str, policy_alerts: bool,
                  topics: list[str]) -> SettingsView:
    """Replace the enterprise's settings (a put in the caller's unit of work, with its audit record)."""
    uscc = _credit_code(uscc)
    _require_own(caller, WRITE, uscc)
    item = NotificationSettings(uscc=uscc, policy_alerts=policy_alerts, topics=sorted(set(topics)),
                                updated_at=isoformat_utc(uow.now))
    uow.put(item, label="notification settings")
    uow.audit(f"enterprise#{uscc}", "enterprise_settings.changed",
              after={"policy_alerts": item.policy_alerts, "topics": list(item.topics)})
    return _settings_view(uscc, item)


def settings_of(usccs: list[str]) -> dict[str, SettingsView]:
    """The settings of many enterprises (the fan-out's page): one BatchGetItem per 100; the defaults
    for those that never wrote any. None asked for: no call."""
    found: dict[str, NotificationSettings] = {}
    for start in range(0, len(usccs), 100):
        found.update({item.uscc: item for item in NotificationSettings.batch_get(usccs[start:start + 100])})
    return {uscc: _settings_view(uscc, found.get(uscc)) for uscc in usccs}


def wants_policy_alert(settings: SettingsView, topics: list[str] | tuple[str, ...]) -> bool:
    """Whether an enterprise with these settings is told of a project with these topics."""
    return settings.policy_alerts and (not settings.topics or not set(settings.topics).isdisjoint(topics))
