"""Policy matching: one enterprise against 2,000 generated project rules (functions/policy/eligibility.py
`match`), against a same-run baseline that only walks the same rules as plain dicts (counting leaves).

Not timed in tests: `make bench` measures it (the target is well under 50 ms for 2,000 projects);
tests/unit/policy/test_eligibility.py checks that `match` and `evaluate` agree on these rules.
"""
from __future__ import annotations

import random
import statistics
import time
from datetime import date

PROJECTS = 2000
TODAY = date(2026, 11, 20)


def _leaf(rng: random.Random) -> dict:
    return rng.choice([
        lambda: {"field": "size_class", "op": "in", "value": rng.sample(["large", "medium", "small", "micro"], 3)},
        lambda: {"field": "years_since_founding", "op": ">=", "value": rng.randint(1, 10)},
        lambda: {"field": "certifications", "op": "contains_any",
                 "value": rng.sample(["high_tech", "specialized_sme", "little_giant", "tech_sme", "innovative_sme"], 2)},
        lambda: {"field": "certifications", "op": "contains", "value": "high_tech"},
        lambda: {"field": "industry_code", "op": "prefix", "value": rng.sample(["C", "I65", "M73", "F51", "C39"], 2)},
        lambda: {"field": "revenue_fen", "op": ">=", "value": rng.randint(1, 50) * 100_000_000},
        lambda: {"field": "rd_expense_fen", "op": ">", "value": rng.randint(0, 10) * 10_000_000},
        lambda: {"field": "tax_credit_rating", "op": "in", "value": ["A", "B"]},
        lambda: {"field": "district", "op": "in", "value": rng.sample(["370202", "370211", "370212", "370215"], 2)},
        lambda: {"field": "founded_on", "op": "<=", "value": f"20{rng.randint(10, 24)}-01-01"},
        lambda: {"field": "employees", "op": "<", "value": rng.randint(20, 1000)},
    ])()


def generated_projects(count: int = PROJECTS, seed: int = 2026) -> list[dict]:
    """Projects with rules shaped like real ones: a few conditions, an `any` of alternatives, a `not`."""
    rng = random.Random(seed)
    projects = []
    for n in range(count):
        parts = [_leaf(rng) for _ in range(rng.randint(2, 4))]
        parts.append({"any": [_leaf(rng), {"not": _leaf(rng)}]})
        projects.append({"id": f"proj-bench-{n:04d}", "eligibility": {"all": parts}})
    return projects


def _profile():
    from functions.enterprises.facts import Fact, facts_of

    as_of = date(2026, 6, 30)
    stored = {"industry_code": "I6513", "founded_on": date(2019, 3, 12), "employees": 86, "revenue_fen": 4_200_000_000,
              "assets_fen": 3_100_000_000, "rd_expense_fen": 620_000_000,
              "certifications": frozenset({"high_tech", "tech_sme"}), "tax_credit_rating": "A"}
    return facts_of("91370212MA3EK9W53N", "370212", {k: Fact(v, "imported", as_of) for k, v in stored.items()})


def _count_leaves(rule) -> int:
    if "all" in rule or "any" in rule:
        return sum(_count_leaves(child) for child in rule.get("all") or rule.get("any"))
    if "not" in rule:
        return _count_leaves(rule["not"])
    return 1


def _median(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure() -> list[tuple[str, str, float, float]]:
    from functions.policy.eligibility import compile_rule, match

    profile = _profile()
    projects = generated_projects()
    compiled = [{"id": p["id"], "eligibility": compile_rule(p["eligibility"])} for p in projects]
    baseline = _median(lambda: [_count_leaves(p["eligibility"]) for p in projects], 50)
    return [
        (f"match: 1 enterprise × {PROJECTS} compiled rules", f"walk {PROJECTS} rules (count leaves)",
         _median(lambda: match(profile, compiled, TODAY), 50), baseline),
        (f"match: 1 enterprise × {PROJECTS} rules, compiling each", f"walk {PROJECTS} rules (count leaves)",
         _median(lambda: match(profile, projects, TODAY), 10), baseline),
        (f"match + words of the first 20 results ({PROJECTS} compiled rules)", f"walk {PROJECTS} rules (count leaves)",
         _median(lambda: [m.evaluation.as_dict() for m in match(profile, compiled, TODAY)[:20]], 50), baseline),
    ]


def markdown(rows: list[tuple[str, str, float, float]]) -> list[str]:
    lines = ["## Policy matching (eligibility rules)", "",
             "| measurement | baseline | median | baseline median | ratio |", "| --- | --- | ---: | ---: | ---: |"]
    for name, base_name, value, base_value in rows:
        lines.append(f"| {name} | {base_name} | {value * 1000:.2f} ms | {base_value * 1000:.2f} ms | "
                     f"{value / base_value:.1f}× |")
    return lines + [""]


if __name__ == "__main__":
    print("\n".join(markdown(measure())))
