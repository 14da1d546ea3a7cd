"""Every PynamoDB model the stage uses, in one list: those of the platforms it runs (functions/platforms.py).

The local stack creates these tables, the infra build generates the CloudFormation tables and the
IAM policy from them, and a test checks that nothing else is used.
"""
from __future__ import annotations


def all_models() -> list[type]:
    from functions import platforms

    return platforms.all_models()
