"""Build a search index from items, store it as one S3 object, open it lazily in each process.

An index is a tantivy directory of pre-segmented text (`analysis.words`, `analysis.bigrams`) plus
keyword fast fields for filters and facet counts, and one stored JSON payload per item (what a hit
shows and highlights). It is built whole, from every item, whenever the content changes
(`build`, then `save`), tarred (uncompressed: tantivy's files are compressed already) and put at
`search/<name>.tar` in the stage's bucket.

A process opens it on its first query (`open_index`): one GetObject, unpacked under /tmp (tantivy
cannot open an index on Lambda's read-only code directory), kept for the life of the process. Every
`CHECK_SECONDS` one HeadObject compares the ETag, and a changed object is downloaded and opened
again; a caller that knows the version it wants passes it instead and no HEAD is made. A query
never touches DynamoDB.
"""
from __future__ import annotations

import io
import json
import shutil
import tarfile
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from functions.search import analysis
from functions.settings import get_settings
from functions.shared import bucket
from functions.shared.cache import KeyedCache, ProcessCache

FORMAT = 1
CHECK_SECONDS = 60.0  # how often a process asks S3 whether its index changed
KEY_PREFIX = "search/"
KEYWORD_FIELDS = ("kind", "level", "department", "status", "district")
TEXT_FIELDS = ("t_title", "t_doc_number", "t_topics", "t_body", "ngrams")
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class SearchItem:
    """One thing a search finds: a policy document, a project, a news item, a financing product …

    `kind` says which; `status`, `level`, `department`, `district`, `topics` are what a search
    filters and counts by; `closes_on` drives "closing within N days". `extra` is shown, not searched.
    """

    id: str
    kind: str
    title: str
    body: str = ""
    doc_number: str | None = None
    topics: tuple[str, ...] = ()
    level: str | None = None
    department: str | None = None
    status: str | None = None
    district: str | None = None
    closes_on: date | None = None
    published_on: date | None = None
    boost: float = 1.0  # a prior ≥ 1 multiplying the score (e.g. open projects above closed ones)
    extra: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> bytes:
        data = asdict(self)
        data["topics"] = list(self.topics)
        for name in ("closes_on", "published_on"):
            data[name] = data[name].isoformat() if data[name] else None
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def day_number(day: date) -> int:
    return (day - _EPOCH).days


