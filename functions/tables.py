"""Every PynamoDB model of the platform, in one list.

The local stack creates these tables, the infra build generates the CloudFormation tables and the
IAM policy from them, and a test checks that nothing else is used.
"""
from __future__ import annotations


def all_models() -> list[type]:
    # Imported here, not at module top, so importing the registry stays cheap for callers that
    # only need one platform.
    from functions.shared import audit, idempotency, keyring, ratelimit
    from functions.identity import models as identity
    from functions.calendar import models as calendar
    from functions.refdata import models as refdata
    from functions.platform import models as platform
    from functions.notifications import models as notifications
    from functions.appeals import models as appeals
    from functions.appeals import open311

    return [
        idempotency.IdempotencyRecord,
        audit.AuditRecord,
        audit.OutboxMessage,
        ratelimit.RateWindow,
        keyring.ServerSecret,
        identity.SigningKey,
        identity.OAuthClient,
        identity.DevUser,
        calendar.CalendarNotice,
        calendar.SlaClock,
        refdata.Organisation,
        platform.PlatformSetting,
        notifications.MailboxMessage,
        appeals.Appeal,
        appeals.TicketCounter,
        appeals.TicketNumber,
        appeals.RoutingRule,
        appeals.UnitStats,
        appeals.CoTask,
        appeals.ReporterIdentity,
        appeals.VaultKey,
        open311.Open311Channel,
        open311.Open311Request,
    ]
