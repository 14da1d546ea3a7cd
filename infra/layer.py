"""The third-party dependency layer: its pinned lock and its reproducible build.

Source of the runtime dependencies: `[project.dependencies]` in pyproject.toml when that exists,
otherwise `layers/requirements.in`. `python -m infra.build lock` compiles them with pip-compile
into `layers/requirements.txt` (exact pins plus sha256 hashes). The build installs that lock for
Lambda (manylinux2014 x86_64, CPython 3.11) into `python/` and zips it deterministically, with
every module's Python 3.11 bytecode (hash-based .pyc, see infra/ziputil.py). The
zip is cached under `build/layer/<key>/` where the key hashes the lock, the pinned build backend
(layers/build-constraints.txt) and the install options,
so a run builds the layer at most once and later runs reuse it.

boto3, botocore and their own dependencies are left out: the Lambda Python runtime has them
(and the function must use the runtime's, which match its SDK endpoints).

Besides `python/`, the layer carries the files of `LAYER_FILES`, taken from this machine's Debian
packages (never from git): the credit report's PDF font, /opt/fonts/wqy-microhei.ttc in Lambda
(functions/finance/reports/render.py). Their hashes are part of the layer's key.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from infra.stages import REPO
from infra.ziputil import sha256, zip_directory

LAYERS_DIR = REPO / "layers"
REQUIREMENTS_IN = LAYERS_DIR / "requirements.in"
LOCK = LAYERS_DIR / "requirements.txt"
BUILD_CONSTRAINTS = LAYERS_DIR / "build-constraints.txt"
PYPROJECT = REPO / "pyproject.toml"

LAMBDA_PYTHON = "3.11"
LAMBDA_PLATFORM = "manylinux2014_x86_64"
# The Lambda Python runtime ships these (boto3 and its closure); the layer must not shadow them.
RUNTIME_PROVIDED = (
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "python-dateutil",
    "six",
    "urllib3",
)
# --no-deps: the lock is complete (every transitive pin is in it), and it is what lets pip take
# the pure-Python sdist-only package (lunar-python publishes no wheel) next to the
# platform-restricted wheels; pip still prefers a wheel whenever the pinned version has one, and
# `verify_wheel_tags` rejects anything that is neither pure Python nor manylinux2014 cp311.
# --no-compile: pip's .pyc files embed timestamps; the layer's bytecode is compiled afterwards
# with hash-based invalidation instead (infra/ziputil.py), so the layer stays reproducible.
PIP_INSTALL_OPTIONS = (
    "--platform", LAMBDA_PLATFORM,
    "--implementation", "cp",
    "--python-version", LAMBDA_PYTHON,
    "--abi", "cp311",
    "--no-deps",
    "--no-compile",
    "--require-hashes",
    "--disable-pip-version-check",
    "--no-input",
    "--no-warn-script-location",
)
# Files shipped in the layer beside python/: name in the zip (lands under /opt in Lambda) → (the file
# on the build machine, the Debian package that installs it). WenQuanYi Micro Hei is Apache-2.0.
LAYER_FILES: dict[str, tuple[Path, str]] = {
    "fonts/wqy-microhei.ttc": (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), "fonts-wqy-microhei"),
}
# Bump to invalidate every cached layer when the build recipe itself changes.
LAYER_RECIPE_VERSION = "4"  # 3: ships Python 3.11 bytecode; 4: and the report font (LAYER_FILES)
LOCK_COMMAND = "python -m infra.build lock"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


_REQ_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(==\s*([^\s;\\]+))?")


def parse_requirement(line: str) -> tuple[str, str | None] | None:
    line = line.split("#", 1)[0].strip()
    if not line or line.startswith("-"):
        return None
    match = _REQ_RE.match(line)
    if not match:
        return None
    return _canonical(match.group(1)), match.group(4)


def pyproject_dependencies() -> list[str] | None:
    if not PYPROJECT.exists():
        return None
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    deps = data.get("project", {}).get("dependencies")
    return list(deps) if deps else None


def source_requirements() -> tuple[str, list[str]]:
    """(where from, requirement lines) of the runtime dependencies."""
    deps = pyproject_dependencies()
    if deps is not None:
        return "pyproject.toml [project.dependencies]", deps
    lines = [
        line.strip()
        for line in REQUIREMENTS_IN.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    return str(REQUIREMENTS_IN.relative_to(REPO)), lines


def lock() -> None:
    """Regenerate layers/requirements.txt with pip-compile (needs the package index)."""
    origin, deps = source_requirements()
    if origin.startswith("pyproject"):
        REQUIREMENTS_IN.write_text(
            "# Generated from pyproject.toml [project.dependencies] by "
            f"`{LOCK_COMMAND}`: edit pyproject.toml, not this file.\n"
            + "\n".join(deps)
            + "\n",
            encoding="utf-8",
        )
    cmd = [
        sys.executable, "-m", "piptools", "compile",
        "--quiet",
        "--generate-hashes",
        "--strip-extras",
        "--no-emit-index-url",
        "--no-emit-find-links",
        "--no-emit-trusted-host",
        "--newline", "lf",
        "--output-file", str(LOCK.relative_to(REPO)),
    ]
    for name in RUNTIME_PROVIDED:
        cmd += ["--unsafe-package", name]
    cmd.append(str(REQUIREMENTS_IN.relative_to(REPO)))
    env = dict(os.environ, CUSTOM_COMPILE_COMMAND=LOCK_COMMAND)
    subprocess.run(cmd, cwd=REPO, env=env, check=True)
    _explain_runtime_provided()
    problems = check_lock()
    if problems:
        raise RuntimeError("the new lock is not usable:\n  " + "\n  ".join(problems))


def _explain_runtime_provided() -> None:
    """Replace pip-compile's '--allow-unsafe' warning: leaving these out is the point."""
    text = LOCK.read_text(encoding="utf-8")
    marker = "\n# WARNING: The following packages were not pinned"
    if marker in text:
        head, tail = text.split(marker, 1)
        names = [line[2:].strip() for line in tail.splitlines() if line.startswith("# ") and " " not in line[2:].strip()]
        text = head + (
            "\n# Left out on purpose: the Lambda Python runtime provides these (boto3 and its closure),\n"
            "# and the layer is installed with --no-deps, so pip never asks for them:\n"
            + "".join(f"#   {name}\n" for name in names)
        )
        LOCK.write_text(text, encoding="utf-8")


