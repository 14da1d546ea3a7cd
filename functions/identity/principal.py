"""The verified caller. Built only from a verified token; never from request data."""
from __future__ import annotations

from dataclasses import dataclass

ENTERPRISE = "enterprise"
STAFF = "staff"
DISPATCHER = "dispatcher"
SUPERVISOR = "supervisor"
CUSTODIAN = "custodian"
BANK = "bank"
ADMIN = "admin"
AUDITOR = "auditor"

ROLES = (ENTERPRISE, STAFF, DISPATCHER, SUPERVISOR, CUSTODIAN, BANK, ADMIN, AUDITOR)
# Roles whose reach is their jurisdiction (a district, or the whole city) rather than their own
# organisation's objects.
OVERSIGHT_ROLES = frozenset({DISPATCHER, SUPERVISOR, CUSTODIAN, ADMIN, AUDITOR})
READ_ONLY_ROLES = frozenset({AUDITOR})


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    org_id: str  # credit code (enterprise), unit id (staff and oversight roles) or institution id (bank)
    district: str  # division code of the caller's jurisdiction; 370200 is the whole city
    name: str = ""
    issuer: str = ""
    scopes: tuple[str, ...] = ()
