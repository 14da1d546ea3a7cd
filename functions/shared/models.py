"""The base every PynamoDB model uses: table naming per stage, endpoint, short timeouts.

Models are the single source of truth of every table and index: the local stack creates tables
from them, and the infra build generates the CloudFormation tables and IAM policy from them.
"""
from __future__ import annotations

from functions.settings import get_settings

_settings = get_settings()


def table_name(name: str) -> str:
    return _settings.table_name(name)


class BaseMeta:
    """Shared `Meta` for every model: on-demand billing, short timeouts so a slow table fails fast."""

    region = _settings.region
    host = _settings.aws_endpoint_url
    billing_mode = "PAY_PER_REQUEST"
    connect_timeout_seconds = 2
    read_timeout_seconds = _settings.dynamodb_read_timeout_seconds
    max_retry_attempts = 2


def put_if_absent(item, key_attribute) -> bool:
    """Save `item` only if no item with its key exists: True if it was created, False if one was there.

    The idempotent write behind every seed and registration: running it twice creates nothing twice.
    """
    from pynamodb.exceptions import PutError

    try:
        item.save(key_attribute.does_not_exist())
        return True
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
