"""`.chalice/config.json`: the 12 stages, their divisions and their own tables and buckets."""
from __future__ import annotations

import json
from pathlib import Path

from infra.stages import REQUIRED_ENV, deployable_stages, load_config, load_stages, stage_env

ROOT = Path(__file__).absolute().parents[2]

DIVISIONS = {
    "city": "370200",
    "shinan": "370202",
    "shibei": "370203",
    "huangdao": "370211",
    "laoshan": "370212",
    "licang": "370213",
    "chengyang": "370214",
    "jimo": "370215",
    "jiaozhou": "370281",
    "pingdu": "370283",
    "laixi": "370285",
    "local": "370200",
}


def test_config_is_valid_json_with_the_app_name():
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    assert config["app_name"] == "qingdao-platform"
    assert config["version"] == "2.0"


def test_twelve_stages_with_their_division_codes():
    stages = load_stages()
    assert set(stages) == set(DIVISIONS)
    for name, code in DIVISIONS.items():
        env = stages[name].env
        assert env["DIVISION_CODE"] == code, name
        assert env["STAGE"] == name


def test_every_stage_sets_every_setting():
    config = load_config()
    for name in config["stages"]:
        env = stage_env(config, name)
        for key in REQUIRED_ENV:
            assert key in env, (name, key)
            assert isinstance(env[key], str), (name, key)


def test_table_prefixes_and_buckets_are_distinct():
    stages = load_stages()
    prefixes = [s.table_prefix for s in stages.values()]
    buckets = [s.bucket_name for s in stages.values()]
    assert len(set(prefixes)) == len(prefixes)
    assert len(set(buckets)) == len(buckets)
    for name, stage in stages.items():
        assert stage.table_prefix == f"qd-{name}"
        assert stage.bucket_name == f"qd-{name}-files"
        # No prefix may be a prefix of another stage's tables ("qd-ji" vs "qd-jimo-...").
        for other in stages.values():
            if other is not stage:
                assert not other.table_prefix.startswith(stage.table_prefix + "-")


def test_platforms_city_runs_finance_districts_do_not():
    stages = load_stages()
    assert set(stages["city"].platforms) == {"policy", "finance", "appeals"}
    assert set(stages["local"].platforms) == {"policy", "finance", "appeals"}
    for name, stage in stages.items():
        if name not in ("city", "local"):
            assert set(stage.platforms) == {"policy", "appeals"}, name


def test_identity_modes():
    stages = load_stages()
    assert stages["local"].env["IDENTITY_MODE"] == "dev"
    assert stages["local"].env["TABLE_PREFIX"] == "qd-local"
    assert stages["local"].env["BUCKET_NAME"] == "qd-local-files"
    for name, stage in stages.items():
        if name != "local":
            assert stage.env["IDENTITY_MODE"] == "cognito", name
            assert stage.env["COGNITO_USER_POOL_ID"], name
            assert stage.env["COGNITO_APP_CLIENT_IDS"], name


def test_packaging_settings():
    config = load_config()
    assert config["autogen_policy"] is False  # the build generates the policy
    assert config["api_gateway_endpoint_type"] == "REGIONAL"  # edge endpoints do not exist in aws-cn
    for name, stage in load_stages().items():
        assert stage.api_gateway_stage == "v1", name
    assert deployable_stages() == [name for name in DIVISIONS if name != "local"]
