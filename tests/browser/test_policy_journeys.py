"""The policy platform's main journeys, end to end in real Chromium against one local stack.

An enterprise in Laoshan (蓝海软件, a high-tech enterprise) searches from the home page, opens the
Laoshan high-tech bonus, sees that it qualifies with every condition met, and finds the project
among the eligible ones of its matches; a signed-out visitor finds a document by its 文号. Every page
visited is screenshotted at 1280×800 and 375×812 into build/screenshots/ (06-*), and axe runs on each.
"""
from __future__ import annotations

import pytest

from tests.browser.test_appeal_journeys import PHONE, SCREENSHOTS, no_serious_violations, shoot, sign_in  # noqa: F401
from tests.local.conftest import ROOT, running  # noqa: F401 - one stack for the module

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECT = "proj-laoshan-high-tech-bonus-2026"
DOC_NUMBER = "工信部企业〔2022〕63号"
DOCUMENT = "doc-nat-miit-2022-063"


@pytest.fixture(autouse=True, scope="module")
def built_frontend():
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("frontend/dist is missing: build it with `make frontend`")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True, scope="module")
def policy_index(running):
    """Search reads an index a job builds (503 until it has run once)."""
    status, answer = running.json("POST", "/api/dev/jobs/build_policy_index/run")
    assert status in (200, 202), answer


def fits_a_phone(page) -> None:
    """No sideways scrolling at 375 px, and text no smaller than 16 px."""
    page.set_viewport_size(PHONE)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    widths = page.evaluate("({page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth})")
    assert widths["page"] <= widths["view"], widths
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    page.set_viewport_size({"width": 1280, "height": 800})


def test_an_enterprise_searches_qualifies_and_finds_its_matches(running, sign_in):
    page = sign_in("ent-bluesea-soft", "/")
    search = page.locator("[data-testid=home-policy-search]")
    search.wait_for()
    no_serious_violations(page)
    shoot(page, "06-home-search")

    search.locator("input").fill("高新技术企业")
    search.locator("button[type=submit]").click()
    page.wait_for_url("**/policy?q=*")
    page.locator("[data-testid=hit]").first.wait_for()
    assert page.locator("[data-testid=hit] mark").count() > 0
    assert "高新技术企业" in page.locator("[data-testid=hit] mark").first.inner_text()
    assert page.locator("[data-testid=highlight] mark").count() > 0
    assert page.locator("[data-testid=filters] [data-facet=kind] a").count() > 0
    no_serious_violations(page)
    fits_a_phone(page)
    shoot(page, "06-search-results")

    # A facet narrows the search through the URL.
    page.locator("[data-facet=kind] a[data-value=project]").click()
    page.wait_for_url("**kind=project*")
    page.locator("[data-testid=hit]").first.wait_for()
    kinds = page.locator("[data-testid=hit]").evaluate_all("els => els.map(e => e.querySelector('a').getAttribute('href'))")
    assert all(href.startswith("/policy/projects/") for href in kinds), kinds

    page.goto(f"{running.url}/policy/projects/{PROJECT}")
    verdict = page.locator("[data-testid=verdict]")
    verdict.wait_for()
    assert page.locator("h1").inner_text() == "崂山区2026年高新技术企业叠加奖励"
    assert "¥100,000.00" in page.locator("[data-testid=amount]").inner_text()
    assert verdict.get_attribute("data-verdict") == "eligible", verdict.inner_text()
    assert "符合条件" in verdict.inner_text()
    conditions = page.locator("[data-testid=qualify] [data-testid=condition]")
    assert conditions.count() >= 2
    statuses = conditions.evaluate_all("els => els.map(e => e.dataset.status)")
    assert set(statuses) == {"met"}, statuses
    assert "已满足" in conditions.first.inner_text()
    no_serious_violations(page)
    fits_a_phone(page)
    shoot(page, "06-project-qualifies")

    page.locator("[data-testid=related-document] a").first.click()
    page.wait_for_url("**/policy/items/*")
    page.locator(".policy-item__body p").first.wait_for()
    no_serious_violations(page)
    fits_a_phone(page)
    shoot(page, "06-document")

    page.goto(f"{running.url}/policy/matches")
    page.locator("[data-testid=group-eligible]").wait_for()
    eligible = page.locator(f"[data-testid=group-eligible] [data-testid=match][data-id={PROJECT}]")
    assert eligible.count() == 1
    assert eligible.locator("a").get_attribute("href") == f"/policy/projects/{PROJECT}"
    no_serious_violations(page)
    fits_a_phone(page)
    shoot(page, "06-matches")

    page.locator("[data-testid=profile-link]").click()
    page.wait_for_url("**/enterprise/profile")
    page.locator("[data-testid=profile]").wait_for()
    assert "高新技术企业" in page.locator("[data-testid=profile] [data-field=certifications]").inner_text()
    no_serious_violations(page)
    fits_a_phone(page)
    shoot(page, "06-profile")


def test_a_visitor_finds_a_document_by_its_number(running, sign_in):
    page = sign_in(None, "/")
    search = page.locator("[data-testid=home-policy-search]")
    search.wait_for()
    search.locator("input").fill(DOC_NUMBER)
    search.locator("input").press("Enter")
    page.wait_for_url("**/policy?q=*")
    first = page.locator("[data-testid=hit]").first
    first.wait_for()
    assert first.get_attribute("data-id") == DOCUMENT
    assert DOC_NUMBER in first.inner_text()
    no_serious_violations(page)
    shoot(page, "06-search-doc-number")

    first.locator("h2 a").click()
    page.wait_for_url(f"**/policy/items/{DOCUMENT}")
    assert page.locator("[data-testid=doc-number]").inner_text() == DOC_NUMBER
    assert "工业和信息化部" in page.locator(".facts").inner_text()
    no_serious_violations(page)

    page.goto(f"{running.url}/policy/projects/{PROJECT}")
    sign_in_link = page.locator("[data-testid=qualify-sign-in]")
    sign_in_link.wait_for()
    assert page.locator("[data-testid=verdict]").count() == 0
    no_serious_violations(page)
    shoot(page, "06-project-signed-out")


def test_the_search_page_is_english_too(running, sign_in):
    page = sign_in(None, "/policy?q=高新技术企业")
    page.locator("[data-testid=hit]").first.wait_for()
    page.get_by_role("button", name="Switch to English").click()
    assert page.locator("h1").inner_text() == "Policy search"
    no_serious_violations(page)


def test_a_consultation_being_written_shows_the_policies_that_answer_it(running, sign_in):
    page = sign_in("ent-zhengrixin", "/appeals/new")
    page.locator("[data-testid=category-consultation]").check()
    page.locator("#appeal-title").fill("稳岗补贴怎么申请")
    page.locator("#appeal-content").fill("我们公司去年没有裁员，想了解稳岗返还需要什么条件。")
    answers = page.get_by_test_id("policy-answers")
    answers.wait_for()
    assert answers.locator("[data-answer=proj-qd-stable-jobs-2026]").count() == 1
    no_serious_violations(page)
    shoot(page, "06-consultation-answers")
    answers.locator("[data-answer=proj-qd-stable-jobs-2026] a").click()
    page.wait_for_url("**/policy/projects/proj-qd-stable-jobs-2026")
