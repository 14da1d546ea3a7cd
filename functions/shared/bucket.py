"""The stage's S3 bucket: one way to build a client for it (uploads, search indexes).

Built on first use, not at import (most requests never touch the bucket), s3v4-signed for presigned
forms and links, path-style against a local endpoint (moto on a loopback port has no bucket
subdomains), with short timeouts so a slow bucket fails fast.
"""
from __future__ import annotations

from typing import Any

from functions.settings import get_settings


def new_client(read_timeout: float = 5) -> Any:
    import boto3
    from botocore.config import Config

    settings = get_settings()
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": "path" if settings.aws_endpoint_url else "virtual"},
        connect_timeout=2, read_timeout=read_timeout, retries={"max_attempts": 2},
    )
    return boto3.client("s3", region_name=settings.region, endpoint_url=settings.aws_endpoint_url, config=config)
