"""Financing demands, the banks' feed of them, claims and their bans, and enterprises' consents.

The feed is what banks poll (`GET /api/bank/v1/demands`): an append-only list in one partition,
ordered by a sequence number each entry takes from a counter in the same table. Taking a number is a
conditional write on the counter (it holds n → n+1) in the transaction that writes the entry, so two
entries can never commit out of order: a poll that sees entry n+1 sees every entry before it, and the
cursor "after n" misses nothing and repeats nothing, even while demands are posted concurrently. A
demand enters the feed when it is published and again when a lapsed claim releases it.

Access patterns (every read is a GetItem or a Query; nothing walks a table)
| pattern                                                     | key / index                                             | call |
|-------------------------------------------------------------|---------------------------------------------------------|------|
| one demand                                                  | finance-demands: `demand_id`                            | GetItem |
| an enterprise's demands, newest first (its page; duplicates) | GSI `enterprise-index`: `enterprise_uscc`, `created_at` | Query |
| a bank's claimed demands (its work)                         | GSI `claimer-index`: `claimed_by`, `claimed_at` (sparse) | Query |
| the feed after a cursor, in order                           | finance-feed: `feed`="demands", `seq` > n               | Query (one per poll) |
| the feed's next number                                      | finance-feed: `feed`="counter", `seq`=0                  | GetItem; conditional Put in the transaction |
| may this bank claim this demand (a lapsed claim's ban)       | finance-claim-bans: `demand_id`, `institution_id`       | ConditionCheck in the claim's transaction |
| an enterprise's consents                                    | finance-consents: `enterprise_uscc`, `consent_id`       | Query |
"""
from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, JSONAttribute, ListAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from functions.shared.models import BaseMeta, table_name

# A demand's statuses (vocabulary.py has their words).
OPEN, CLAIMED, CONTACTED, APPROVED, DISBURSED, REJECTED, WITHDRAWN = (
    "open", "claimed", "contacted", "approved", "disbursed", "rejected", "withdrawn")
STATUSES = (OPEN, CLAIMED, CONTACTED, APPROVED, DISBURSED, REJECTED, WITHDRAWN)
FEED, COUNTER = "demands", "counter"


class EnterpriseIndex(GlobalSecondaryIndex["Demand"]):
    class Meta:
        index_name = "enterprise-index"
        projection = AllProjection()

    enterprise_uscc = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class ClaimerIndex(GlobalSecondaryIndex["Demand"]):
    class Meta:
        index_name = "claimer-index"
        projection = AllProjection()

    claimed_by = UnicodeAttribute(hash_key=True)
    claimed_at = UnicodeAttribute(range_key=True)


class Demand(Model):
    """One enterprise's financing demand, whichever channels it came through."""

    class Meta(BaseMeta):
        table_name = table_name("finance-demands")

    demand_id = UnicodeAttribute(hash_key=True)
    enterprise_uscc = UnicodeAttribute()
    enterprise_name = UnicodeAttribute(null=True)
    district = UnicodeAttribute()
    industry_code = UnicodeAttribute(null=True)  # what a bank sees before claiming (masked view)
    size_class = UnicodeAttribute(null=True)
    amount_fen = NumberAttribute()
    term_months = NumberAttribute()
    purpose = UnicodeAttribute()
    guarantee = UnicodeAttribute()
    channels = ListAttribute(of=UnicodeAttribute)  # every channel it arrived through, first first
    entered_by = UnicodeAttribute(null=True)  # staff who entered an offline demand
    status = UnicodeAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    published_seq = NumberAttribute(null=True)  # its latest entry in the feed
    claimed_by = UnicodeAttribute(null=True)  # institution id, while claimed or after (its outcome's bank)
    claimed_at = UnicodeAttribute(null=True)
    claimed_client = UnicodeAttribute(null=True)
    claimed_branch = UnicodeAttribute(null=True)  # the claiming institution's branch (catalogue branch id), if it named one
    published_at = UnicodeAttribute(null=True)  # its latest entry in the feed: when (publish → claim is timed from it)
    outcome = JSONAttribute(null=True)  # {"amount_fen", "annual_rate_bp", "term_months", "guarantee"} once approved
    reason = UnicodeAttribute(null=True)  # a rejection's reason code
    releases = NumberAttribute(default=0)
    version = VersionAttribute()

    enterprise_index = EnterpriseIndex()
    claimer_index = ClaimerIndex()


class FeedEntry(Model):
    """A demand's entry in the banks' feed (`feed`="demands"), or the counter (`feed`="counter", seq 0)."""

    class Meta(BaseMeta):
        table_name = table_name("finance-feed")

    feed = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(range_key=True)
    demand_id = UnicodeAttribute(null=True)
    event = UnicodeAttribute(null=True)  # published | released
    at = UnicodeAttribute(null=True)
    last = NumberAttribute(null=True)  # the counter's: the last number taken


class ClaimBan(Model):
    """A bank whose claim lapsed may not claim that demand again until `until`."""

    class Meta(BaseMeta):
        table_name = table_name("finance-claim-bans")

    demand_id = UnicodeAttribute(hash_key=True)
    institution_id = UnicodeAttribute(range_key=True)
    until = UnicodeAttribute()


class Consent(Model):
    """An enterprise's consent to an institution (or every one: "*") reading its credit report."""

    class Meta(BaseMeta):
        table_name = table_name("finance-consents")

    enterprise_uscc = UnicodeAttribute(hash_key=True)
    consent_id = UnicodeAttribute(range_key=True)
    institution_id = UnicodeAttribute()  # or "*"
    scope = UnicodeAttribute()  # credit_report
    demand_id = UnicodeAttribute(null=True)  # None: standing
    granted_at = UnicodeAttribute()
    expires_at = UnicodeAttribute()
    revoked_at = UnicodeAttribute(null=True)
    granted_by = UnicodeAttribute()
    standing = BooleanAttribute(default=False)
