"""The search rules on a small corpus (tests/unit/search/corpus.py): ranking, 文号, synonyms,
all-then-any, filters, facets, closing-within, highlights, the bigram field, cursors."""
from __future__ import annotations

import pytest

from functions.search import engine
from functions.search.engine import Filters, fragments, mark, search
from functions.search.index import build, open_local
from functions.shared.errors import ValidationFailed
from tests.unit.search.corpus import ITEMS, TODAY


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    directory = tmp_path_factory.mktemp("search") / "index"
    assert build(ITEMS, directory) == len(ITEMS)
    return open_local(directory)


def ids(result):
    return [hit.id for hit in result.hits]


def run(index, query, **kwargs):
    return search(query, index=index, today=TODAY, **kwargs)


@pytest.mark.parametrize("query, first", [
    ("小巨人奖励", "doc-giant"),
    ("专精特新小巨人", "doc-giant"),
    ("高企认定", "proj-high-tech"),  # 高企 ↔ 高新技术企业
    ("高新技术企业", "proj-high-tech"),
    ("稳岗", "doc-jobs"),  # 稳岗 → 稳岗返还
    ("稳岗补贴", "doc-jobs"),
    ("首台套", "proj-first-set"),  # 首台套 ↔ 首台(套)
    ("首台(套)保险补偿", "proj-first-set"),
    ("社保", "doc-jobs"),  # 社保 ↔ 社会保险
    ("贴息", "proj-loan"),
    ("留抵退税", "doc-refund"),
    ("小升规", "news-upgrade"),
    ("数字化转型", "proj-digital"),
])
def test_first_hit(index, query, first):
    assert ids(run(index, query))[0] == first


@pytest.mark.parametrize("typed", ["青科规〔2025〕3号", "青科规[2025]3号", "青科规(2025)3", "青科规（2025）3号",
                                   "青科规〔2025〕3"])
def test_doc_number_typed_any_way_ranks_first(index, typed):
    result = run(index, typed)
    assert ids(result) == ["doc-giant"] and result.mode == "doc_number"
    assert result.hits[0].doc_number_match


def test_doc_number_with_words_ranks_first_among_other_hits(index):
    result = run(index, "奖励 青人社发[2025]12号")
    assert ids(result)[0] == "doc-jobs" and len(result.hits) > 1  # the 文号 item, then what matches 奖励


def test_doc_number_glued_to_words(index):
    assert ids(run(index, "查一下青科规[2025]3号"))[0] == "doc-giant"


def test_unknown_doc_number_is_searched_as_words(index):
    result = run(index, "青科规〔2031〕99号")
    assert result.mode in ("all", "any") and "doc-giant" in ids(result)


def test_all_terms_first(index):
    result = run(index, "小微企业 贴息")
    assert result.mode == "all" and ids(result) == ["proj-loan"]


def test_any_term_when_all_find_nothing(index):
    result = run(index, "留抵退税 首台套")
    assert result.mode == "any"
    assert set(ids(result)) == {"doc-refund", "proj-first-set"}


def test_nothing_found(index):
    result = run(index, "量子隧穿")
    assert result.total == 0 and result.hits == [] and result.next_cursor is None


def test_title_outranks_body(index):
    # 奖励 is in doc-giant's body and proj-high-tech's title
    assert ids(run(index, "奖励"))[0] == "proj-high-tech"


def test_bigram_field_finds_a_word_the_dictionary_lacks(index):
    from functions.search import segmenter

    assert not segmenter.has_word("氢燃料电池")
    result = run(index, "氢燃料电池")
    assert ids(result) == ["proj-high-tech"]
    assert "<mark>氢燃料电池</mark>" in "".join(result.hits[0].fragments)


@pytest.mark.parametrize("filters, expected", [
    (Filters(kind=("project",)), {"proj-first-set", "proj-high-tech", "proj-loan", "proj-digital"}),
    (Filters(level=("district",)), {"proj-high-tech", "proj-loan"}),
    (Filters(department=("unit-industry",), kind=("project",)), {"proj-first-set", "proj-digital"}),
    (Filters(topic=("首台套", "高企")), {"proj-first-set", "proj-high-tech"}),
    (Filters(status=("open",)), {"proj-first-set", "proj-high-tech"}),
    (Filters(district=("370211",)), {"proj-loan"}),
    (Filters(closing_within_days=7), {"proj-first-set"}),
    (Filters(closing_within_days=30), {"proj-first-set", "proj-high-tech"}),
])
def test_filters(index, filters, expected):
    assert set(ids(run(index, "", filters=filters, limit=50))) == expected


def test_filters_apply_to_a_text_query(index):
    assert ids(run(index, "企业", filters=Filters(kind=("news",)))) == ["news-upgrade"]


def test_facet_counts(index):
    result = run(index, "企业", limit=1)
    assert result.total == 8
    assert result.facets["kind"] == {"document": 3, "project": 4, "news": 1}
    assert result.facets["level"] == {"municipal": 4, "district": 2, "national": 1, "provincial": 1}
    assert result.facets["topic"]["首台套"] == 1 and result.facets["topic"]["技术改造"] == 1
    assert result.facets["status"]["open"] == 2
    assert result.closing_within == {7: 1, 30: 2}  # proj-digital closed on 10-31: not "closing"


def test_facet_counts_follow_the_filters(index):
    result = run(index, "企业", filters=Filters(kind=("project",)))
    assert result.facets["kind"] == {"project": 4}
    assert result.facets["department"] == {"unit-industry": 2, "unit-science-tech": 1, "unit-finance": 1}


def test_facets_asked_for_only(index):
    assert set(run(index, "企业", facets=("kind",)).facets) == {"kind"}
    with pytest.raises(ValidationFailed):
        run(index, "企业", facets=("colour",))


def test_highlights_mark_matched_words_and_synonyms_and_escape_the_rest(index):
    hit = run(index, "社保 返还").hits[0]
    assert hit.id == "doc-jobs"
    text = "".join(hit.fragments)
    assert "<mark>社会保险</mark>" in text and "<mark>返还</mark>" in text
    assert "&lt;b&gt;" in text and "<b>" not in text


def test_highlight_of_the_title_and_of_bracket_forms(index):
    hit = run(index, "首台套").hits[0]
    assert hit.title == "<mark>首台(套)</mark>重大技术装备保险补偿"
    assert "<mark>首台（套）</mark>" in "".join(hit.fragments)


def test_mark_and_fragments():
    import re

    pattern = re.compile("税")
    assert mark("a<税>&", pattern) == "a&lt;<mark>税</mark>&gt;&amp;"
    long = "甲" * 200 + "留抵税" + "乙" * 200
    [snippet] = fragments(long, pattern)
    assert snippet.startswith("…") and snippet.endswith("…") and "<mark>税</mark>" in snippet
    assert fragments("没有匹配", pattern) == ["没有匹配"]


def test_cursor_pages_through(index):
    first = run(index, "企业", limit=3)
    second = run(index, "企业", limit=3, cursor=first.next_cursor)
    third = run(index, "企业", limit=3, cursor=second.next_cursor)
    assert third.next_cursor is None
    seen = ids(first) + ids(second) + ids(third)
    assert sorted(seen) == sorted(item.id for item in ITEMS)


@pytest.mark.parametrize("cursor", ["garbage!", "eyJvIjogLTF9", engine.encode_cursor(10_000)])
def test_bad_cursor_is_refused(index, cursor):
    with pytest.raises(ValidationFailed):
        run(index, "企业", cursor=cursor)
