"""Policy items as the API shows them."""
from __future__ import annotations

from functions.policy.models import PolicyItem, PolicyVersion
from functions.policy.schemas import (
    ChangeOut, ConditionOut, DepartmentItemOut, DepartmentItemsOut, DraftOut, EditableOut, ItemOut, MatchesOut,
    MatchOut, RelatedOut, SearchHitOut, SearchOut, VersionOut, VersionsOut,
)
from functions.policy.service import ItemView, status_of, today
from functions.shared.clock import parse_instant, parse_optional_instant


def item(view: ItemView) -> ItemOut:
    on = today()
    return ItemOut(
        id=view.item.item_id, kind=view.item.kind, status=view.status, version=int(view.item.published_version),
        published_at=parse_optional_instant(view.item.published_at), content=view.content,
        related=[RelatedOut(id=r.item_id, kind=r.kind, title=r.content.get("title", ""), status=status_of(r.kind, r.content, on))
                 for r in view.related],
    )


def draft(found: PolicyItem) -> DraftOut:
    return DraftOut(id=found.item_id, kind=found.kind, draft=found.draft, published_version=int(found.published_version))


def versions(found: list[PolicyVersion]) -> VersionsOut:
    return VersionsOut(items=[VersionOut(version=int(v.version), published_at=parse_instant(v.published_at),
                                         published_by=v.published_by, changes=[ChangeOut(**c) for c in v.changes])
                              for v in found])


def search(result) -> SearchOut:
    return SearchOut(
        items=[SearchHitOut(id=hit.id, kind=hit.kind, title=hit.title, highlights=hit.fragments,
                            level=hit.item.get("level"), department=hit.item.get("department"),
                            doc_number=hit.item.get("doc_number"), status=hit.item.get("status"),
                            topics=list(hit.item.get("topics") or []), closes_on=hit.item.get("closes_on"),
                            published_on=hit.item.get("published_on"))
               for hit in result.hits],
        total=result.total, mode=result.mode, facets=result.facets,
        closing_within={str(days): count for days, count in result.closing_within.items()}, next_cursor=result.next_cursor,
    )


def match(m) -> MatchOut:
    content = m.project.item.content
    return MatchOut(project_id=m.project.item.item_id, title=content.get("title", ""),
                    department_id=content.get("department_id"), closes_on=(content.get("window") or {}).get("closes_on"),
                    no_application=bool(content.get("no_application")), eligible=m.evaluation.eligible,
                    conditions=[ConditionOut(**c.as_dict()) for c in m.evaluation.conditions])


def matches(uscc: str, found: list) -> MatchesOut:
    return MatchesOut(uscc=uscc, items=[match(m) for m in found])


def department_items(page) -> DepartmentItemsOut:
    from functions.policy.service import list_status
    from functions.shared.pagination import encode_cursor

    on = today()
    return DepartmentItemsOut(
        items=[DepartmentItemOut(item_id=i.item_id, kind=i.kind, title=(i.draft or i.content or {}).get("title", ""),
                                 status=list_status(i, on), published_version=int(i.published_version),
                                 has_draft=i.draft is not None, updated_at=parse_instant(i.updated_at))
               for i in page.items],
        next_cursor=encode_cursor(page.last_key),
    )


def editable(found: PolicyItem) -> EditableOut:
    from functions.policy.service import list_status

    return EditableOut(id=found.item_id, kind=found.kind, department_id=found.department_id,
                       content=found.draft or found.content or {}, has_draft=found.draft is not None,
                       published_version=int(found.published_version), status=list_status(found, today()),
                       withdrawn_at=parse_optional_instant(found.withdrawn_at),
                       withdrawn_reason=found.withdrawn_reason, updated_at=parse_instant(found.updated_at))
