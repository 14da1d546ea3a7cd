"""Real Chromium (Debian's /usr/bin/chromium, never a downloaded browser) driven by Playwright."""
from __future__ import annotations

import shutil

import pytest

from tests.local.conftest import RunningStack, free_port, stack_factory  # noqa: F401 - fixtures reused

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags the closed network of CI needs: no background calls out, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()
