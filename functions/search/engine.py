"""Search an opened index: ranked hits with highlights, facet counts and a cursor (README.md).

The rules, in the order they apply:
1. A 文号 in the query (any bracket, with or without 号) that the index holds matches `doc_number`
   exactly, boosted so that its item ranks first; the rest of the query is searched as text beside
   it. A 文号 the index lacks is searched as words, like any text.
2. The rest is cut into words (`analysis.query_words`); each word may match any of its synonyms
   (`data/synonyms.txt`) in the title, the document number, the topics or the body (BM25 per field,
   weights in `FIELD_WEIGHTS`, summed over the fields), or, at `NGRAM_WEIGHT`, have all its
   character bigrams in the title and body (a word the dictionary lacks is still found). The best
   of these forms scores the word (plus `ALTERNATIVES_TIE_BREAKER` of the others), not their sum.
3. Every word must match (mode "all"); when that finds nothing, any word may (mode "any").
4. The score is multiplied by the item's `boost` (a prior the indexer gives, e.g. open projects
   and documents in force above closed and expired ones).
5. Filters restrict (any of the values given, per facet; "closing within N days" on `closes_on`);
   facet counts are over the query with every filter applied.
"""
from __future__ import annotations

import base64
import binascii
import html
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable

from functions.search import analysis
from functions.search.index import OpenIndex, day_number, open_index
from functions.shared.errors import FieldError, ValidationFailed

FIELD_WEIGHTS: dict[str, float] = {"t_title": 4.0, "t_doc_number": 3.0, "t_topics": 2.0, "t_body": 1.0}
NGRAM_WEIGHT = 0.3
SYNONYM_WEIGHT = 0.8  # a synonym counts a little less than the word typed
ALTERNATIVES_TIE_BREAKER = 0.1
DOC_NUMBER_BOOST = 1000.0
FACETS = ("level", "department", "topic", "kind", "status", "district")
CLOSING_WINDOWS = (7, 30)
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 1000
FRAGMENT_CHARS = 80
FRAGMENTS = 2
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


@dataclass(frozen=True)
class Filters:
    """Each tuple: the item matches any of its values; empty: no restriction."""

    kind: tuple[str, ...] = ()
    level: tuple[str, ...] = ()
    department: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    district: tuple[str, ...] = ()
    closing_within_days: int | None = None


@dataclass
class Hit:
    id: str
    kind: str
    score: float
    item: dict[str, Any]  # the SearchItem as stored (dates as ISO strings)
    title: str  # HTML: escaped, matched words in <mark>
    fragments: list[str]  # HTML snippets of the body, likewise
    doc_number_match: bool = False


