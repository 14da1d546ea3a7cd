"""Request and answer shapes of the policy library's routes."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from functions.shared.schemas import Instant, Schema

Kind = Literal["document", "project", "news"]


class RelatedOut(Schema):
    id: str
    kind: Kind
    title: str
    status: str


class ItemOut(Schema):
    id: str
    kind: Kind
    status: str = Field(description="derived from the dates on the platform clock, never set by hand: documents "
                                    "upcoming|effective|expired, projects upcoming|open|closed, news published; "
                                    "withdrawn items are withdrawn")
    version: int
    published_at: Instant | None
    content: dict[str, Any] = Field(description="the item as functions/policy/README.md 'Content format' describes it")
    related: list[RelatedOut] = Field(description="a document's projects and news; a project's or news item's documents")


class DraftIn(Schema):
    content: dict[str, Any] = Field(description="the whole item in the content format; `id` is the path's")


class DraftOut(Schema):
    id: str
    kind: Kind
    draft: dict[str, Any] | None
    published_version: int


class WithdrawIn(Schema):
    reason: str = Field(min_length=2, max_length=1000)


class ChangeOut(Schema):
    field: str
    before: Any = None
    after: Any = None


class VersionOut(Schema):
    version: int
    published_at: Instant
    published_by: str
    changes: list[ChangeOut]


class VersionsOut(Schema):
    items: list[VersionOut]


class SearchQuery(Schema):
    q: str = Field(default="", max_length=200, description="as typed: segmented, not substring-matched; a 文号 "
                                                           "puts that document first")
    kind: Kind | None = None
    level: Literal["national", "provincial", "municipal", "district"] | None = None
    department: str | None = Field(default=None, max_length=64, description="a unit id, e.g. unit-science-tech")
    topic: str | None = Field(default=None, max_length=50)
    status: Literal["upcoming", "effective", "expired", "open", "closed", "published"] | None = None
    closing_within: Literal[7, 30] | None = Field(default=None, description="projects whose window closes within N days")
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=20, ge=1, le=100)


class SearchHitOut(Schema):
    id: str
    kind: Kind
    title: str = Field(description="HTML: escaped, the matched words in <mark>")
    highlights: list[str] = Field(description="HTML snippets of the body, likewise")
    level: str | None
    department: str | None
    doc_number: str | None
    status: str | None
    topics: list[str]
    closes_on: str | None
    published_on: str | None


class SearchOut(Schema):
    items: list[SearchHitOut]
    total: int
    mode: Literal["all", "any", "doc_number", "browse"] = Field(description="all the words; any word (when all "
                                                                            "found nothing); a 文号; no words")
    facets: dict[str, dict[str, int]] = Field(description="counts per value of level, department, topic, kind, "
                                                          "status, district, over everything the query found")
    closing_within: dict[str, int] = Field(description="open projects found closing within 7 and 30 days")
    next_cursor: str | None


class ConditionOut(Schema):
    path: str = Field(description="where the condition is in the rule, e.g. eligibility.all[1]")
    field: str
    op: str
    status: Literal["met", "failed", "missing_data"]
    label: dict[str, str] = Field(description="the condition in words an enterprise understands: {zh, en}")
    actual: Any = Field(default=None, description="the profile's value used")
    source: str | None = Field(default=None, description="self_declared | imported")
    as_of: str | None = None
    fix: dict[str, str] | None = Field(default=None, description="what would make it met: {zh, en}")


class MatchOut(Schema):
    project_id: str
    title: str
    department_id: str | None
    closes_on: str | None
    no_application: bool
    eligible: bool | None = Field(description="true, false, or null when the profile lacks what a condition needs")
    conditions: list[ConditionOut]


class MatchesOut(Schema):
    uscc: str
    items: list[MatchOut]


class DepartmentItemsQuery(Schema):
    cursor: str | None = Field(default=None, max_length=2000)
    limit: int = Field(default=20, ge=1, le=100)


class DepartmentItemOut(Schema):
    item_id: str
    kind: Kind
    title: str = Field(description="the draft's title when there is a draft, else the published one's")
    status: str = Field(description="draft (never published), withdrawn, or the published content's status "
                                    "derived from its dates (as ItemOut.status)")
    published_version: int = Field(description="0 until first published")
    has_draft: bool
    updated_at: Instant


class DepartmentItemsOut(Schema):
    items: list[DepartmentItemOut]
    next_cursor: str | None


class EditableOut(Schema):
    id: str
    kind: Kind
    department_id: str | None
    content: dict[str, Any] = Field(description="the draft, or the published content when there is no draft "
                                                "(functions/policy/README.md 'Content format')")
    has_draft: bool = Field(description="whether `content` is an unpublished draft")
    published_version: int = Field(description="the version published last; 0 until first published")
    status: str = Field(description="as DepartmentItemOut.status")
    withdrawn_at: Instant | None
    withdrawn_reason: str | None
    updated_at: Instant
