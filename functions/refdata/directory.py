"""The handling units of this stack, for every platform: names, roles and the ones a platform
notifies (dispatch centres, supervisory units). Few and rarely changed, so one Query, cached per
process for five minutes; a unit added by an administrator shows up within that time everywhere.
"""
from __future__ import annotations

from functions.refdata.models import Organisation, list_orgs
from functions.shared.cache import ProcessCache
from functions.shared.errors import FieldError, NotFound, ValidationFailed

CACHE_SECONDS = 300.0
SUPERVISORY = "supervisory"
DISPATCH_CENTRE = "dispatch_centre"


class UnitDirectory:
    def __init__(self) -> None:
        self._cache: ProcessCache[dict[str, Organisation]] = ProcessCache(
            "refdata.units", lambda: {u.org_id: u for u in list_orgs("unit")}, CACHE_SECONDS)

    def all(self) -> dict[str, Organisation]:
        return self._cache.get()

    def get(self, unit_id: str, field_name: str) -> Organisation:
        """The unit a request names in `field_name`, or 422 naming that field."""
        unit = self.all().get(unit_id)
        if unit is None:
            raise ValidationFailed([FieldError(field_name, f"no unit {unit_id!r}")])
        return unit

    def find(self, unit_id: str) -> Organisation:
        """The unit a path names, or 404."""
        unit = self.all().get(unit_id)
        if unit is None:
            raise NotFound(f"No unit {unit_id}.")
        return unit

    def names(self) -> dict[str, str]:
        return {unit_id: unit.name_zh for unit_id, unit in self.all().items()}

    def with_role(self, role: str) -> list[str]:
        return sorted(u for u, unit in self.all().items() if role in (unit.roles or []))

    def forget(self) -> None:
        self._cache.forget()


units = UnitDirectory()


def supervisory_unit_ids() -> list[str]:
    return units.with_role(SUPERVISORY)


def dispatch_centre_ids() -> list[str]:
    return units.with_role(DISPATCH_CENTRE)
