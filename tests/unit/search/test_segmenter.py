"""The platform's one segmenter: policy terms kept whole, platforms add words, loaded lazily."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from functions.search import analysis, segmenter

REPO = Path(__file__).resolve().parents[3]
TERMS = segmenter.read_word_list(segmenter.TERMS_FILE)


def test_the_term_dictionary_is_substantial():
    assert len(TERMS) >= 50 and len(TERMS) == len(set(TERMS))
    for word in ("专精特新", "小巨人", "高新技术企业", "稳岗补贴", "首台套", "留抵退税", "小升规", "技术改造", "数字化转型"):
        assert word in TERMS


@pytest.mark.parametrize("word", TERMS)
def test_every_term_is_one_word(word):
    assert segmenter.cut(word) == [word]


@pytest.mark.parametrize("text, expected", [
    ("专精特新小巨人企业申请奖励", {"专精特新小巨人", "专精特新", "小巨人", "奖励"}),
    ("稳岗补贴和首台(套)保险补偿", {"稳岗补贴", "稳岗", "首台套", "保险", "补偿"}),
    ("增值税留抵退税", {"增值税留抵退税", "留抵退税"}),
    ("社会保险费", {"社会保险费", "社会保险"}),
    ("ＡＢＣ公司２０２５年", {"abc", "2025"}),
])
def test_index_words_include_the_words_inside(text, expected):
    assert expected <= set(analysis.words(text))


def test_query_words_drop_question_words():
    assert analysis.query_words("稳岗补贴怎么申请？") == ["稳岗补贴"]


def test_bigrams():
    assert analysis.bigrams("氢燃料 A1") == ["氢燃", "燃料", "a1"]


@pytest.mark.parametrize("typed", ["青科规〔2025〕3号", "青科规[2025]3号", "青科规(2025)3", "青科规（2025）3号",
                                   "青科规【2025】03号", "青科规 [2025] 3"])
def test_doc_number_forms(typed):
    assert analysis.doc_number(typed) == "青科规〔2025〕3号"
    glued = analysis.doc_number_candidates(f"查一下{typed}的内容")
    assert ("青科规〔2025〕3号", typed.replace("（", "(").replace("）", ")")) in glued


def test_synonym_groups_and_one_way_lines():
    syn = analysis.synonyms()
    assert "高新技术企业" in syn.expand("高企") and "高企" in syn.expand("高新技术企业")
    assert {"稳岗补贴", "稳岗返还"} <= set(syn.expand("稳岗"))
    assert "稳岗" not in syn.expand("稳岗返还")  # one way: 稳岗 => …
    assert "小巨人" in syn.expand("专精特新小巨人") and "专精特新小巨人" in syn.expand("小巨人")
    assert "社会保险" in syn.expand("社保") and "贷款贴息" in syn.expand("贴息")
    assert syn.expand("首台(套)") == syn.expand("首台套")  # one form after normalising


def test_a_platform_adds_its_own_words():
    assert segmenter.cut("青融通专属贷") != ["青融通专属贷"]
    segmenter.add_words(["青融通专属贷"])
    assert segmenter.cut("青融通专属贷") == ["青融通专属贷"]


def test_words_added_before_loading_apply_when_it_loads():
    code = ("import sys\nfrom functions.search import segmenter\n"
            "segmenter.add_words(['瀚海星云创投券'])\n"
            "assert 'rjieba' not in sys.modules and not segmenter.is_loaded()\n"
            "assert segmenter.cut('瀚海星云创投券') == ['瀚海星云创投券'], segmenter.cut('瀚海星云创投券')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
