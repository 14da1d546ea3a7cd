"""The catalogue's data: deterministic, at the real scale, every code one the API declares."""
from __future__ import annotations

from collections import Counter

from functions.finance import catalogue_data as data
from functions.refdata.divisions import DISTRICT_CODES


def test_the_catalogue_is_at_the_real_scale_and_the_same_every_time():
    assert data.totals() == {"institutions": 57, "branches": 546, "products": len(data.products())}
    assert len(data.products()) >= 300
    assert data.institutions() == data.institutions() and data.products() == data.products()
    ids = [i["id"] for i in data.institutions()]
    assert len(ids) == len(set(ids)) and {"bank-qdccb", "bank-qrcb", "bank-icbc-qd"} <= set(ids)


def test_the_demo_banks_keep_their_names():
    import json
    from pathlib import Path

    import functions.refdata

    demo = json.loads((Path(functions.refdata.__file__).parent / "data" / "demo.json").read_text(encoding="utf-8"))
    by_id = {i["id"]: i for i in data.institutions()}
    for bank in demo["banks"]:
        assert by_id[bank["id"]]["name_zh"] == bank["name_zh"]


def test_every_branch_is_in_a_district_and_named_once():
    for institution in data.institutions():
        assert institution["kind"] in data.KINDS and institution["district"] in DISTRICT_CODES
        assert institution["branches"], institution["id"]
        names = [b["name_zh"] for b in institution["branches"]]
        assert len(names) == len(set(names)), institution["id"]
        assert {b["district"] for b in institution["branches"]} <= set(DISTRICT_CODES)
    branch_ids = [b["id"] for i in data.institutions() for b in i["branches"]]
    assert len(branch_ids) == len(set(branch_ids)) == 546


def test_every_product_is_well_formed():
    institutions = {i["id"] for i in data.institutions()}
    found = data.products()
    assert len({p["id"] for p in found}) == len(found)
    for p in found:
        assert p["institution_id"] in institutions
        assert p["category"] in data.CATEGORIES and p["guarantee"] in data.GUARANTEES and p["channel"] in data.CHANNELS
        assert set(p["targets"]) <= set(data.TARGETS) and p["targets"]
        assert 0 < p["amount_min_fen"] <= p["amount_max_fen"] and p["amount_min_fen"] % 100 == 0
        assert 1 <= p["term_min_months"] <= p["term_max_months"] <= 360
        assert 0 < p["annual_rate_min_bp"] <= p["annual_rate_max_bp"] < 2400
        assert p["districts"] and set(p["districts"]) <= set(DISTRICT_CODES)
        assert p["description_zh"] and "{" not in p["description_zh"]
    # every category, guarantee type and channel has products; 金农通 carries the agricultural ones
    assert set(Counter(p["category"] for p in found)) == set(data.CATEGORIES)
    assert set(Counter(p["guarantee"] for p in found)) == set(data.GUARANTEES)
    assert {p["channel"] for p in found if p["category"] == "agricultural"} == {"jinnongtong"}


def test_the_page_offers_exactly_the_values_the_api_takes():
    """frontend/src/pages/finance/filters.ts lists the filter values the page's form offers."""
    import re
    from pathlib import Path

    source = (Path(__file__).resolve().parents[3] / "frontend" / "src" / "pages" / "finance" / "filters.ts").read_text()

    def listed(name: str) -> list[str]:
        body = re.search(rf"export const {name} = \[(.*?)\] as const", source, re.S)
        assert body, name
        return re.findall(r"'([a-z_]+)'", body.group(1))

    assert listed("CATEGORIES") == list(data.CATEGORIES)
    assert sorted(listed("GUARANTEES")) == sorted(data.GUARANTEES)
    assert sorted(listed("CHANNELS")) == sorted(data.CHANNELS)
    assert sorted(listed("TARGETS")) == sorted(data.TARGETS)
