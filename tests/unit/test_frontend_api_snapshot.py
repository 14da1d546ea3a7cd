"""The front end's copies of the OpenAPI document and of the page vocabulary are the API's own.

The single-page app is typed against `frontend/src/api/openapi.json` (its `schema.d.ts` is generated
from that file on every build), so a route or schema changed here and not copied there would leave
the pages compiling against an API that no longer exists. `make api-types` copies the document and
regenerates the types; `UPDATE_API_SNAPSHOT=1` makes this test write the copies instead of comparing.

The vocabulary (`vocabulary.json`: districts and their names, the file types an upload may have, the
kinds of appeal in the form's order, the form's limits) is what each package's plugin declares
(`vocabulary=` in plugin.py); the page imports it rather than copying it by hand.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "frontend" / "src" / "api" / "openapi.json"
VOCABULARY = ROOT / "frontend" / "src" / "api" / "vocabulary.json"
REFRESH = "make api-types"
# The served document names the build (APP_VERSION); which build made the copy does not matter.
SNAPSHOT_VERSION = "snapshot"


def served_document() -> dict:
    """GET /api/openapi.json of the app as the tests' environment (tests/conftest.py) configures it."""
    from chalice.test import Client

    from app import app

    with Client(app) as client:
        response = client.http.get("/api/openapi.json")
    assert response.status_code == 200, response.body
    document = json.loads(response.body)
    document["info"]["version"] = SNAPSHOT_VERSION
    return document


def changed_paths(old: dict, new: dict) -> list[str]:
    """Which paths and component schemas differ, to name in the failure."""
    changes = []
    for section, old_items, new_items in (
        ("path", old.get("paths", {}), new.get("paths", {})),
        ("schema", old.get("components", {}).get("schemas", {}), new.get("components", {}).get("schemas", {})),
    ):
        for name in sorted(set(old_items) | set(new_items)):
            if name not in new_items:
                changes.append(f"{section} {name} removed")
            elif name not in old_items:
                changes.append(f"{section} {name} added")
            elif old_items[name] != new_items[name]:
                changes.append(f"{section} {name} changed")
    return changes


def test_frontend_openapi_snapshot_matches_the_api(clock):
    document = served_document()
    if os.environ.get("UPDATE_API_SNAPSHOT") == "1":
        SNAPSHOT.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    assert SNAPSHOT.is_file(), f"{SNAPSHOT.relative_to(ROOT)} is missing; create it with `{REFRESH}`"
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    if committed != document:
        changes = changed_paths(committed, document) or ["info, servers or security schemes changed"]
        listed = "\n  ".join(changes[:30]) + ("\n  ..." if len(changes) > 30 else "")
        raise AssertionError(
            f"{SNAPSHOT.relative_to(ROOT)} has drifted from the API's /api/openapi.json:\n  {listed}\n"
            f"Refresh it and the front end's types with `{REFRESH}`, then fix whatever the type-check "
            "(`cd frontend && npm run build`) reports."
        )


def test_frontend_vocabulary_snapshot_matches_the_plugins():
    from functions import platforms

    vocabulary = platforms.vocabulary()
    assert {"refdata", "files", "appeals"} <= set(vocabulary)
    if os.environ.get("UPDATE_API_SNAPSHOT") == "1":
        VOCABULARY.write_text(json.dumps(vocabulary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    assert VOCABULARY.is_file(), f"{VOCABULARY.relative_to(ROOT)} is missing; create it with `{REFRESH}`"
    committed = json.loads(VOCABULARY.read_text(encoding="utf-8"))
    drifted = sorted(name for name in set(committed) | set(vocabulary) if committed.get(name) != vocabulary.get(name))
    assert not drifted, (f"{VOCABULARY.relative_to(ROOT)} has drifted from the plugins' vocabularies ({', '.join(drifted)}): "
                         f"refresh it with `{REFRESH}`")
