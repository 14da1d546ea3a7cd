"""The page a person sees at / on the local stack, in real Chromium."""
from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_home_page_renders_chinese_and_reaches_the_api(stack_factory, page, tmp_path):
    stack = stack_factory()
    page.goto(stack.url + "/")
    assert page.title() == "青岛市服务企业统一平台"
    assert "平台已启动" in page.locator("#status").inner_text()
    # Chinese must render as glyphs, not boxes: the title's width with the CJK font is far wider
    # than the tofu fallback would measure for 10 characters at this size.
    width = page.evaluate("document.getElementById('title').getBoundingClientRect().width")
    assert width > 200
    page.screenshot(path=str(tmp_path / "home.png"))
    response = page.goto(stack.url + "/api/health")
    assert response.status == 200 and '"status": "ok"' in page.content()
