"""The one helper that decides, per object, whether the caller may see or change it.

Every route that touches an object describes it as a `Resource` (its district and the
organisations that are party to it) and calls `require`. The rules:

- enterprise, staff and bank see and act on an object only when their organisation is a party to it;
- dispatcher, supervisor, custodian and admin reach every object in their jurisdiction
  (their district; the city covers every district);
- auditor reads everything in their jurisdiction and changes nothing;
- a caller who may not even see an object gets 404, so existence does not leak; one who may see
  it but not change it gets 403.
Platform services add the finer rules (which role may take which action in which status).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from functions.identity.principal import OVERSIGHT_ROLES, READ_ONLY_ROLES, Principal
from functions.refdata.divisions import covers
from functions.shared.errors import Forbidden, NotFound

READ = "read"
WRITE = "write"


@dataclass(frozen=True)
class Resource:
    kind: str
    object_id: str
    district: str
    parties: frozenset[str] = field(default_factory=frozenset)
    # Roles that may act (write) on this kind of object at all; None means any role that may read it.
    writers: frozenset[str] | None = None


def can(principal: Principal, action: str, resource: Resource) -> bool:
    if principal.role in OVERSIGHT_ROLES:
        visible = covers(principal.district, resource.district)
    else:
        visible = principal.org_id in resource.parties
    if not visible:
        return False
    if action == READ:
        return True
    if principal.role in READ_ONLY_ROLES:
        return False
    return resource.writers is None or principal.role in resource.writers


def require(principal: Principal, action: str, resource: Resource) -> None:
    if can(principal, action, resource):
        return
    if action != READ and can(principal, READ, resource):
        raise Forbidden(f"A {principal.role} may not change this {resource.kind}.")
    raise NotFound(f"No {resource.kind} {resource.object_id}.")


def require_role(principal: Principal, *roles: str) -> None:
    if principal.role not in roles:
        raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")
