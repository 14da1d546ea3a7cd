"""Deterministic zip files: the same inputs give byte-identical archives.

Entries are sorted by name, carry a fixed timestamp (1980-01-01, the zip epoch), normalised
permissions (0644, or 0755 when the source was executable), Unix as the creating system, and no
directory entries (Lambda does not need them). Python caches found in the input (`__pycache__/`,
`*.pyc`) are never copied.

With `bytecode=True` the archive also carries, for every `.py`, the bytecode Lambda's Python 3.11
would otherwise compile at every cold start (its /var/task and /opt are read-only, so it can
never cache it): `<dir>/__pycache__/<name>.cpython-311.pyc`, compiled by `py_compile` with
`PycInvalidationMode.UNCHECKED_HASH`. Such a .pyc holds a hash of its source instead of the
source's timestamp and size, and Python loads it without looking at the source, so the zip's
fixed timestamps do not matter and the bytes stay the same from build to build. It is compiled in
a fresh interpreter (`python -I`): marshal's output depends on reference counts in the process
that writes it, so compiling inside a build process that has imported who knows what would not be
reproducible.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Iterable, Iterator

FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
# The Lambda runtime the templates declare (python3.11): its bytecode's cache tag.
LAMBDA_CACHE_TAG = "cpython-311"
_FILE_MODE = 0o100644
_EXEC_MODE = 0o100755


def _skipped(name: str) -> bool:
    parts = name.split("/")
    return "__pycache__" in parts or name.endswith((".pyc", ".pyo"))


def _info(name: str, executable: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so external_attr carries the mode bits
    info.external_attr = (_EXEC_MODE if executable else _FILE_MODE) << 16
    return info


def write_zip(entries: Iterable[tuple[str, bytes, bool]], dest: Path) -> None:
    """Write (name, data, executable) entries, sorted by name, to `dest` atomically."""
    items = sorted(entries, key=lambda e: e[0])
    names = [name for name, _, _ in items]
    if len(names) != len(set(names)):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"duplicate zip entries: {dupes[:5]}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + f".tmp{os.getpid()}")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, data, executable in items:
            zf.writestr(_info(name, executable), data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    os.replace(tmp, dest)


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for filename in sorted(filenames):
            yield Path(dirpath) / filename


# Runs in a fresh `python -I`: {"root", "out", "names", "strict"} on stdin; compiles root/<name> to
# out/<name's __pycache__ path>; prints {"failed": {name: error}}; exits 1 if strict and any failed.
_COMPILE_SCRIPT = r"""
import importlib.util, json, os, py_compile, sys
job = json.load(sys.stdin)
failed = {}
for name in job["names"]:
    cfile = os.path.join(job["out"], importlib.util.cache_from_source(name))
    try:
        py_compile.compile(os.path.join(job["root"], name), cfile=cfile, dfile=name, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    except py_compile.PyCompileError as exc:
        failed[name] = exc.msg.strip().splitlines()[-1]
json.dump({"failed": failed}, sys.stdout)
sys.exit(1 if failed and job["strict"] else 0)
"""


def pyc_name(source_name: str) -> str:
    """functions/x.py -> functions/__pycache__/x.cpython-311.pyc"""
    directory, _, file_name = source_name.rpartition("/")
    return (directory + "/" if directory else "") + f"__pycache__/{file_name[:-3]}.{LAMBDA_CACHE_TAG}.pyc"


def compile_bytecode(root: Path, names: list[str], strict: bool = True) -> tuple[dict[str, bytes], dict[str, str]]:
    """Compile root/<name> for each `.py` name (relative, posix) for the Lambda runtime.

    Returns ({pyc entry name: bytes}, {source name: why it did not compile}). A source that does
    not compile stops the build when `strict` (the project's own code); otherwise it is left
    without bytecode (third-party files no import reaches, e.g. Python 2 leftovers) and reported.
    """
    if sys.implementation.cache_tag != LAMBDA_CACHE_TAG:
        raise RuntimeError(
            f"bytecode for Lambda's python3.11 needs Python 3.11 to compile it; this is {sys.implementation.cache_tag}"
        )
    names = sorted(names)
    if not names:
        return {}, {}
    with tempfile.TemporaryDirectory(prefix="pyc-") as out:
        job = {"root": str(root), "out": out, "names": names, "strict": strict}
        result = subprocess.run(
            [sys.executable, "-I", "-c", _COMPILE_SCRIPT], input=json.dumps(job), capture_output=True, text=True,
        )
        try:
            failed = json.loads(result.stdout)["failed"]
        except (ValueError, KeyError):
            raise RuntimeError(f"compiling bytecode failed:\n{result.stderr[-4000:]}") from None
        if result.returncode != 0:
            raise RuntimeError("these sources do not compile for Python 3.11:\n  "
                               + "\n  ".join(f"{name}: {why}" for name, why in sorted(failed.items())))
        compiled = {}
        for name in names:
            if name in failed:
                continue
            cfile = Path(out) / importlib.util.cache_from_source(name)
            compiled[pyc_name(name)] = cfile.read_bytes()
    return compiled, failed


def _with_bytecode(entries: list[tuple[str, bytes, bool]], strict: bool) -> tuple[list[tuple[str, bytes, bool]], dict[str, str]]:
    sources = [(name, data) for name, data, _ in entries if name.endswith(".py")]
    with tempfile.TemporaryDirectory(prefix="pysrc-") as tmp:
        for name, data in sources:
            path = Path(tmp) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        compiled, failed = compile_bytecode(Path(tmp), [name for name, _ in sources], strict=strict)
    return entries + [(name, data, False) for name, data in compiled.items()], failed


def zip_directory(src: Path, dest: Path, prefix: str = "", bytecode: bool = False, strict: bool = True,
                  extra: Iterable[tuple[str, bytes, bool]] = ()) -> dict[str, str]:
    """Zip every file under `src` (names relative to it, under `prefix`) deterministically, and the
    `extra` (name, data, executable) entries as given; with `bytecode`, add each .py's Python 3.11
    bytecode. Returns the sources that did not compile (only ever non-empty when not `strict`)."""
    entries = list(extra)
    for path in _walk(src):
        name = prefix + path.relative_to(src).as_posix()
        if _skipped(name):
            continue
        mode = path.stat().st_mode
        entries.append((name, path.read_bytes(), bool(mode & stat.S_IXUSR)))
    failed: dict[str, str] = {}
    if bytecode:
        entries, failed = _with_bytecode(entries, strict)
    write_zip(entries, dest)
    return failed


def normalize_zip(src: Path, dest: Path, bytecode: bool = False) -> None:
    """Rewrite an existing archive (e.g. Chalice's deployment.zip) deterministically; with
    `bytecode`, add each .py's Python 3.11 bytecode (every source must compile)."""
    entries = []
    with zipfile.ZipFile(src) as zf:
        for info in zf.infolist():
            if info.is_dir() or _skipped(info.filename):
                continue
            mode = info.external_attr >> 16
            entries.append((info.filename, zf.read(info), bool(mode & stat.S_IXUSR)))
    if bytecode:
        entries, _ = _with_bytecode(entries, strict=True)
    write_zip(entries, dest)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
