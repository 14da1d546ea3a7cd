"""The platform's own reads: an object's audit trail, for those who oversee the stack."""
from __future__ import annotations

from typing import Any

from functions.identity.access import READ, Resource, require
from functions.identity.principal import Principal
from functions.settings import get_settings
from functions.shared.audit import AuditRecord, audit_page


def audit_trail(caller: Principal, entity: str, cursor: dict[str, Any] | None,
                limit: int) -> tuple[list[AuditRecord], dict[str, Any] | None]:
    """One page of `entity`'s audit trail, oldest first (one Query). Everything in a stack belongs to
    the stack's jurisdiction; the access rules decide who oversees it."""
    require(caller, READ, Resource("audit trail", entity, get_settings().division_code))
    return audit_page(entity, limit, cursor)
