"""Typed loaders for `data/special_action.json` and `data/demo.json`.

`load_special_action()` is real reference data (the special action's key areas and units,
verbatim from the source); `load_demo()` adds the fictitious demo organisations and users on top.
Both are cached and return immutable dataclasses.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from functions.refdata.enterprise_size import SizeResult, classify, industry_group

DATA_DIR = Path(__file__).with_name("data")

ROLES = ("enterprise", "staff", "dispatcher", "supervisor", "custodian", "bank", "admin", "auditor")


@dataclass(frozen=True)
class KeyArea:
    id: str
    seq: int  # 1-based position in the source list
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Unit:
    id: str
    name_zh: str
    name_en: str
    level: str  # "city" | "district"
    district: str
    roles: tuple[str, ...] = ()  # e.g. "dispatch_centre", "supervisory"
    key_areas: tuple[str, ...] = ()  # key-area ids the unit works on
    seq: int | None = None  # position in the special action's list; None for demo-only units
    note: str = ""

    @property
    def participating(self) -> bool:
        """One of the special action's 35 participating units."""
        return self.seq is not None


@dataclass(frozen=True)
class Enterprise:
    uscc: str
    name_zh: str
    name_en: str
    district: str
    industry_code: str  # GB/T 4754-2017
    employees: int | None
    revenue_wan: float | None
    assets_wan: float | None
    foreign_invested: bool = False

    @property
    def org_id(self) -> str:
        return self.uscc

    def size(self) -> SizeResult:
        return classify(industry_group(self.industry_code), self.employees, self.revenue_wan, self.assets_wan)


@dataclass(frozen=True)
class Bank:
    id: str
    name_zh: str
    name_en: str
    district: str


@dataclass(frozen=True)
class DemoUser:
    user_id: str
    role: str
    org_id: str  # credit code (enterprise), unit id (staff etc.) or bank id (bank)
    district: str
    display_name: str
    client_id: str | None = None  # bank users only: OAuth client-credentials
    client_secret: str | None = None  # DEMO ONLY
    branches: tuple[str, ...] = ()  # bank clients: the branches it is narrowed to (none: the whole institution)


@dataclass(frozen=True)
class SpecialAction:
    key_areas: tuple[KeyArea, ...]
    units: tuple[Unit, ...]  # the 35 participating units, in source order
    source: dict


@dataclass(frozen=True)
class DemoData:
    key_areas: tuple[KeyArea, ...]
    units: tuple[Unit, ...]  # participating units first (source order), then demo-only units
    enterprises: tuple[Enterprise, ...]
    banks: tuple[Bank, ...]
    users: tuple[DemoUser, ...]

    def unit(self, unit_id: str) -> Unit:
        return next(u for u in self.units if u.id == unit_id)

    def enterprise(self, uscc: str) -> Enterprise:
        return next(e for e in self.enterprises if e.uscc == uscc)

    def bank(self, bank_id: str) -> Bank:
        return next(b for b in self.banks if b.id == bank_id)

    def user(self, user_id: str) -> DemoUser:
        return next(u for u in self.users if u.user_id == user_id)

    def users_with_role(self, role: str) -> tuple[DemoUser, ...]:
        return tuple(u for u in self.users if u.role == role)

    def units_with_role(self, role: str) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if role in u.roles)

    @property
    def dispatch_centre(self) -> Unit:
        return self.units_with_role("dispatch_centre")[0]

    @property
    def supervisory_unit(self) -> Unit:
        return self.units_with_role("supervisory")[0]


def _read(name: str) -> dict:
    with (DATA_DIR / name).open(encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=1)
def load_special_action() -> SpecialAction:
    raw = _read("special_action.json")
    key_areas = tuple(KeyArea(a["id"], a["seq"], a["name_zh"], a["name_en"]) for a in raw["key_areas"])
    units = tuple(
        Unit(u["id"], u["name_zh"], u["name_en"], "city", "370200", seq=u["seq"], note=u.get("note", ""))
        for u in raw["units"]
    )
    return SpecialAction(key_areas, units, raw["source"])


@lru_cache(maxsize=1)
def load_demo() -> DemoData:
    special = load_special_action()
    raw = _read("demo.json")
    demo_units = tuple(
        Unit(u["id"], u["name_zh"], u["name_en"], u["level"], u["district"],
             roles=tuple(u.get("roles", ())), key_areas=tuple(u.get("key_areas", ())))
        for u in raw["units"]
    )
    enterprises = tuple(
        Enterprise(e["uscc"], e["name_zh"], e["name_en"], e["district"], e["industry_code"],
                   e.get("employees"), e.get("revenue_wan"), e.get("assets_wan"),
                   e.get("foreign_invested", False))
        for e in raw["enterprises"]
    )
    banks = tuple(Bank(b["id"], b["name_zh"], b["name_en"], b["district"]) for b in raw["banks"])
    users = tuple(
        DemoUser(u["user_id"], u["role"], u["org_id"], u["district"], u["display_name"],
                 u.get("client_id"), u.get("client_secret"), tuple(u.get("branches") or ()))
        for u in raw["users"]
    )
    return DemoData(special.key_areas, special.units + demo_units, enterprises, banks, users)
