"""The profile as the API shows it, from what the service read. No table reads here."""
from __future__ import annotations

from datetime import date

from functions.enterprises.facts import Fact
from functions.enterprises.schemas import (
    DistrictOut,
    EnterpriseProfileOut,
    NotificationSettingsOut,
    SizeClassOut,
    SourcedDateOut,
    SourcedIntOut,
    SourcedSetOut,
    SourcedTextOut,
)
from functions.enterprises.service import LIST_FIELDS, TEXT_FIELDS, ProfileView, SettingsView
from functions.refdata.divisions import BY_CODE
from functions.shared.clock import parse_optional_instant


def _sourced(name: str, fact: Fact | None):
    if fact is None:
        return None
    if isinstance(fact.value, date):
        return SourcedDateOut(value=fact.value, source=fact.source, as_of=fact.as_of)
    if name in LIST_FIELDS:
        return SourcedSetOut(value=sorted(fact.value), source=fact.source, as_of=fact.as_of)
    kind = SourcedTextOut if name in TEXT_FIELDS else SourcedIntOut
    return kind(value=fact.value, source=fact.source, as_of=fact.as_of)


def profile(view: ProfileView) -> EnterpriseProfileOut:
    division = BY_CODE.get(view.district)  # a code registered outside Qingdao has no name here
    stored = {name: _sourced(name, view.fields.get(name)) for name in
              ("name", "industry_code", "founded_on", "registered_capital_fen", "employees", "revenue_fen",
               "assets_fen", "rd_expense_fen", "certifications", "tax_credit_rating")}
    return EnterpriseProfileOut(
        uscc=view.uscc,
        district=DistrictOut(code=view.district, name_zh=division.name_zh if division else view.district,
                             name_en=division.name_en if division else view.district),
        **stored,
        size_class=SizeClassOut(value=view.size.size, basis=view.size.basis, missing=list(view.size.missing),
                                possible=list(view.size.possible)),
        years_since_founding=view.years_since_founding,
        version=view.version,
        updated_at=parse_optional_instant(view.updated_at),
    )


def settings(view: SettingsView) -> NotificationSettingsOut:
    return NotificationSettingsOut(uscc=view.uscc, policy_alerts=view.policy_alerts, topics=list(view.topics),
                                   updated_at=parse_optional_instant(view.updated_at))
