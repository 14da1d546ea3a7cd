"""The platforms this stage runs: the core every stage has, then the stage's `PLATFORMS` setting.

A platform is the package `functions/<name>` with a `plugin.py` declaring `PLUGIN`
(functions/shared/plugins.py). A name in `PLATFORMS` whose package does not exist yet (policy and
finance, before they are built) is listed by `unbuilt()` and otherwise skipped: the home page shows
only what runs. Platforms are found by name and imported on demand, so reading this module costs
nothing and it imports no platform package.
"""
from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from functions.settings import get_settings
from functions.shared.plugins import JobAccess, Plugin, resolve

# Every stage runs these, in this order (the order blueprints and tables are registered in).
CORE = ("shared", "refdata", "identity", "calendar", "notifications", "files", "enterprises", "platform")


def _declaration(name: str) -> Plugin | None:
    module = f"functions.{name}.plugin"
    try:
        found = importlib.util.find_spec(module)
    except ModuleNotFoundError:  # no package functions.<name> at all
        found = None
    if found is None:
        return None
    plugin = importlib.import_module(module).PLUGIN
    if plugin.name != name:
        raise ValueError(f"{module} declares {plugin.name!r}; its package is {name!r}")
    return plugin


def enabled(platforms: tuple[str, ...] | None = None) -> list[Plugin]:
    """The core and the stage's built platforms (or those named), in order."""
    names = CORE + tuple(p for p in (get_settings().platforms if platforms is None else platforms) if p not in CORE)
    found = [_declaration(name) for name in names]
    return [plugin for plugin in found if plugin is not None]


def unbuilt() -> list[str]:
    """Platforms the stage lists that have no package yet."""
    return [name for name in get_settings().platforms if name not in CORE and _declaration(name) is None]


def all_models() -> list[type]:
    return [model for plugin in enabled() for model in plugin.resolved_models()]


def blueprints() -> list:
    return [bp for plugin in enabled() for bp in plugin.resolved_blueprints()]


def clock_handlers() -> dict:
    handlers = {}
    for plugin in enabled():
        for kind, ref in plugin.clock_handlers.items():
            if kind in handlers:
                raise ValueError(f"two platforms handle clocks of {kind!r}")
            handlers[kind] = resolve(ref)
    return handlers


def notice_texts() -> dict[str, str]:
    texts: dict[str, str] = {}
    for plugin in enabled():
        texts.update(plugin.notice_texts())
    return texts


def vocabulary() -> dict[str, Any]:
    """The page's vocabulary: each enabled package's words and limits, under its name."""
    return {plugin.name: words for plugin in enabled() if (words := plugin.page_vocabulary()) is not None}


def job_access(platforms: tuple[str, ...] | None = None) -> dict[str, JobAccess]:
    """What each job touches, merged over the platforms that declare a part of it."""
    merged: dict[str, JobAccess] = {}
    for plugin in enabled(platforms):
        for job, access in plugin.job_access.items():
            merged[job] = merged[job].merged(access) if job in merged else access
    return merged


def seed(skip: tuple[str, ...] = ()) -> dict[str, int]:
    """Load every enabled platform's demo data (idempotent): {what: how many were created}. `skip`
    leaves some platforms' out (the tests load the policy library only where they read it)."""
    created: dict[str, int] = {}
    for plugin in (p for p in enabled() if p.name not in skip):
        for ref in plugin.seed:
            created.update(resolve(ref)())
    return created


def install() -> None:
    """Hand the floors below what the platforms bring: the sweeper its clock handlers, the
    notifications their texts. Called once per process at start-up (functions/platform/startup.py)."""
    from functions.calendar.sweeper import install_clock_handlers
    from functions.notifications.channels import install_texts

    install_clock_handlers(clock_handlers())
    install_texts(notice_texts())
