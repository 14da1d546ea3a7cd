"""A published project, told to the enterprises it may suit: found through indexes, a page at a time.

Publishing a project ADDs "<project_id>#<version>" to the index state's `pending_fanout` set in the
publishing transaction (service.publish), so a project is never published without its fan-out
waiting, nor the other way round. Then, never walking every enterprise in one invocation:

1. `start` (the `start_policy_fanout` job, every minute): one GetItem of the state; for each entry
   one GetItem of the project, and one queue message per district its rule can match (a `district`
   condition `==`/`in` in the rule itself or its top-level `all`; otherwise every division of the
   city: the city-level registrations too); then one UpdateItem DELETEs the entries it sent. Idle it
   is the one GetItem. A crash between the sending and the DELETE sends them again next minute:
   harmless, see 3.
2. `fan_out_page` (the `fan_out_policy` queue job), per message {project_id, version, district,
   cursor}: one GetItem of the project, one Query of a page of `district-index` (enterprise
   profiles, PAGE_SIZE), the rule evaluated on each profile (eligibility.py; only `eligible: true`
   counts, never `unknown`), one BatchGetItem of the eligible ones' notification settings (none when
   nobody is eligible), and one transaction of outbox notices (`policy.project_matched`, to
   `org:{uscc}`) for those whose settings want it (none when nobody does). Then, if the page was
   not the last, one message for the next page.
3. Redelivery notifies nobody twice. The page's unit of work takes a request id derived from
   (project, version, district, cursor), so its notices get the same message ids each time
   (UnitOfWork.emit), and each is put only if its id does not exist: a page committed before is
   refused as a whole, and that refusal is what "already done" looks like (nothing else is written).

A project withdrawn, revised since (its newer version has its own entry) or closed is not fanned
out; a chain under way stops at its next page.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from functions.policy.models import LIBRARY, PROJECT, IndexState, PolicyItem
from functions.refdata.divisions import BY_CODE, DIVISIONS
from functions.shared import queues
from functions.shared.audit import SYSTEM_ACTOR, UnitOfWork
from functions.shared.errors import Conflict
from functions.shared.logs import get_logger

QUEUE = "policy-fanout"  # short name; settings.queue_name() gives the stage's queue
TOPIC = "policy.project_matched"  # its words: vocabulary.py NOTICE_TEXTS
PAGE_SIZE = 100  # enterprises per message; ≤ 100: one transaction holds at most 100 notices
_log = get_logger(__name__)


def send(messages: list[dict[str, Any]]) -> None:
    """Put these messages on the fan-out queue."""
    queues.send(QUEUE, messages)


# -- which districts a rule can match ------------------------------------------------------------------
# The city (enterprises registered at the city level carry its code) and its districts.
ALL_DIVISIONS: tuple[str, ...] = tuple(d.code for d in DIVISIONS)


def districts_of(rule: Any) -> tuple[str, ...]:
    """The districts whose enterprises a rule can make eligible: those a `district` condition (`==` or
    `in`) of the rule itself or of its top-level `all` allows (several: the districts all of them allow);
    any other rule, every division of the city."""
    leaves = [rule] if isinstance(rule, dict) and "field" in rule else \
        (rule.get("all") or []) if isinstance(rule, dict) and isinstance(rule.get("all"), list) else []
    allowed: set[str] | None = None
    for leaf in leaves:
        if not isinstance(leaf, dict) or leaf.get("field") != "district":
            continue
        if leaf.get("op") == "==":
            values = {leaf.get("value")}
        elif leaf.get("op") == "in" and isinstance(leaf.get("value"), list):
            values = set(leaf["value"])
        else:
            continue
        allowed = values if allowed is None else allowed & values
    if allowed is None:
        return ALL_DIVISIONS
    return tuple(code for code in ALL_DIVISIONS if code in allowed)


# -- the project ----------------------------------------------------------------------------------------
def _project(project_id: str, version: int, now: datetime) -> PolicyItem | None:
    """The project if this version is still the one to tell enterprises of (one GetItem); else None."""
    from functions.policy.service import status_of, today

    try:
        item = PolicyItem.get(project_id)
    except PolicyItem.DoesNotExist:
        return None
    if (item.kind != PROJECT or item.content is None or item.withdrawn_at or int(item.published_version or 0) != version
            or status_of(PROJECT, item.content, today(now)) == "closed"):
        return None
    return item


def _entry(entry: str) -> tuple[str, int]:
    project_id, _, version = entry.rpartition("#")
    return project_id, int(version)


# -- 1. the scheduled start --------------------------------------------------------------------------------
def start(now: datetime) -> dict[str, int]:
    try:
        state = IndexState.get(LIBRARY, consistent_read=True)
    except IndexState.DoesNotExist:
        return {"projects": 0, "messages": 0}
    entries = sorted(state.pending_fanout or ())
    if not entries:
        return {"projects": 0, "messages": 0}
    messages: list[dict[str, Any]] = []
    started = 0
    for entry in entries:
        project_id, version = _entry(entry)
        item = _project(project_id, version, now)
        if item is None:
            continue  # withdrawn, revised or closed since: dropped below, nobody told
        started += 1
        messages += [{"project_id": project_id, "version": version, "district": district, "cursor": None}
                     for district in districts_of(item.content.get("eligibility"))]
    send(messages)
    IndexState(name=LIBRARY).update(actions=[IndexState.pending_fanout.delete(set(entries))])
    _log.info("policy fan-out started", extra={"fields": {"projects": started, "messages": len(messages)}})
    return {"projects": started, "messages": len(messages)}


# -- 2. one page -----------------------------------------------------------------------------------------
def page_request_id(project_id: str, version: int, district: str, cursor: Any) -> str:
    """The same for every delivery of one page's message: its notices get the same message ids."""
    seed = json.dumps([project_id, version, district, cursor], sort_keys=True, ensure_ascii=False)
    return "fanout-" + hashlib.sha256(seed.encode()).hexdigest()[:32]


