"""The per-object access helper: every role, the right and the wrong organisation and district."""
from __future__ import annotations

import pytest

from functions.identity.access import READ, WRITE, Resource, can, require
from functions.identity.principal import Principal
from functions.shared.errors import Forbidden, NotFound

ENT_A = "91370202MA3C4R7K75"
ENT_B = "91370211MA3D2H8N0J"
APPEAL = Resource("appeal", "A1", district="370212", parties=frozenset({ENT_A, "unit-laoshan-approval"}))


def who(role, org, district="370200"):
    return Principal(sub=f"{role}-x", role=role, org_id=org, district=district)


@pytest.mark.parametrize(
    "principal, action, allowed",
    [
        (who("enterprise", ENT_A, "370202"), READ, True),
        (who("enterprise", ENT_A, "370202"), WRITE, True),
        (who("enterprise", ENT_B, "370211"), READ, False),  # another enterprise
        (who("staff", "unit-laoshan-approval", "370212"), WRITE, True),
        (who("staff", "unit-tax"), READ, False),  # a unit not party to it
        (who("bank", "bank-qrcb"), READ, False),
        (who("dispatcher", "unit-dispatch"), WRITE, True),  # the city covers every district
        (who("dispatcher", "unit-jimo-dispatch", "370215"), READ, False),  # another district
        (who("supervisor", "unit-supervision"), WRITE, True),
        (who("custodian", "unit-big-data"), READ, True),
        (who("admin", "unit-laoshan-approval", "370212"), WRITE, True),
        (who("admin", "unit-jimo", "370215"), READ, False),
        (who("auditor", "unit-supervision"), READ, True),
        (who("auditor", "unit-supervision"), WRITE, False),  # auditors change nothing
    ],
)
def test_can(principal, action, allowed):
    assert can(principal, action, APPEAL) is allowed


def test_invisible_objects_are_not_found_so_existence_does_not_leak():
    with pytest.raises(NotFound):
        require(who("enterprise", ENT_B, "370211"), READ, APPEAL)
    with pytest.raises(NotFound):
        require(who("enterprise", ENT_B, "370211"), WRITE, APPEAL)


def test_visible_but_not_changeable_is_forbidden():
    with pytest.raises(Forbidden):
        require(who("auditor", "unit-supervision"), WRITE, APPEAL)
    writers_only_staff = Resource("appeal", "A1", "370212", frozenset({ENT_A, "unit-laoshan-approval"}), frozenset({"staff"}))
    with pytest.raises(Forbidden):
        require(who("enterprise", ENT_A, "370202"), WRITE, writers_only_staff)
    require(who("staff", "unit-laoshan-approval", "370212"), WRITE, writers_only_staff)
