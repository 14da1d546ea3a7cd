"""The financing statistics route (青融通): per bank, branch or district, for a month or a year. Thin."""
from __future__ import annotations

from functions.api.routes import ApiBlueprint, Call
from functions.finance import stats
from functions.finance.stats_schemas import FinanceStatRowOut, FinanceStatsOut, FinanceStatsQuery
from functions.identity.principal import ADMIN, AUDITOR, STAFF, SUPERVISOR

bp = ApiBlueprint(__name__, tag="finance")


def _row(row: stats.StatRow) -> FinanceStatRowOut:
    return FinanceStatRowOut(key=row.key, name=row.name, name_en=row.name_en, **row.figures)


@bp.api("/finance/stats", summary="The financing platform's statistics for a month or a year, one row per bank, branch or "
        "district: claims, contacts, approvals, rejections, disbursements, lapsed leases, the approval rate, the amount "
        "approved over the amount asked, the mean waits to claim and to contact; with the city's totals. A district's "
        "reader sees its district only", query=FinanceStatsQuery, response=FinanceStatsOut,
        roles=(ADMIN, SUPERVISOR, AUDITOR, STAFF))
def finance_stats(call: Call):
    query: FinanceStatsQuery = call.query
    found = stats.read(call.caller, query.period or stats.periods(call.now)[0], query.by)
    return FinanceStatsOut(period=found.period, by=found.by, items=[_row(r) for r in found.items], totals=_row(found.totals))
