"""Text → index terms, the same way for the documents and for the query (see README.md).

- `normalize`: NFKC (full-width → half-width), lowercase, `TEXT_FIXES` (首台(套) → 首台套).
- `words`: the segmenter's precise mode plus the 2- to 4-character dictionary words inside longer
  words (专精特新小巨人 also gives 专精特新, 小巨人), punctuation dropped. Index and query both use it.
- `bigrams`: every pair of adjacent CJK characters, and Latin/digit runs whole: the low-weight field
  that finds a word the dictionary lacks (the query's word must have all its bigrams in the item).
- `doc_number`: a 文号 typed with 〔〕, [], (), （）, 【】 or without 号, in one canonical form.
- `synonyms`: `data/synonyms.txt`, read once.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from pathlib import Path

from functions.search import segmenter

SYNONYMS_FILE = Path(__file__).with_name("data") / "synonyms.txt"

TEXT_FIXES: tuple[tuple[str, str], ...] = (
    ("首台(套)", "首台套"),
    ("留底退税", "留抵退税"),
)

# Dictionary words inside a longer word that are indexed too: 社会保险费 also gives 社会保险, 保险.
SUBWORD_SIZES = (2, 3, 4)

# Words of a question, not of its subject: dropped from queries (never from documents).
QUERY_STOP_WORDS: frozenset[str] = frozenset(
    """的 了 吗 呢 吧 啊 和 与 及 或 是 在 有 我 我们 我司 你 怎么 怎样 如何 怎么样 什么 哪些 哪个 哪里 多少
    几 能 能否 可以 可否 是否 请问 一下 关于 有关 相关 需要 要 想 为 对 给 从 到 个
    申请 申报 办理 流程 手续""".split()  # every project is applied for: "怎么申请" names no subject
)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[0-9a-z]+(?:\.[0-9]+)?")
# 文号: issuer abbreviation, year in brackets of any kind, number, optional 号.
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[(（【]\s*(\d{4})\s*[〕\])）】]\s*(\d{1,4})\s*号?")


def normalize_width(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def normalize(text: str) -> str:
    norm = unicodedata.normalize("NFKC", text or "").lower()
    for wrong, right in TEXT_FIXES:
        norm = norm.replace(wrong, right)
    return norm


def words(text: str) -> list[str]:
    """Index terms of a text: precise-mode words and the dictionary words inside them."""
    out: list[str] = []
    for word in segmenter.cut(normalize(text)):
        word = word.strip()
        if not word or segmenter.is_punctuation(word):
            continue
        out.append(word)
        if len(word) > 2 and _CJK.match(word):
            out += segmenter.subwords(word, SUBWORD_SIZES)
    return out


def query_words(text: str) -> list[str]:
    """The words a query asks for, in order, without repeats, question words or punctuation."""
    seen: list[str] = []
    for word in segmenter.cut(normalize(text)):
        word = word.strip()
        if word and not segmenter.is_punctuation(word) and word not in QUERY_STOP_WORDS and word not in seen:
            seen.append(word)
    return seen


def bigrams(text: str) -> list[str]:
    """Adjacent CJK character pairs, Latin and digit runs whole (a one-character CJK run stays one)."""
    out: list[str] = []
    for run in _RUN.findall(normalize(text)):
        if _CJK.match(run) and len(run) > 1:
            out += [run[i:i + 2] for i in range(len(run) - 1)]
        else:
            out.append(run)
    return out


def doc_number(text: str) -> str | None:
    """The canonical 文号 in `text` (青科规〔2025〕3号), or None: for an item's own `doc_number`."""
    found = doc_number_candidates(text)
    return found[0][0] if found else None


def doc_number_candidates(text: str) -> list[tuple[str, str]]:
    """For the first 文号 typed in `text`: (canonical form, the text it was typed as), the longest
    issuer first. A query may glue words before the issuer ("查一下青科规[2025]3号"), so every
    issuer suffix of two or more characters is a candidate; the index says which exists."""
    norm = unicodedata.normalize("NFKC", text or "")
    match = _DOC_NUMBER.search(norm)
    if not match:
        return []
    issuer, year, number = match.groups()
    sizes = range(len(issuer), 1, -1) if len(issuer) > 1 else [1]
    out = []
    for n in sizes:
        typed = norm[match.start(1) + len(issuer) - n:match.end()]
        out.append((f"{issuer[-n:]}〔{year}〕{int(number)}号", typed))
    return out


class Synonyms:
    """Groups of words a query treats as one (`expand`); `=>` lines go one way only."""

    def __init__(self, lines: list[str]) -> None:
        self._alternatives: dict[str, list[str]] = {}
        for line in lines:
            left, arrow, right = line.partition("=>")
            group = [normalize(w) for w in left.split()]
            targets = [normalize(w) for w in right.split()] if arrow else []
            for word in group:
                alts = self._alternatives.setdefault(word, [word])
                for other in group + targets:
                    if other not in alts:
                        alts.append(other)

    def expand(self, word: str) -> list[str]:
        """`word` first, then its synonyms (normalized forms)."""
        word = normalize(word)
        return self._alternatives.get(word, [word])

    def surface_forms(self, word: str) -> list[str]:
        return self.expand(word)


_synonyms: Synonyms | None = None
_synonyms_lock = threading.Lock()


def synonyms() -> Synonyms:
    global _synonyms
    if _synonyms is None:
        with _synonyms_lock:
            if _synonyms is None:
                _synonyms = Synonyms(segmenter.read_word_list(SYNONYMS_FILE))
    return _synonyms
