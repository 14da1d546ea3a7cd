"""The single-page app on the local stack (started as `make run` starts it), in real Chromium.

Needs frontend/dist (`make frontend`, which `make test` runs first).
"""
from __future__ import annotations

import pytest

from tests.local.conftest import ROOT, running  # noqa: F401 - one stack for the module

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLATFORM_NAME_ZH = "青岛市服务企业统一平台"
PLATFORM_NAME_EN = "Qingdao Enterprise Service Platform"
BRANDS = {"appeals": "青诉即办", "policy": "青岛政策通", "finance": "青融通"}


@pytest.fixture(autouse=True, scope="module")
def built_frontend():
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("frontend/dist is missing: build it with `make frontend`")


def open_home(page, stack):
    page.goto(stack.url + "/")
    page.wait_for_selector(".platform-card, .error-state, .empty-state")


def bearer(stack, user_id: str) -> dict[str, str]:
    status, grant = stack.json("POST", "/api/auth/dev-login", {"user_id": user_id})
    assert status == 200, grant
    return {"Authorization": f"Bearer {grant['access_token']}"}


def test_home_page_is_chinese_and_shows_only_the_built_platforms(running, page, tmp_path):
    status, listed = running.json("GET", "/api/platforms")
    assert status == 200, listed
    built = [p["name"] for p in listed["items"] if p["built"]]
    unbuilt = [p["name"] for p in listed["items"] if not p["built"]]
    # Every platform of the stage has its package now (finance is being built: its card links once its pages do).
    assert {"appeals", "policy", "finance"} <= set(built) and not unbuilt

    open_home(page, running)

    assert page.title() == PLATFORM_NAME_ZH
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.locator("h1").inner_text() == PLATFORM_NAME_ZH
    # Chinese must render as glyphs, not boxes: with the CJK font the heading is far wider than
    # the tofu fallback would measure for its 11 characters.
    assert page.evaluate("document.querySelector('h1').getBoundingClientRect().width") > 200
    cards = page.locator(".platform-card")
    assert [cards.nth(i).get_attribute("data-platform") for i in range(cards.count())] == [
        name for name in built if name in BRANDS
    ]
    appeals = page.locator(".platform-card[data-platform=appeals]")
    assert BRANDS["appeals"] in appeals.inner_text()
    assert appeals.locator("a").get_attribute("href") == "/appeals"
    policy = page.locator(".platform-card[data-platform=policy]")
    assert BRANDS["policy"] in policy.inner_text()
    assert policy.locator("a").get_attribute("href") == "/policy"
    assert page.locator("[data-testid=home-policy-search] input").is_visible()
    text = page.locator("main").inner_text()
    for name in unbuilt:
        assert BRANDS.get(name, name) not in text
    page.screenshot(path=str(tmp_path / "home.png"))


def test_switching_to_english_is_remembered(running, page):
    open_home(page, running)

    page.get_by_role("button", name="Switch to English").click()

    assert page.locator("h1").inner_text() == PLATFORM_NAME_EN
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title() == PLATFORM_NAME_EN
    page.reload()
    page.wait_for_selector(".platform-card")
    assert page.locator("h1").inner_text() == PLATFORM_NAME_EN
    page.get_by_role("button", name="切换到中文").click()
    assert page.locator("h1").inner_text() == PLATFORM_NAME_ZH


@pytest.mark.parametrize("path", ["/", "/sign-in"])
def test_fits_a_375_px_phone_without_sideways_scrolling(running, browser, path):
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        page.goto(running.url + path)
        page.wait_for_selector(".platform-card, .demo-user")
        widths = page.evaluate(
            "({page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth})"
        )
        assert widths["page"] <= widths["view"] == 375, widths
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
        assert serious_violations(page) == []
    finally:
        context.close()


def test_keyboard_reaches_the_content_first_and_focus_is_visible(running, page):
    open_home(page, running)

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("class") == "skip-link"
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.keyboard.press("Tab")  # the first link inside the main content
    outline = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); "
                            "return [s.outlineStyle, parseFloat(s.outlineWidth)] })()")
    assert outline[0] != "none" and outline[1] >= 2, outline


def test_an_enterprise_signs_in_and_sees_its_appeals(running, page):
    status, created = running.json("POST", "/api/appeals", {
        "category": "consultation", "title": "高新技术企业认定材料咨询", "content": "请问高新技术企业认定需要准备哪些研发费用材料？",
        "district": "370202", "channel": "web", "contact": {"name": "王敏", "phone": "13805321234"}},
        headers=bearer(running, "ent-zhengrixin"))
    assert status == 201, created

    page.goto(running.url + "/appeals")  # a deep link: the stack answers with the app, the app asks to sign in
    page.wait_for_selector(".demo-user")
    assert "/sign-in?redirect=" in page.url
    page.locator("[data-user-id=ent-zhengrixin]").click()

    page.wait_for_selector("[data-testid=appeal-item]")
    assert page.url == running.url + "/appeals"
    assert "王敏" in page.locator("[data-testid=current-user]").inner_text()
    assert "企业" in page.locator("[data-testid=current-user]").inner_text()
    ticket = created["ticket_no"]
    item = page.locator("[data-testid=appeal-item]", has_text=ticket)
    assert "高新技术企业认定材料咨询" in item.inner_text()
    status_words = {"pending_dispatch": "待分派", "dispatched": "已分派", "in_progress": "办理中"}
    assert status_words[created["status"]] in item.inner_text()
    assert serious_violations(page) == []

    page.reload()  # the token is kept for the tab
    page.wait_for_selector("[data-testid=appeal-item]")
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(running.url + "/")
    assert page.get_by_role("link", name="登录").first.is_visible()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (WCAG 2.x A and AA rules)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[(n['target'], n['html'][:160]) for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_home_page_has_no_serious_accessibility_violations(running, page, language):
    open_home(page, running)
    if language == "en":
        page.get_by_role("button", name="Switch to English").click()
    assert serious_violations(page) == []


def test_local_mailbox_page_shows_a_dispatch_notice(running, page):
    status, created = running.json("POST", "/api/appeals", {
        "category": "help", "title": "留抵退税迟迟未到账", "content": "我司申请的增值税留抵退税至今未到账，请帮助查询。",
        "district": "370202", "channel": "web", "contact": {"name": "王敏", "phone": "13805321234"}},
        headers=bearer(running, "ent-zhengrixin"))
    assert status == 201, created
    running.json("POST", "/api/dev/jobs/relay_outbox/run")
    open_home(page, running)
    page.get_by_test_id("mailbox-link").click()  # the footer links it on a stage with a dev clock
    page.wait_for_url("**/dev/mailbox")
    page.goto(running.url + "/dev/mailbox?recipient=org:unit-tax")
    notices = page.get_by_test_id("mailbox-notices")
    notices.locator("li").first.wait_for()
    text = notices.inner_text()
    # What the SMS would have said, in its words, with the ticket number.
    assert "appeal.dispatched" in text and f"诉求 {created['ticket_no']}「留抵退税迟迟未到账」已分派至贵单位" in text
    notices.get_by_role("link", name="查看诉求").first.click()
    page.wait_for_url(f"**/appeals/{created['id']}")
    # Another recipient, typed on the page: an address nobody wrote to.
    page.goto(running.url + "/dev/mailbox")
    page.get_by_label("收件人").fill("org:nobody")
    page.get_by_role("button", name="查看").click()
    page.get_by_text("这个收件人还没有收到通知。").wait_for()
    assert "recipient=org%3Anobody" in page.url or "recipient=org:nobody" in page.url
    assert serious_violations(page) == []
