"""Credit items and reports as the API shows them, from what the service returned. No table reads."""
from __future__ import annotations

from datetime import date

from functions.finance.reports.models import CreditItem
from functions.finance.reports.schemas import CreditItemOut, CreditItemsOut, CreditReportOut, VerifyOut
from functions.finance.reports.service import IssuedCreditReport, Verification


def items(uscc: str, written: list[CreditItem]) -> CreditItemsOut:
    return CreditItemsOut(uscc=uscc, imported=[
        CreditItemOut(item_id=i.item_id, kind=i.kind, source=i.source, as_of=date.fromisoformat(i.as_of),
                      data=i.data or {}) for i in written])


def report(issued: IssuedCreditReport, verify_url: str) -> CreditReportOut:
    return CreditReportOut(report_no=issued.report_no, generated_at=issued.report["generated_at"],
                           sha256=issued.sha256, verify_url=verify_url, report=issued.report)


def verification(found: Verification) -> VerifyOut:
    return VerifyOut(report_no=found.report_no, issued=True, issued_at=found.issued_at,
                     sha256_matches=found.sha256_matches)
