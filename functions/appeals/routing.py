"""Routing rules as data: category × district × topic keywords → the handling unit.

A rule matches when the appeal's category is among its categories (or it names none), its
district among its districts (or it names none), and one of its keywords appears among the
appeal's segmented words or in its text (or it names none). The lowest priority number wins; a
rule that would send the appeal to the unit the appeal names as its subject is skipped: a report
about a unit is never handled by that unit. No match: the appeal waits for the dispatch centre.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from functions.appeals.models import RoutingRule
from functions.appeals.similarity import tokens
from functions.shared.cache import ProcessCache

RULESET = "default"
CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class Rule:
    rule_id: str
    priority: int
    categories: frozenset[str]
    districts: frozenset[str]
    keywords: tuple[str, ...]
    unit_id: str

    def matches(self, category: str, district: str, words: set[str], text: str) -> bool:
        if self.categories and category not in self.categories:
            return False
        if self.districts and district not in self.districts:
            return False
        if not self.keywords:
            return True
        return any(keyword in words or keyword in text for keyword in self.keywords)


def route(rules: Iterable[Rule], category: str, district: str, title: str, content: str, exclude_unit: str | None) -> Rule | None:
    text = f"{title}\n{content}".lower()
    words = set(tokens(text))
    for rule in sorted(rules, key=lambda r: (r.priority, r.rule_id)):
        if rule.unit_id != exclude_unit and rule.matches(category, district, words, text):
            return rule
    return None


def to_rule(item: RoutingRule) -> Rule:
    return Rule(
        rule_id=item.rule_id,
        priority=int(item.priority),
        categories=frozenset(item.categories or ()),
        districts=frozenset(item.districts or ()),
        keywords=tuple(k.lower() for k in (item.keywords or ())),
        unit_id=item.unit_id,
    )


def load_rules() -> list[Rule]:
    """The enabled rules of the ruleset: one Query."""
    return [to_rule(r) for r in RoutingRule.query(RULESET) if r.enabled]


# The enabled rules, kept for a short while per process (`.get()`, `.forget()` after a change).
rule_cache: ProcessCache[list[Rule]] = ProcessCache("appeals.routing_rules", load_rules, ttl_seconds=CACHE_SECONDS)
