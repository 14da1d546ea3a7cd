"""Policy search at full scale: build size and time, cold first query, warm query latency.

Corpus: `functions.policy.generate.generate()` when that module exists (≥ 3,000 documents, ≥ 2,000
projects, ≥ 26,000 news), else a synthetic one of the same shape (31,000 items; titles and bodies
assembled from policy phrases, so the term dictionary, synonyms and facets all have work to do).

1. Build: `functions.search.index.build` into a temporary directory, then `pack` (the S3 object).
2. Cold: a fresh `python` process that imports the engine, unpacks the tar into a new directory
   (what `open_index` does after its GetObject; the S3 transfer itself is not included), opens it
   and answers one query, loading the segmenter on the way. Timed from before the imports to the
   answer, inside the child. Baseline, alternated run by run: a fresh process that imports tantivy,
   opens an 8-item index and answers one term query (what any tantivy search pays).
3. Warm: every query of `QUERIES` (typed as enterprises type them: words, synonyms, 文号, filters)
   `WARM_ROUNDS` times in this process, with facets and highlights; p50 and p99. Baseline: the
   naive search a developer might write instead, `str.find` of the query over all 31,000 titles
   (no segmentation, ranking or facets), measured on the same queries in the same run.

`python -m tests.bench.policy_search` prints the section; `make bench` adds it to BENCHMARKS.md.
"""
from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 20)
COLD_RUNS = 7
WARM_ROUNDS = 20
GOAL_COLD_S = 1.0
GOAL_WARM_P99_MS = 20.0
QUERIES = [
    "小巨人奖励", "高企认定补贴", "稳岗补贴怎么申请", "首台套保险补偿", "留抵退税", "贷款贴息 小微企业",
    "数字化转型", "技术改造奖补", "小升规", "社保补贴", "青科规〔2025〕3号", "青科规[2025]3", "知识产权质押融资",
    "出口信用保险", "海洋牧场", "人才住房补贴", "研发费用加计扣除", "创业担保贷款", "绿色工厂", "氢燃料电池",
]

CHILD = r"""
import sys, time
started = time.perf_counter()
sys.path.insert(0, {root!r})
from pathlib import Path
from datetime import date
from functions.search import index as ix
from functions.search.engine import search
target = Path({target!r})
ix.unpack(Path({tar!r}).read_bytes(), target)
opened = ix.open_local(target)
result = search({query!r}, index=opened, today=date(2026, 11, 20))
assert result.total > 0
print(time.perf_counter() - started)
"""

BASELINE_CHILD = r"""
import sys, time
started = time.perf_counter()
import tantivy
index = tantivy.Index.open({directory!r})
schema = index.schema
hits = index.searcher().search(tantivy.Query.term_query(schema, "t_title", "奖励", index_option="freq"), 10)
assert hits.count > 0
print(time.perf_counter() - started)
"""

PHRASES = {
    "专精特新": ["专精特新中小企业", "专精特新“小巨人”企业", "优质中小企业梯度培育"],
    "高新技术企业": ["高新技术企业认定", "高企培育", "科技型中小企业"],
    "稳岗补贴": ["失业保险稳岗返还", "稳岗补贴", "一次性扩岗补助"],
    "首台套": ["首台（套）重大技术装备", "首批次新材料", "首版次软件"],
    "税费减免": ["增值税留抵退税", "研发费用加计扣除", "小型微利企业所得税优惠"],
    "贷款贴息": ["中小微企业贷款贴息", "创业担保贷款", "知识产权质押融资"],
    "技术改造": ["技术改造综合奖补", "设备更新", "智能化改造"],
    "数字化转型": ["中小企业数字化转型", "智改数转", "工业互联网"],
    "小升规": ["企业首次上规", "小升规企业奖励", "规模以上工业企业"],
    "外贸": ["出口信用保险", "跨境电商", "AEO高级认证"],
    "海洋经济": ["海洋牧场", "海洋装备", "港航物流"],
    "人才引进": ["人才住房补贴", "博士后资助", "安家补贴"],
}
FILLER = ["对符合条件的企业给予一次性奖励", "按实际发生额的30%给予补助，最高不超过100万元", "由区（市）主管部门初审后报市级部门复审",
          "申报材料包括营业执照、财务审计报告和相关证明", "本办法自发布之日起施行，有效期三年", "企业应当如实填报，不得弄虚作假",
          "资金实行免申即享，由部门主动兑现", "同一项目不得重复享受市级同类政策", "坚持公开公平公正原则，接受社会监督"]
UNITS = ["unit-science-tech", "unit-private-economy", "unit-hrss", "unit-finance", "unit-tax", "unit-big-data", "unit-ocean"]
LEVELS = ["national", "provincial", "municipal", "district"]
ISSUERS = ["青科规", "青工信规", "青人社发", "青政发", "鲁工信发", "青金监发"]


