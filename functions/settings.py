"""The stage's settings, read once from the environment that `.chalice/config.json` sets.

Every stage (the city, each district, `local`) differs only in these values; code never
branches on a stage name, only on the capabilities named here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    stage: str
    division_code: str
    table_prefix: str
    bucket_name: str
    platforms: tuple[str, ...]
    region: str
    # dev: the built-in issuer signs people's tokens and the dev endpoints exist;
    # cognito: people's tokens come from the user pool below and the dev endpoints answer 404.
    identity_mode: str
    cognito_user_pool_id: str
    cognito_app_client_ids: tuple[str, ...]
    # Set only for the local stack and tests: where the moto server listens.
    aws_endpoint_url: str | None
    version: str
    # Days an enterprise has to confirm a resolved appeal before it closes itself.
    appeal_auto_close_days: int = 7
    # The secret CloudFront adds as X-Origin-Verify; only with it is X-Forwarded-For believed.
    origin_verify_secret: str = ""
    # How long a DynamoDB call may take before the SDK gives up: short on AWS, so a slow table
    # fails fast; longer for the local stack, where one process plays DynamoDB for everyone.
    dynamodb_read_timeout_seconds: float = 5.0

    @property
    def dev_features(self) -> bool:
        return self.identity_mode == "dev"

    @property
    def issuer(self) -> str:
        """The platform's own issuer (bank client-credential tokens, and people in dev mode)."""
        return f"urn:qingdao-platform:{self.stage}"

    def table_name(self, name: str) -> str:
        return f"{self.table_prefix}-{name}"

    def queue_name(self, name: str) -> str:
        return f"{self.table_prefix}-{name}"


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    env = os.environ
    stage = env.get("STAGE", "local")
    return Settings(
        stage=stage,
        division_code=env.get("DIVISION_CODE", "370200"),
        table_prefix=env.get("TABLE_PREFIX", f"qd-{stage}"),
        bucket_name=env.get("BUCKET_NAME", f"qd-{stage}-files"),
        platforms=_split(env.get("PLATFORMS", "policy,finance,appeals")),
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
        identity_mode=env.get("IDENTITY_MODE", "dev"),
        cognito_user_pool_id=env.get("COGNITO_USER_POOL_ID", ""),
        cognito_app_client_ids=_split(env.get("COGNITO_APP_CLIENT_IDS", "")),
        aws_endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
        version=env.get("APP_VERSION", "dev"),
        appeal_auto_close_days=int(env.get("APPEAL_AUTO_CLOSE_DAYS", "7")),
        origin_verify_secret=env.get("ORIGIN_VERIFY_SECRET", ""),
        dynamodb_read_timeout_seconds=float(env.get("DYNAMODB_READ_TIMEOUT_SECONDS", "5")),
    )
