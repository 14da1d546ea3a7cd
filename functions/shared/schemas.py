"""Request and response schemas: pydantic models that validate requests and generate OpenAPI.

One model serves both purposes, so the published document cannot drift from what is enforced.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, ValidationError

from functions.shared.clock import SHANGHAI
from functions.shared.errors import FieldError, ValidationFailed

M = TypeVar("M", bound=BaseModel)


class Schema(BaseModel):
    """Base of every request and response schema: unknown fields are refused, not ignored.

    Validators are built on first use, not at import (`defer_build`): a cold start imports every
    schema of the app, and a request uses a few. In the OpenAPI document a field with a default is
    optional in what a client sends and required in what the API answers (it is always there)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True,
                              json_schema_serialization_defaults_required=True)


class PageQuery(Schema):
    """`?cursor=&limit=` of every cursor-paged listing (functions/shared/pagination.py)."""

    cursor: str | None = Field(default=None, max_length=2000)
    limit: int = Field(default=20, ge=1, le=100)


# The years the platform can reason about: the working-day calendar in its present form, and the
# platform's own lifetime. Outside them a date is a typo or a probe, never a real case, and the
# arithmetic near year 1 or 9999 overflows (or, before 1928, answers in Qingdao's old local time).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099


def _require_offset(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must carry a UTC offset, e.g. 2026-11-20T09:00:00+08:00")
    return _in_years(value)


def _in_years(value: date) -> date:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must lie in the years {EARLIEST_YEAR} to {LATEST_YEAR}")
    if isinstance(value, datetime) and not EARLIEST_YEAR <= value.astimezone(SHANGHAI).year <= LATEST_YEAR:
        raise ValueError(f"must lie in the years {EARLIEST_YEAR} to {LATEST_YEAR}")
    return value


# Times are accepted with any offset and always answered in +08:00 (API.md "Common").
Instant = Annotated[
    datetime,
    AfterValidator(_require_offset),
    PlainSerializer(lambda moment: moment.astimezone(SHANGHAI).isoformat(), return_type=str),
]
# A calendar day the platform can reason about (same years as Instant).
Day = Annotated[date, AfterValidator(_in_years)]


def _field_path(location: tuple[Any, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or "body"


def field_errors(error: ValidationError, prefix: str = "") -> list[FieldError]:
    found = []
    for item in error.errors(include_url=False):
        location = tuple(item["loc"])
        # Tagged unions and function validators add their own names to the path; keep it readable.
        location = tuple(p for p in location if not (isinstance(p, str) and p.startswith("function-")))
        path = _field_path(location)
        found.append(FieldError(field=f"{prefix}{path}" if prefix else path, message=item["msg"]))
    return found


def parse(model: type[M], data: Any, prefix: str = "") -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(field_errors(error, prefix)) from None


def dump(value: Any) -> Any:
    """Turn a response (a schema, a list of schemas, or plain JSON data) into JSON data."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=False)
    if isinstance(value, list):
        return [dump(item) for item in value]
    if isinstance(value, dict):
        return {key: dump(item) for key, item in value.items()}
    return value
