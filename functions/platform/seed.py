"""Loads the demo data of every platform the stage runs, once, idempotently.

Run by the local stack at every start (a second run creates nothing). Production stages load real
organisations through their admin tools instead; this is for local and dev stages. Each platform
declares its own seed in its plugin.py.
"""
from __future__ import annotations

from functions import platforms


def load_demo_data(skip: tuple[str, ...] = ()) -> dict[str, int]:
    return platforms.seed(skip)