def locked_pins(text: str | None = None) -> dict[str, str]:
    text = LOCK.read_text(encoding="utf-8") if text is None else text
    pins = {}
    for line in text.splitlines():
        if line.startswith((" ", "#")):
            continue
        parsed = parse_requirement(line)
        if parsed and parsed[1]:
            pins[parsed[0]] = parsed[1]
    return pins


def check_lock() -> list[str]:
    """Problems with the lock (stale against its source, runtime packages, missing hashes)."""
    problems = []
    if not LOCK.exists():
        return [f"{LOCK.relative_to(REPO)} is missing: run `{LOCK_COMMAND}`"]
    text = LOCK.read_text(encoding="utf-8")
    pins = locked_pins(text)
    origin, deps = source_requirements()
    for dep in deps:
        parsed = parse_requirement(dep)
        if parsed is None:
            continue
        name, version = parsed
        if name not in pins:
            problems.append(f"{name} (from {origin}) is not in the lock: run `{LOCK_COMMAND}`")
        elif version and pins[name] != version:
            problems.append(
                f"{name}: {origin} wants {version}, the lock pins {pins[name]}: run `{LOCK_COMMAND}`"
            )
    for name in RUNTIME_PROVIDED:
        if name in pins:
            problems.append(f"{name} is provided by the Lambda runtime and must not be in the lock")
    # Every requirement line must carry hashes (pip --require-hashes enforces it too).
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    for block in blocks:
        first = block.split("\n", 1)[0]
        if parse_requirement(first) and "--hash=sha256:" not in block:
            problems.append(f"no hash for {first.strip()}")
    return problems


def layer_files() -> list[tuple[str, bytes, bool]]:
    """(name in the zip, content, executable) of each of LAYER_FILES; a missing one stops the build."""
    found = []
    for name, (path, package) in sorted(LAYER_FILES.items()):
        if not path.is_file():
            raise RuntimeError(f"{path} is missing: the layer ships it as {name}. Install Debian's {package} "
                               f"(`apt-get install {package}`, or `make fonts`).")
        found.append((name, path.read_bytes(), False))
    return found


def layer_key() -> str:
    digest = hashlib.sha256()
    for name, content, _ in layer_files():
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    digest.update(LOCK.read_bytes())
    digest.update(BUILD_CONSTRAINTS.read_bytes())
    digest.update("\0".join(PIP_INSTALL_OPTIONS).encode())
    digest.update(LAYER_RECIPE_VERSION.encode())
    return digest.hexdigest()[:20]


def _supported_tags() -> set[str]:
    from packaging import tags

    platforms = [f"manylinux_2_{minor}_x86_64" for minor in range(17, 4, -1)]
    platforms += ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]
    supported = set()
    for tag in tags.cpython_tags(python_version=(3, 11), abis=["cp311", "abi3", "none"], platforms=platforms):
        supported.add(str(tag))
    for tag in tags.compatible_tags(python_version=(3, 11), interpreter="cp311", platforms=platforms):
        supported.add(str(tag))
    return supported


