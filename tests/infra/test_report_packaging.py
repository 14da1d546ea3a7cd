"""The credit report's PDF from the packaged stage alone: the function zip, the layer's python/ (reportlab,
Pillow, segno built for Lambda's glibc 2.26) and the layer's font, which Lambda puts in /opt/fonts/."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from infra import build
from infra.layer import LAYER_FILES
from infra.stages import load_stages
from tests.support import unpack_function

pytestmark = pytest.mark.slow
FONT = "fonts/wqy-microhei.ttc"


def test_the_layer_ships_the_report_font(packaged):
    assert FONT in LAYER_FILES
    with zipfile.ZipFile(packaged / "layer.zip") as zf:
        font = zf.read(FONT)
        names = zf.namelist()
    assert font == LAYER_FILES[FONT][0].read_bytes()
    for package in ("reportlab/", "PIL/", "segno/"):
        assert any(n.startswith("python/" + package) for n in names), package
    with zipfile.ZipFile(packaged / "deployment.zip") as zf:  # not in the function zip (nor in git)
        assert not [n for n in zf.namelist() if n.endswith((".ttc", ".ttf"))]


def test_the_packaged_function_renders_a_pdf_with_the_layer_font(packaged, tmp_path):
    task, opt = tmp_path / "task", tmp_path / "opt"
    task.mkdir()
    unpack_function(packaged, task)
    with zipfile.ZipFile(packaged / "layer.zip") as zf:
        zf.extract(FONT, opt)
    code = f"""
import sys
sys.path[:0] = [{str(task)!r}]
from datetime import date, datetime, timezone
import PIL, reportlab, segno
from PIL import Image  # Pillow's compiled core, from the manylinux2014 wheel
for module in (PIL, reportlab, segno):
    assert module.__file__.startswith({str(task)!r}), module.__file__
from functions.finance.reports import compose, render
report = compose.compose(report_no="CR-20261120-ABCDEFGHJK", generated_at=datetime(2026, 11, 20, tzinfo=timezone.utc),
                         uscc="91370202MA3C4R7K75", district={{"code": "370202"}}, fields={{}},
                         items=[compose.CreditItemRecord("honour", "honour#x", "信用中国", date(2026, 1, 1),
                                {{"title": "镕喆堃", "awarded_by": "市政府", "awarded_on": "2026-01-01"}})],
                         policy_funds=[], financing=[])
data = render.pdf(report, compose.sha256_of(report))
assert data.startswith(b"%PDF-") and b"/FontFile2" in data, data[:200]
assert str(render.font_path()).startswith({str(opt)!r})
page = render.html(report, compose.sha256_of(report))  # the template ships in the function zip
assert "镕喆堃" in page and "<svg" in page
print("ok", len(data))
"""
    env = build.worker_env(load_stages()["city"].env, "cn-north-1")
    env["CREDIT_REPORT_FONT"] = str(opt / FONT)  # where Lambda has it: /opt/fonts/wqy-microhei.ttc
    result = subprocess.run([sys.executable, "-I", "-S", "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-6000:]
    assert result.stdout.startswith("ok"), result.stdout


def test_pillow_stays_on_manylinux2014_wheels(tmp_path):
    """Pillow >= 12.3 ships only manylinux_2_28 wheels, which Lambda's python3.11 (glibc 2.26) cannot load:
    the lock keeps an older one, and the layer build refuses such a wheel should one slip in."""
    from packaging.version import Version

    from infra.layer import locked_pins, verify_wheel_tags

    assert Version(locked_pins()["pillow"]) < Version("12.3")
    newer = tmp_path / "pillow-12.3.0.dist-info"
    newer.mkdir()
    (newer / "WHEEL").write_text("Wheel-Version: 1.0\nTag: cp311-cp311-manylinux_2_28_x86_64\n")
    with pytest.raises(RuntimeError, match="pillow-12.3.0"):
        verify_wheel_tags(tmp_path)
