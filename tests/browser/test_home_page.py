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


def test_local_mailbox_page_shows_a_dispatch_notice(stack_factory, page):
    stack = stack_factory()
    status, grant = stack.json("POST", "/api/auth/dev-login", {"user_id": "ent-zhengrixin"})
    status, created = stack.json("POST", "/api/appeals", {
        "category": "help", "title": "留抵退税迟迟未到账", "content": "我司申请的增值税留抵退税至今未到账，请帮助查询。",
        "district": "370202", "channel": "web", "contact": {"name": "王敏", "phone": "13805321234"}},
        headers={"Authorization": f"Bearer {grant['access_token']}"})
    assert status == 201, created
    stack.json("POST", "/api/dev/jobs/relay_outbox/run")
    page.goto(stack.url + "/dev/mailbox?recipient=org:unit-tax")
    page.wait_for_selector("#rows tr")
    assert "appeal.dispatched" in page.locator("#rows").inner_text()
    assert created["ticket_no"] in page.locator("#rows").inner_text()
