"""The stage's bucket, where the policy search index is stored (the `aws` fixture makes tables only),
and the demo library (the shared `seeded` fixture leaves it out)."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def stage_bucket(aws):
    import boto3

    from functions.settings import get_settings

    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=get_settings().bucket_name)


@pytest.fixture(autouse=True)
def library(seeded, clock):
    from functions.policy.seed import seed

    return seed()
