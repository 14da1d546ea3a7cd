"""The stage's SQS queues, by short name: sending a job's messages, and the rules every queue keeps.

A queue's name on a stage is `settings.queue_name(short)`; its dead-letter queue is that name with
`-dlq` (infra/resources.py makes both in AWS, infra/local/stack.py on the local stack). A message that
fails `MAX_RECEIVE_COUNT` times moves there, where an alarm sees it; a job that wants the failure
visible in the product too records it on its last attempt (`is_last_attempt`).
"""
from __future__ import annotations

import json
from typing import Any

from functions.shared.cache import KeyedCache, ProcessCache

MAX_RECEIVE_COUNT = 5  # receives before SQS moves a message to the dead-letter queue
DEAD_LETTER_SUFFIX = "-dlq"
SEND_BATCH = 10  # SendMessageBatch takes at most 10 entries


def _client() -> Any:
    import boto3
    from botocore.config import Config

    from functions.settings import get_settings

    settings = get_settings()
    return boto3.client("sqs", region_name=settings.region, endpoint_url=settings.aws_endpoint_url,
                        config=Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 2}))


_sqs = ProcessCache("queues.client", _client)
_urls = KeyedCache("queues.urls", lambda name: _sqs.get().get_queue_url(QueueName=name)["QueueUrl"], max_entries=64)


def stage_name(short: str) -> str:
    from functions.settings import get_settings

    return get_settings().queue_name(short)


def dead_letter_name(short: str) -> str:
    return stage_name(short) + DEAD_LETTER_SUFFIX


def send(short: str, messages: list[dict[str, Any]]) -> None:
    """Put these messages on the stage's queue `short` (SendMessageBatch, 10 at a time); raise if any is refused."""
    if not messages:
        return
    client, url = _sqs.get(), _urls.get(stage_name(short))
    for start in range(0, len(messages), SEND_BATCH):
        chunk = messages[start:start + SEND_BATCH]
        entries = [{"Id": str(i), "MessageBody": json.dumps(m, ensure_ascii=False, sort_keys=True)}
                   for i, m in enumerate(chunk)]
        answer = client.send_message_batch(QueueUrl=url, Entries=entries)
        if answer.get("Failed"):
            raise RuntimeError(f"the queue {short!r} refused {answer['Failed']}")


def is_last_attempt(record_attributes: dict[str, Any] | None) -> bool:
    """Whether this delivery of a message is its last before the dead-letter queue (SQS's
    ApproximateReceiveCount, given to the handler with the record)."""
    count = int((record_attributes or {}).get("ApproximateReceiveCount") or 1)
    return count >= MAX_RECEIVE_COUNT
