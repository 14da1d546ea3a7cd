"""Enumerations with their display texts, and clock rules: the form every platform's vocabulary takes.

A platform lists its statuses, kinds and channels once, as `Terms`; schemas take `Terms.codes` for
their `Literal`s, and pages and notices take `zh`/`en` from the same entry, so a code and its words
can never drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator


@dataclass(frozen=True)
class Term:
    code: str
    zh: str
    en: str
    description: str = ""


class Terms:
    """An ordered set of terms, looked up by code."""

    def __init__(self, *terms: Term) -> None:
        self._terms = {term.code: term for term in terms}
        if len(self._terms) != len(terms):
            raise ValueError("a code is listed twice")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self._terms.values())

    def __contains__(self, code: object) -> bool:
        return code in self._terms

    def __getitem__(self, code: str) -> Term:
        return self._terms[code]

    def zh(self, code: str | None) -> str | None:
        """The Chinese words for a code; an unknown code is shown as itself."""
        term = self._terms.get(code or "")
        return term.zh if term else code

    def en(self, code: str | None) -> str | None:
        term = self._terms.get(code or "")
        return term.en if term else code


@dataclass(frozen=True)
class ClockRule:
    """A deadline a platform keeps: its name, its rule for functions/calendar ("hours:2",
    "working_days:15", "days:7") and what it is called on the page and in notices."""

    name: str
    rule: str
    zh: str
    en: str
