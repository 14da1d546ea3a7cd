"""Cold starts do not compile: the function zip and the layer carry every module's Python 3.11
bytecode (hash-based, unchecked: Lambda's code directories are read-only and the zips' timestamps
are fixed), and Python imports the app from an unpacked copy using that bytecode, writing nothing."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from infra.ziputil import LAMBDA_CACHE_TAG, compile_bytecode, pyc_name
from tests.infra.test_package import _runtime_boto3, resources_of, stage_subprocess_env
from tests.support import unpack_function

pytestmark = pytest.mark.slow

ROOT = Path(__file__).absolute().parents[2]
STAGE = "laoshan"
PYC_MAGIC_311 = (3495).to_bytes(2, "little") + b"\r\n"
UNCHECKED_HASH = (1).to_bytes(4, "little")  # pyc flags: hash-based, do not check the source


def test_the_function_zip_has_bytecode_for_app_and_every_module_of_functions(packaged):
    with zipfile.ZipFile(packaged / "deployment.zip") as zf:
        names = set(zf.namelist())
        sources = sorted(n for n in names if n.endswith(".py"))
        repo_sources = ["app.py"] + sorted(
            "functions/" + p.relative_to(ROOT / "functions").as_posix() for p in (ROOT / "functions").rglob("*.py")
            if "__pycache__" not in p.parts
        )
        assert set(repo_sources) <= set(sources)
        for source in sources:
            pyc = pyc_name(source)
            assert pyc.endswith(f".{LAMBDA_CACHE_TAG}.pyc") and pyc in names, source
            header = zf.read(pyc)[:16]
            assert header[:4] == PYC_MAGIC_311 and header[4:8] == UNCHECKED_HASH, source
        assert not [n for n in names if n.endswith(".pyc") and n not in {pyc_name(s) for s in sources}]


def test_bytecode_is_the_same_whoever_compiles_it(tmp_path):
    """Compiled twice in fresh interpreters (as the build does): the same bytes. The source's
    timestamp is not in them."""
    names = ["app.py", "functions/shared/clock.py", "functions/platform/jobs_runtime.py"]
    first, failed = compile_bytecode(ROOT, names)
    assert failed == {} and set(first) == {pyc_name(n) for n in names}
    copy = tmp_path / "copy"
    for name in names:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes((ROOT / name).read_bytes())
        os.utime(copy / name, (0, 0))
    second, _ = compile_bytecode(copy, names)
    assert first == second


def test_a_source_that_does_not_compile_stops_the_project_build_but_not_the_layer(tmp_path):
    (tmp_path / "good.py").write_text("x = 1\n")
    (tmp_path / "bad.py").write_text("print 'python 2'\n")
    with pytest.raises(RuntimeError, match="bad.py"):
        compile_bytecode(tmp_path, ["good.py", "bad.py"])
    compiled, failed = compile_bytecode(tmp_path, ["good.py", "bad.py"], strict=False)
    assert set(compiled) == {"__pycache__/good.cpython-311.pyc"} and set(failed) == {"bad.py"}


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")}


def _read_only(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def test_importing_the_unpacked_function_uses_its_bytecode_and_writes_nothing(packaged, template, tmp_path):
    task = tmp_path / "task"
    task.mkdir()
    unpack_function(packaged, task)
    boto_dir = _runtime_boto3()
    handlers = sorted(fn["Properties"]["Handler"] for fn in resources_of(template, "AWS::Serverless::Function").values())
    _read_only(task)  # as /var/task and /opt are (root may write anyway: the snapshot below is the check)
    before = _snapshot(task)
    code = f"""
import importlib, json, pkgutil, sys
sys.path[:0] = [{str(task)!r}, {str(boto_dir)!r}]
import app
import functions
for info in pkgutil.walk_packages(functions.__path__, "functions."):
    importlib.import_module(info.name)
for handler in {handlers!r}:
    importlib.import_module(handler.rpartition(".")[0])
ours = {{name: [module.__file__, getattr(module, "__cached__", None)] for name, module in list(sys.modules.items())
        if (getattr(module, "__file__", None) or "").startswith({str(task)!r}) and module.__file__.endswith(".py")}}
print(json.dumps(ours))
"""
    try:
        result = subprocess.run(
            [sys.executable, "-I", "-S", "-v", "-c", code], cwd=tmp_path, env=stage_subprocess_env(STAGE),
            capture_output=True, text=True,
        )
    finally:
        for path in [task, *task.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    assert result.returncode == 0, result.stderr[-6000:]
    modules = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"app", "functions.tables", "functions.platform.jobs_runtime", "chalice.app", "pynamodb", "pydantic", "jwt"} <= set(modules)
    verbose = result.stderr.splitlines()
    # python -v: "# <pyc> matches <source>" when it loads bytecode, "# code object from <source>"
    # when it compiles a source, "# created <pyc>" / "# could not create <pyc>" when it tries to cache.
    loaded_from_bytecode = {line.split(" matches ", 1)[1] for line in verbose if line.startswith("# ") and " matches " in line}
    compiled_from_source = [line for line in verbose if line.startswith(f"# code object from {task}")]
    # Only the package counts: the stand-in for the runtime's own boto3 (build/lambda-runtime) is
    # compiled on its first use on a fresh machine, as Lambda's runtime directory is compiled already.
    written = [line for line in verbose if line.startswith(("# created", "# could not create")) and str(task) in line]
    assert compiled_from_source == [] and written == []
    for name, (source, cached) in modules.items():
        assert cached == str(task / pyc_name(str(Path(source).relative_to(task)))), name
        assert source in loaded_from_bytecode, name
    assert _snapshot(task) == before  # no bytecode written next to the sources
