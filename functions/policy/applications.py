"""Applying for a policy project, and the lists around it: an enterprise's applications, a unit's review
queue, a project's applications by status, the department's 免申即享 list and its statistics. No Chalice.

The transitions after submission are the state machine's (application_states.py); the public notice
and its objections are notices.py's. Every change commits with its audit record, its outbox notices,
its clocks and the department's counters in one transaction (the route's unit of work).

Deadlines (the shared clock engine, `sla-clocks`, owner `application#<id>`):
- `review:<i>`: stage i's reviewer, `working_days:<the stage's working_days, default 10>` from when
  the application reached the stage (again from a resubmission after a return);
- `pay`: the department, `working_days:15` from the close of the public notice to the last payment.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from functions.calendar import service as calendar
from functions.calendar.models import SlaClock, shanghai_iso
from functions.files import service as files
from functions.identity.access import READ, Resource, require
from functions.identity.principal import ENTERPRISE, OVERSIGHT_ROLES, STAFF, Principal
from functions.policy import forms
from functions.policy.application_models import (
    APPROVED,
    IN_REVIEW,
    STATUSES,
    Application,
    DepartmentStats,
)
from functions.policy.models import PROJECT
from functions.refdata.directory import supervisory_unit_ids, units
from functions.refdata.divisions import covers
from functions.shared.audit import AuditRecord, UnitOfWork, recent_audit
from functions.shared.clock import isoformat_utc
from functions.shared.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed

REVIEW_WORKING_DAYS = 10
PAY_RULE = "working_days:15"
OWNER_KIND = "application"
MAX_LIST_ENTRIES = 20  # one 免申即享 list per transaction: each entry is three writes
TIMELINE_LIMIT = 50

# How a caller stands to an application (the state machine's `who`).
APPLICANT, REVIEWER, DEPARTMENT = "applicant", "reviewer", "department"


def application_id(uscc: str, project_id: str) -> str:
    """One application per enterprise and project: the id says which, and a conditional put keeps it one."""
    return f"app-{uscc}-{project_id.removeprefix('proj-')}"


def owner(application_id_: str) -> str:
    """The entity of its audit records and the owner of its clocks."""
    return f"{OWNER_KIND}#{application_id_}"


def resource(app: Application) -> Resource:
    parties = {app.enterprise_uscc, app.department_id, *(s["unit_id"] for s in app.stages or [])}
    return Resource("application", app.application_id, app.district, frozenset(parties))


def load(application_id_: str, consistent: bool = True) -> Application:
    try:
        return Application.get(application_id_, consistent_read=consistent)
    except Application.DoesNotExist:
        raise NotFound(f"No application {application_id_}.") from None


def _exists(application_id_: str) -> bool:
    try:
        Application.get(application_id_, consistent_read=True, attributes_to_get=["application_id"])
        return True
    except Application.DoesNotExist:
        return False


def relations(caller: Principal, app: Application) -> set[str]:
    found = set()
    if caller.role == ENTERPRISE and caller.org_id == app.enterprise_uscc:
        found.add(APPLICANT)
    if caller.role == STAFF and caller.org_id == app.reviewing_unit:
        found.add(REVIEWER)
    if caller.role == STAFF and caller.org_id == app.department_id:
        found.add(DEPARTMENT)
    return found


def clocks_of(application_id_: str) -> dict[str, SlaClock]:
    return {c.name: c for c in SlaClock.query(owner(application_id_), consistent_read=True)}


@dataclass
class ApplicationView:
    """An application as one caller may see it: read once, access applied."""

    application: Application
    clocks: dict[str, SlaClock]
    records: list[AuditRecord]
    available: list[str] = field(default_factory=list)
    notice_closes_at: str | None = None


def view_of(app: Application, clocks: dict[str, SlaClock], caller: Principal, pending: Iterable[AuditRecord] = ()) -> ApplicationView:
    from functions.policy.application_states import MACHINE

    records = recent_audit(owner(app.application_id), TIMELINE_LIMIT)
    seen = {r.at_seq for r in records}
    records += [r for r in pending if r.entity == owner(app.application_id) and r.at_seq not in seen]
    records.sort(key=lambda r: r.at_seq)
    return ApplicationView(app, clocks, records, MACHINE.available(app.status, relations(caller, app), app))


def read(caller: Principal, application_id_: str) -> ApplicationView:
    """For the enterprise, the units of its stages, the department and oversight in its district; 404
    for anyone else (existence does not leak)."""
    app = load(application_id_)
    require(caller, READ, resource(app))
    return view_of(app, clocks_of(app.application_id), caller)


def read_attachment(caller: Principal, application_id_: str, file_id: str):
    app = load(application_id_)
    require(caller, READ, resource(app))
    if f"file:{file_id}" not in (app.attachments or []):
        raise NotFound(f"No file {file_id}.")
    return files.read_attached(file_id, owner(app.application_id))


# -- the project's terms -----------------------------------------------------------------------------
def review_stages(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The project's review stages as an application keeps them (a project without any is reviewed
    by its own department in one stage)."""
    stages = content.get("review_stages") or [{"name": "部门审核", "unit_id": content["department_id"]}]
    return [{"name": s["name"], "unit_id": s["unit_id"], "working_days": int(s.get("working_days") or REVIEW_WORKING_DAYS)}
            for s in stages]