def fan_out_page(message: dict[str, Any], now: datetime) -> dict[str, Any]:
    from functions.enterprises import service as enterprises
    from functions.enterprises.facts import facts_of
    from functions.enterprises.models import EnterpriseProfile
    from functions.policy.eligibility import compile_rule, evaluate
    from functions.policy.service import today

    project_id, version = message["project_id"], int(message["version"])
    district, cursor = message["district"], message.get("cursor")
    if district not in BY_CODE:
        raise ValueError(f"not a division of the city: {district!r}")
    item = _project(project_id, version, now)
    if item is None:
        return {"seen": 0, "notified": 0, "next": False}
    content = item.content
    rule = compile_rule(content.get("eligibility"))
    on = today(now)
    results = EnterpriseProfile.district_index.query(district, limit=PAGE_SIZE, last_evaluated_key=cursor)
    profiles = list(results)
    next_cursor = results.last_evaluated_key if len(profiles) >= PAGE_SIZE else None
    eligible = [p.uscc for p in profiles
                if evaluate(rule, facts_of(p.uscc, district, enterprises.stored_facts(p)), on).eligible is True]
    topics = list(content.get("topics") or ())
    settings = enterprises.settings_of(eligible) if eligible else {}
    told = [uscc for uscc in eligible if enterprises.wants_policy_alert(settings[uscc], topics)]
    repeated = False
    if told:
        uow = UnitOfWork(SYSTEM_ACTOR["sub"], SYSTEM_ACTOR["role"], SYSTEM_ACTOR["org_id"],
                         page_request_id(project_id, version, district, cursor), now)
        for uscc in told:
            uow.emit(TOPIC, {"project_id": project_id, "version": version, "title": content.get("title"),
                             "department_id": item.department_id, "topics": topics, "uscc": uscc}, [f"org:{uscc}"])
        try:
            uow.commit()
        except Conflict as conflict:
            failed = getattr(conflict, "failed_labels", [])
            if not failed or set(failed) != {"outbox"}:
                raise
            repeated = True  # this page committed before (a redelivery): its notices exist already
    if next_cursor:
        send([{"project_id": project_id, "version": version, "district": district, "cursor": next_cursor}])
    return {"seen": len(profiles), "notified": 0 if repeated else len(told), "repeated": repeated,
            "next": bool(next_cursor)}


def handle(records: list[tuple[str, str]], now: datetime) -> dict[str, list[dict[str, str]]]:
    """A batch of (message id, body): each page on its own; a page that fails is reported, and SQS gives
    it again (the others are deleted)."""
    failures = []
    for message_id, body in records:
        try:
            fan_out_page(json.loads(body), now)
        except Exception:  # noqa: BLE001 - one page must not fail the batch
            _log.exception("policy fan-out page failed", extra={"fields": {"message_id": message_id}})
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}
