"""One Chinese segmenter for the whole platform: rjieba (jieba's dictionary and HMM, in Rust).

Loaded once per process, on first use, never at import (≈0.1–0.2 s; see README.md). Its dictionary
is jieba's, plus the policy terms of `data/terms.txt` (专精特新, 小巨人, 稳岗补贴 …), plus whatever a
platform adds with `add_words` (appeals adds its own in `appeals/similarity.py`). Words may be added
before or after the first use: added before, they are applied when the segmenter loads.

Every word added here changes the segmentation of every caller in the process, search included: an
index must be built and queried with the same words, so a platform adds its words at import time of
the module that uses them (cheap: a list append), not lazily inside a request.
"""
from __future__ import annotations

import threading
import unicodedata
from pathlib import Path
from typing import Iterable

TERMS_FILE = Path(__file__).with_name("data") / "terms.txt"

_lock = threading.Lock()
_jieba = None
_pending: list[str] = []  # words added before the segmenter loaded


def read_word_list(path: Path) -> list[str]:
    """The words of a list file: one a line, `#` starts a comment, blank lines ignored."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    return words


def _load():
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import rjieba

                tk = rjieba.Jieba()
                for word in read_word_list(TERMS_FILE) + _pending:
                    tk.add_word(word, None, None)
                _pending.clear()
                _jieba = tk
    return _jieba


def add_words(words: Iterable[str]) -> None:
    """Add words to the process's dictionary (now if it is loaded, else when it loads)."""
    words = [w.strip() for w in words if w and w.strip()]
    with _lock:
        if _jieba is None:
            _pending.extend(words)
            return
        for word in words:
            _jieba.add_word(word, None, None)


def is_loaded() -> bool:
    return _jieba is not None


def cut(text: str) -> list[str]:
    """Precise mode with HMM (jieba's `lcut`): every character of `text` in exactly one word."""
    return _load().cut(text, True) if text else []


def has_word(word: str) -> bool:
    """Whether the dictionary (jieba's, the terms, added words) holds `word`."""
    return bool(word) and _load().has_word(word)


def subwords(word: str, sizes: tuple[int, ...] = (2, 3)) -> list[str]:
    """The dictionary words of `sizes` characters inside a longer word (jieba's search mode: 2 and 3)."""
    tk = _load()
    subs: list[str] = []
    for n in sizes:
        if len(word) > n:
            subs += [word[i:i + n] for i in range(len(word) - n + 1) if tk.has_word(word[i:i + n])]
    return subs


def is_punctuation(token: str) -> bool:
    return all(unicodedata.category(c)[0] in "PSZC" for c in token)