def cap_of(content: dict[str, Any]) -> int | None:
    """The most one award may be: a fixed amount, or a ratio's cap; None where the project names none."""
    amount = content.get("amount") or {}
    if amount.get("kind") == "fixed":
        return int(amount["amount_fen"])
    if amount.get("kind") == "ratio" and amount.get("cap_fen") is not None:
        return int(amount["cap_fen"])
    return None


def check_amount(amount_fen: int, cap_fen: int | None, name: str = "amount_fen") -> None:
    if cap_fen is not None and amount_fen > cap_fen:
        raise ValidationFailed([FieldError(name, f"must not exceed the project's cap of {cap_fen} fen ({cap_fen / 100:.2f} yuan)")])


def _open_project(project_id: str) -> dict[str, Any]:
    from functions.policy import service as library

    view = library.read(project_id, PROJECT)
    if view.status != "open":
        raise Conflict(f"The project is {view.status}: applications are taken only while its window is open.")
    return view.content


def _enterprise_name(uscc: str) -> str | None:
    from functions.enterprises import service as enterprises

    fact = enterprises.facts(uscc).facts.get("name")
    return fact.value if fact else None


def _district_of(uscc: str) -> str:
    from functions.enterprises.models import district_of

    return district_of(uscc)


def start_review_clock(uow: UnitOfWork, app: Application, previous: SlaClock | None = None) -> SlaClock:
    stage = app.stages[int(app.stage)]
    clock = calendar.new_clock(calendar.get_calendar(uow.now), owner(app.application_id), f"review:{int(app.stage)}",
                               f"working_days:{stage['working_days']}", uow.now)
    if previous is not None:
        clock.version = previous.version  # a resubmission restarts the stage's clock in place
    uow.put(clock, label=f"clock:{clock.name}")
    return clock


def today_iso(now: datetime) -> str:
    from functions.shared.clock import to_shanghai

    return to_shanghai(now).date().isoformat()


@dataclass
class Counters:
    """What a change adds to departments' counters, gathered and written once per department (a
    transaction may touch an item only once)."""

    adds: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, department_id: str, **adds: int) -> None:
        mine = self.adds.setdefault(department_id, {})
        for name, value in adds.items():
            mine[name] = mine.get(name, 0) + value

    def apply(self, uow: UnitOfWork) -> None:
        for department_id, adds in sorted(self.adds.items()):
            actions = [getattr(DepartmentStats, name).add(value) for name, value in sorted(adds.items()) if value]
            if actions:
                uow.update(DepartmentStats(department_id=department_id), actions, label="department stats")
        self.adds = {}


