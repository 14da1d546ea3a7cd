"""Deterministic zip files: the same inputs give byte-identical archives.

Entries are sorted by name, carry a fixed timestamp (1980-01-01, the zip epoch), normalised
permissions (0644, or 0755 when the source was executable), Unix as the creating system, and no
directory entries (Lambda does not need them). Python caches (`__pycache__/`, `*.pyc`) are
never written: they embed timestamps, and Lambda's /var/task and /opt are read-only anyway.
"""
from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from pathlib import Path
from typing import Iterable, Iterator

FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
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


def zip_directory(src: Path, dest: Path, prefix: str = "") -> None:
    """Zip every file under `src` (names relative to it, under `prefix`) deterministically."""
    entries = []
    for path in _walk(src):
        name = prefix + path.relative_to(src).as_posix()
        if _skipped(name):
            continue
        mode = path.stat().st_mode
        entries.append((name, path.read_bytes(), bool(mode & stat.S_IXUSR)))
    write_zip(entries, dest)


def normalize_zip(src: Path, dest: Path) -> None:
    """Rewrite an existing archive (e.g. Chalice's deployment.zip) deterministically."""
    entries = []
    with zipfile.ZipFile(src) as zf:
        for info in zf.infolist():
            if info.is_dir() or _skipped(info.filename):
                continue
            mode = info.external_attr >> 16
            entries.append((info.filename, zf.read(info), bool(mode & stat.S_IXUSR)))
    write_zip(entries, dest)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
