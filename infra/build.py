"""Build CLI: `python -m infra.build {package,lint,lock,layer}` (see infra/README.md).

  package [--stage NAME ...]   dist/<stage>/{sam.json,deployment.zip,layer.zip,facts.json}
                               for every deployable stage (all but `local`) or the named ones
  lint    [--stage NAME ...]   cfn-lint every packaged template (run `package` first)
  lock                         regenerate layers/requirements.txt with pip-compile
  layer                        build (or reuse) the dependency layer zip only

Packaging is offline (no AWS credentials; the package index only for a layer not yet cached).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from infra import layer as layer_mod
from infra.stages import DEFAULT_REGION, LOCAL_ONLY_STAGES, REPO, deployable_stages, load_stages

DIST = REPO / "dist"
BUILD = REPO / "build"
CREDENTIAL_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
)
# Lint in the target region (China) and in a commercial one: the templates are partition-neutral.
LINT_REGIONS = ("cn-north-1", "us-east-1")
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".pytest_cache", ".mypy_cache")


def log(message: str) -> None:
    print(message, flush=True)


def stage_project(stage: str, build_dir: Path) -> Path:
    """A Chalice project for one stage under build/: app.py, vendor/functions, empty requirements.

    Chalice packages only app.py, chalicelib/ and vendor/ (whose content lands at the zip root,
    so `import functions` works in Lambda). requirements.txt is empty on purpose: third-party
    packages ship in the layer, never in the function zip. One project per stage lets the
    stages build in parallel without sharing Chalice's .chalice/deployments cache.
    """
    project = build_dir / "chalice" / stage
    shutil.rmtree(project, ignore_errors=True)
    (project / ".chalice").mkdir(parents=True)
    (project / "vendor").mkdir()
    shutil.copy2(REPO / "app.py", project / "app.py")
    shutil.copy2(REPO / ".chalice" / "config.json", project / ".chalice" / "config.json")
    (project / "requirements.txt").write_text("")
    shutil.copytree(REPO / "functions", project / "vendor" / "functions", ignore=_IGNORED)
    if (REPO / "chalicelib").is_dir():
        shutil.copytree(REPO / "chalicelib", project / "chalicelib", ignore=_IGNORED)
    return project


def worker_env(stage_env: dict[str, str], region: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CREDENTIAL_VARS}
    env.update(stage_env)
    env["AWS_DEFAULT_REGION"] = region
    env["AWS_REGION"] = region
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONPATH", None)
    return env


def package_stage(stage: str, out_dir: Path, build_dir: Path, layer_zip: Path, region: str) -> float:
    started = time.monotonic()
    stages = load_stages()
    project = stage_project(stage, build_dir)
    out = out_dir / stage
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    lock_sha = hashlib.sha256(layer_mod.LOCK.read_bytes()).hexdigest()
    cmd = [
        sys.executable, "-m", "infra.stage_worker",
        "--stage", stage, "--project", str(project), "--out", str(out), "--lock-sha256", lock_sha,
    ]
    result = subprocess.run(
        cmd, cwd=REPO, env=worker_env(stages[stage].env, region), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"packaging stage {stage} failed:\n{result.stdout[-4000:]}\n{result.stderr[-8000:]}"
        )
    try:  # the same bytes for every stage: a hard link saves 28 MB a stage
        os.link(layer_zip, out / "layer.zip")
    except OSError:
        shutil.copyfile(layer_zip, out / "layer.zip")
    return time.monotonic() - started


def select_stages(names: list[str] | None) -> list[str]:
    known = load_stages()
    if not names:
        return deployable_stages()
    for name in names:
        if name not in known:
            raise SystemExit(f"unknown stage {name!r}; known: {', '.join(known)}")
        if name in LOCAL_ONLY_STAGES:
            raise SystemExit(f"stage {name!r} is for `chalice local` only and is never packaged")
    return list(dict.fromkeys(names))


def package(stages: list[str], out_dir: Path, build_dir: Path = BUILD, jobs: int = 2,
            region: str = DEFAULT_REGION, rebuild_layer: bool = False,
            layer_cache: Path | None = None) -> dict[str, float]:
    """Package the stages into out_dir/<stage>/; returns each stage's packaging time."""
    started = time.monotonic()
    layer_zip = layer_mod.build_layer(layer_cache or build_dir / "layer", force=rebuild_layer, log=log)
    timings: dict[str, float] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {
            pool.submit(package_stage, stage, out_dir, build_dir, layer_zip, region): stage
            for stage in stages
        }
        errors = []
        for future in concurrent.futures.as_completed(futures):
            stage = futures[future]
            try:
                timings[stage] = future.result()
                log(f"package: {stage:<10} -> {out_dir / stage} ({timings[stage]:.1f}s)")
            except Exception as exc:  # report every failed stage, not just the first
                errors.append(str(exc))
    if errors:
        raise SystemExit("\n\n".join(errors))
    log(f"package: {len(stages)} stage(s) in {time.monotonic() - started:.1f}s")
    return timings


