"""Calendar routes: deadlines and working days (public), loading a year's holiday notice (admin)."""
from __future__ import annotations

from functions.calendar import service
from functions.calendar.notices import parse_notice
from functions.calendar.schemas import (
    DayOut,
    DaysQuery,
    CalendarDeadlineOut,
    DeadlineQuery,
    NoticeIn,
    NoticeLoadedOut,
    NoticeSummaryOut,
)
from functions.identity.principal import ADMIN
from functions.api.routes import ApiBlueprint, Call

bp = ApiBlueprint(__name__, tag="calendar")


@bp.api("/calendar/deadline", summary="When a period that starts at `from` ends", query=DeadlineQuery, response=CalendarDeadlineOut, roles=None)
def deadline(call: Call):
    query: DeadlineQuery = call.query
    calendar = service.get_calendar(call.now)
    if query.hours is not None:
        result, rule = calendar.add_hours(query.start, query.hours), f"hours:{query.hours}"
    elif query.working_days is not None:
        result, rule = calendar.add_working_days(query.start, query.working_days), f"working_days:{query.working_days}"
    else:
        result, rule = calendar.add_days(query.start, query.days), f"days:{query.days}"
    return CalendarDeadlineOut(deadline=result.due, provisional=result.provisional, rule=rule)


@bp.api("/calendar/days", summary="Each day of a range: working or not, and its holiday", query=DaysQuery, response=list[DayOut], roles=None)
def days(call: Call):
    calendar = service.get_calendar(call.now)
    return [
        DayOut(date=d.date, working=d.working, holiday_name=d.holiday_name, provisional=d.provisional)
        for d in calendar.days(call.query.start, call.query.to)
    ]


@bp.api("/calendar/notices", summary="The holiday notices operators have loaded", response=list[NoticeSummaryOut], roles=None)
def notices(call: Call):
    return [
        NoticeSummaryOut(year=int(r.year), source=parse_notice(r.notice).source, loaded_at=r.loaded_at, loaded_by=r.loaded_by)
        for r in service.stored_notice_records()
    ]


@bp.api(
    "/calendar/notices/{year}",
    "PUT",
    summary="Load (or replace) a year's State Council holiday notice; recomputes open provisional deadlines",
    body=NoticeIn,
    response=NoticeLoadedOut,
    roles=(ADMIN,),
    errors=(409,),
)
def load_notice(call: Call):
    notice = parse_notice(call.body.model_dump(mode="json"))
    settles = service.load_year_notice(call.uow, call.caller, call.params["year"], notice)
    return NoticeLoadedOut(year=notice.year, recomputed_clocks=settles)
