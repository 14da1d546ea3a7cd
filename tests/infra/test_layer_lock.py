"""The dependency lock (layers/requirements.txt) and the deterministic zips."""
from __future__ import annotations

import zipfile

from infra import layer
from infra.ziputil import sha256, zip_directory


def test_lock_matches_its_source():
    assert layer.check_lock() == []


def test_lock_pins_every_source_requirement_and_no_runtime_package():
    pins = layer.locked_pins()
    _, deps = layer.source_requirements()
    for dep in deps:
        name, version = layer.parse_requirement(dep)
        assert pins[name] == version, name
    for name in layer.RUNTIME_PROVIDED:
        assert name not in pins
    # The transitive closure is there too (PyJWT[crypto] -> cryptography -> cffi).
    assert {"cryptography", "cffi", "pydantic-core", "markupsafe"} <= set(pins)


def test_build_backend_is_pinned():
    pins = layer.locked_pins(layer.BUILD_CONSTRAINTS.read_text(encoding="utf-8"))
    assert {"setuptools", "wheel"} <= set(pins)


def test_install_options_target_lambda():
    options = " ".join(layer.PIP_INSTALL_OPTIONS)
    assert "--platform manylinux2014_x86_64" in options
    assert "--python-version 3.11" in options
    assert "--implementation cp" in options
    assert "--require-hashes" in options
    assert "--no-compile" in options


def test_wheel_tag_check_rejects_host_only_builds(tmp_path):
    good = tmp_path / "ok-1.0.dist-info"
    good.mkdir()
    (good / "WHEEL").write_text("Wheel-Version: 1.0\nTag: cp311-cp311-manylinux_2_17_x86_64\nTag: cp311-cp311-manylinux2014_x86_64\n")
    pure = tmp_path / "pure-1.0.dist-info"
    pure.mkdir()
    (pure / "WHEEL").write_text("Wheel-Version: 1.0\nTag: py3-none-any\n")
    layer.verify_wheel_tags(tmp_path)
    bad = tmp_path / "native-1.0.dist-info"
    bad.mkdir()
    (bad / "WHEEL").write_text("Wheel-Version: 1.0\nTag: cp311-cp311-linux_x86_64\n")
    try:
        layer.verify_wheel_tags(tmp_path)
    except RuntimeError as exc:
        assert "native-1.0" in str(exc)
    else:
        raise AssertionError("a linux_x86_64 wheel was accepted")


def test_zip_directory_is_deterministic(tmp_path):
    src = tmp_path / "src"
    (src / "pkg" / "__pycache__").mkdir(parents=True)
    (src / "pkg" / "b.py").write_text("B = 2\n")
    (src / "pkg" / "a.py").write_text("A = 1\n")
    (src / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"junk")
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    zip_directory(src, first, prefix="python/")
    # Touch the files: timestamps must not matter.
    for path in (src / "pkg").glob("*.py"):
        path.write_text(path.read_text())
    zip_directory(src, second, prefix="python/")
    assert sha256(first) == sha256(second)
    with zipfile.ZipFile(first) as zf:
        assert zf.namelist() == ["python/pkg/a.py", "python/pkg/b.py"]
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in zf.infolist())
