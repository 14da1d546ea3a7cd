"""Packages stand on floors: `shared` at the bottom imports nothing above it, and no package imports
one that imports it back (read from the source, lazy imports inside functions included)."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "functions"
# What the ground floor may stand on: the stage's settings, read from the environment.
GROUND = {"shared": {"settings"}}


def node_of(module: str) -> str | None:
    """functions.appeals.service → appeals; functions.settings → settings."""
    parts = module.split(".")
    return parts[1] if parts[0] == "functions" and len(parts) > 1 else None


def import_graph() -> dict[str, dict[str, list[str]]]:
    """{package: {imported package: ["file:line", ...]}} for every import between packages."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        source = relative.parts[0] if len(relative.parts) > 1 else relative.stem
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names if node.module == "functions"]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                target = node_of(module)
                if target and target != source and target != "__init__":
                    graph[source][target].append(f"{relative}:{node.lineno}")
    return graph


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph.get(node, {})):
            if state.get(target) == "open":
                found.append(path[path.index(target):] + [target] if target in path else [node, target])
            elif target not in state:
                visit(target, path + [target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_package_imports_one_that_imports_it_back():
    graph = import_graph()
    loops = cycles(graph)
    where = [" → ".join(loop) + "  (" + ", ".join(graph[a][b][0] for a, b in zip(loop, loop[1:])) + ")" for loop in loops]
    assert loops == [], "\n".join(where)


def test_shared_is_the_ground_floor():
    graph = import_graph()
    for floor, allowed in GROUND.items():
        above = {target: places for target, places in graph[floor].items() if target not in allowed}
        assert above == {}, above


def test_the_detector_sees_a_loop():
    assert cycles({"a": {"b": ["x"]}, "b": {"c": ["y"]}, "c": {"a": ["z"]}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b": ["x"]}, "b": {}}) == []
