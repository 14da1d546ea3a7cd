"""Older readers and the phones enterprises use: text at 200 %, and WeChat's in-app browser.

Text at 200 % is what a reader gets from the browser's text-size setting: the root font size
doubles and everything sized in rem follows (Element Plus's sizes are set in rem for that, in
styles/base.css). WeChat's in-app browser on Android is a Chromium WebView (XWEB) that announces
itself in the user agent; there is no WeChat here, so its user agent, a 375 px viewport, touch and
the device's pixel ratio are what is tested, against real Chromium.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.test_home_page import serious_violations
from tests.local.conftest import ROOT, running  # noqa: F401 - one stack for the module

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = ROOT / "build" / "screenshots"

# WeChat 8.0 on Android 13, as its in-app browser sends it.
WECHAT_ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; V2183A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 "
    "MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"
)
DOUBLE_TEXT = "document.addEventListener('DOMContentLoaded', () => { document.documentElement.style.fontSize = '200%' })"


@pytest.fixture(autouse=True, scope="module")
def built_frontend():
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("frontend/dist is missing: build it with `make frontend`")


@pytest.fixture
def open_page(browser, running):
    """open_page(user_id | None, path, **context options) → a page signed in as the demo user (through
    the sign-in page), at `path`."""
    contexts = []

    def open_as(user_id, path, init_script=None, **options):
        context = browser.new_context(locale="zh-CN", **options)
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if user_id is None:
            page.goto(running.url + path)
        else:
            page.goto(f"{running.url}/sign-in?redirect={path}")
            page.locator(f"[data-user-id={user_id}]").click()
            page.wait_for_url(re.compile(re.escape(running.url + path.split("?")[0]) + r"(\?.*)?$"))
        page.wait_for_load_state("networkidle")
        return page

    yield open_as
    for context in contexts:
        context.close()


def sideways(page) -> dict:
    return page.evaluate("({page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth})")


def font_px(locator) -> float:
    return locator.evaluate("element => parseFloat(getComputedStyle(element).fontSize)")


def submit_an_appeal(page, title: str, content: str) -> str:
    page.locator("[data-testid=category-help]").check()
    page.locator("#appeal-title").fill(title)
    page.locator("#appeal-content").fill(content)
    page.locator("#appeal-contact-phone").fill("13805321234")
    with page.expect_response(lambda r: r.url.endswith("/api/appeals") and r.request.method == "POST") as answer:
        page.locator("[data-testid=submit]").click()
    assert answer.value.status == 201, answer.value.text()
    page.locator("[data-testid=submitted]").wait_for()  # the ticket and its deadlines
    return answer.value.json()["id"]


PAGES = [
    ("ent-zhengrixin", "/"),
    ("ent-zhengrixin", "/appeals/new"),
    ("ent-zhengrixin", "/appeals"),
    ("staff-tax", "/workbench/queue"),
    ("supervisor-city", "/workbench/stats"),
    ("admin-city", "/workbench/admin"),
    (None, "/sign-in"),
]


@pytest.mark.parametrize(("user_id", "path"), PAGES)
def test_text_at_200_percent_is_bigger_and_nothing_scrolls_sideways(open_page, user_id, path):
    page = open_page(user_id, path, init_script=DOUBLE_TEXT, viewport={"width": 1280, "height": 800})
    assert font_px(page.locator("body")) == 32
    page.locator("h1").first.wait_for()
    assert font_px(page.locator("h1").first) >= 48
    fields = page.locator(".el-input__inner, .el-select__placeholder, .el-radio__label")
    if fields.count():
        assert font_px(fields.first) >= 28, "Element Plus's text must follow the reader's size"
    widths = sideways(page)
    assert widths["page"] <= widths["view"], widths
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"text-200{path.rstrip('/').replace('/', '-') or '-home'}.png"), full_page=True)


def test_an_appeal_can_be_submitted_with_text_at_200_percent(open_page):
    page = open_page("ent-zhengrixin", "/appeals/new", init_script=DOUBLE_TEXT, viewport={"width": 1280, "height": 800})
    submit_an_appeal(page, "厂区门前道路破损影响货车进出", "厂区门前的市政道路破损严重，货车进出困难，请协调修复。")
    assert sideways(page)["page"] <= sideways(page)["view"]


def test_wechat_in_app_browser_on_a_phone(open_page):
    phone = {"user_agent": WECHAT_ANDROID, "viewport": {"width": 375, "height": 740}, "device_scale_factor": 3,
             "is_mobile": True, "has_touch": True}
    page = open_page(None, "/", **phone)
    assert page.evaluate("navigator.userAgent").endswith("ABI/arm64")
    page.locator(".platform-card").first.wait_for()
    assert sideways(page)["page"] <= 375
    page.close()
    page = open_page("ent-zhengrixin", "/appeals/new", **phone)
    assert sideways(page)["page"] <= 375
    # A tap, not a click: what a thumb does.
    page.locator("[data-testid=category-help]").tap()
    submit_an_appeal(page, "员工子女入学政策咨询", "我司引进的技术人才子女明年入学，想了解入学政策和办理材料。")
    assert sideways(page)["page"] <= 375
    page.screenshot(path=str(SCREENSHOTS / "wechat-submitted.png"), full_page=True)
    assert serious_violations(page) == []
