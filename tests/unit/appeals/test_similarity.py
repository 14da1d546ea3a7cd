"""Duplicate detection for appeals (青诉即办): tokens, the tuned threshold, best_match, robustness.

The labelled table is `duplicate_pairs.json` beside this file: pairs of appeals as different people
phrase them on different channels, `duplicate: true` (the same matter: merge) or `false` (a different
matter, mostly near misses of the same enterprise). `split: "tune"` pairs are the table the threshold
is tuned on; `split: "holdout"` pairs were written after the method was frozen and are only measured.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from functions.appeals import similarity as sim
from functions.appeals.similarity import DUPLICATE_THRESHOLD, Match, best_match, fingerprint, similarity, tokens

PAIRS_FILE = Path(__file__).with_name("duplicate_pairs.json")
REPO = Path(__file__).resolve().parents[3]


def _load() -> list[dict]:
    return json.loads(PAIRS_FILE.read_text(encoding="utf-8"))["pairs"]


PAIRS = _load()
TUNE = [p for p in PAIRS if p["split"] == "tune"]
HOLDOUT = [p for p in PAIRS if p["split"] == "holdout"]


def _readme() -> str:
    """README-similarity.md with whitespace runs made single spaces (figures may wrap across lines)."""
    return " ".join((REPO / "functions" / "appeals" / "README-similarity.md").read_text(encoding="utf-8").split())


def _score(pair: dict) -> float:
    return similarity(fingerprint(pair["a"]["title"], pair["a"]["content"]),
                      fingerprint(pair["b"]["title"], pair["b"]["content"]))


@pytest.fixture(scope="module")
def tune_scores() -> list[tuple[float, bool, str]]:
    return [(_score(p), p["duplicate"], p["id"]) for p in TUNE]


def precision_recall(scored: list[tuple[float, bool, str]], threshold: float) -> tuple[float, float]:
    merged = [dup for score, dup, _ in scored if score >= threshold]
    true_merges = sum(merged)
    duplicates = sum(dup for _, dup, _ in scored)
    precision = true_merges / len(merged) if merged else 1.0
    recall = true_merges / duplicates if duplicates else 1.0
    return precision, recall


# ---------------------------------------------------------------- the table itself

def test_table_is_big_and_balanced_enough():
    ids = [p["id"] for p in PAIRS]
    assert len(ids) == len(set(ids)), "pair ids are unique"
    assert len(TUNE) >= 40
    assert sum(p["duplicate"] for p in TUNE) >= 15
    assert sum(not p["duplicate"] for p in TUNE) >= 15
    for p in PAIRS:
        for side in ("a", "b"):
            assert p[side]["title"].strip() and p[side]["content"].strip(), p["id"]


# ---------------------------------------------------------------- (1) tokens

def test_tokens_keep_domain_words_whole_and_drop_punctuation_and_stop_words():
    toks = tokens("我司申请的留抵退税已经３个月还没到账！请尽快处理。")
    assert "留抵退税" in toks
    assert "留" not in toks and "抵" not in toks
    assert "3" in toks and "３" not in toks  # full-width digit normalised
    assert not any(t in toks for t in ("！", "!", "。", "的", "我司", "请", "已经"))
    assert all(t == t.strip() and t for t in toks)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("增值税专用发票领用数量不足", {"增值税", "专用发票", "发票", "数量"}),
        ("申请电力增容，道路开挖许可", {"电力增容", "道路开挖"}),
        ("不动产登记中心未出具证书", {"不动产登记"}),
        ("住房公积金和社保都要办", {"公积金", "社保"}),
        ("营业执照被行政审批局驳回，营商环境差", {"营业执照", "行政审批", "营商环境"}),
        ("申请施工许可证和排水许可", {"施工许可", "许可证", "排水许可"}),
        ("使用ＣＡ证书登陆系统", {"ca", "证书", "登录"}),  # full-width Latin, typo 登陆
        ("增量留底退税", {"留抵退税", "增量"}),  # common misspelling
        ("出口退(免)税", {"出口退税"}),
        ("专票不够用，自来水停了", {"专用发票", "供水"}),  # synonyms
        ("每度电加收0.3元，1600千伏安", {"0.3", "1600", "千伏安", "电"}),  # numbers kept
    ],
)
def test_tokens_contain_expected_words(text, expected):
    toks = set(tokens(text))
    assert expected <= toks, expected - toks


def test_tokens_places():
    toks = tokens("黄岛区（西海岸新区）的冷库，城阳区棘洪滩街道的厂房，市南区")
    assert toks.count("黄岛") == 2  # both names of the district are one place
    assert "城阳" in toks and "棘洪滩街道" in toks and "市南" in toks
    assert "南区" not in toks  # districts are not split into sub-words


def test_tokens_drop_channel_boilerplate():
    toks = tokens("12345热线来电人反映：诉求人称其企业问题希望能否尽快解决")
    assert not {"12345", "热线", "来电人", "诉求人", "企业", "问题", "希望", "能否", "反映"} & set(toks)
    assert "123" not in toks and "45" not in toks


def test_jieba_is_loaded_lazily():
    code = (
        "import sys\n"
        "import functions.appeals.similarity as s\n"
        "assert 'rjieba' not in sys.modules, 'rjieba imported at module import'\n"
        "assert s.tokens('留抵退税') == ['退税', '留抵退税'], s.tokens('留抵退税')\n"
        "assert 'rjieba' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Building prefix dict" not in done.stderr and "Loading model" not in done.stderr  # logging silenced


def test_fingerprint_weights_title():
    fp = fingerprint("留抵退税", "留抵退税")
    assert fp["留抵退税"] == sim.TITLE_WEIGHT + 1


# ---------------------------------------------------------------- (2) the threshold separates the table

def test_threshold_separates_the_table(tune_scores):
    precision, recall = precision_recall(tune_scores, DUPLICATE_THRESHOLD)
    false_merges = [(round(s, 3), i) for s, dup, i in tune_scores if s >= DUPLICATE_THRESHOLD and not dup]
    missed = [(round(s, 3), i) for s, dup, i in tune_scores if s < DUPLICATE_THRESHOLD and dup]
    print(f"\ntuning table: {len(TUNE)} pairs, threshold {DUPLICATE_THRESHOLD}: "
          f"precision {precision:.3f}, recall {recall:.3f}; missed merges {missed}")
    assert not false_merges, false_merges
    assert precision == 1.0
    assert recall >= 0.85


def test_documented_figures_match_the_measured_ones(tune_scores):
    precision, recall = precision_recall(tune_scores, DUPLICATE_THRESHOLD)
    for doc in (_readme(), " ".join(sim.__doc__.split())):
        assert f"{DUPLICATE_THRESHOLD:.2f}" in doc
        assert f"precision {precision:.2f}, recall {recall:.2f}" in doc


def test_holdout_figures(capsys):
    """Pairs written after the method was frozen: measured and printed, a floor only against regressions."""
    scored = [(_score(p), p["duplicate"], p["id"]) for p in HOLDOUT]
    precision, recall = precision_recall(scored, DUPLICATE_THRESHOLD)
    false_merges = [(round(s, 3), i) for s, dup, i in scored if s >= DUPLICATE_THRESHOLD and not dup]
    print(f"\nholdout: {len(HOLDOUT)} pairs: precision {precision:.3f}, recall {recall:.3f}; "
          f"false merges {false_merges}")
    assert f"held-out precision {precision:.2f}, recall {recall:.2f}" in _readme()
    assert recall >= 0.85
    assert precision >= 0.70


# ---------------------------------------------------------------- (3) the documented threshold is the tuned one

def sweep(scored, lo=0.30, hi=0.90, step=0.01) -> list[tuple[float, float, float]]:
    n = round((hi - lo) / step)
    return [(t, *precision_recall(scored, t)) for t in (round(lo + i * step, 2) for i in range(n + 1))]


def test_threshold_is_the_tuned_one(tune_scores):
    rows = sweep(tune_scores)
    exact = [(t, r) for t, p, r in rows if p == 1.0]
    assert exact, "no threshold in 0.30..0.90 avoids every false merge"
    best_recall = max(r for _, r in exact)
    best = [t for t, r in exact if r == best_recall]
    print(f"\nprecision 1.0 with maximal recall {best_recall:.3f} for thresholds {best[0]:.2f}..{best[-1]:.2f}")
    assert best == [t for t in best if best[0] <= t <= best[-1]]
    assert best[0] <= DUPLICATE_THRESHOLD <= best[-1]


# ---------------------------------------------------------------- (4) best_match

VAT_REFUND_WEB = ("留抵退税迟迟未到账",
                  "我司（青岛海润食品有限公司）于2024年3月通过电子税务局提交增值税留抵退税申请，至今已两个多月，"
                  "系统一直显示审核中，退税款没有到账，资金周转困难，请税务部门尽快办理。")
VAT_INVOICE_QUOTA = ("增值税发票领用数量不足",
                     "我司（青岛海润食品有限公司）目前每月增值税专用发票领用份数只有25份，不能满足开票需要，"
                     "向税务部门申请增加领用数量，一直没有答复。")
EXPORT_INSPECTION = ("出口货物查验等待时间长",
                     "我司一批出口冷冻水产品在青岛前湾港报关后被布控查验，已等待五天仍未安排查验，货物滞港产生高额堆存费。")
SS_TRANSFER = ("员工社保关系转移办不了",
               "我司从外省调入一名员工，需要把养老保险关系从江苏转入青岛，社保中心说系统对接有问题，已经拖了一个多月。")
HOTLINE_VAT_REFUND = ("来电反映增值税留抵退税未退还",
                      "来电人称其为青岛海润食品有限公司财务，3月份申请的留抵退税款至今未收到，电子税务局显示“审核中”，"
                      "询问办理进度，要求尽快退还。")


def test_best_match_picks_the_same_matter_among_near_misses():
    opened = [
        ("QS-001", *VAT_INVOICE_QUOTA),
        ("QS-002", *EXPORT_INSPECTION),
        ("QS-003", *VAT_REFUND_WEB),
        ("QS-004", *SS_TRANSFER),
    ]
    match = best_match(HOTLINE_VAT_REFUND, opened)
    assert isinstance(match, Match)
    assert match.appeal_id == "QS-003"
    assert DUPLICATE_THRESHOLD <= match.score <= 1.0
    assert match.score == pytest.approx(similarity(fingerprint(*HOTLINE_VAT_REFUND), fingerprint(*VAT_REFUND_WEB)))


def test_best_match_none_for_a_different_matter():
    new = ("发票红字信息表开具失败",
           "我司开给客户的增值税专用发票需要作废重开，电子税务局开具红字信息表时一直报错，客户拒绝付款。")
    opened = [("QS-001", *VAT_INVOICE_QUOTA), ("QS-003", *VAT_REFUND_WEB), ("QS-004", *SS_TRANSFER)]
    assert best_match(new, opened) is None
    assert best_match(new, []) is None
    assert best_match(new, iter(opened)) is None  # any iterable, consumed once


def test_best_match_prefers_the_higher_score_and_the_earliest_on_a_tie():
    opened = [("QS-010", *VAT_REFUND_WEB), ("QS-011", *HOTLINE_VAT_REFUND), ("QS-012", *HOTLINE_VAT_REFUND)]
    match = best_match(HOTLINE_VAT_REFUND, opened)
    assert match == Match("QS-011", pytest.approx(1.0))  # identical text beats a paraphrase; earliest twin wins
    assert best_match(HOTLINE_VAT_REFUND, list(reversed(opened))).appeal_id == "QS-012"


def test_best_match_agrees_with_every_labelled_pair():
    for p in TUNE:
        match = best_match((p["b"]["title"], p["b"]["content"]), [(p["id"], p["a"]["title"], p["a"]["content"])])
        assert (match is not None) == (_score(p) >= DUPLICATE_THRESHOLD), p["id"]


# ---------------------------------------------------------------- (5) robustness

def test_deterministic_and_symmetric():
    for p in PAIRS[:20]:
        first = _score(p)
        again = similarity(fingerprint(p["a"]["title"], p["a"]["content"]),
                           fingerprint(p["b"]["title"], p["b"]["content"]))
        swapped = similarity(fingerprint(p["b"]["title"], p["b"]["content"]),
                             fingerprint(p["a"]["title"], p["a"]["content"]))
        assert first == again
        assert first == pytest.approx(swapped, abs=1e-12)
        assert 0.0 <= first <= 1.0


def test_identical_appeals_score_one():
    assert similarity(fingerprint(*VAT_REFUND_WEB), fingerprint(*VAT_REFUND_WEB)) == pytest.approx(1.0)


@pytest.mark.parametrize("blank", ["", " ", "\n\t  ", "\u3000\u3000", "。，！？", "的了和是"])
def test_empty_and_blank_text(blank):
    assert tokens(blank) == []
    empty = fingerprint(blank, blank)
    assert empty == Counter()
    assert similarity(empty, fingerprint(*VAT_REFUND_WEB)) == 0.0
    assert similarity(fingerprint(*VAT_REFUND_WEB), empty) == 0.0
    assert similarity(empty, empty) == 0.0
    assert best_match((blank, blank), [("QS-001", *VAT_REFUND_WEB), ("QS-002", blank, blank)]) is None


def test_none_title_or_content_is_blank():
    assert fingerprint(None, None) == Counter()  # type: ignore[arg-type]


def test_very_long_texts():
    corpus = "".join(p["a"]["content"] + p["b"]["content"] for p in PAIRS)
    long_a = (corpus * (10_000 // len(corpus) + 1))[:10_000]
    long_b = (VAT_REFUND_WEB[1] * 200)[:10_000]
    start = time.perf_counter()
    fa, fb = fingerprint("长文本", long_a), fingerprint("长文本", long_b)
    score = similarity(fa, fb)
    elapsed = time.perf_counter() - start
    assert 0.0 <= score <= 1.0
    assert similarity(fa, fa) == pytest.approx(1.0)
    assert elapsed < 5.0, elapsed
    assert best_match(("长文本", long_a), [("QS-001", "长文本", long_a)]).appeal_id == "QS-001"
