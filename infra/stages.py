"""The stages, as `.chalice/config.json` declares them (the one place they are written down)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).absolute().parent.parent
CONFIG_PATH = REPO / ".chalice" / "config.json"

# `local` runs under `chalice local` / the moto stack only. It has the dev identity mode (a
# built-in token issuer and dev endpoints) and must never become a CloudFormation stack.
LOCAL_ONLY_STAGES = ("local",)

# The AWS China (Beijing) region: Qingdao deploys into the aws-cn partition. Templates use
# ${AWS::Partition}/${AWS::URLSuffix}/${AWS::Region}, so they work in any partition.
DEFAULT_REGION = "cn-north-1"

REQUIRED_ENV = (
    "STAGE",
    "DIVISION_CODE",
    "TABLE_PREFIX",
    "BUCKET_NAME",
    "PLATFORMS",
    "IDENTITY_MODE",
    "COGNITO_USER_POOL_ID",
    "COGNITO_APP_CLIENT_IDS",
    "APP_VERSION",
)


@dataclass(frozen=True)
class Stage:
    name: str
    env: dict[str, str]
    api_gateway_stage: str

    @property
    def division_code(self) -> str:
        return self.env["DIVISION_CODE"]

    @property
    def table_prefix(self) -> str:
        return self.env["TABLE_PREFIX"]

    @property
    def bucket_name(self) -> str:
        return self.env["BUCKET_NAME"]

    @property
    def platforms(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.env["PLATFORMS"].split(",") if p.strip())

    @property
    def deployable(self) -> bool:
        return self.name not in LOCAL_ONLY_STAGES


def load_config(path: Path = CONFIG_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def stage_env(config: dict, name: str) -> dict[str, str]:
    """The merged environment Chalice gives a stage's functions (top level, then the stage)."""
    env = dict(config.get("environment_variables", {}))
    env.update(config["stages"][name].get("environment_variables", {}))
    return env


def load_stages(path: Path = CONFIG_PATH) -> dict[str, Stage]:
    config = load_config(path)
    stages = {}
    for name, stage_config in config["stages"].items():
        env = stage_env(config, name)
        missing = [key for key in REQUIRED_ENV if key not in env]
        if missing:
            raise ValueError(f"stage {name!r} lacks environment variables {missing}")
        api_stage = stage_config.get("api_gateway_stage", config.get("api_gateway_stage", "api"))
        stages[name] = Stage(name=name, env=env, api_gateway_stage=api_stage)
    return stages


def deployable_stages(path: Path = CONFIG_PATH) -> list[str]:
    return [name for name, stage in load_stages(path).items() if stage.deployable]