def verify_wheel_tags(site_dir: Path) -> None:
    """Every installed distribution must be pure Python or built for manylinux2014 cp311."""
    supported = _supported_tags()
    bad = []
    for wheel_file in sorted(site_dir.glob("*.dist-info/WHEEL")):
        tags_found = [
            line.split(":", 1)[1].strip()
            for line in wheel_file.read_text(encoding="utf-8").splitlines()
            if line.startswith("Tag:")
        ]
        if not any(tag in supported for tag in tags_found):
            bad.append(f"{wheel_file.parent.name}: {tags_found}")
    if bad:
        raise RuntimeError(
            "these distributions would not run on Lambda python3.11 x86_64 "
            "(a native package without a manylinux2014 wheel?):\n  " + "\n  ".join(bad)
        )


def pip_cache_dir(cache_root: Path) -> Path:
    """pip's cache for layer builds, apart from the user's: its built-wheel cache must only hold
    wheels built with the pinned backend (the key changes with build-constraints.txt)."""
    digest = hashlib.sha256(BUILD_CONSTRAINTS.read_bytes()).hexdigest()[:12]
    return cache_root / f"pip-cache-{digest}"


def install_layer_tree(dest: Path, pip_cache: Path) -> Path:
    """pip-install the lock for Lambda into dest/python and return that directory."""
    problems = check_lock()
    if problems:
        raise RuntimeError("the dependency lock is not usable:\n  " + "\n  ".join(problems))
    site_dir = dest / "python"
    cmd = [
        sys.executable, "-m", "pip", "install", "-qq",
        "--target", str(site_dir),
        "--cache-dir", str(pip_cache),
        *PIP_INSTALL_OPTIONS,
        "-r", str(LOCK),
    ]
    env = dict(os.environ, PIP_CONSTRAINT=str(BUILD_CONSTRAINTS))
    env.pop("PIP_NO_CACHE_DIR", None)
    subprocess.run(cmd, check=True, env=env)
    # Console scripts carry the build machine's interpreter path (so would make the layer differ
    # between checkouts) and never run in Lambda: drop them and their RECORD lines.
    shutil.rmtree(site_dir / "bin", ignore_errors=True)
    for record in site_dir.glob("*.dist-info/RECORD"):
        lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(("../../bin/", "bin/"))]
        if kept != lines:
            record.write_text("".join(kept), encoding="utf-8")
    verify_wheel_tags(site_dir)
    for name in RUNTIME_PROVIDED:
        module = name.replace("-", "_")
        if (site_dir / module).exists():
            raise RuntimeError(f"{name} ended up in the layer; it is the runtime's")
    return site_dir


def build_layer(cache_root: Path, force: bool = False, log=print, pip_cache: Path | None = None) -> Path:
    """The layer zip for the current lock, built once and cached as cache_root/<key>/layer.zip."""
    key = layer_key()
    cache = cache_root / key
    zip_path = cache / "layer.zip"
    if zip_path.exists() and not force:
        log(f"layer: reusing {zip_path}")
        return zip_path
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="layer-", dir=cache) as tmp:
        log("layer: installing layers/requirements.txt for Lambda (manylinux2014_x86_64, cp311)")
        site_dir = install_layer_tree(Path(tmp), pip_cache or pip_cache_dir(cache_root))
        # With each module's Python 3.11 bytecode: /opt is read-only in Lambda, so without it every
        # cold start compiles every third-party module it imports (infra/ziputil.py).
        not_compiled = zip_directory(site_dir, zip_path, prefix="python/", bytecode=True, strict=False,
                                     extra=layer_files())
    manifest = {
        "key": key,
        "lock_sha256": hashlib.sha256(LOCK.read_bytes()).hexdigest(),
        "zip_sha256": sha256(zip_path),
        "pins": locked_pins(),
        "files": {name: hashlib.sha256(content).hexdigest() for name, content, _ in layer_files()},
        "not_compiled": not_compiled,
    }
    (cache / "layer.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    log(f"layer: built {zip_path} sha256={manifest['zip_sha256'][:16]}"
        + (f" ({len(not_compiled)} source(s) without bytecode: do not compile for 3.11)" if not_compiled else ""))
    current_pip_cache = pip_cache_dir(cache_root).name
    for stale in cache_root.iterdir():  # layers of older locks, pip caches of older backends
        if not stale.is_dir() or stale.name in (key, current_pip_cache):
            continue
        if re.fullmatch(r"[0-9a-f]{20}|pip-cache-[0-9a-f]{12}", stale.name):
            shutil.rmtree(stale, ignore_errors=True)
    return zip_path
