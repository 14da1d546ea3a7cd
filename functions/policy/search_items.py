"""SearchItems from the policy content format (README.md): documents, projects, news.

The index job (jobs.py) feeds it the published library; the relevance table (over data/demo.json)
and the benchmark (over generate()) feed it content directly. Status is derived from the dates on
the given day (service.status_of), so the index is rebuilt each day as well as on every change.
News items are of kind "news" whatever they are (`news_kind`: interpretation | news, shown).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterator

from functions.policy.service import status_of
from functions.search.index import SearchItem


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# Ranking priors (SearchItem.boost): what an enterprise can act on now first, explanations after.
BOOSTS = {("project", "open"): 1.3, ("project", "upcoming"): 1.25, ("document", "effective"): 1.15,
          ("document", "upcoming"): 1.1}


def _boost(kind: str, status: str) -> float:
    return BOOSTS.get((kind, status), 1.0)


def _amount_text(amount: dict[str, Any] | None) -> str:
    if not amount:
        return ""
    if amount.get("kind") == "text":
        return amount.get("text", "")
    if amount.get("kind") == "fixed":
        return f"{amount['amount_fen'] / 1_000_000:g}万元"
    return ""


def items_from_content(content: dict[str, Any], today: date) -> Iterator[SearchItem]:
    documents = {doc["id"]: doc for doc in content.get("documents", [])}
    for doc in documents.values():
        yield SearchItem(
            id=doc["id"], kind="document", title=doc["title"], body=doc.get("body", ""),
            doc_number=doc.get("doc_number"), topics=tuple(doc.get("topics", ())), level=doc.get("level"),
            department=doc.get("department_id"), status=status_of("document", doc, today, bool(doc.get("withdrawn"))), district=doc.get("district"),
            published_on=_day(doc.get("issued_on")), boost=_boost("document", status_of("document", doc, today)), extra={"issuer": doc.get("issuer")},
        )
    for project in content.get("projects", []):
        carried = [documents[d] for d in project.get("documents", []) if d in documents]
        window = project.get("window") or {}
        yield SearchItem(
            id=project["id"], kind="project", title=project["title"],
            body="\n".join(filter(None, [project.get("summary", ""), _amount_text(project.get("amount"))])),
            topics=tuple(project.get("topics", ())), level=carried[0].get("level") if carried else None,
            department=project.get("department_id"), status=status_of("project", project, today),
            district=carried[0].get("district") if carried else None, closes_on=_day(window.get("closes_on")),
            boost=_boost("project", status_of("project", project, today)),
            extra={"documents": project.get("documents", []), "no_application": project.get("no_application", False)},
        )
    for news in content.get("news", []):
        carried = [documents[d] for d in news.get("documents", []) if d in documents]
        yield SearchItem(
            id=news["id"], kind="news", title=news["title"], body=news.get("body", ""),
            topics=tuple(dict.fromkeys(t for doc in carried for t in doc.get("topics", ()))),
            level=carried[0].get("level") if carried else None, status="published",
            published_on=_day(news.get("published_on")),
            extra={"documents": news.get("documents", []), "news_kind": news.get("kind", "news")},
        )