def count(uow: UnitOfWork, department_id: str, **adds: int) -> None:
    """ADD to one department's counters, in the transaction of the change they count (once per transaction)."""
    counters = Counters()
    counters.add(department_id, **adds)
    counters.apply(uow)


# -- applying ----------------------------------------------------------------------------------------
def submit(uow: UnitOfWork, caller: Principal, project_id: str, answers: dict[str, Any], attachments: list[str]) -> ApplicationView:
    """An enterprise applies: the project is open and takes applications, the enterprise is not known
    to fail its conditions, the form satisfies the project's schema, the files are its own uploads."""
    if caller.role != ENTERPRISE:
        raise Forbidden("Only an enterprise applies, for itself.")
    content = _open_project(project_id)
    if content.get("no_application"):
        raise Conflict("免申即享: nobody applies for this project; the department confirms the list of eligible enterprises.")
    _require_not_ineligible(caller.org_id, content)
    forms.validate(content.get("form"), answers)
    app_id = application_id(caller.org_id, project_id)
    if _exists(app_id):
        raise Conflict(f"This enterprise has applied for this project already ({app_id}).")
    now = isoformat_utc(uow.now)
    app = Application(application_id=app_id, project_id=project_id, project_title=content["title"],
                      department_id=content["department_id"], enterprise_uscc=caller.org_id,
                      enterprise_name=_enterprise_name(caller.org_id), district=_district_of(caller.org_id),
                      status=IN_REVIEW, stages=review_stages(content), stage=0, form=answers, cap_fen=cap_of(content),
                      submitted_at=now, updated_at=now)
    attached = files.attach(uow, caller, attachments, owner(app_id))
    app.attachments = [f"file:{record.file_id}" for record in attached]
    app.refresh_index_keys()
    uow.put(app, Application.application_id.does_not_exist(), label="application")
    clock = start_review_clock(uow, app)
    count(uow, app.department_id, applications=1)
    uow.audit(owner(app_id), "application.submitted", after={"project_id": project_id, "attachments": len(app.attachments)})
    uow.emit("policy.application_received", notice_data(app, due=shanghai_iso(clock.due)), [f"org:{app.stage_unit}"])
    return view_of(app, {clock.name: clock}, caller, uow.audits)


def _require_not_ineligible(uscc: str, content: dict[str, Any]) -> None:
    from functions.enterprises import service as enterprises
    from functions.policy.eligibility import match
    from functions.policy.service import today

    verdict = match(enterprises.facts(uscc), [content], today())[0].evaluation
    if verdict.eligible is False:
        failed = [c for c in verdict.conditions if c.status == "failed"]
        words = "；".join(str((c.label or {}).get("zh") or c.field) for c in failed)
        raise Conflict(f"The enterprise does not meet the project's conditions: {words}")


def notice_data(app: Application, **data: Any) -> dict[str, Any]:
    return {"application_id": app.application_id, "project_id": app.project_id, "project_title": app.project_title,
            "enterprise_name": app.enterprise_name or app.enterprise_uscc, **data}


# -- lists -------------------------------------------------------------------------------------------
def enterprise_applications(caller: Principal, cursor: dict | None, limit: int) -> tuple[list[Application], dict | None]:
    if caller.role != ENTERPRISE:
        raise Forbidden("An enterprise's own applications: sign in as the enterprise.")
    page = Application.enterprise_index.query(caller.org_id, scan_index_forward=False, limit=limit, last_evaluated_key=cursor)
    return list(page), page.last_evaluated_key


def review_queue(caller: Principal, unit_id: str, cursor: dict | None, limit: int) -> tuple[list[Application], dict | None]:
    """The applications at a unit's stage, oldest first: its staff, and oversight roles."""
    units.find(unit_id)
    if not (caller.role == STAFF and caller.org_id == unit_id) and caller.role not in OVERSIGHT_ROLES:
        raise Forbidden("A unit's review queue is its own staff's.")
    page = Application.review_index.query(unit_id, limit=limit, last_evaluated_key=cursor)
    rows = [a for a in page if caller.role not in OVERSIGHT_ROLES or covers(caller.district, a.district)]
    return rows, page.last_evaluated_key