def _schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", tokenizer_name="raw", index_option="basic")
    for name in KEYWORD_FIELDS + ("topic",):
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_text_field("doc_number", tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:  # BM25 needs term frequencies; positions are not needed (no phrases)
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    sb.add_integer_field("closes_day", indexed=True, fast=True)
    sb.add_integer_field("published_day", fast=True)
    sb.add_float_field("rank_weight", fast=True)
    sb.add_bytes_field("payload", stored=True)
    return sb.build()


def _document(item: SearchItem):
    import tantivy

    doc = tantivy.Document()
    doc.add_text("id", item.id)
    for name in KEYWORD_FIELDS:
        value = getattr(item, name)
        if value:
            doc.add_text(name, value)
    for topic in item.topics:
        doc.add_text("topic", topic)
    number = analysis.doc_number(item.doc_number or "")
    if number:
        doc.add_text("doc_number", number)
    doc.add_text("t_title", " ".join(analysis.words(item.title)))
    doc.add_text("t_doc_number", " ".join(analysis.words(item.doc_number or "")))
    doc.add_text("t_topics", " ".join(analysis.words(" ".join(item.topics))))
    doc.add_text("t_body", " ".join(analysis.words(item.body)))
    doc.add_text("ngrams", " ".join(analysis.bigrams(f"{item.title}\n{item.body}")))
    if item.closes_on:
        doc.add_integer("closes_day", day_number(item.closes_on))
    if item.published_on:
        doc.add_integer("published_day", day_number(item.published_on))
    # tantivy multiplies the score by log2(2 + rank_weight): this value makes that factor `boost`.
    doc.add_float("rank_weight", max(0.0, 2.0 ** max(1.0, item.boost) - 2.0))
    doc.add_bytes("payload", item.payload())
    return doc


def build(items: Iterable[SearchItem], directory: Path) -> int:
    """Write a fresh index of `items` into `directory` (emptied first); the number of items."""
    import tantivy

    directory = Path(directory)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    index = tantivy.Index(_schema(), path=str(directory))
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    count = 0
    for item in items:
        writer.add_document(_document(item))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    (directory / "search-manifest.json").write_text(
        json.dumps({"format": FORMAT, "items": count}), encoding="utf-8")
    return count


def pack(directory: Path) -> bytes:
    """The index directory as one uncompressed tar, entries sorted (the same bytes for the same index)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(Path(directory).iterdir()):
            if path.is_file() and not path.name.startswith(".tantivy"):  # lock files stay behind
                info = tar.gettarinfo(str(path), arcname=path.name)
                info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
    return buffer.getvalue()


def unpack(data: bytes, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
        tar.extractall(directory, filter="data")


def object_key(name: str) -> str:
    return f"{KEY_PREFIX}{name}.tar"


# An index of ~27 MB takes longer to send than a form: a longer read timeout.
_s3 = ProcessCache("search.s3-client", lambda: bucket.new_client(read_timeout=10))


def save(name: str, items: Iterable[SearchItem]) -> str:
    """Build the index of `items` and put it in the bucket as `search/<name>.tar`; its ETag."""
    with tempfile.TemporaryDirectory(prefix=f"search-build-{name}-") as tmp:
        build(items, Path(tmp) / "index")
        data = pack(Path(tmp) / "index")
    answer = _s3.get().put_object(Bucket=get_settings().bucket_name, Key=object_key(name), Body=data,
                                  ContentType="application/x-tar")
    _opened.forget(name)  # this process searches the new one at once; others within CHECK_SECONDS
    return answer["ETag"]


class OpenIndex:
    """An opened index: its searcher and schema, the version it came from, and when that was checked."""

    def __init__(self, directory: Path, version: str) -> None:
        import tantivy

        self.directory = directory
        self.version = version
        self.index = tantivy.Index.open(str(directory))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()
        self.checked_at = time.monotonic()


def open_local(directory: Path, version: str = "local") -> OpenIndex:
    """An index built on this machine (tests, benchmarks, the local stack)."""
    return OpenIndex(Path(directory), version)


def _download(name: str) -> OpenIndex:
    answer = _s3.get().get_object(Bucket=get_settings().bucket_name, Key=object_key(name))
    version = answer["ETag"]
    target = Path(tempfile.gettempdir()) / f"search-{name}-{version.strip(chr(34))}"
    if not (target / "search-manifest.json").exists():  # a warm /tmp may hold it from a previous process
        partial = Path(tempfile.mkdtemp(prefix=f"search-{name}-", dir=tempfile.gettempdir()))
        unpack(answer["Body"].read(), partial)
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
    return OpenIndex(target, version)


_opened: KeyedCache[str, OpenIndex] = KeyedCache("search.indexes", _download, max_entries=8)
_check_lock = threading.Lock()


def open_index(name: str, version: str | None = None) -> OpenIndex:
    """The index `name` from the bucket, opened once per process and re-opened when it changes.

    With `version` (an ETag the caller read elsewhere) a different version is fetched at once and
    no HEAD is made; without it, one HeadObject at most every CHECK_SECONDS.
    """
    opened = _opened.get(name)
    if version is not None:
        if opened.version != version:
            _opened.forget(name)
            opened = _opened.get(name)
        return opened
    if time.monotonic() - opened.checked_at >= CHECK_SECONDS:
        with _check_lock:
            if time.monotonic() - opened.checked_at >= CHECK_SECONDS:
                head = _s3.get().head_object(Bucket=get_settings().bucket_name, Key=object_key(name))
                if head["ETag"] != opened.version:
                    _opened.forget(name)
                    return _opened.get(name)
                opened.checked_at = time.monotonic()
    return opened
