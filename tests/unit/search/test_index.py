"""The index as one S3 object: save, open lazily (once per process), re-open when it changes; and a
query makes no DynamoDB call."""
from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import boto3
import pytest

from functions.search import index as search_index
from functions.search.engine import search
from functions.search.index import SearchItem, object_key, open_index, save
from functions.settings import get_settings
from tests.unit.search.corpus import ITEMS, TODAY


@pytest.fixture
def bucket(aws):
    settings = get_settings()
    s3 = boto3.client("s3", region_name=settings.region)
    s3.create_bucket(Bucket=settings.bucket_name)
    return s3


def test_round_trip_through_s3(bucket):
    version = save("policy-test", ITEMS)
    stored = bucket.head_object(Bucket=get_settings().bucket_name, Key=object_key("policy-test"))
    assert stored["ETag"] == version and stored["ContentLength"] > 0
    opened = open_index("policy-test")
    assert opened.version == version and opened.searcher.num_docs == len(ITEMS)
    assert str(opened.directory).startswith(("/tmp", __import__("tempfile").gettempdir()))
    result = search("小巨人奖励", index_name="policy-test", today=TODAY)
    assert result.hits[0].id == "doc-giant"
    assert result.hits[0].item["doc_number"] == "青科规〔2025〕3号" and result.hits[0].item["topics"] == ["专精特新", "研发投入"]


def test_opened_once_and_checked_at_most_every_n_seconds(bucket, monkeypatch):
    save("policy-test", ITEMS)
    calls = []
    client = search_index._s3.get()
    original = client._make_api_call

    def counting(operation, params):
        calls.append(operation)
        return original(operation, params)

    monkeypatch.setattr(client, "_make_api_call", counting)
    first = open_index("policy-test")
    for _ in range(5):
        assert open_index("policy-test") is first
    assert calls == ["GetObject"]

    # Another process stores a new version: this one keeps its copy until CHECK_SECONDS have passed.
    changed = [dataclasses.replace(ITEMS[0], title="全新的标题：海洋牧场")] + ITEMS[1:]
    with tempfile.TemporaryDirectory() as tmp:
        search_index.build(changed, Path(tmp) / "index")
        data = search_index.pack(Path(tmp) / "index")
    new_version = original("PutObject", {"Bucket": get_settings().bucket_name, "Key": object_key("policy-test"),
                                         "Body": data})["ETag"]
    assert open_index("policy-test") is first  # inside CHECK_SECONDS: not asked
    first.checked_at -= search_index.CHECK_SECONDS
    reopened = open_index("policy-test")
    assert reopened is not first and reopened.version == new_version
    assert calls == ["GetObject", "HeadObject", "GetObject"]
    assert search("海洋牧场", index_name="policy-test", today=TODAY).hits[0].id == ITEMS[0].id


def test_a_save_in_this_process_is_searched_at_once(bucket):
    first = open_index("policy-test") if save("policy-test", ITEMS) else None
    save("policy-test", [dataclasses.replace(ITEMS[0], title="全新的标题：海洋牧场")] + ITEMS[1:])
    assert open_index("policy-test") is not first
    assert search("海洋牧场", index_name="policy-test", today=TODAY).hits[0].id == ITEMS[0].id


def test_a_version_given_by_the_caller_skips_the_head(bucket):
    v1 = save("policy-test", ITEMS)
    assert open_index("policy-test", version=v1).version == v1
    v2 = save("policy-test", ITEMS[:3])
    assert v2 != v1
    opened = open_index("policy-test", version=v2)
    assert opened.version == v2 and opened.searcher.num_docs == 3


def test_a_query_makes_no_dynamodb_call(bucket, dynamo_calls, clock):
    # `clock`: a fixed platform clock; a dev stage's movable clock reads its offset (one GetItem), as
    # every route's budget on a dev stage counts it.
    save("policy-test", ITEMS)
    dynamo_calls.reset()
    for query in ("小巨人奖励", "青科规[2025]3号", "", "留抵退税 首台套"):
        search(query, index_name="policy-test")  # today from the platform clock
    assert dynamo_calls.total == 0, dynamo_calls.by_operation


def test_item_payload_keeps_extra_fields():
    item = SearchItem(id="fin-1", kind="product", title="科技贷", extra={"bank": "青岛银行", "rate": 3.2})
    import json

    data = json.loads(item.payload())
    assert data["extra"] == {"bank": "青岛银行", "rate": 3.2} and data["closes_on"] is None
