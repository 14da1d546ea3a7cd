"""Monthly credit snapshots: the city's operators see the runs (and start the month again); an
enterprise sees its own chain. Thin."""
from __future__ import annotations

from functions.api.routes import ApiBlueprint, Call, Reply
from functions.finance.snapshots import presenters, service
from functions.finance.snapshots.schemas import CreditSnapshotsOut, SnapshotRunsOut, SnapshotStartOut
from functions.identity.principal import ADMIN, AUDITOR, ENTERPRISE, SUPERVISOR

bp = ApiBlueprint(__name__, tag="finance")


@bp.api("/finance/snapshots", summary="The monthly credit snapshot runs, newest first, with their failures",
        description="The city's admins, auditors and supervisors (a district's get 403: the snapshots cover the city). "
                    "Each run: what it wrote, the divisions done, and every page given up after all its attempts, which "
                    "waits in the dead-letter queue named here.",
        response=SnapshotRunsOut, roles=(ADMIN, AUDITOR, SUPERVISOR), errors=(403,))
def list_runs(call: Call):
    presenters.require_city(call.caller)
    return presenters.runs(service.runs())


@bp.api("/finance/snapshots/run", "POST", summary="Take the snapshots of the month just ended (again)",
        description="The city's admins. The same as the schedule at 01:00 on the 1st: the run and a message per division. "
                    "Starting a month again writes only the snapshots still missing (a page that failed, say); "
                    "what exists is never rewritten.",
        response=SnapshotStartOut, status=202, roles=(ADMIN,), errors=(403,))
def start(call: Call):
    presenters.require_city(call.caller)
    return Reply(SnapshotStartOut(**service.start(call.uow)), status=202)


@bp.api("/enterprises/{uscc}/credit-snapshots", summary="The enterprise's monthly credit snapshots, newest first",
        description="The enterprise itself (anyone else: 404). Each month's hash, the previous month's it is chained to, "
                    "and what changed.",
        response=CreditSnapshotsOut, roles=(ENTERPRISE,), errors=(404,))
def my_snapshots(call: Call):
    return presenters.snapshots(presenters.own_snapshots(call.caller, call.params["uscc"]))
