"""Public notices (公示): a project's approved applicants and amounts, published for a window of working
days in which anyone signed in under their real name may object to an award; each objection is
answered and recorded. No Chalice.

- The department opens a notice over approved applications of its project (`open_notice`); they go
  `in_notice`, and the window's clock (`policy-notice#<id>` / `window`, `working_days:N`, N ≥ 5) starts.
- An objection (`object_to`) is taken while the window is open; the department resolves it
  (`resolve_objection`): upheld withdraws that award (the application is `rejected`), dismissed lets it stand.
- The SLA sweeper closes the window (`on_clock`): every listed award without an open objection is
  `awarded` and its payment clock starts; one with an open objection waits for its resolution.
- Every notice, open or closed, is public, and its awards are open data, one record per award.

One notice is one transaction (at most 20 awards: each is a few writes, and DynamoDB takes 100).
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from functions.calendar import service as calendar
from functions.calendar.models import SlaClock
from functions.identity.principal import OVERSIGHT_ROLES, Principal
from functions.policy import applications
from functions.policy.application_models import (
    APPROVED,
    AWARDED,
    IN_NOTICE,
    NOTICE_CLOSED,
    NOTICE_OPEN,
    OBJECTION_DISMISSED,
    OBJECTION_OPEN,
    OBJECTION_UPHELD,
    REJECTED,
    Application,
    Objection,
    PublicNotice,
)
from functions.policy.applications import count, notice_data
from functions.policy.models import PROJECT
from functions.shared.audit import UnitOfWork
from functions.shared.clock import isoformat_utc, parse_instant
from functions.shared.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed

OWNER_KIND = "policy-notice"
WINDOW = "window"
LISTED, AWARDED_OUTCOME, WITHDRAWN_OUTCOME = "listed", "awarded", "withdrawn"


def owner(notice_id: str) -> str:
    return f"{OWNER_KIND}#{notice_id}"


def load(notice_id: str) -> PublicNotice:
    try:
        return PublicNotice.get(notice_id, consistent_read=True)
    except PublicNotice.DoesNotExist:
        raise NotFound(f"No public notice {notice_id}.") from None


def open_notice(uow: UnitOfWork, caller: Principal, project_id: str, application_ids: list[str], working_days: int) -> PublicNotice:
    from functions.policy import service as library

    project = library.read(project_id, PROJECT)
    applications.require_department(caller, project.content["department_id"])
    found = {a.application_id: a for a in Application.batch_get(list(dict.fromkeys(application_ids)))}
    errors = []
    for position, app_id in enumerate(application_ids):
        app = found.get(app_id)
        if application_ids.index(app_id) != position:
            errors.append(FieldError(f"application_ids[{position}]", "is listed twice"))
        elif app is None or app.project_id != project_id or app.status != APPROVED:
            errors.append(FieldError(f"application_ids[{position}]", "is not an approved application of this project"))
    if errors:
        raise ValidationFailed(errors)
    digest = hashlib.sha256(uow.request_id.encode()).hexdigest()[:8]
    notice_id = f"pn-{uow.now.strftime('%Y%m%d')}-{digest}"
    clock = calendar.new_clock(calendar.get_calendar(uow.now), owner(notice_id), WINDOW, f"working_days:{working_days}", uow.now,
                               warn_fraction=None)
    chosen = [found[i] for i in application_ids]
    notice = PublicNotice(notice_id=notice_id, project_id=project_id, project_title=project.content["title"],
                          department_id=project.content["department_id"], working_days=working_days,
                          opened_at=isoformat_utc(uow.now), closes_at=clock.due, created_by=caller.sub,
                          entries=[{"application_id": a.application_id, "enterprise_uscc": a.enterprise_uscc,
                                    "enterprise_name": a.enterprise_name, "amount_fen": int(a.approved_fen),
                                    "outcome": LISTED} for a in chosen])
    uow.put(notice, PublicNotice.notice_id.does_not_exist(), label="notice")
    uow.put(clock, label="clock:window")
    uow.audit(owner(notice_id), "notice.opened", after={"project_id": project_id, "awards": len(chosen),
                                                         "working_days": working_days, "closes_at": clock.due})
    for app in chosen:
        app.status, app.notice_id, app.notice_closes_at = IN_NOTICE, notice_id, clock.due
        app.updated_at = isoformat_utc(uow.now)
        app.refresh_index_keys()
        uow.put(app, label="application")
        uow.audit(applications.owner(app.application_id), "application.noticed",
                  after={"notice_id": notice_id, "closes_at": clock.due})
    uow.emit("policy.noticed", {"notice_id": notice_id, "project_title": notice.project_title},
             [f"org:{a.enterprise_uscc}" for a in chosen])
    return notice


def notices_page(cursor: dict | None, limit: int) -> tuple[list[PublicNotice], dict | None]:
    """Every notice, newest first: public."""
    page = PublicNotice.listed_index.query("notice", scan_index_forward=False, limit=limit, last_evaluated_key=cursor)
    return list(page), page.last_evaluated_key


def _window_open(notice: PublicNotice, now: datetime) -> bool:
    return notice.status == NOTICE_OPEN and now < parse_instant(notice.closes_at)


def object_to(uow: UnitOfWork, caller: Principal, notice_id: str, application_id: str, reason: str, phone: str) -> Objection:
    """A real-name objection (the signed-in person's name and organisation are recorded) to one award,
    while the window is open."""
    notice = load(notice_id)
    if not _window_open(notice, uow.now):
        raise Conflict("The objection window of this notice has closed.")
    entry = next((e for e in notice.entries if e["application_id"] == application_id), None)
    if entry is None or entry["outcome"] != LISTED:
        raise ValidationFailed([FieldError("application_id", "is not an award listed on this notice")])
    objection = Objection(notice_id=notice_id, objection_id=_objection_id(uow),
                          application_id=application_id, by_sub=caller.sub, by_name=caller.name or caller.sub,
                          by_org=caller.org_id, phone=phone, reason=reason, at=isoformat_utc(uow.now))
    uow.put(objection, Objection.objection_id.does_not_exist(), label="objection")
    uow.update(notice, [PublicNotice.open_objections.add(1)], condition=PublicNotice.status == NOTICE_OPEN, label="notice")
    uow.audit(owner(notice_id), "notice.objected", after={"application_id": application_id, "by": objection.by_name})
    uow.emit("policy.objection_received", {"notice_id": notice_id, "project_title": notice.project_title,
                                           "enterprise_name": entry["enterprise_name"] or entry["enterprise_uscc"]},
             [f"org:{notice.department_id}"])
    return objection


def _objection_id(uow: UnitOfWork) -> str:
    """Sortable by arrival and safe in a URL path: `20261129173828123456-1a2b3c4d`."""
    stamp = uow.now.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S%f")
    return f"{stamp}-{hashlib.sha256(uow.request_id.encode()).hexdigest()[:8]}"


def objections(caller: Principal, notice_id: str) -> tuple[PublicNotice, list[Objection], bool]:
    """The department and oversight read every objection (with the objector's phone); anyone else only
    their own. Answers whether the caller sees them all."""
    notice = load(notice_id)
    everything = _is_department(caller, notice) or caller.role in OVERSIGHT_ROLES
    found = list(Objection.query(notice_id, consistent_read=True))
    return notice, found if everything else [o for o in found if o.by_sub == caller.sub], everything


def _is_department(caller: Principal, notice: PublicNotice) -> bool:
    try:
        applications.require_department(caller, notice.department_id)
        return True
    except Forbidden:
        return False


def resolve_objection(uow: UnitOfWork, caller: Principal, notice_id: str, objection_id: str, upheld: bool,
                      response: str) -> Objection:
    notice = load(notice_id)
    applications.require_department(caller, notice.department_id)
    try:
        objection = Objection.get(notice_id, objection_id, consistent_read=True)
    except Objection.DoesNotExist:
        raise NotFound(f"No objection {objection_id} on this notice.") from None
    if objection.status != OBJECTION_OPEN:
        raise Conflict("This objection has been resolved already.")
    now = isoformat_utc(uow.now)
    objection.status = OBJECTION_UPHELD if upheld else OBJECTION_DISMISSED
    objection.response, objection.resolved_at, objection.resolved_by = response, now, caller.sub
    uow.put(objection, label="objection")
    app = applications.load(objection.application_id)
    entry = next(e for e in notice.entries if e["application_id"] == app.application_id)
    uow.audit(owner(notice_id), "notice.objection_resolved", after={"application_id": app.application_id, "upheld": upheld,
                                                                    "response": response})
    if upheld and app.status in (IN_NOTICE, AWARDED) and not int(app.paid_fen or 0):
        entry["outcome"] = WITHDRAWN_OUTCOME
        _withdraw_award(uow, app, response)
    elif not upheld and app.status == IN_NOTICE and notice.status == NOTICE_CLOSED:
        others = [o for o in Objection.query(notice_id, consistent_read=True)
                  if o.application_id == app.application_id and o.status == OBJECTION_OPEN and o.objection_id != objection_id]
        if not others:  # the last objection holding this award after the window closed
            entry["outcome"] = AWARDED_OUTCOME
            _award(uow, app)
    notice.open_objections = max(0, int(notice.open_objections or 0) - 1)
    uow.put(notice, label="notice")  # version-conditioned: a concurrent objection or closing retries
    uow.emit("policy.objection_answered", {"notice_id": notice_id, "project_title": notice.project_title,
                                           "upheld": "成立" if upheld else "不成立", "response": response},
             [f"org:{objection.by_org}"])
    return objection


def _withdraw_award(uow: UnitOfWork, app: Application, response: str) -> None:
    app.status, app.reason, app.updated_at = REJECTED, f"公示异议成立：{response}", isoformat_utc(uow.now)
    app.refresh_index_keys()
    uow.put(app, label="application")
    count(uow, app.department_id, rejected=1, approved=-1, awarded_fen=-int(app.approved_fen or 0))
    uow.audit(applications.owner(app.application_id), "application.award_withdrawn", after={"reason": response})
    uow.emit("policy.application_rejected", notice_data(app, reason=app.reason), [f"org:{app.enterprise_uscc}"])


def _award(uow: UnitOfWork, app: Application) -> None:
    app.status, app.updated_at = AWARDED, isoformat_utc(uow.now)
    app.refresh_index_keys()
    uow.put(app, label="application")
    pay = calendar.new_clock(calendar.get_calendar(uow.now), applications.owner(app.application_id), "pay",
                             applications.PAY_RULE, uow.now)
    uow.put(pay, label="clock:pay")
    uow.audit(applications.owner(app.application_id), "application.awarded", after={"amount_fen": int(app.approved_fen),
                                                                                    "pay_by": pay.due})
    uow.emit("policy.awarded", notice_data(app, amount_yuan=f"{int(app.approved_fen) / 100:.2f}"), [f"org:{app.enterprise_uscc}"])


def drop_entry(uow: UnitOfWork, app: Application, outcome: str) -> None:
    """An award leaves an open notice (its enterprise declined it)."""
    notice = load(app.notice_id)
    for entry in notice.entries:
        if entry["application_id"] == app.application_id:
            entry["outcome"] = outcome
    uow.put(notice, label="notice")


def on_clock(clock: SlaClock, event: str, uow: UnitOfWork, now: datetime) -> None:
    """The window has ended: close the notice; award what no open objection holds."""
    if event != "breach" or clock.name != WINDOW:
        return
    notice = load(clock.owner.split("#", 1)[1])
    if notice.status != NOTICE_OPEN:
        raise Conflict("the notice is closed already")
    held = {o.application_id for o in Objection.query(notice.notice_id, consistent_read=True) if o.status == OBJECTION_OPEN}
    listed = [e for e in notice.entries if e["outcome"] == LISTED]
    found = {a.application_id: a for a in Application.batch_get([e["application_id"] for e in listed])} if listed else {}
    awarded = 0
    for entry in listed:
        app = found.get(entry["application_id"])
        if app is None or app.status != IN_NOTICE or app.application_id in held:
            continue
        entry["outcome"] = AWARDED_OUTCOME
        _award(uow, app)
        awarded += 1
    notice.status, notice.closed_at = NOTICE_CLOSED, isoformat_utc(now)
    uow.put(notice, label="notice")
    uow.audit(owner(notice.notice_id), "notice.closed", after={"awarded": awarded, "held": len(held)})
    uow.emit("policy.notice_closed", {"notice_id": notice.notice_id, "project_title": notice.project_title,
                                      "awarded": awarded, "held": len(held)}, [f"org:{notice.department_id}"])


def awards_page(cursor: dict | None, limit: int) -> tuple[list[dict], dict | None]:
    """Open data: one record per award on a notice, newest notice first (`limit` notices per page)."""
    notices, next_key = notices_page(cursor, limit)
    records = [{"notice_id": n.notice_id, "project_id": n.project_id, "project_title": n.project_title,
                "department_id": n.department_id, **{k: e[k] for k in ("enterprise_uscc", "enterprise_name", "amount_fen", "outcome")},
                "noticed_from": n.opened_at, "noticed_to": n.closes_at}
               for n in notices for e in n.entries]
    return records, next_key
