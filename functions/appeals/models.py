"""Tables of the appeals platform.

Access patterns (every read is a GetItem or a Query; nothing scans a table)
| pattern                                            | key / index                                                  | call |
|----------------------------------------------------|--------------------------------------------------------------|------|
| one appeal                                         | appeals: `appeal_id`                                         | GetItem |
| a unit's queue, optionally by status               | GSI `unit-queue-index`: `assignee_unit`, `queue_key` begins_with "{status}#" | Query (1 per page) |
| the dispatch centre's queue of a district          | GSI `dispatch-queue-index`: `dispatch_district`, `submitted_at` (sparse: only while waiting) | Query |
| an enterprise's open appeals (duplicate check)     | GSI `open-enterprise-index`: `open_uscc`, `submitted_at` (sparse: only while open) | Query |
| an enterprise's appeals                            | GSI `enterprise-index`: `enterprise_uscc`, `submitted_at`    | Query |
| an appeal by ticket number (phone, hotline)        | GSI `ticket-index`: `ticket_no`                              | Query |
| a confidential report by its receipt code          | GSI `receipt-index`: `receipt_hash` (sparse)                 | Query |
| the next ticket number                             | appeal-counters: `name`="ticket", atomic ADD (no read, no transaction: never contended) | UpdateItem |
| what became of a ticket number (appeal or void)    | appeal-tickets: `ticket_no` (put in the creating transaction, or a void with its reason) | TransactWrite put / PutItem |
| numbers not yet accounted for (the ticket audit)   | appeal-counters: `name`="ticket-audit" (watermark), then appeal-tickets by key | GetItem + BatchGetItem |
| the routing rules                                  | routing-rules: `ruleset`="default"                           | Query (cached per process) |
| a unit's (or district's) statistics                | appeal-stats: `scope`, `period_shard` begins_with "{period}#" | Query (sums the shards) |
| a co-handling unit's sub-tasks                     | appeal-cotasks: `unit_id`, `appeal_id`                       | Query / GetItem |
| the sealed identity of a reporter                  | reporter-identities: `appeal_id`                             | GetItem (custodian only) |
The SLA clocks of an appeal are `sla-clocks` items owned by "appeal#{id}" (functions/calendar).
"""
from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name

# Statuses are declared in functions/appeals/vocabulary.py, their transitions in states.py.
from functions.appeals.vocabulary import (  # noqa: E402,F401  (re-exported for the model's readers)
    CLOSED,
    DISPATCHED,
    IN_PROGRESS,
    MERGED,
    OPEN_STATUSES,
    PENDING_DISPATCH,
    RESOLVED,
)


class ChannelRecord(MapAttribute):
    """One arrival of the matter: the first submission, or a duplicate merged onto it."""

    channel = UnicodeAttribute()
    appeal_id = UnicodeAttribute()
    ticket_no = UnicodeAttribute()
    submitted_at = UnicodeAttribute()
    received_at = UnicodeAttribute(null=True)
    submitted_by = UnicodeAttribute()


class UnitQueueIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "unit-queue-index"
        projection = AllProjection()

    assignee_unit = UnicodeAttribute(hash_key=True)
    queue_key = UnicodeAttribute(range_key=True)


class DispatchQueueIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "dispatch-queue-index"
        projection = AllProjection()

    dispatch_district = UnicodeAttribute(hash_key=True)
    submitted_at = UnicodeAttribute(range_key=True)


class OpenEnterpriseIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "open-enterprise-index"
        projection = AllProjection()

    open_uscc = UnicodeAttribute(hash_key=True)
    submitted_at = UnicodeAttribute(range_key=True)


class EnterpriseIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "enterprise-index"
        projection = AllProjection()

    enterprise_uscc = UnicodeAttribute(hash_key=True)
    submitted_at = UnicodeAttribute(range_key=True)


class TicketIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "ticket-index"
        projection = KeysOnlyProjection()

    ticket_no = UnicodeAttribute(hash_key=True)


class ReceiptIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "receipt-index"
        projection = KeysOnlyProjection()

    receipt_hash = UnicodeAttribute(hash_key=True)