def require_department(caller: Principal, department_id: str) -> None:
    """The project's own department (and the city's administrators) act on its applications as a whole:
    the same people who edit its policies (service.may_edit)."""
    from functions.policy.service import may_edit

    may_edit(caller, department_id)


def project_applications(caller: Principal, project_id: str, status: str, cursor: dict | None,
                         limit: int) -> tuple[list[Application], dict | None]:
    """A project's applications in one status (to announce, to pay): its department's staff."""
    from functions.policy import service as library

    if status not in STATUSES:
        raise ValidationFailed([FieldError("status", f"must be one of {', '.join(STATUSES)}")])
    project = library.read(project_id, PROJECT)
    require_department(caller, project.content["department_id"])
    page = Application.project_status_index.query(f"{project_id}#{status}", limit=limit, last_evaluated_key=cursor)
    return list(page), page.last_evaluated_key


def department_stats(caller: Principal, department_id: str) -> DepartmentStats:
    units.find(department_id)
    if not (caller.role == STAFF and caller.org_id == department_id) and caller.role not in OVERSIGHT_ROLES:
        raise Forbidden("A department's statistics are for its staff and oversight.")
    try:
        return DepartmentStats.get(department_id)
    except DepartmentStats.DoesNotExist:
        return DepartmentStats(department_id=department_id)


# -- 免申即享 -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ListedEnterprise:
    uscc: str
    amount_fen: int


def confirm_list(uow: UnitOfWork, caller: Principal, project_id: str, entries: list[ListedEnterprise]) -> list[Application]:
    """The department confirms enterprises for a 免申即享 project: each goes straight to `approved`
    (next: the public notice), without applying. An enterprise known to fail the conditions, or listed
    already, is refused by its position in `entries`."""
    from functions.enterprises import service as enterprises
    from functions.policy import service as library
    from functions.policy.eligibility import match

    project = library.read(project_id, PROJECT)
    content = project.content
    require_department(caller, content["department_id"])
    if not content.get("no_application"):
        raise Conflict("Enterprises apply for this project themselves; a confirmed list is for 免申即享 projects.")
    if project.status != "open":
        raise Conflict(f"The project is {project.status}.")
    if len(entries) > MAX_LIST_ENTRIES:
        raise ValidationFailed([FieldError("entries", f"at most {MAX_LIST_ENTRIES} enterprises per list; send several lists")])
    errors: list[FieldError] = []
    ids = [application_id(e.uscc, project_id) for e in entries]
    existing = {a.application_id for a in Application.batch_get(ids)} if ids else set()
    cap, stages, now, today = cap_of(content), review_stages(content), isoformat_utc(uow.now), library.today()
    created = []
    for position, (entry, app_id) in enumerate(zip(entries, ids)):
        name = f"entries[{position}]"
        if app_id in existing or ids.index(app_id) != position:
            errors.append(FieldError(f"{name}.uscc", "is on this project's list already"))
            continue
        facts = enterprises.facts(entry.uscc)
        if match(facts, [content], today)[0].evaluation.eligible is False:
            errors.append(FieldError(f"{name}.uscc", "does not meet the project's conditions"))
            continue
        try:
            check_amount(entry.amount_fen, cap, f"{name}.amount_fen")
        except ValidationFailed as failed:
            errors += failed.errors
            continue
        name_fact = facts.facts.get("name")
        app = Application(application_id=app_id, project_id=project_id, project_title=content["title"],
                          department_id=content["department_id"], enterprise_uscc=entry.uscc,
                          enterprise_name=name_fact.value if name_fact else None, district=_district_of(entry.uscc),
                          status=APPROVED, no_application=True, stages=stages, stage=len(stages), form={}, cap_fen=cap,
                          approved_fen=entry.amount_fen, submitted_at=now, updated_at=now,
                          decisions=[{"stage": None, "unit_id": caller.org_id, "decision": "listed", "amount_fen": entry.amount_fen,
                                      "text": "免申即享：部门确认名单", "at": now, "by": caller.sub}])
        app.refresh_index_keys()
        uow.put(app, Application.application_id.does_not_exist(), label="application")
        uow.audit(owner(app_id), "application.listed", after={"project_id": project_id, "amount_fen": entry.amount_fen})
        created.append(app)
    if errors:
        raise ValidationFailed(errors)
    count(uow, content["department_id"], applications=len(created), approved=len(created),
          awarded_fen=sum(int(a.approved_fen) for a in created))
    uow.emit("policy.listed", {"project_id": project_id, "project_title": content["title"]},
             [f"org:{a.enterprise_uscc}" for a in created])
    return created


