"""Financing demands: posted by an enterprise or entered by staff from an offline channel, one demand
however many channels it came through, published to the banks' feed; read by the enterprise with its
timeline. No Chalice.

A demand is a duplicate of an earlier one of the same enterprise when, within `DUPLICATE_DAYS`, that
one is still live (not finished), the amounts overlap (within `AMOUNT_TOLERANCE` of the larger) and the
purposes say the same thing (`PURPOSE_SIMILARITY`, over segmented words). A duplicate is not a second
demand: its channel is added to the first, and nothing enters the feed, so no bank claims or counts
it twice.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Iterable

from functions.finance.models import (
    APPROVED,
    CLAIMED,
    CONTACTED,
    COUNTER,
    FEED,
    OPEN,
    Demand,
    FeedEntry,
)
from functions.finance.vocabulary import CHANNELS, GUARANTEES
from functions.identity.access import READ, Resource, require
from functions.identity.principal import ADMIN, ENTERPRISE, STAFF, Principal
from functions.shared.audit import AuditRecord, UnitOfWork, recent_audit
from functions.shared.clock import isoformat_utc
from functions.shared.errors import FieldError, Forbidden, NotFound, ValidationFailed

DUPLICATE_DAYS = 30
AMOUNT_TOLERANCE = 0.2
PURPOSE_SIMILARITY = 0.5
LIVE = (OPEN, CLAIMED, CONTACTED, APPROVED)
TIMELINE_LIMIT = 50
COUNTER_LABEL = "feed counter"  # a lost race for the next number: the route runs again (retry_on)
ENTRY_LABEL = "feed entry"  # …whose entry, under the number another took, fails with it
FEED_RACE = frozenset({COUNTER_LABEL, ENTRY_LABEL})


def entity(demand_id: str) -> str:
    return f"demand#{demand_id}"


def resource(demand: Demand) -> Resource:
    """The enterprise, and the bank that claimed it (its institution), are parties."""
    return Resource("demand", demand.demand_id, demand.district,
                    frozenset({demand.enterprise_uscc, *([demand.claimed_by] if demand.claimed_by else [])}))


def load(demand_id: str) -> Demand:
    try:
        return Demand.get(demand_id, consistent_read=True)
    except Demand.DoesNotExist:
        raise NotFound(f"No demand {demand_id}.") from None


# -- the feed ------------------------------------------------------------------------------------------
def append_to_feed(uow: UnitOfWork, demand: Demand, event: str) -> int:
    """The demand's next entry in the banks' feed, in the caller's transaction: the counter moves n → n+1
    conditionally (models.py says why that keeps the feed in commit order)."""
    try:
        counter = FeedEntry.get(COUNTER, 0, consistent_read=True)
        last = int(counter.last or 0)
        condition = FeedEntry.last == last
    except FeedEntry.DoesNotExist:
        last, condition = 0, FeedEntry.feed.does_not_exist()
    number = last + 1
    uow.put(FeedEntry(feed=COUNTER, seq=0, last=number), condition, label=COUNTER_LABEL)
    uow.put(FeedEntry(feed=FEED, seq=number, demand_id=demand.demand_id, event=event, at=isoformat_utc(uow.now)),
            FeedEntry.seq.does_not_exist(), label=ENTRY_LABEL)
    demand.published_seq, demand.published_at = number, isoformat_utc(uow.now)
    return number


# -- posting -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Posting:
    amount_fen: int
    term_months: int
    purpose: str
    guarantee: str
    source_channel: str
    enterprise_uscc: str | None = None  # staff entering an offline demand name the enterprise


@dataclass
class Posted:
    demand: Demand
    duplicate: bool
    records: list[AuditRecord] = field(default_factory=list)


def _check(posting: Posting) -> None:
    errors = []
    if posting.guarantee not in GUARANTEES:
        errors.append(FieldError("guarantee", f"must be one of {', '.join(GUARANTEES)}"))
    if posting.source_channel not in CHANNELS:
        errors.append(FieldError("source_channel", f"must be one of {', '.join(CHANNELS)}"))
    if errors:
        raise ValidationFailed(errors)


def _who(caller: Principal, posting: Posting) -> tuple[str, str]:
    """The enterprise the demand is for, and the channel: an enterprise posts its own; staff enter one
    collected offline (or through another channel) for an enterprise they name."""
    if caller.role == ENTERPRISE:
        if posting.enterprise_uscc not in (None, caller.org_id):
            raise Forbidden("An enterprise posts its own demands.")
        if posting.source_channel == "offline":
            raise ValidationFailed([FieldError("source_channel", "offline demands are entered by staff")])
        return caller.org_id, posting.source_channel
    if caller.role in (STAFF, ADMIN):
        if not posting.enterprise_uscc:
            raise ValidationFailed([FieldError("enterprise_uscc", "is required when staff enter a demand")])
        return posting.enterprise_uscc, posting.source_channel
    raise Forbidden("Demands are posted by enterprises, or entered by staff.")


def words(text: str) -> frozenset[str]:
    from functions.search.segmenter import cut, is_punctuation

    return frozenset(w for w in cut(text) if len(w) >= 2 and not is_punctuation(w))


def same_matter(a: Demand, amount_fen: int, purpose: str) -> bool:
    larger = max(int(a.amount_fen), amount_fen)
    if abs(int(a.amount_fen) - amount_fen) > AMOUNT_TOLERANCE * larger:
        return False
    mine, theirs = words(purpose), words(a.purpose)
    if not mine or not theirs:
        return purpose.strip() == a.purpose.strip()
    return len(mine & theirs) / len(mine | theirs) >= PURPOSE_SIMILARITY


def find_duplicate(uscc: str, amount_fen: int, purpose: str, now) -> Demand | None:
    since = isoformat_utc(now - timedelta(days=DUPLICATE_DAYS))
    for earlier in Demand.enterprise_index.query(uscc, Demand.created_at >= since, scan_index_forward=False):
        if earlier.status in LIVE and same_matter(earlier, amount_fen, purpose):
            return earlier
    return None


def post(uow: UnitOfWork, caller: Principal, posting: Posting) -> Posted:
    from functions.enterprises import service as enterprises
    from functions.enterprises.models import district_of

    _check(posting)
    uscc, channel = _who(caller, posting)
    facts = enterprises.facts(uscc)  # 422 on a credit code that is not one
    earlier = find_duplicate(uscc, posting.amount_fen, posting.purpose, uow.now)
    if earlier is not None:
        if channel not in earlier.channels:
            earlier.channels = [*earlier.channels, channel]
            earlier.updated_at = isoformat_utc(uow.now)
            uow.put(earlier, label="demand")  # version-conditioned
        uow.audit(entity(earlier.demand_id), "finance.demand_merged",
                  after={"channel": channel, "amount_fen": posting.amount_fen, "purpose": posting.purpose})
        return Posted(earlier, duplicate=True)
    now = isoformat_utc(uow.now)
    digest = hashlib.sha256(f"{uow.request_id}#{uscc}".encode()).hexdigest()[:10]
    name, industry, size = (facts.facts.get(n) for n in ("name", "industry_code", "size_class"))
    demand = Demand(demand_id=f"fd-{uow.now.strftime('%Y%m%d')}-{digest}", enterprise_uscc=uscc,
                    enterprise_name=name.value if name else None, district=district_of(uscc),
                    industry_code=industry.value if industry else None, size_class=size.value if size else None,
                    amount_fen=posting.amount_fen, term_months=posting.term_months, purpose=posting.purpose,
                    guarantee=posting.guarantee, channels=[channel],
                    entered_by=caller.sub if caller.role != ENTERPRISE else None,
                    status=OPEN, created_at=now, updated_at=now)
    append_to_feed(uow, demand, "published")
    uow.put(demand, Demand.demand_id.does_not_exist(), label="demand")
    uow.audit(entity(demand.demand_id), "finance.demand_published",
              after={"amount_fen": posting.amount_fen, "term_months": posting.term_months, "channel": channel})
    uow.emit("finance.demand_published", {"demand_id": demand.demand_id, "amount_yuan": f"{posting.amount_fen / 100:.2f}"},
             [f"org:{uscc}"])
    return Posted(demand, duplicate=False)


# -- reading -------------------------------------------------------------------------------------------
@dataclass
class DemandView:
    demand: Demand
    records: list[AuditRecord]


def view_of(demand: Demand, pending: Iterable[AuditRecord] = ()) -> DemandView:
    records = recent_audit(entity(demand.demand_id), TIMELINE_LIMIT)
    seen = {r.at_seq for r in records}
    records += [r for r in pending if r.entity == entity(demand.demand_id) and r.at_seq not in seen]
    return DemandView(demand, sorted(records, key=lambda r: r.at_seq))


def read(caller: Principal, demand_id: str) -> DemandView:
    """The enterprise, the bank that claimed it, oversight in its district; 404 for anyone else."""
    demand = load(demand_id)
    require(caller, READ, resource(demand))
    return view_of(demand)


def enterprise_demands(caller: Principal, cursor: dict | None, limit: int) -> tuple[list[Demand], dict | None]:
    if caller.role != ENTERPRISE:
        raise Forbidden("An enterprise's own demands: sign in as the enterprise.")
    page = Demand.enterprise_index.query(caller.org_id, scan_index_forward=False, limit=limit, last_evaluated_key=cursor)
    return list(page), page.last_evaluated_key
