"""The policy library: read what is published, and let a department's staff draft, publish, revise
and withdraw their own documents, projects and news. No Chalice.

Status is never set by hand (README.md): `status_of` derives it from the content's dates on the
platform clock. Publishing turns the item's draft into its next version in one transaction with the
version record (content and field-by-field changes), the links from a project or news item to its
documents, the audit record, the outbox notice and an ADD to the library's content version, which the
index job (jobs.py) compares with the version its stored search index was built from.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterator

from functions.identity.principal import ADMIN, STAFF, Principal
from functions.policy.models import DOCUMENT, KINDS, LIBRARY, NEWS, PROJECT, IndexState, PolicyItem, PolicyLink, PolicyVersion
from functions.refdata.divisions import CITY
from functions.shared.audit import UnitOfWork
from functions.shared.cache import ProcessCache
from functions.shared.clock import get_clock, isoformat_utc, to_shanghai
from functions.shared.errors import Conflict, FieldError, Forbidden, NotFound, Unavailable, ValidationFailed

LEVELS = ("national", "provincial", "municipal", "district")
NEWS_KINDS = ("interpretation", "news")
PREFIXES = {"doc-": DOCUMENT, "proj-": PROJECT, "news-": NEWS}


def kind_of(item_id: str) -> str | None:
    """An item's kind from its id's prefix (doc-, proj-, news-), or None."""
    return next((kind for prefix, kind in PREFIXES.items() if item_id.startswith(prefix)), None)


def today(now: datetime | None = None) -> date:
    return to_shanghai(now or get_clock().now()).date()


def status_of(kind: str, content: dict[str, Any], on: date, withdrawn: bool = False) -> str:
    """documents: upcoming | effective | expired; projects: upcoming | open | closed; news: published.
    Withdrawn items are `withdrawn` whatever their dates."""
    if withdrawn:
        return "withdrawn"
    if kind == DOCUMENT:
        start, end = content.get("effective_from") or content.get("issued_on"), content.get("effective_to")
        if start and on.isoformat() < start:
            return "upcoming"
        return "expired" if end and on.isoformat() > end else "effective"
    if kind == PROJECT:
        window = content.get("window") or {}
        if window.get("opens_on") and on.isoformat() < window["opens_on"]:
            return "upcoming"
        return "closed" if window.get("closes_on") and on.isoformat() > window["closes_on"] else "open"
    return "published"


@dataclass
class ItemView:
    item: PolicyItem
    content: dict[str, Any]
    status: str
    # What links to it (a document's projects and news) or what it links to (a project's documents).
    related: list[PolicyItem] = field(default_factory=list)


def _get(item_id: str) -> PolicyItem | None:
    try:
        return PolicyItem.get(item_id)
    except PolicyItem.DoesNotExist:
        return None


def read(item_id: str, kind: str | tuple[str, ...]) -> ItemView:
    """A published item of the kind(s) asked for, with its related items (one GetItem, then one Query of
    links and one BatchGetItem, or one BatchGetItem for a project's documents)."""
    kinds = (kind,) if isinstance(kind, str) else kind
    item = _get(item_id)
    if item is None or item.kind not in kinds or item.content is None or item.withdrawn_at:
        raise NotFound(f"No published {' or '.join(kinds)} {item_id}.")
    if item.kind == DOCUMENT:
        sources = [link.source for link in PolicyLink.query(item_id)]
    else:
        sources = list(item.content.get("documents") or [])
    related = [i for i in PolicyItem.batch_get(sources) if i.content is not None and not i.withdrawn_at] if sources else []
    related.sort(key=lambda i: sources.index(i.item_id))
    return ItemView(item, item.content, status_of(item.kind, item.content, today()), related)


def published(kind: str) -> Iterator[PolicyItem]:
    """Every published item of a kind, page by page (the index job and matching read this, never a request)."""
    yield from PolicyItem.kind_index.query(kind)


# -- editing -----------------------------------------------------------------------------------------
def may_edit(caller: Principal, department_id: str | None) -> None:
    if caller.role == ADMIN and caller.district == CITY:
        return
    if caller.role == STAFF and department_id and caller.org_id == department_id:
        return
    raise Forbidden("Only the owning department's staff (or the city's administrators) edit its policies.")


def validate(kind: str, content: Any) -> dict[str, Any]:
    """The content's shape (README "Content format"); errors name the field under `content.`."""
    errors: list[FieldError] = []
    if not isinstance(content, dict):
        raise ValidationFailed([FieldError("content", "must be an object")])

    def need(name: str, kinds: type | tuple[type, ...] = str) -> None:
        value = content.get(name)
        if value is None or (isinstance(value, str) and not value.strip()) or not isinstance(value, kinds):
            errors.append(FieldError(f"content.{name}", "is required"))

    need("title")
    if kind == DOCUMENT:
        need("issuer")
        need("body")
        need("issued_on")
        if content.get("level") not in LEVELS:
            errors.append(FieldError("content.level", f"must be one of {', '.join(LEVELS)}"))
        for name in ("issued_on", "effective_from", "effective_to"):
            _check_date(content, name, errors)
        if content.get("effective_from") and content.get("effective_to") and content["effective_to"] < content["effective_from"]:
            errors.append(FieldError("content.effective_to", "must not be before effective_from"))
    elif kind == PROJECT:
        need("department_id")
        need("documents", list)
        window = content.get("window") or {}
        for name in ("opens_on", "closes_on"):
            _check_date(window, name, errors, "content.window.")
        if content.get("form") is not None:
            from functions.policy import forms

            try:
                forms.check_schema(content["form"])
            except ValidationFailed as failed:
                errors += failed.errors
        for position, stage in enumerate(content.get("review_stages") or []):
            if not isinstance(stage, dict) or not stage.get("name") or not stage.get("unit_id"):
                errors.append(FieldError(f"content.review_stages[{position}]", "needs a name and a unit_id"))
        rule = content.get("eligibility")
        if rule is not None:
            from functions.policy import eligibility

            try:
                eligibility.validate_rule(rule, "content.eligibility")
            except ValidationFailed as failed:
                errors += failed.errors
    elif kind == NEWS:
        need("body")
        need("published_on")
        _check_date(content, "published_on", errors)
        if content.get("kind") not in NEWS_KINDS:
            errors.append(FieldError("content.kind", f"must be one of {', '.join(NEWS_KINDS)}"))
    if errors:
        raise ValidationFailed(errors)
    return content


def _check_date(holder: dict, name: str, errors: list[FieldError], prefix: str = "content.") -> None:
    value = holder.get(name)
    if value is None:
        return
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        errors.append(FieldError(f"{prefix}{name}", "must be a date YYYY-MM-DD"))


def save_draft(uow: UnitOfWork, caller: Principal, item_id: str, content: dict[str, Any]) -> PolicyItem:
    kind = kind_of(item_id)
    if kind is None:
        raise ValidationFailed([FieldError("item_id", "must start with doc-, proj- or news-")])
    # Who may edit first: a caller who may not learns nothing from the validation of what they sent.
    department = content.get("department_id") if isinstance(content, dict) else None
    may_edit(caller, department)
    item = _get(item_id)
    if item is not None:
        may_edit(caller, item.department_id)
    validate(kind, content)
    if item is None:
        item = PolicyItem(item_id=item_id, kind=kind)
    before = item.draft
    item.draft, item.department_id = {**content, "id": item_id}, department
    item.updated_at, item.updated_by = isoformat_utc(uow.now), caller.sub
    uow.put(item, label="policy item")
    uow.audit(f"policy#{item_id}", "policy.draft_saved", before=before, after=item.draft)
    return item


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """Field by field: what the new version changed (top-level fields of the content)."""
    before = before or {}
    return [{"field": name, "before": before.get(name), "after": after.get(name)}
            for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]


def publish(uow: UnitOfWork, caller: Principal, item_id: str) -> PolicyVersion:
    """The draft becomes the next version (the demo library is written by `seed_library`)."""
    item = _get(item_id)
    if item is None:
        raise NotFound(f"No policy item {item_id}.")
    may_edit(caller, item.department_id)
    if item.draft is None:
        raise Conflict("There is no draft to publish.")
    content = validate(item.kind, item.draft)
    now = isoformat_utc(uow.now)
    number = int(item.published_version or 0) + 1
    record = PolicyVersion(item_id=item_id, version=number, content=content, changes=changes(item.content, content),
                           published_at=now, published_by=caller.sub)
    uow.put(record, PolicyVersion.item_id.does_not_exist(), label="policy version")
    _relink(uow, item, item.content, content)
    item.content, item.draft, item.published_version, item.published_at = content, None, number, now
    item.withdrawn_at = item.withdrawn_reason = None
    item.listed_kind, item.updated_at, item.updated_by = item.kind, now, caller.sub
    uow.put(item, label="policy item")
    # A project also waits for its fan-out to the enterprises it may suit (fanout.py), in this same transaction.
    fanout = [IndexState.pending_fanout.add({f"{item_id}#{number}"})] if item.kind == PROJECT else []
    uow.update(IndexState(name=LIBRARY), [IndexState.content_version.add(1), *fanout], label="index state")
    uow.audit(f"policy#{item_id}", "policy.published", after={"version": number, "changes": [c["field"] for c in record.changes]})
    uow.emit("policy.published", {"item_id": item_id, "kind": item.kind, "version": number,
                                  "title": content.get("title"), "department_id": item.department_id})
    return record


def withdraw(uow: UnitOfWork, caller: Principal, item_id: str, reason: str) -> PolicyItem:
    item = _get(item_id)
    if item is None or item.content is None:
        raise NotFound(f"No published policy item {item_id}.")
    may_edit(caller, item.department_id)
    if item.withdrawn_at:
        raise Conflict("It is already withdrawn.")
    item.withdrawn_at, item.withdrawn_reason, item.listed_kind = isoformat_utc(uow.now), reason, None
    item.updated_at, item.updated_by = item.withdrawn_at, caller.sub
    uow.put(item, label="policy item")
    uow.update(IndexState(name=LIBRARY), [IndexState.content_version.add(1)], label="index state")
    uow.audit(f"policy#{item_id}", "policy.withdrawn", after={"reason": reason})
    return item


def _relink(uow: UnitOfWork, item: PolicyItem, old: dict[str, Any] | None, new: dict[str, Any]) -> None:
    if item.kind == DOCUMENT:
        return
    before, after = set((old or {}).get("documents") or []), set(new.get("documents") or [])
    for target in sorted(before - after):
        uow.delete(PolicyLink(target=target, source=item.item_id), label="policy link")
    for target in sorted(after - before):
        uow.put(PolicyLink(target=target, source=item.item_id, source_kind=item.kind), label="policy link")


def versions(item_id: str) -> list[PolicyVersion]:
    return list(PolicyVersion.query(item_id, scan_index_forward=False))


# -- the demo library ----------------------------------------------------------------------------------
def seed_library(content: dict[str, list[dict[str, Any]]], now: datetime) -> dict[str, int]:
    """Publish, as the platform, every item of the demo content that is not there yet (idempotent).

    Demo data is written in batches (a BatchGetItem per 100 ids to see what exists, then BatchWriteItem
    per 25 items), not one publishing transaction per item: every API test loads the demo data, and
    the library is ~170 items. What is written is what `publish` writes for a version 1, less the
    audit and outbox records (nothing happened that anyone must be told of)."""
    entries = [(kind, entry) for kind, key in ((DOCUMENT, "documents"), (PROJECT, "projects"), (NEWS, "news"))
               for entry in content.get(key, [])]
    existing = {item.item_id for item in PolicyItem.batch_get([entry["id"] for _, entry in entries])} if entries else set()
    stamp = isoformat_utc(now)
    missing = [(kind, entry) for kind, entry in entries if entry["id"] not in existing]
    with PolicyItem.batch_write() as items, PolicyVersion.batch_write() as versions, PolicyLink.batch_write() as links:
        for kind, entry in missing:
            entry = validate(kind, json.loads(json.dumps(entry)))
            items.save(PolicyItem(item_id=entry["id"], kind=kind, department_id=entry.get("department_id"), content=entry,
                                  published_version=1, published_at=stamp, updated_at=stamp, updated_by="platform",
                                  listed_kind=kind))
            versions.save(PolicyVersion(item_id=entry["id"], version=1, content=entry, changes=changes(None, entry),
                                        published_at=stamp, published_by="platform"))
            if kind != DOCUMENT:
                for target in sorted(set(entry.get("documents") or [])):
                    links.save(PolicyLink(target=target, source=entry["id"], source_kind=kind))
    if missing:
        IndexState(name=LIBRARY).update(actions=[IndexState.content_version.add(len(missing))])
    return {"policy_items": len(missing)}


assert set(KINDS) == set(PREFIXES.values())


# -- the search index -----------------------------------------------------------------------------------
INDEX_NAME = "policy"


def library_content() -> dict[str, list[dict[str, Any]]]:
    """Everything published and not withdrawn, in the content format (three paged Queries of kind-index)."""
    return {key: [item.content for item in published(kind)] for kind, key in ((DOCUMENT, "documents"),
                                                                               (PROJECT, "projects"), (NEWS, "news"))}


def rebuild_index(now: datetime) -> dict[str, Any]:
    """Build and store the search index when the library changed since the last build, or when the day
    changed (statuses come from dates). Two runs at once build twice and store the same thing; the
    state records the content version read before the build, so a publish during it is built next run."""
    from functions.policy.search_items import items_from_content
    from functions.search import index

    state = _index_state()
    day = today(now).isoformat()
    built_day = to_shanghai(datetime.fromisoformat(state.indexed_at.replace("Z", "+00:00"))).date().isoformat() \
        if state.indexed_at else None
    if state.indexed_at and int(state.indexed_version) == int(state.content_version) and built_day == day:
        return {"built": 0, "content_version": int(state.content_version)}
    content = library_content()
    etag = index.save(INDEX_NAME, items_from_content(content, today(now)))
    IndexState(name=LIBRARY).update(actions=[IndexState.indexed_version.set(int(state.content_version)),
                                             IndexState.indexed_at.set(isoformat_utc(now)),
                                             IndexState.index_key.set(f"{index.object_key(INDEX_NAME)}#{etag}")])
    return {"built": sum(len(v) for v in content.values()), "content_version": int(state.content_version)}


def _index_state() -> IndexState:
    try:
        return IndexState.get(LIBRARY, consistent_read=True)
    except IndexState.DoesNotExist:
        return IndexState(name=LIBRARY)


def search(query: str, kind: str | None, level: str | None, department: str | None, topic: str | None,
           status: str | None, closing_within: int | None, cursor: str | None, limit: int):
    """The stored index, opened once per process (no DynamoDB call); 503 until the first build."""
    from botocore.exceptions import ClientError

    from functions.search import engine

    def one(value: str | None) -> tuple[str, ...]:
        return (value,) if value else ()

    filters = engine.Filters(kind=one(kind), level=one(level), department=one(department), topic=one(topic),
                             status=one(status), closing_within_days=closing_within)
    try:
        return engine.search(query, filters, cursor=cursor, limit=limit, index_name=INDEX_NAME, today=today())
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise Unavailable("The policy search index is being built; try again in a minute.") from None
        raise


# -- matching ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rules:
    """A published project with its rule compiled once (matching evaluates thousands per request)."""

    item: PolicyItem
    compiled: Any


def _load_projects() -> list[Rules]:
    from functions.policy.eligibility import compile_rule

    return [Rules(item, compile_rule(item.content.get("eligibility"))) for item in published(PROJECT)]


# Published projects change rarely and matching reads all of them: one read of kind-index a minute.
_projects = ProcessCache("policy.projects", _load_projects, ttl_seconds=60)


def matches(caller: Principal, uscc: str, only_open: bool = True) -> list:
    """Every open project for this enterprise: eligible first, then unknown, then not (eligibility.match),
    for the enterprise itself or those who may read its profile. One GetItem of the profile; the
    projects come from this process's copy."""
    from functions.enterprises import service as enterprises
    from functions.policy.eligibility import match

    enterprises.read(caller, uscc)  # who may read its profile may see its matches (404 otherwise)
    on = today()
    projects = [p for p in _projects.get() if not only_open or status_of(PROJECT, p.item.content, on) == "open"]
    return match(enterprises.facts(uscc), projects, on, rule_of=lambda rules: rules.compiled)


def project_eligibility(caller: Principal, item_id: str):
    """The calling enterprise against one published project (its own profile: one GetItem each)."""
    from functions.enterprises import service as enterprises
    from functions.identity.principal import ENTERPRISE
    from functions.policy.eligibility import match

    if caller.role != ENTERPRISE:
        raise Forbidden("Eligibility is an enterprise's own question: sign in as the enterprise.")
    view = read(item_id, PROJECT)
    return match(enterprises.facts(caller.org_id), [Rules(view.item, None)], today(),
                 rule_of=lambda rules: rules.item.content.get("eligibility"))[0]


# -- the staff's pages: a department's items, and what an editor starts from -------------------------------
@dataclass
class DepartmentPage:
    items: list[PolicyItem]
    last_key: dict[str, Any] | None


def _may_list(caller: Principal, unit_id: str) -> None:
    """A department's own staff; administrators and auditors whose jurisdiction covers the unit. The
    staff's check reads nothing; the others' reads the units directory (a process cache)."""
    from functions.identity.principal import AUDITOR
    from functions.refdata.directory import units
    from functions.refdata.divisions import covers

    if caller.role == STAFF:
        if caller.org_id == unit_id:
            return
        raise Forbidden("A department's staff see only their own department's policies.")
    if caller.role in (ADMIN, AUDITOR) and covers(caller.district, units.find(unit_id).district):
        return
    raise Forbidden("A department's policies are listed for its staff, administrators and auditors.")


def department_items(caller: Principal, unit_id: str, cursor: dict[str, Any] | None, limit: int) -> DepartmentPage:
    """A department's documents, projects and news, newest change first, drafts and withdrawn ones too:
    one Query of department-index (keys only) and one BatchGetItem of the page's items (none when empty)."""
    _may_list(caller, unit_id)
    results = PolicyItem.department_index.query(unit_id, scan_index_forward=False, limit=limit,
                                                last_evaluated_key=cursor)
    ids = [key.item_id for key in results]
    found = {item.item_id: item for item in PolicyItem.batch_get(ids)} if ids else {}
    return DepartmentPage([found[i] for i in ids if i in found], results.last_evaluated_key)


def list_status(item: PolicyItem, on: date) -> str:
    """What a staff list says of an item: `draft` until first published, else its derived status."""
    if item.content is None:
        return "draft"
    return status_of(item.kind, item.content, on, withdrawn=bool(item.withdrawn_at))


def editable(caller: Principal, item_id: str) -> PolicyItem:
    """The item an editor opens (one GetItem): its draft, or its published content when there is none."""
    item = _get(item_id)
    if item is None:
        raise NotFound(f"No policy item {item_id}.")
    may_edit(caller, item.department_id)
    return item
