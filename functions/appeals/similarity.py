"""Is a new appeal the same matter as an open one? Similarity of segmented Chinese text. Pure domain.

The same enterprise often reports one matter on several channels (web, the 12345 hotline, a district
window, a department visit, an on-site finding). When a new appeal is the same matter as one still
open, the platform merges it onto the open one. This module answers "same matter?" from the texts
only; the caller has already narrowed the open appeals to the same enterprise or credit code.

Method (all data lists are in this module, so every score can be explained by hand):

1. `tokens(text)`: NFKC (full-width → half-width), lowercase, a few spelling fixes (`TEXT_FIXES`:
   留底退税 → 留抵退税, 登陆 → 登录, 退(免)税), the platform's segmenter (`functions.search.segmenter`:
   rjieba, jieba's dictionary and precise mode with HMM, plus the policy terms) with our domain
   words added (`USER_WORDS`), then, like `lcut_for_search`, the 2- and 3-character dictionary
   words inside each longer word ("施工许可证" also gives 施工, 许可, 许可证) so that two texts that
   segment one phrase differently still share tokens. We expand precise mode ourselves rather than
   call `lcut_for_search` so that place names are not expanded (市南区 must not also give 南区) and
   synonyms apply to the whole word. Synonyms map to one form (`SYNONYMS`: 专票 → 专用发票, 自来水 →
   供水, 西海岸新区/黄岛区 → 黄岛 ...). Dropped: punctuation and whitespace, `STOP_WORDS` (words every
   appeal has: 我司 企业 反映 请 问题 来电人 ...), and one-character Chinese tokens except the few that
   name a thing on their own (`MEANINGFUL_SINGLE`: 水 电 气 税 票 路 灯 慢 欠 ...). Numbers and Latin
   tokens are kept (amounts, capacities, street numbers, "ca"). A street or town named after a
   district ("城阳区棘洪滩街道", "位于胶州市李哥庄镇") is also emitted whole ("棘洪滩街道").
2. `fingerprint(title, content)`: token counts, title tokens counting `TITLE_WEIGHT` (1.5) each.
3. `similarity(a, b)`: cosine of the two count vectors, where the words of `COMMON_WORDS` (申请 办理
   审批 部门 时限 ...) weigh `COMMON_WEIGHT` (0.5) instead of 1, then halved (`CONFLICT_FACTOR`) once
   for every fact the two texts state differently:
   - a facet of `FACETS` (which utility: 电/水/燃气/供热/排水/路灯; what is asked of it: 接入/故障/收费;
     which tax matter; which permit; which registration item; which licence step; which social
     insurance or housing fund business; which degree), compared on what each text is mainly about:
     the value(s) with the most token weight in that text. Two texts conflict when both name a value
     and their main values differ;
   - the district (市南 ... 莱西), the street or town: both name one and none is shared;
   - the figures (numbers of two or more characters: amounts, capacities, years, dates): both quote
     some and none is shared.
   A conflict is evidence of a different matter; missing information is not.
4. `best_match`: the open appeal with the highest score at or above `DUPLICATE_THRESHOLD`, the
   earliest given on a tie.

Threshold: 0.47, tuned on the labelled table `tests/unit/appeals/duplicate_pairs.json` (84 pairs:
42 duplicates, 42 different matters, most of them near misses of the same enterprise). Precision
must be 1.0 (a wrong merge hides a matter from the enterprise; a missed merge only costs a second
handling task), and among the thresholds that keep it, recall is highest for 0.46–0.48 (the
highest different-matter pair scores 0.455, the lowest merged duplicate 0.484); 0.47 is the middle.
On that table: precision 1.00, recall 0.93 (39/42). On 16 held-out pairs written after the method
was frozen (`"split": "holdout"` in the same file): held-out precision 0.73, recall 1.00 (3 false
merges of 11, all "same object, different action"). That is the better guide to unseen appeals:
the facet lists were grown on the tuning table. See README-similarity.md for the limits.

The segmenter is the platform's one (`functions/search/segmenter.py`), loaded on first use, not at
import: about 0.1–0.2 s (rjieba; jieba itself took 0.5–0.6 s and ~60 MiB here). `USER_WORDS` are
added to it when this module is imported, so search and appeals segment alike; the policy terms it
also holds (专精特新, 稳岗补贴 …) left every score of the labelled table within the documented figures.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from functions.search import segmenter

DUPLICATE_THRESHOLD: float = 0.47

TITLE_WEIGHT = 1.5
COMMON_WEIGHT = 0.5
CONFLICT_FACTOR = 0.5

# Words the segmenter splits badly, or that we want whole (synonyms and facets refer to them).
USER_WORDS: tuple[str, ...] = (
    "营商环境", "留抵退税", "出口退税", "退免税", "增值税", "专用发票", "12345", "社保", "公积金",
    "不动产登记", "营业执照", "行政审批", "电力增容", "转供电", "道路开挖", "施工许可", "施工许可证",
    "规划许可", "规划许可证", "建设工程规划许可", "建设工程规划许可证", "竣工验收", "排水许可",
    "排水许可证", "排污许可证", "食品经营许可", "食品经营许可证", "环评", "稳岗返还", "扩岗补助",
    "人才贷", "安家补贴", "高企", "诉求人", "来电人", "管道",
    "市南区", "市北区", "李沧区", "崂山区", "城阳区", "黄岛区", "西海岸新区", "即墨区", "胶州市",
    "平度市", "莱西市",
)

# Replaced in the (NFKC, lowercased) text before segmentation: common misspellings and forms.
TEXT_FIXES: tuple[tuple[str, str], ...] = (
    ("留底退税", "留抵退税"),
    ("登陆", "登录"),
    ("退(免)税", "退免税"),
    ("帐", "账"),
    ("燃气管道", "燃气 管道"),  # else the segmenter says 燃气管 + 道
)

# One form per meaning (applied to whole words and to the sub-words of search expansion).
SYNONYMS: dict[str, str] = {
    "专票": "专用发票",
    "自来水": "供水",
    "勘察": "勘查",
    "挖掘": "开挖",
    "管线": "管道",
    "国企": "国有企业",
    "环境影响评价": "环评",
    "高新技术企业": "高企",
    "暖气": "供暖",
    "安家费": "安家补贴",
    "退免税": "出口退税",
    "地址": "住所",
    "施工许可证": "施工许可",
    "规划许可证": "规划许可",
    "建设工程规划许可": "规划许可",
    "建设工程规划许可证": "规划许可",
    "排水许可证": "排水许可",
    "排污许可证": "排污许可",
    "食品经营许可证": "食品经营许可",
    "黄岛区": "黄岛", "西海岸新区": "黄岛", "西海岸": "黄岛",
    "市南区": "市南", "市北区": "市北", "李沧区": "李沧", "崂山区": "崂山", "城阳区": "城阳",
    "即墨区": "即墨", "胶州市": "胶州", "平度市": "平度", "莱西市": "莱西",
}

# Words every appeal contains, whoever writes it: they say nothing about which matter it is.
STOP_WORDS: frozenset[str] = frozenset(
    """的 了 和 是 在 我们 我司 本公司 公司 企业 贵 请 问题 反映 情况 希望 能否 一下 有限 有限公司
    有限责任公司 来电 来电人 诉求 诉求人 人称 称 其 该 某 一家 一个 这个 那个 对此 目前 现在 至今 已经
    一直 还 也 都 就 又 但 但是 并 及 与 或 被 把 将 给 从 向 对 为 以 于 由 后 时 中 上 下 内 里 要求
    请求 咨询 记录 窗口 走访 现场 12345 热线 我 你 他 她 它 他们 没有 没 不 未 仍 仍未 尚 尚未 已 按
    按照 应 需要 可以 能 说 让""".split()
)

# One-character words kept: each names a thing or a complaint by itself. Others (个 月 号 将 ...) go.
MEANINGFUL_SINGLE: frozenset[str] = frozenset("水电气热暖税票费款证照路灯井房地厂港船车贷息慢难堵漏停欠退罚补租")

# Frequent in appeals of every kind: they count, at COMMON_WEIGHT.
COMMON_WORDS: frozenset[str] = frozenset(
    """申请 办理 提交 部门 青岛 青岛市 工作人员 材料 时间 进度 审核 审批 协调 尽快 影响 相关 单位 多次
    系统 政策 规定 项目 工程 费用 资金 办 处理 答复 告知 原因 迟迟 超过 时限 承诺 月 天 年 月份 万元
    元""".split()
)


def _facet(**values: str) -> dict[str, frozenset[str]]:
    return {name: frozenset(words.split()) for name, words in values.items()}


# Mutually exclusive answers to one question about the matter. Tokens after synonyms.
FACETS: dict[str, dict[str, frozenset[str]]] = {
    "utility": _facet(
        电="电力 用电 供电 停电 电费 转供电 增容 电力增容 千伏安 变压器 变电站",
        水="供水 用水 水费 水压 水务 通水 二次供水",
        燃气="燃气 天然气 通气 点火",
        供热="供暖 热力 采暖",
        排水="排水 污水 雨水 积水 排水管 排水许可",
        路灯="路灯 照明",
    ),
    "utility_need": _facet(
        接入="报装 接入 接通 增容 电力增容 通水 通气 点火 开户",
        故障="停电 断电 停水 水压 故障 抢修 堵塞 外溢 积水",
        收费="电费 水费 安装费 收费 加价 加收 管理费 服务费 价格 涨价 上调 调价",
    ),
    "tax": _facet(
        留抵退税="留抵退税",
        出口退税="出口退税",
        发票="发票 专用发票 红字",
        加计扣除="加计扣除",
    ),
    "permit": _facet(
        施工许可="施工许可",
        规划许可="规划许可",
        竣工验收="竣工验收 竣工 联合验收",
        排水许可="排水许可",
        排污许可="排污许可",
        环评="环评",
        开挖许可="开挖 道路开挖 占掘",
        食品经营许可="食品经营许可",
    ),
    "registration_item": _facet(
        住所="住所",
        经营范围="经营范围",
        法定代表人="法定代表人 法人代表",
        注册资本="注册资本",
    ),
    "licence_step": _facet(
        新办="新办 新开 新注册 新设",
        延续="延续 到期 换证",
        注销="注销",
    ),
    "fund_business": _facet(
        转移="转移 转入 转出 跨省",
        欠缴="欠缴 欠费 补缴 缓缴",
        基数="基数",
        比例="比例",
        提取="提取",
        贷款="贷款",
    ),
    "degree": _facet(博士="博士 博士后", 硕士="硕士", 本科="本科"),
}

DISTRICTS: frozenset[str] = frozenset("市南 市北 李沧 崂山 城阳 黄岛 即墨 胶州 平度 莱西".split())
_TOWN_SUFFIXES = ("街道", "镇", "港区")
# A street or town right after a district, a city, or 位于/在: "城阳区棘洪滩街道" → "棘洪滩街道".
_TOWN = re.compile(r"(?:区|市|县|位于|在)([\u4e00-\u9fff]{2,4}?)(街道|镇|港区)")
_FIGURE = re.compile(r"^\d+(?:\.\d+)?%?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")

# Our words go into the platform's one segmenter when this module is imported (a list append; the
# dictionary itself loads on the first `tokens()` call), so search and similarity segment alike.
segmenter.add_words(USER_WORDS)


def _keep(tok: str) -> bool:
    if tok in STOP_WORDS:
        return False
    return not (len(tok) == 1 and _CJK.match(tok) and tok not in MEANINGFUL_SINGLE)


def tokens(text: str) -> list[str]:
    """The words of an appeal text that can tell one matter from another (see the module doc)."""
    if not text or not text.strip():
        return []
    norm = unicodedata.normalize("NFKC", text).lower()
    for wrong, right in TEXT_FIXES:
        norm = norm.replace(wrong, right)
    out: list[str] = []
    for word in segmenter.cut(norm):
        word = word.strip()
        if not word or segmenter.is_punctuation(word):
            continue
        canon = SYNONYMS.get(word, word)
        if canon not in DISTRICTS:
            out += [s for s in (SYNONYMS.get(sub, sub) for sub in segmenter.subwords(word)) if _keep(s)]
        if _keep(canon):
            out.append(canon)
    out += [m.group(1) + m.group(2) for m in _TOWN.finditer(norm)]
    return out


def fingerprint(title: str, content: str) -> Counter[str]:
    """Token counts of an appeal; a title token counts TITLE_WEIGHT."""
    fp: Counter[str] = Counter()
    for tok in tokens(title or ""):
        fp[tok] += TITLE_WEIGHT
    fp.update(tokens(content or ""))
    return fp


def _weight(tok: str) -> float:
    return COMMON_WEIGHT if tok in COMMON_WORDS else 1.0


def _main_values(fp: Counter[str], values: dict[str, frozenset[str]]) -> frozenset[str]:
    mass = {name: sum(fp[w] for w in words if w in fp) for name, words in values.items()}
    top = max(mass.values())
    return frozenset(name for name, m in mass.items() if m and m == top)


def _is_town(tok: str) -> bool:
    return len(tok) >= 3 and tok.endswith(_TOWN_SUFFIXES)


def _is_figure(tok: str) -> bool:
    return len(tok) >= 2 and bool(_FIGURE.match(tok))


def _stated(fp: Counter[str]) -> dict[str, frozenset[str]]:
    stated = {name: _main_values(fp, values) for name, values in FACETS.items()}
    stated["district"] = frozenset(t for t in fp if t in DISTRICTS)
    stated["town"] = frozenset(t for t in fp if _is_town(t))
    stated["figures"] = frozenset(t for t in fp if _is_figure(t))
    return stated


def conflicts(a: Counter[str], b: Counter[str]) -> list[str]:
    """The facts (facet names, "district", "town", "figures") that the two fingerprints state differently."""
    sa, sb = _stated(a), _stated(b)
    return [name for name in sa if sa[name] and sb[name] and sa[name].isdisjoint(sb[name])]


def similarity(a: Counter[str], b: Counter[str]) -> float:
    """Weighted cosine of two fingerprints, halved per conflicting fact; 0.0 when either is empty."""
    if not a or not b:
        return 0.0
    shared = a.keys() & b.keys()
    dot = sum(a[t] * b[t] * _weight(t) ** 2 for t in shared)
    if dot <= 0:
        return 0.0
    norm_a = math.sqrt(sum((c * _weight(t)) ** 2 for t, c in a.items()))
    norm_b = math.sqrt(sum((c * _weight(t)) ** 2 for t, c in b.items()))
    score = dot / (norm_a * norm_b) * CONFLICT_FACTOR ** len(conflicts(a, b))
    return max(0.0, min(1.0, score))


@dataclass(frozen=True)
class Match:
    appeal_id: str
    score: float


def best_match(candidate: tuple[str, str], open_appeals: Iterable[tuple[str, str, str]]) -> Match | None:
    """The open appeal (appeal_id, title, content) that `candidate` (title, content) duplicates, if any.

    The most similar one scoring at least DUPLICATE_THRESHOLD; on a tie the earliest given.
    """
    fp = fingerprint(*candidate)
    best: Match | None = None
    for appeal_id, title, content in open_appeals:
        score = similarity(fp, fingerprint(title, content))
        if score >= DUPLICATE_THRESHOLD and (best is None or score > best.score):
            best = Match(appeal_id, score)
    return best
