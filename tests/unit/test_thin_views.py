"""Views are thin: a routes module parses, calls a service, presents. It holds no table model (so it
cannot read or write one) and commits nothing: the route toolkit commits the caller's unit of work
once, and work that must follow the commit is registered on it (`uow.after_commit`)."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from pynamodb.models import Model

ROOT = Path(__file__).resolve().parents[2]
TOOLKIT = ROOT / "functions" / "api" / "routes.py"  # builds the routes; it is what commits
VIEWS = sorted(p for p in (ROOT / "functions").rglob("*.py") if p.name.endswith("routes.py") and p != TOOLKIT)


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


@pytest.mark.parametrize("path", VIEWS, ids=module_name)
def test_a_routes_module_holds_no_table_model(path):
    module = importlib.import_module(module_name(path))
    models = sorted(name for name, value in vars(module).items()
                    if isinstance(value, type) and issubclass(value, Model) and value is not Model)
    assert not models, f"{module.__name__} uses tables directly: {models}; ask a service"


@pytest.mark.parametrize("path", VIEWS, ids=module_name)
def test_a_routes_module_commits_nothing(path):
    commits = [f"{path.name}:{node.lineno}" for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit"]
    assert not commits, f"views commit: {commits}; register follow-up work with uow.after_commit"