@dataclass(frozen=True)
class Candidate:
    uscc: str
    name: str | None
    listed: bool  # on this project's list already
    amount_fen: int | None  # the project's fixed amount, to propose


def candidates(caller: Principal, project_id: str, district: str | None, cursor: dict | None,
               limit: int) -> tuple[list[Candidate], dict | None, tuple[str, ...], str]:
    """For a 免申即享 list: one page of a district's enterprise profiles (district-index, as the fan-out
    reads them), those the project's rule finds eligible, each marked if listed already. The districts
    the rule allows, and the one read (the first allowed when none is asked for)."""
    from functions.enterprises import service as enterprises
    from functions.enterprises.facts import facts_of
    from functions.enterprises.models import EnterpriseProfile
    from functions.policy import service as library
    from functions.policy.eligibility import compile_rule, evaluate
    from functions.policy.fanout import districts_of

    project = library.read(project_id, PROJECT)
    content = project.content
    require_department(caller, content["department_id"])
    if not content.get("no_application"):
        raise Conflict("Enterprises apply for this project themselves; candidates are for 免申即享 lists.")
    allowed = districts_of(content.get("eligibility"))
    district = district or allowed[0]
    if district not in allowed:
        raise ValidationFailed([FieldError("district", f"must be one the project's rule allows: {', '.join(allowed)}")])
    page = EnterpriseProfile.district_index.query(district, limit=limit, last_evaluated_key=cursor)
    rule, on = compile_rule(content.get("eligibility")), library.today()
    eligible = []
    for profile in page:
        fields = enterprises.stored_facts(profile)
        if evaluate(rule, facts_of(profile.uscc, district, fields), on).eligible is True:
            eligible.append((profile.uscc, fields["name"].value if "name" in fields else None))
    ids = [application_id(uscc, project_id) for uscc, _ in eligible]
    listed = {a.application_id for a in Application.batch_get(ids, attributes_to_get=["application_id"])} if ids else set()
    amount = (content.get("amount") or {})
    suggested = int(amount["amount_fen"]) if amount.get("kind") == "fixed" else None
    found = [Candidate(uscc, name, application_id(uscc, project_id) in listed, suggested) for uscc, name in eligible]
    return found, page.last_evaluated_key, allowed, district


# -- the SLA sweeper ----------------------------------------------------------------------------------
def on_clock(clock: SlaClock, event: str, uow: UnitOfWork, now: datetime) -> None:
    """A review stage's or the payment's deadline warns its owner, and a breach is escalated to the
    supervisory units too (and counted: the stage was not finished on time)."""
    app = load(clock.owner.split("#", 1)[1])
    if clock.name.startswith("review:"):
        if app.status != IN_REVIEW or f"review:{int(app.stage)}" != clock.name:
            raise Conflict("the application has left this stage")
        unit = app.stage_unit
    else:
        unit = app.department_id
    payload = notice_data(app, clock=clock.name.split(":")[0], unit_id=unit, due=shanghai_iso(clock.due))
    uow.audit(owner(app.application_id), f"application.{'warned' if event == 'warn' else 'breached'}",
              after={"clock": clock.name, "unit_id": unit})
    if event == "warn":
        uow.emit("policy.deadline_warning", payload, [f"org:{unit}"])
    else:
        uow.emit("policy.deadline_breached", payload, [f"org:{u}" for u in [unit, *supervisory_unit_ids()]])

