"""Helpers for tests (import as `from tests.support import ...`)."""
from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


# A tax matter of 青岛正日信 that the demo routing rules send to 市税务局 at once.
SAMPLE_APPEAL = {
    "category": "help",
    "title": "留抵退税迟迟未到账",
    "content": "我司今年3月申请的增值税留抵退税，至今未到账，影响资金周转，请税务部门帮助查询。",
    "district": "370202",
    "channel": "web",
    "contact": {"name": "王敏", "phone": "13805321234"},
}


def bearer(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


def json_headers(token: str | None = None, **extra: str) -> dict[str, str]:
    headers = {"Content-Type": "application/json", **extra}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def body(response) -> Any:
    return json.loads(response.body)


def assert_problem(response, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.body)
    assert response.headers["Content-Type"].startswith("application/problem+json"), response.headers
    problem = json.loads(response.body)
    assert problem["status"] == status
    assert problem["type"] and problem["title"] and problem["code"]
    if field is not None:
        fields = [error["field"] for error in problem.get("errors", [])]
        assert field in fields, fields
    return problem


@dataclass(frozen=True)
class Machine:
    """A non-person caller for tests of authenticators (what an API key or a channel names)."""

    sub: str
    role: str
    org_id: str
    district: str = "370200"


def unpack_function(packaged: Path, task: Path) -> None:
    """Lay a packaged stage's deployment.zip and layer.zip out as Lambda does: the function's code
    at the root, the layer's `python/` beside it."""
    with zipfile.ZipFile(packaged / "deployment.zip") as zf:
        zf.extractall(task)
    with zipfile.ZipFile(packaged / "layer.zip") as zf:
        for member in zf.namelist():
            if not member.startswith("python/"):  # the layer's other files (fonts/) land in /opt, not on the path
                continue
            target = task / member[len("python/"):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(member))
