"""Cold import: what a Lambda cold start spends importing `app`, as whole fresh processes.

Each measurement is the wall time of `python -c "import app"` in a new process, alternated run by
run with its baseline, `import chalice, boto3, pynamodb, pydantic, jwt, jinja2` (the app's bare
dependencies), so both see the same machine noise; medians and their ratio are reported. Goal:
the app costs at most 1.15x its bare dependencies.

1. From the repo (cwd = repo root, the environment tests/conftest.py sets: STAGE=test, ...).
2. From the packaged function (dist/laoshan's deployment.zip + layer.zip unpacked as Lambda lays
   them out, the runtime's boto3 beside them, `python -I -S`), with the bytecode the build ships.
3. The same unpacked copy without its bytecode and unable to write any (`-B`): what every cold
   start paid before the build shipped .pyc files.

Then `python -X importtime -c "import app"` (repo, warm): the project's modules that cost most.

`python -m tests.bench.cold_import` prints the section; `make bench` adds it to BENCHMARKS.md.
"""
from __future__ import annotations

import ast
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

APP = "import app"
DEPENDENCIES = "import chalice, boto3, pynamodb, pydantic, jwt, jinja2"
RUNS = 15
RUNS_WITHOUT_BYTECODE = 7
PACKAGED_STAGE = "laoshan"
GOAL = 1.15


@dataclass
class Row:
    name: str
    baseline_name: str
    runs: int
    value: float  # median seconds
    baseline: float

    @property
    def ratio(self) -> float:
        return self.value / self.baseline


def test_environment() -> dict[str, str]:
    """The process environment with the variables tests/conftest.py sets (read from that file, so
    the two cannot drift), without a session token or endpoint."""
    tree = ast.parse((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"
                and ast.unparse(node.func.value) == "os.environ" and node.args):
            env = {**os.environ, **ast.literal_eval(node.args[0])}
            for name in ("AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "PYTHONDONTWRITEBYTECODE"):
                env.pop(name, None)
            return env
    raise RuntimeError("tests/conftest.py no longer sets its environment with os.environ.update({...})")


def _wall(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{argv} failed:\n{result.stderr[-3000:]}")
    return elapsed


def alternate(measured: list[str], baseline: list[str], cwd: Path, env: dict[str, str], runs: int) -> tuple[float, float]:
    """Medians of `runs` fresh processes each, measured and baseline alternated (after one warm-up each)."""
    _wall(measured, cwd, env)
    _wall(baseline, cwd, env)
    values, bases = [], []
    for _ in range(runs):
        values.append(_wall(measured, cwd, env))
        bases.append(_wall(baseline, cwd, env))
    return statistics.median(values), statistics.median(bases)


def _unpack_package(scratch: Path) -> tuple[Path, Path, dict[str, str]]:
    """Package one stage and lay its function zip and layer out as Lambda does (both in one
    directory here: /var/task and /opt/python are both on Lambda's sys.path)."""
    from infra import build
    from infra.stages import load_stages
    from tests.infra.test_package import _runtime_boto3
    from tests.support import unpack_function

    build.package([PACKAGED_STAGE], scratch / "dist", build_dir=scratch / "build", jobs=1,
                  layer_cache=ROOT / "build" / "layer")
    packaged = scratch / "dist" / PACKAGED_STAGE
    task = scratch / "task"
    unpack_function(packaged, task)
    return task, _runtime_boto3(), build.worker_env(load_stages()[PACKAGED_STAGE].env, "cn-north-1")


def _isolated(statement: str, task: Path, boto: Path, flags: tuple[str, ...] = ()) -> list[str]:
    code = f"import sys; sys.path[:0] = [{str(task)!r}, {str(boto)!r}]; {statement}"
    return [sys.executable, "-I", "-S", *flags, "-c", code]


def measure(runs: int = RUNS, packaged: bool = True) -> list[Row]:
    env = test_environment()
    rows = []
    app, deps = alternate([sys.executable, "-c", APP], [sys.executable, "-c", DEPENDENCIES], ROOT, env, runs)
    rows.append(Row("`import app` (repo)", "bare dependencies (repo)", runs, app, deps))
    if not packaged:
        return rows
    with tempfile.TemporaryDirectory(prefix="cold-import-") as tmp:
        task, boto, stage_env = _unpack_package(Path(tmp))
        app, deps = alternate(_isolated(APP, task, boto), _isolated(DEPENDENCIES, task, boto), task, stage_env, runs)
        rows.append(Row(f"`import app` (packaged {PACKAGED_STAGE}, shipped bytecode)", "bare dependencies (same)", runs, app, deps))
        bare = task.with_name("task-without-bytecode")
        shutil.copytree(task, bare, ignore=shutil.ignore_patterns("__pycache__"))
        without, with_pyc = alternate(_isolated(APP, bare, boto, ("-B",)), _isolated(APP, task, boto), task, stage_env,
                                      RUNS_WITHOUT_BYTECODE)
        rows.append(Row("`import app` (packaged, no bytecode: compiles every module)", "with the shipped bytecode",
                        RUNS_WITHOUT_BYTECODE, without, with_pyc))
    return rows


@dataclass
class ImportCost:
    module: str
    self_us: float
    cumulative_us: float


def import_costs(runs: int = 5, top: int = 10) -> list[ImportCost]:
    """`python -X importtime -c "import app"` (repo, bytecode cached): the project's modules
    (app, functions.*) by their own import time, medians of `runs`."""
    env = test_environment()
    subprocess.run([sys.executable, "-c", APP], cwd=ROOT, env=env, check=True, capture_output=True)  # warm caches
    samples: dict[str, list[tuple[int, int]]] = {}
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-X", "importtime", "-c", APP], cwd=ROOT, env=env,
                                capture_output=True, text=True, check=True)
        for line in result.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
            if name == "app" or name.startswith("functions"):
                samples.setdefault(name, []).append((int(own), int(cumulative)))
    costs = [ImportCost(name, statistics.median(s for s, _ in values), statistics.median(c for _, c in values))
             for name, values in samples.items()]
    return sorted(costs, key=lambda c: c.self_us, reverse=True)[:top]


def markdown(rows: list[Row], costs: list[ImportCost]) -> list[str]:
    lines = [
        "## Cold import (whole fresh processes)",
        "",
        f"Wall time of a new `python -c \"import app\"` process against its baseline, alternated run by run "
        f"(medians). Bare dependencies: `{DEPENDENCIES}`. Goal: ≤ {GOAL:.2f}× the bare dependencies.",
        "",
        "| measurement | baseline | runs | median | baseline median | ratio |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(f"| {r.name} | {r.baseline_name} | {r.runs} | {r.value * 1000:.0f} ms | {r.baseline * 1000:.0f} ms "
                     f"| {r.ratio:.2f}× |")
    lines += [
        "",
        "Project modules that cost most to import (`python -X importtime -c \"import app\"`, repo, medians of 5; "
        "self = the module's own body, cumulative = with everything it imported first):",
        "",
        "| module | self | cumulative |",
        "| --- | ---: | ---: |",
    ]
    for c in costs:
        lines.append(f"| `{c.module}` | {c.self_us / 1000:.1f} ms | {c.cumulative_us / 1000:.1f} ms |")
    return lines + [""]


if __name__ == "__main__":
    print("\n".join(markdown(measure(), import_costs())))
