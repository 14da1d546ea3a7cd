from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field, model_validator

from functions.shared.schemas import Day, Instant, Schema


class DeadlineQuery(Schema):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    start: Instant = Field(alias="from", description="ISO 8601 instant with offset")
    hours: int | None = Field(default=None, ge=1, le=24 * 366)
    working_days: int | None = Field(default=None, ge=1, le=366)
    days: int | None = Field(default=None, ge=1, le=3660)

    @model_validator(mode="after")
    def one_period(self) -> "DeadlineQuery":
        given = [name for name in ("hours", "working_days", "days") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of hours, working_days, days")
        return self


class CalendarDeadlineOut(Schema):
    deadline: Instant
    provisional: bool
    rule: str


class DaysQuery(Schema):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    start: Day = Field(alias="from")
    to: Day


class DayOut(Schema):
    date: date
    working: bool
    holiday_name: str | None
    provisional: bool


class NoticeSummaryOut(Schema):
    year: int
    source: str
    loaded_at: str | None
    loaded_by: str | None


class NoticeLoadedOut(Schema):
    year: int
    recomputed_clocks: int = Field(description="open provisional deadlines this notice settles; they are recomputed once "
                                               "it is stored")


class NoticeHolidayIn(Schema):
    name: str = Field(min_length=1, max_length=32)
    dates: list[date] = Field(min_length=1, max_length=31)


class NoticeWorkingDayIn(Schema):
    name: str = Field(min_length=1, max_length=32)
    date: date


class NoticeIn(Schema):
    """A State Council holiday notice for one year (the data-file format of functions/calendar/data)."""

    year: int = Field(ge=2000, le=2100)
    source: str = Field(min_length=1, max_length=200)
    published: date
    holidays: list[NoticeHolidayIn] = Field(min_length=1, max_length=20)
    working_days: list[NoticeWorkingDayIn] = Field(default_factory=list, max_length=20)
