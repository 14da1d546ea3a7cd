"""Platform routes: health, the OpenAPI document, and the dev controls of local and dev stages."""
from __future__ import annotations

import json

from functions import platforms
from functions.notifications import service as notifications
from functions.notifications.channels import render_topic
from functions.platform import jobs_runtime, service
from functions.platform.clock import MovableClock, movable_clock
from functions.identity.principal import ADMIN, AUDITOR, SUPERVISOR
from functions.platform.schemas import (
    UnitOut,
    AuditPageOut,
    AuditQuery,
    AuditRecordOut,
    ClockAdvanceIn,
    ClockOut,
    HealthOut,
    JobOut,
    JobRunOut,
    MailboxItemOut,
    MailboxQuery,
    PlatformOut,
    PlatformsOut,
)
from functions.settings import get_settings
from functions.shared.clock import get_clock, parse_instant, to_shanghai
from functions.shared.pagination import decode_cursor, encode_cursor
from functions.shared.errors import NotFound
from functions.shared.openapi import build_document
from functions.api.routes import ApiBlueprint, Call

bp = ApiBlueprint(__name__, tag="platform")


@bp.api("/health", summary="Liveness of this stage", response=HealthOut, roles=None)
def health(call: Call):
    settings = get_settings()
    return HealthOut(status="ok", stage=settings.stage, version=settings.version)


@bp.api("/platforms", summary="The business platforms this stage lists, in its order, and whether each is built",
        response=PlatformsOut, roles=None)
def stage_platforms(call: Call):
    # From the stage's settings and the packages present: no table is read. Core packages are not listed.
    built = {plugin.name for plugin in platforms.enabled()}
    listed = dict.fromkeys(name for name in get_settings().platforms if name not in platforms.CORE)
    return PlatformsOut(items=[PlatformOut(name=name, built=name in built) for name in listed])


@bp.api("/openapi.json", summary="This document", roles=None)
def openapi(call: Call):
    settings = get_settings()
    return build_document("Qingdao unified enterprise service platform", settings.version)


@bp.api("/dev/clock", summary="The platform clock (local and dev stages)", response=ClockOut, roles=None, dev_only=True)
def clock(call: Call):
    return ClockOut(now=get_clock().now(), offset_seconds=movable_clock().offset_seconds())


@bp.api(
    "/dev/clock",
    "POST",
    summary="Move the platform clock forward (never back)",
    body=ClockAdvanceIn,
    response=ClockOut,
    roles=None,
    dev_only=True,
    errors=(409,),
)
def advance_clock(call: Call):
    offset = movable_clock().advance(call.uow, call.body.advance_seconds)
    return ClockOut(now=MovableClock.at_offset(offset), offset_seconds=offset)


@bp.api("/dev/jobs", summary="The scheduled and queue jobs the app registered", response=list[JobOut], roles=None, dev_only=True)
def jobs(call: Call):
    return [JobOut(**job.__dict__) for job in jobs_runtime.list_jobs(bp.current_app)]


@bp.api(
    "/dev/jobs/{name}/run",
    "POST",
    summary="Run one scheduled job now and report what it did",
    response=JobRunOut,
    roles=None,
    idempotent=False,
    dev_only=True,
)
def run_job(call: Call):
    name = call.params["name"]
    job = next((j for j in jobs_runtime.list_jobs(bp.current_app) if j.name == name), None)
    if job is None or job.kind != "schedule":
        raise NotFound(f"No scheduled job named {name!r}; see GET /api/dev/jobs.")
    now = get_clock().now()
    result = jobs_runtime.run_scheduled(bp.current_app, job, now, get_settings().region)
    return JobRunOut(name=name, ran_at=now, result=result if isinstance(result, dict) else {"result": result})


@bp.api(
    "/dev/mailbox",
    summary="Notices delivered to one recipient's local mailbox (local and dev stages)",
    query=MailboxQuery,
    response=list[MailboxItemOut],
    roles=None,
    dev_only=True,
)
def mailbox(call: Call):
    items = []
    for m in notifications.inbox(call.query.recipient):
        payload = json.loads(m.payload)
        subject, text = render_topic(m.topic, payload)
        items.append(MailboxItemOut(recipient=m.recipient, topic=m.topic, subject=subject, text=text, payload=payload,
                                    message_id=m.message_id, at=to_shanghai(parse_instant(m.at_id.split("#")[0])).isoformat()))
    return items


@bp.api(
    "/audit",
    summary="One object's audit trail (who, when, what, before and after), oldest first",
    query=AuditQuery,
    response=AuditPageOut,
    roles=(AUDITOR, ADMIN, SUPERVISOR),
)
def audit_trail(call: Call):
    cursor = decode_cursor(call.query.cursor, expected={"entity": call.query.entity})
    records, last_key = service.audit_trail(call.caller, call.query.entity, cursor, call.query.limit)
    return AuditPageOut(
        items=[
            AuditRecordOut(
                entity=r.entity,
                at=r.at_seq.split("#")[0],
                action=r.action,
                actor_sub=r.actor_sub,
                actor_role=r.actor_role,
                actor_org=r.actor_org,
                request_id=r.request_id,
                before=json.loads(r.before) if r.before else None,
                after=json.loads(r.after) if r.after else None,
                note=r.note,
            )
            for r in records
        ],
        next_cursor=encode_cursor(last_key),
    )


@bp.api("/units", summary="The stack's handling units (for dispatch and oversight)", response=list[UnitOut],
        roles=service.WORKBENCH_ROLES)
def unit_directory(call: Call):
    return [UnitOut(id=u.org_id, name=u.name_zh, name_en=u.name_en, district=u.district, level=u.level,
                    roles=list(u.roles or [])) for u in service.handling_units(call.caller)]
