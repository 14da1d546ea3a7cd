"""The ground floor's tables: idempotency, audit and outbox, rate windows, the stage's secret."""
from functions.shared.plugins import Plugin

PLUGIN = Plugin(
    name="shared",
    models=("functions.shared.idempotency:IdempotencyRecord", "functions.shared.audit:AuditRecord",
            "functions.shared.audit:OutboxMessage", "functions.shared.ratelimit:RateWindow",
            "functions.shared.keyring:ServerSecret"),
)
