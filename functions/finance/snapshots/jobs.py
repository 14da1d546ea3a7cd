"""Credit snapshot jobs: the start at 01:00 Beijing time on the 1st (17:00 UTC on the month's last
day: EventBridge rules keep UTC), and the queue's pages (service.py)."""
from __future__ import annotations

import uuid

from chalice import Blueprint, Cron

from functions.finance.snapshots import service
from functions.settings import get_settings
from functions.shared.audit import SYSTEM_ACTOR, UnitOfWork
from functions.shared.clock import get_clock

bp = Blueprint(__name__)


@bp.schedule(Cron(0, 17, "L", "*", "?", "*"), name="start_credit_snapshots",
             description="Snapshot every enterprise's credit report as of the month just ended (01:00 Beijing time on the 1st)")
def start_credit_snapshots(event):
    now = get_clock().now()
    uow = UnitOfWork(SYSTEM_ACTOR["sub"], SYSTEM_ACTOR["role"], SYSTEM_ACTOR["org_id"], f"snapshots-{uuid.uuid4().hex}", now)
    started = service.start(uow)
    uow.commit()
    return started


@bp.on_sqs_message(queue=get_settings().queue_name(service.QUEUE), name="snapshot_credit_page", batch_size=2)
def snapshot_credit_page(event):
    records = [record.to_dict() for record in event]
    return service.handle([(r["messageId"], r["body"], r.get("attributes") or {}) for r in records], get_clock().now())
