"""The platform's own reads: an object's audit trail, for those who oversee the stack; the unit directory."""
from __future__ import annotations

from typing import Any

from functions.identity.access import READ, Resource, require
from functions.identity.principal import ADMIN, AUDITOR, CUSTODIAN, DISPATCHER, STAFF, SUPERVISOR, Principal
from functions.refdata.directory import units
from functions.settings import get_settings
from functions.shared.audit import AuditRecord, audit_page
from functions.shared.errors import Forbidden

WORKBENCH_ROLES = (STAFF, DISPATCHER, SUPERVISOR, CUSTODIAN, ADMIN, AUDITOR)


def audit_trail(caller: Principal, entity: str, cursor: dict[str, Any] | None,
                limit: int) -> tuple[list[AuditRecord], dict[str, Any] | None]:
    """One page of `entity`'s audit trail, oldest first (one Query). Everything in a stack belongs to
    the stack's jurisdiction; the access rules decide who oversees it."""
    require(caller, READ, Resource("audit trail", entity, get_settings().division_code))
    return audit_page(entity, limit, cursor)


def handling_units(caller: Principal) -> list:
    """The stack's handling units, for dispatch and oversight pages (no enterprise or bank needs them).
    From the process's unit directory: no call while it is fresh."""
    if caller.role not in WORKBENCH_ROLES:
        raise Forbidden("The unit directory is for the platform's staff.")
    return sorted(units.all().values(), key=lambda unit: (unit.district, unit.org_id))