def lint(stages: list[str], out_dir: Path, regions: tuple[str, ...] = LINT_REGIONS) -> int:
    templates = []
    for stage in stages:
        template = out_dir / stage / "sam.json"
        if not template.exists():
            raise SystemExit(f"{template} is missing: run `python -m infra.build package` first")
        templates.append(str(template))
    cmd = [
        sys.executable, "-c", "import sys; from cfnlint.runner import main; sys.exit(main())",
        "--regions", *regions, "--", *templates,
    ]
    started = time.monotonic()
    result = subprocess.run(cmd, cwd=REPO)
    log(f"lint: {len(templates)} template(s), regions {', '.join(regions)}: "
        f"{'ok' if result.returncode == 0 else 'FAILED'} ({time.monotonic() - started:.1f}s)")
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.build", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_package = sub.add_parser("package", help="package stages into dist/<stage>/")
    p_lint = sub.add_parser("lint", help="cfn-lint the packaged templates")
    for p in (p_package, p_lint):
        p.add_argument("--stage", action="append", dest="stages", metavar="NAME",
                       help="a stage (repeatable); default: every deployable stage")
        p.add_argument("--out", type=Path, default=DIST, help="output directory (default dist/)")
    p_package.add_argument("--build-dir", type=Path, default=BUILD,
                           help="staging and cache directory (default build/)")
    p_package.add_argument("--jobs", type=int, default=os.cpu_count() or 2,
                           help="stages packaged in parallel (default: CPU count)")
    p_package.add_argument("--region", default=DEFAULT_REGION,
                           help=f"AWS_DEFAULT_REGION for chalice package (default {DEFAULT_REGION})")
    p_package.add_argument("--rebuild-layer", action="store_true",
                           help="rebuild the dependency layer even if it is cached")
    p_package.add_argument("--lint", action="store_true", help="run cfn-lint afterwards")
    sub.add_parser("lock", help="regenerate layers/requirements.txt (pip-compile)")
    p_layer = sub.add_parser("layer", help="build or reuse the dependency layer zip")
    p_layer.add_argument("--build-dir", type=Path, default=BUILD)
    p_layer.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)

    if args.command == "lock":
        layer_mod.lock()
        log(f"lock: wrote {layer_mod.LOCK.relative_to(REPO)}")
        return 0
    if args.command == "layer":
        path = layer_mod.build_layer(args.build_dir.absolute() / "layer", force=args.rebuild, log=log)
        print(path)
        return 0
    stages = select_stages(args.stages)
    out_dir = args.out.absolute()
    if args.command == "package":
        package(stages, out_dir, args.build_dir.absolute(), args.jobs, args.region, args.rebuild_layer)
        return lint(stages, out_dir) if args.lint else 0
    return lint(stages, out_dir)


if __name__ == "__main__":
    sys.exit(main())