def synthetic(documents: int = 3_000, projects: int = 2_000, news: int = 26_000):
    """Items shaped like the policy content, deterministic (seeded)."""
    from functions.search.index import SearchItem

    rng = random.Random(20261120)
    topics = list(PHRASES)

    def text(topic: str, sentences: int) -> str:
        parts = []
        for _ in range(sentences):
            parts.append(rng.choice(PHRASES[topic]) + rng.choice(["方面，", "领域，", "：", "，"]) + rng.choice(FILLER))
        return "。".join(parts) + "。"

    for n in range(documents):
        topic = rng.choice(topics)
        year = rng.choice([2023, 2024, 2025, 2026])
        yield SearchItem(
            id=f"doc-{n}", kind="document", title=f"关于支持{rng.choice(PHRASES[topic])}的若干措施（第{n}号）",
            doc_number=f"{rng.choice(ISSUERS)}〔{year}〕{n % 400 + 1}号", topics=(topic, rng.choice(topics)),
            level=rng.choice(LEVELS), department=rng.choice(UNITS), status=rng.choice(["effective", "expired"]),
            published_on=date(year, 1, 1) + timedelta(days=rng.randrange(360)), body=text(topic, 25))
    for n in range(projects):
        topic = rng.choice(topics)
        yield SearchItem(
            id=f"proj-{n}", kind="project", title=f"2026年{rng.choice(PHRASES[topic])}{rng.choice(['奖励', '补助', '补贴'])}",
            topics=(topic,), level=rng.choice(LEVELS), department=rng.choice(UNITS),
            status=rng.choice(["open", "upcoming", "closed"]), closes_on=TODAY + timedelta(days=rng.randrange(-60, 120)),
            body=text(topic, 6), boost=1.3)
    for n in range(news):
        topic = rng.choice(topics)
        yield SearchItem(
            id=f"news-{n}", kind=rng.choice(["news", "interpretation"]), title=f"{rng.choice(PHRASES[topic])}政策解读（{n}）",
            topics=(topic,), level=rng.choice(LEVELS), status="published",
            published_on=date(2026, 1, 1) + timedelta(days=rng.randrange(320)), body=text(topic, 10))


def corpus() -> tuple[str, list]:
    try:
        from functions.policy.generate import generate
    except ImportError:
        return "synthetic (functions/policy/generate.py absent)", list(synthetic())
    from functions.policy.search_items import items_from_content

    return "functions.policy.generate.generate()", list(items_from_content(generate(), TODAY))


def _child_seconds(code: str) -> float:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure() -> dict:
    from functions.search import index as ix
    from functions.search.engine import search

    source, items = corpus()
    figures: dict = {"source": source, "items": len(items)}
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        ix.build(items, tmp / "index")
        figures["build_s"] = time.perf_counter() - started
        data = ix.pack(tmp / "index")
        figures["tar_mb"] = len(data) / 1e6
        (tmp / "index.tar").write_bytes(data)
        ix.build(items[:8], tmp / "tiny")

        cold, base = [], []
        for run in range(COLD_RUNS):
            cold.append(_child_seconds(CHILD.format(root=str(ROOT), target=str(tmp / f"cold-{run}"),
                                                    tar=str(tmp / "index.tar"), query="小巨人奖励")))
            base.append(_child_seconds(BASELINE_CHILD.format(directory=str(tmp / "tiny"))))
        figures["cold_s"], figures["cold_baseline_s"] = statistics.median(cold), statistics.median(base)
        figures["cold_max_s"] = max(cold)

        opened = ix.open_local(tmp / "index")
        titles = [item.title for item in items]
        for query in QUERIES:  # warm-up
            search(query, index=opened, today=TODAY)
        warm, naive = [], []
        for _ in range(WARM_ROUNDS):
            for query in QUERIES:
                t0 = time.perf_counter()
                search(query, index=opened, today=TODAY)
                warm.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                [n for n, title in enumerate(titles) if title.find(query) >= 0]
                naive.append(time.perf_counter() - t0)
        figures.update(warm_p50_s=_percentile(warm, 0.5), warm_p99_s=_percentile(warm, 0.99),
                       naive_p50_s=_percentile(naive, 0.5), naive_p99_s=_percentile(naive, 0.99),
                       warm_samples=len(warm))
    return figures


def markdown(f: dict) -> list[str]:
    return [
        "## Policy search (functions/search, full scale)",
        "",
        f"Corpus: {f['items']:,} items from {f['source']}. Index built in {f['build_s']:.1f} s; "
        f"the S3 object (tar) is {f['tar_mb']:.1f} MB. Goals: cold first query ≤ {GOAL_COLD_S:.0f} s, "
        f"warm p99 ≤ {GOAL_WARM_P99_MS:.0f} ms.",
        "",
        "| measurement | baseline | value | baseline value | ratio |",
        "| --- | --- | ---: | ---: | ---: |",
        f"| cold first query (fresh process: import, unpack, open, segmenter, query; median of {COLD_RUNS}, "
        f"max {f['cold_max_s'] * 1000:.0f} ms) | fresh process: import tantivy, open an 8-item index, one term query "
        f"| {f['cold_s'] * 1000:.0f} ms | {f['cold_baseline_s'] * 1000:.0f} ms | {f['cold_s'] / f['cold_baseline_s']:.1f}× |",
        f"| warm query p50 ({len(QUERIES)} queries × {WARM_ROUNDS}, facets and highlights) | `str.find` over all titles "
        f"| {f['warm_p50_s'] * 1000:.2f} ms | {f['naive_p50_s'] * 1000:.2f} ms | {f['warm_p50_s'] / f['naive_p50_s']:.1f}× |",
        f"| warm query p99 | `str.find` over all titles (p99) | {f['warm_p99_s'] * 1000:.2f} ms "
        f"| {f['naive_p99_s'] * 1000:.2f} ms | {f['warm_p99_s'] / f['naive_p99_s']:.1f}× |",
        "",
    ]


if __name__ == "__main__":
    result = measure()
    print(json.dumps(result, indent=1, default=str))
    print("\n".join(markdown(result)))
