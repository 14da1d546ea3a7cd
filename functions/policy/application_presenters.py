"""Applications, notices, objections and statistics as the API shows them."""
from __future__ import annotations

import json

from functions.policy.application_models import (
    APPROVED,
    AWARDED,
    DECLINED,
    IN_NOTICE,
    IN_REVIEW,
    PAID,
    RETURNED,
    Application,
    DepartmentStats,
    Objection,
    PublicNotice,
)
from functions.policy.application_schemas import (
    ApplicationOut,
    ApplicationPageOut,
    ApplicationSummaryOut,
    AwardPageOut,
    AwardRecordOut,
    CandidateOut,
    CandidatesOut,
    DecisionOut,
    DepartmentStatsOut,
    EventOut,
    PolicyNoticeEntryOut,
    PolicyNoticeOut,
    PolicyNoticePageOut,
    ObjectionOut,
    PaymentOut,
    ApplicationRatingOut,
    StageOut,
    StepOut,
)
from functions.policy.applications import ApplicationView
from functions.shared.clock import parse_instant, parse_optional_instant
from functions.shared.pagination import encode_cursor


def steps(app: Application, clocks: dict) -> list[StepOut]:
    """From application to money, each step with its owner and deadline: done, current, waiting, or
    skipped (never reached: rejected, withdrawn or declined before it; no application for 免申即享)."""
    status, stage = app.status, int(app.stage)
    past_review = status in (APPROVED, IN_NOTICE, AWARDED, PAID) or (status == DECLINED and stage >= len(app.stages))
    found = [StepOut(step="submitted", name=None, owner=app.enterprise_uscc, state="skipped" if app.no_application else "done",
                     due=None, done_at=None if app.no_application else parse_optional_instant(app.submitted_at))]
    for i, spec in enumerate(app.stages or []):
        clock = clocks.get(f"review:{i}")
        decided = next((d for d in reversed(app.decisions or []) if d.get("stage") == i), None)
        if app.no_application:
            state = "skipped"
        elif i < stage or past_review:
            state = "done"
        elif i == stage and status in (IN_REVIEW, RETURNED):
            state = "current"
        elif status in (IN_REVIEW, RETURNED):
            state = "waiting"
        else:
            state = "done" if decided and i == stage else "skipped"
        found.append(StepOut(step="review", name=spec["name"], owner=spec["unit_id"], state=state,
                             due=parse_optional_instant(clock.due) if clock is not None else None,
                             done_at=parse_optional_instant(decided["at"]) if decided and state == "done" else None,
                             breached=bool(clock is not None and clock.is_breached)))
    notice_state = ("done" if status in (AWARDED, PAID) else "current" if status == IN_NOTICE
                    else "waiting" if status in (IN_REVIEW, RETURNED, APPROVED) else "skipped")
    found.append(StepOut(step="notice", name=None, owner=app.department_id, state=notice_state, due=parse_optional_instant(app.notice_closes_at),
                         done_at=parse_optional_instant(app.notice_closes_at) if notice_state == "done" else None))
    pay = clocks.get("pay")
    pay_state = ("done" if status == PAID else "current" if status == AWARDED
                 else "waiting" if status in (IN_REVIEW, RETURNED, APPROVED, IN_NOTICE) else "skipped")
    last_payment = (app.payments or [{}])[-1].get("recorded_at")
    found.append(StepOut(step="payment", name=None, owner=app.department_id, state=pay_state,
                         due=parse_optional_instant(pay.due) if pay is not None else None,
                         done_at=parse_optional_instant(last_payment) if pay_state == "done" else None,
                         breached=bool(pay is not None and pay.is_breached)))
    return found


