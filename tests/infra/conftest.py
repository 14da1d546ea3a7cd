"""Fixtures of the infra tests: one packaged stage (laoshan), built once per session.

The packaging runs the real build (`infra.build.package`) on the real repo into a temporary
directory; only the dependency layer is cached between runs, in build/layer/ (keyed on the lock).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).absolute().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from infra import build  # noqa: E402
from infra.stages import load_stages  # noqa: E402

STAGE = "laoshan"
LAYER_CACHE = ROOT / "build" / "layer"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds stacks or installs packages (seconds to a minute)")


def stage_subprocess_env(stage: str) -> dict[str, str]:
    """The environment a stage's functions get, without the test session's fake credentials."""
    return build.worker_env(load_stages()[stage].env, "cn-north-1")


@pytest.fixture(scope="session")
def packaged(tmp_path_factory) -> Path:
    """dist/laoshan of a fresh `package --stage laoshan`, in a temporary directory."""
    out = tmp_path_factory.mktemp("dist")
    staging = tmp_path_factory.mktemp("build")
    build.package([STAGE], out, build_dir=staging, jobs=1, layer_cache=LAYER_CACHE)
    return out / STAGE


@pytest.fixture(scope="session")
def template(packaged) -> dict:
    return json.loads((packaged / "sam.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def model_schemas() -> dict[str, dict]:
    """Each model's table name, schema (PynamoDB's `_get_schema()`) and TTL attribute, read from
    the repo's models under laoshan's environment in a separate process."""
    code = """
import json
from functions.tables import all_models
out = {}
for model in all_models():
    ttl = model._ttl_attribute()
    out[model.Meta.table_name] = {
        "model": model.__name__,
        "schema": model._get_schema(),
        "ttl": ttl.attr_name if ttl is not None else None,
    }
print(json.dumps(out))
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=stage_subprocess_env(STAGE),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