@dataclass
class Result:
    hits: list[Hit]
    total: int
    mode: str  # "all" | "any" | "doc_number" | "browse"
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    closing_within: dict[int, int] = field(default_factory=dict)
    next_cursor: str | None = None
    words: list[str] = field(default_factory=list)


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The offset in a cursor this module returned; 422 on `cursor` otherwise. (Unsigned: an offset
    is harmless, and signing would need the stage's key, a DynamoDB read.)"""
    if not cursor:
        return 0
    bad = ValidationFailed([FieldError("cursor", "is not a cursor this search returned")])
    try:
        offset = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))["o"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= MAX_OFFSET:
        raise bad
    return offset


class _Builder:
    def __init__(self, opened: OpenIndex) -> None:
        import tantivy

        self.t = tantivy
        self.schema = opened.schema

    def term(self, name: str, value: str, option: str = "freq"):
        return self.t.Query.term_query(self.schema, name, value, index_option=option)

    def any_of(self, queries: list) -> Any:
        if len(queries) == 1:
            return queries[0]
        return self.t.Query.boolean_query([(self.t.Occur.Should, q) for q in queries])

    def all_of(self, queries: list) -> Any:
        if len(queries) == 1:
            return queries[0]
        return self.t.Query.boolean_query([(self.t.Occur.Must, q) for q in queries])

    def boost(self, query, weight: float):
        return query if weight == 1.0 else self.t.Query.boost_query(query, weight)

    def token_in_fields(self, token: str, weight: float):
        return self.any_of([self.boost(self.term(name, token), w * weight) for name, w in FIELD_WEIGHTS.items()])

    def word(self, word: str):
        """A query word: any of its synonyms in any text field, or all its bigrams (low weight)."""
        options = []
        for n, alternative in enumerate(analysis.synonyms().expand(word)):
            tokens = [word] if n == 0 else [t for t in analysis.query_words(alternative)] or [alternative]
            weight = 1.0 if n == 0 else SYNONYM_WEIGHT
            options.append(self.all_of([self.token_in_fields(tok, weight) for tok in tokens]))
        grams = analysis.bigrams(word)
        if grams:
            options.append(self.boost(self.all_of([self.term("ngrams", g) for g in dict.fromkeys(grams)]), NGRAM_WEIGHT))
        if len(options) == 1:
            return options[0]
        # The best of the forms counts, not their sum: a text that uses 补贴, 补助 and 奖励 is not
        # three times as relevant to "补贴" as one that says 补贴.
        return self.t.Query.disjunction_max_query(options, tie_breaker=ALTERNATIVES_TIE_BREAKER)

    def filters(self, filters: Filters, today: date) -> list:
        clauses = []
        for name in ("kind", "level", "department", "status", "district", "topic"):
            values = getattr(filters, name)
            if values:
                clauses.append(self.any_of([self.term(name, v, "basic") for v in values]))
        if filters.closing_within_days is not None:
            clauses.append(self.closing(today, filters.closing_within_days))
        return clauses

    def closing(self, today: date, days: int):
        start = day_number(today)
        return self.t.Query.range_query(self.schema, "closes_day", self.t.FieldType.Integer, start, start + days)


def _marker(forms: Iterable[str]) -> re.Pattern | None:
    variants: set[str] = set()
    for form in forms:
        if not form:
            continue
        variants |= {form, form.replace("(", "（").replace(")", "）")}
    if not variants:
        return None
    return re.compile("|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True)), re.IGNORECASE)


def mark(text: str, pattern: re.Pattern | None) -> str:
    """`text` HTML-escaped, every match of `pattern` inside <mark>…</mark> (touching matches as one)."""
    spans: list[list[int]] = []
    for match in pattern.finditer(text) if pattern else ():
        if spans and match.start() <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], match.end())
        elif match.end() > match.start():
            spans.append([match.start(), match.end()])
    out, last = [], 0
    for start, end in spans:
        out += [html.escape(text[last:start]), MARK_OPEN, html.escape(text[start:end]), MARK_CLOSE]
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def fragments(text: str, pattern: re.Pattern | None, count: int = FRAGMENTS, width: int = FRAGMENT_CHARS) -> list[str]:
    """Up to `count` marked snippets of `text` around the densest matches (the opening if none)."""
    text = " ".join(text.split())
    matches = list(pattern.finditer(text)) if pattern else []
    if not matches:
        return [mark(text[:width], None) + ("…" if len(text) > width else "")] if text else []
    windows = []
    for match in matches:
        start = max(0, min(match.start() - width // 3, len(text) - width))
        inside = {m.group().lower() for m in matches if m.start() >= start and m.end() <= start + width}
        windows.append((len(inside), -start, start))
    chosen: list[int] = []
    for _, _, start in sorted(windows, reverse=True):
        if all(abs(start - other) >= width for other in chosen):
            chosen.append(start)
        if len(chosen) == count:
            break
    snippets = []
    for start in sorted(chosen):
        piece = mark(text[start:start + width], pattern)
        snippets.append(("…" if start > 0 else "") + piece + ("…" if start + width < len(text) else ""))
    return snippets


def search(query: str, filters: Filters | None = None, facets: Iterable[str] = FACETS, cursor: str | None = None,
           limit: int = DEFAULT_LIMIT, *, index: OpenIndex | None = None, index_name: str = "policy",
           today: date | None = None) -> Result:
    """Ranked hits of `query` (see the module doc). `index` defaults to `open_index(index_name)`."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed([FieldError("limit", f"must be 1 to {MAX_LIMIT}")])
    offset = decode_cursor(cursor)
    facets = tuple(facets)
    unknown = [f for f in facets if f not in FACETS]
    if unknown:
        raise ValidationFailed([FieldError("facets", f"unknown facet {unknown[0]!r}")])
    filters = filters or Filters()
    if today is None:
        from functions.shared.clock import get_clock, to_shanghai

        today = to_shanghai(get_clock().now()).date()
    opened = index or open_index(index_name)
    b = _Builder(opened)
    searcher = opened.searcher
    Occur = b.t.Occur

    number, rest = None, query
    for canonical, typed in analysis.doc_number_candidates(query):
        if searcher.doc_freq("doc_number", canonical):
            number, rest = canonical, analysis.normalize_width(query).replace(typed, " ", 1)
            break
    words = analysis.query_words(rest)
    number_query = b.boost(b.term("doc_number", number, "basic"), DOC_NUMBER_BOOST) if number else None
    filter_clauses = b.filters(filters, today)

    def restricted(core):
        return b.all_of([core] + filter_clauses) if filter_clauses else core

    def attempt(mode: str, text_words: list[str]):
        if mode == "browse":
            core = b.t.Query.all_query()
        else:
            clauses = [b.word(w) for w in text_words]
            text = None
            if clauses:
                text = b.all_of(clauses) if mode == "all" else b.any_of(clauses)
            core = b.any_of([q for q in (number_query, text) if q is not None])
        full = restricted(core)
        return full, searcher.search(full, limit=limit, offset=offset, count=True, weight_by_field="rank_weight")

    if not words and not number:
        plan = [("browse", [])]
    elif number and not words:
        plan = [("doc_number", [])]
    else:
        plan = [("all", words)] + ([("any", words)] if len(words) > 1 else [])
    for mode, text_words in plan:
        full, found = attempt(mode, text_words)
        if found.count:
            break
    words = text_words

    forms = [number] if number else []
    for w in words:
        forms += analysis.synonyms().expand(w)
    forms += [wrong for wrong, right in analysis.TEXT_FIXES if right in forms]  # 首台(套) as printed
    pattern = _marker(forms)
    hits = []
    for score, address in found.hits:
        item = json.loads(bytes(searcher.doc(address).get_first("payload")).decode("utf-8"))
        hits.append(Hit(
            id=item["id"], kind=item["kind"], score=float(score), item=item,
            title=mark(item["title"], pattern), fragments=fragments(item.get("body") or "", pattern),
            doc_number_match=bool(number) and analysis.doc_number(item.get("doc_number") or "") == number,
        ))

    facet_counts: dict[str, dict[str, int]] = {}
    if facets and found.count:
        answer = searcher.aggregate(full, {name: {"terms": {"field": name, "size": 200}} for name in facets})
        for name in facets:
            facet_counts[name] = {bucket["key"]: bucket["doc_count"] for bucket in answer[name]["buckets"]}
    closing = {}
    for days in CLOSING_WINDOWS:
        closing[days] = searcher.search(b.all_of([full, b.closing(today, days)]), limit=1, count=True).count \
            if found.count else 0
    more = offset + limit < min(found.count, MAX_OFFSET + limit)
    return Result(hits=hits, total=found.count, mode=mode, facets=facet_counts, closing_within=closing,
                  next_cursor=encode_cursor(offset + limit) if more and offset + limit <= MAX_OFFSET else None,
                  words=words)