def application(view: ApplicationView) -> ApplicationOut:
    a = view.application
    return ApplicationOut(
        id=a.application_id, project_id=a.project_id, project_title=a.project_title, department_id=a.department_id,
        enterprise_uscc=a.enterprise_uscc, enterprise_name=a.enterprise_name, status=a.status, no_application=bool(a.no_application),
        stage=int(a.stage), stages=[StageOut(**s) for s in a.stages or []], form=a.form or {}, attachments=list(a.attachments or []),
        cap_fen=a.cap_fen, approved_fen=a.approved_fen, paid_fen=int(a.paid_fen or 0),
        payments=[PaymentOut(amount_fen=p["amount_fen"], paid_on=p["paid_on"], voucher_no=p["voucher_no"],
                             recorded_at=parse_instant(p["recorded_at"])) for p in a.payments or []],
        decisions=[DecisionOut(stage=d.get("stage"), unit_id=d.get("unit_id"), decision=d["decision"], amount_fen=d.get("amount_fen"),
                               text=d.get("text") or "", at=parse_instant(d["at"])) for d in a.decisions or []],
        reason=a.reason, notice_id=a.notice_id,
        rating=ApplicationRatingOut(grade=a.rating["grade"], comment=a.rating.get("comment") or "", at=parse_instant(a.rating["at"]))
        if a.rating else None,
        submitted_at=parse_instant(a.submitted_at), steps=steps(a, view.clocks),
        events=[EventOut(at=parse_instant(r.at_seq.split("#")[0]), action=r.action, actor_role=r.actor_role,
                         data=json.loads(r.after) if r.after else {}) for r in view.records],
        available_actions=view.available,
    )


def summary(a: Application) -> ApplicationSummaryOut:
    stage_name = a.stages[int(a.stage)]["name"] if a.status in (IN_REVIEW, RETURNED) and int(a.stage) < len(a.stages or []) else None
    return ApplicationSummaryOut(id=a.application_id, project_id=a.project_id, project_title=a.project_title,
                                 department_id=a.department_id, enterprise_uscc=a.enterprise_uscc, enterprise_name=a.enterprise_name,
                                 status=a.status, stage_name=stage_name, approved_fen=a.approved_fen, paid_fen=int(a.paid_fen or 0),
                                 submitted_at=parse_instant(a.submitted_at), updated_at=parse_instant(a.updated_at))


def page(found: tuple[list[Application], dict | None]) -> ApplicationPageOut:
    rows, key = found
    return ApplicationPageOut(items=[summary(a) for a in rows], next_cursor=encode_cursor(key))


def notice(n: PublicNotice) -> PolicyNoticeOut:
    return PolicyNoticeOut(id=n.notice_id, project_id=n.project_id, project_title=n.project_title, department_id=n.department_id,
                     status=n.status, working_days=int(n.working_days), opened_at=parse_instant(n.opened_at),
                     closes_at=parse_instant(n.closes_at), closed_at=parse_optional_instant(n.closed_at), open_objections=int(n.open_objections or 0),
                     entries=[PolicyNoticeEntryOut(**e) for e in n.entries])


def notices(found: tuple[list[PublicNotice], dict | None]) -> PolicyNoticePageOut:
    rows, key = found
    return PolicyNoticePageOut(items=[notice(n) for n in rows], next_cursor=encode_cursor(key))


def objection(o: Objection, with_phone: bool) -> ObjectionOut:
    return ObjectionOut(id=o.objection_id, notice_id=o.notice_id, application_id=o.application_id, by_name=o.by_name,
                        phone=o.phone if with_phone else None, reason=o.reason, status=o.status, response=o.response,
                        at=parse_instant(o.at), resolved_at=parse_optional_instant(o.resolved_at))


def awards(found: tuple[list[dict], dict | None]) -> AwardPageOut:
    rows, key = found
    return AwardPageOut(items=[AwardRecordOut(**{**r, "noticed_from": parse_instant(r["noticed_from"]),
                                                 "noticed_to": parse_instant(r["noticed_to"])}) for r in rows],
                        next_cursor=encode_cursor(key))


def department_stats(s: DepartmentStats) -> DepartmentStatsOut:
    grades = {str(g): int(getattr(s, f"grade_{g}") or 0) for g in range(1, 6)}
    ratings, due = int(s.ratings or 0), int(s.review_due or 0)
    return DepartmentStatsOut(department_id=s.department_id, applications=int(s.applications or 0), approved=int(s.approved or 0),
                              returned=int(s.returned or 0), rejected=int(s.rejected or 0), awarded_fen=int(s.awarded_fen or 0),
                              paid_fen=int(s.paid_fen or 0), review_on_time_rate=round(int(s.review_on_time or 0) / due, 4) if due else None,
                              ratings=ratings, average_rating=round(int(s.rating_sum or 0) / ratings, 2) if ratings else None,
                              grades=grades)


def candidates(found, next_key, districts, district) -> CandidatesOut:
    return CandidatesOut(items=[CandidateOut(uscc=c.uscc, name=c.name, listed=c.listed, amount_fen=c.amount_fen) for c in found],
                         district=district, districts=list(districts), next_cursor=encode_cursor(next_key))