class Appeal(Model):
    class Meta(BaseMeta):
        table_name = table_name("appeals")

    appeal_id = UnicodeAttribute(hash_key=True)
    ticket_no = UnicodeAttribute()
    category = UnicodeAttribute()
    title = UnicodeAttribute()
    content = UnicodeAttribute()
    district = UnicodeAttribute()
    channel = UnicodeAttribute()
    channels = ListAttribute(of=ChannelRecord, default=list)
    submitted_at = UnicodeAttribute()
    received_at = UnicodeAttribute(null=True)
    submitted_by = UnicodeAttribute()
    submitter_role = UnicodeAttribute()
    submitter_org = UnicodeAttribute(null=True)
    # Who the matter is about / from. Empty for confidential reports: the identity is sealed apart.
    enterprise_uscc = UnicodeAttribute(null=True)
    contact_name = UnicodeAttribute(null=True)
    contact_phone = UnicodeAttribute(null=True)
    anonymous = BooleanAttribute(default=False)
    confidential = BooleanAttribute(default=False)
    receipt_hash = UnicodeAttribute(null=True)
    subject_unit_id = UnicodeAttribute(null=True)
    attachments = ListAttribute(of=UnicodeAttribute, default=list)

    status = UnicodeAttribute()
    assignee_unit = UnicodeAttribute(null=True)
    co_units = ListAttribute(of=UnicodeAttribute, default=list)
    dispatched_at = UnicodeAttribute(null=True)
    dispatched_by = UnicodeAttribute(null=True)
    auto_dispatched = BooleanAttribute(default=False)
    accepted_at = UnicodeAttribute(null=True)
    contacted_at = UnicodeAttribute(null=True)
    feedback_at = UnicodeAttribute(null=True)
    feedback_text = UnicodeAttribute(null=True)
    resolved_at = UnicodeAttribute(null=True)
    resolution = UnicodeAttribute(null=True)
    closed_at = UnicodeAttribute(null=True)
    closed_reason = UnicodeAttribute(null=True)  # confirmed | auto_closed
    satisfied = BooleanAttribute(null=True)
    confirm_comment = UnicodeAttribute(null=True)
    rating_speed = NumberAttribute(null=True)
    rating_attitude = NumberAttribute(null=True)
    rating_outcome = NumberAttribute(null=True)
    rating_comment = UnicodeAttribute(null=True)
    pending_extension = UnicodeAttribute(null=True)  # JSON: working_days, reason, requested_at, requested_by
    dispatch_count = NumberAttribute(default=0)
    return_count = NumberAttribute(default=0)
    reopen_count = NumberAttribute(default=0)
    extension_count = NumberAttribute(default=0)
    breached = BooleanAttribute(default=False)
    duplicate_of = UnicodeAttribute(null=True)
    merged_ids = ListAttribute(of=UnicodeAttribute, default=list)
    version = VersionAttribute()

    # Index keys, kept right by `functions.appeals.service.refresh_index_keys`.
    queue_key = UnicodeAttribute(null=True)
    dispatch_district = UnicodeAttribute(null=True)
    open_uscc = UnicodeAttribute(null=True)

    unit_queue_index = UnitQueueIndex()
    dispatch_queue_index = DispatchQueueIndex()
    open_enterprise_index = OpenEnterpriseIndex()
    enterprise_index = EnterpriseIndex()
    ticket_index = TicketIndex()
    receipt_index = ReceiptIndex()


class TicketCounter(Model):
    """The ticket number counter (`ticket`) and the ticket audit's watermark (`ticket-audit`)."""

    class Meta(BaseMeta):
        table_name = table_name("appeal-counters")

    name = UnicodeAttribute(hash_key=True)
    value = NumberAttribute(default=0)
    # ticket-audit only: the counter as the audit last saw it, and when (numbers up to it are older).
    seen_value = NumberAttribute(null=True)
    seen_at = UnicodeAttribute(null=True)


class TicketNumber(Model):
    """What became of one ticket number: the appeal it names, or a void and why.

    Numbers are claimed with an atomic ADD before the creating transaction, so a submission that
    then fails (or a process that dies) leaves a number unused; it is voided here, never reused,
    and the ticket audit voids whatever nobody accounted for.
    """

    class Meta(BaseMeta):
        table_name = table_name("appeal-tickets")

    ticket_no = UnicodeAttribute(hash_key=True)
    appeal_id = UnicodeAttribute(null=True)
    void_reason = UnicodeAttribute(null=True)
    at = UnicodeAttribute()


class RoutingRule(Model):
    """category × district × topic keywords → unit. Data, edited by admins, not code."""

    class Meta(BaseMeta):
        table_name = table_name("routing-rules")

    ruleset = UnicodeAttribute(hash_key=True, default="default")
    rule_id = UnicodeAttribute(range_key=True)
    priority = NumberAttribute(default=100)  # lower first
    categories = ListAttribute(of=UnicodeAttribute, default=list)  # empty: any
    districts = ListAttribute(of=UnicodeAttribute, default=list)  # empty: any
    keywords = ListAttribute(of=UnicodeAttribute, default=list)  # empty: any; else any one must appear
    unit_id = UnicodeAttribute()
    enabled = BooleanAttribute(default=True)
    note = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute(null=True)
    updated_by = UnicodeAttribute(null=True)
    version = VersionAttribute()


class UnitStats(Model):
    """Counters per unit (`unit#{id}`) or district (`district#{code}`), per period ("all", "2026-11"),
    spread over a few shards (`period_shard` = "2026-11#3") so concurrent transactions rarely touch
    the same item; a read sums the shards of one period (one Query).

    Updated with ADD in the same transactions as the changes they count: never recounted.
    """

    class Meta(BaseMeta):
        table_name = table_name("appeal-stats")

    scope = UnicodeAttribute(hash_key=True)
    period_shard = UnicodeAttribute(range_key=True)
    received = NumberAttribute(default=0)
    contact_due = NumberAttribute(default=0)
    contact_on_time = NumberAttribute(default=0)
    feedback_due = NumberAttribute(default=0)
    feedback_on_time = NumberAttribute(default=0)
    resolve_due = NumberAttribute(default=0)
    resolve_on_time = NumberAttribute(default=0)
    resolved = NumberAttribute(default=0)
    returns = NumberAttribute(default=0)
    reopens = NumberAttribute(default=0)
    extensions = NumberAttribute(default=0)
    confirmations = NumberAttribute(default=0)
    satisfied = NumberAttribute(default=0)
    ratings = NumberAttribute(default=0)
    rating_speed_sum = NumberAttribute(default=0)
    rating_attitude_sum = NumberAttribute(default=0)
    rating_outcome_sum = NumberAttribute(default=0)


class CoTask(Model):
    """A co-handling unit's sub-task on an appeal, with its own clock (`co:{unit}:reply_by`)."""

    class Meta(BaseMeta):
        table_name = table_name("appeal-cotasks")

    unit_id = UnicodeAttribute(hash_key=True)
    appeal_id = UnicodeAttribute(range_key=True)
    ticket_no = UnicodeAttribute()
    title = UnicodeAttribute()
    lead_unit = UnicodeAttribute()
    status = UnicodeAttribute(default="open")  # open | replied | withdrawn
    reply = UnicodeAttribute(null=True)
    replied_at = UnicodeAttribute(null=True)
    replied_by = UnicodeAttribute(null=True)
    assigned_at = UnicodeAttribute()


class ReporterIdentity(Model):
    """The sealed identity of a report's or clue's submitter, encrypted, apart from the case."""

    class Meta(BaseMeta):
        table_name = table_name("reporter-identities")

    appeal_id = UnicodeAttribute(hash_key=True)
    key_id = UnicodeAttribute()
    ciphertext = UnicodeAttribute()
    created_at = UnicodeAttribute()


class VaultKey(Model):
    """Data keys of the identity vault. Production: wrap them with KMS (see README)."""

    class Meta(BaseMeta):
        table_name = table_name("vault-keys")

    key_set = UnicodeAttribute(hash_key=True)
    key_id = UnicodeAttribute(range_key=True)
    secret = UnicodeAttribute()
    created_at = UnicodeAttribute()
