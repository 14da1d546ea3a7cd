"""A department's staff edit and publish a policy, end to end in real Chromium against one local stack.

The tax bureau's staff member (staff-tax, 市税务局) opens the workbench's list of the department's
policies, opens a project, changes its title and publishes it; the versions panel then shows version
2 with the title's change before → after, and the public project page shows the new title. Every page
visited is screenshotted at 1280×800 and 375×812 into build/screenshots/ (07-*), and axe runs on each.
"""
from __future__ import annotations

import pytest

from tests.browser.test_appeal_journeys import SCREENSHOTS, no_serious_violations, shoot, sign_in  # noqa: F401
from tests.browser.test_policy_journeys import fits_a_phone
from tests.local.conftest import ROOT, running  # noqa: F401 - one stack for the module

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECT = "proj-qd-vat-refund"
OLD_TITLE = "增值税期末留抵退税"
NEW_TITLE = "增值税期末留抵退税（2026年修订）"


@pytest.fixture(autouse=True, scope="module")
def built_frontend():
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("frontend/dist is missing: build it with `make frontend`")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


def test_staff_edit_a_projects_title_publish_it_and_see_the_change_in_version_2(running, sign_in):
    page = sign_in("staff-tax", "/workbench/policies")
    row = page.locator(f"[data-testid=policy-row][data-id={PROJECT}]")
    row.wait_for()
    assert OLD_TITLE in row.inner_text() and "第 1 版" in row.inner_text()
    assert page.locator("[data-testid=policy-row]").count() >= 3  # the bureau's document and two projects
    assert page.locator(".workbench-nav a", has_text="本单位政策").count() == 1
    no_serious_violations(page)
    fits_a_phone(page)
    shoot(page, "07-policy-list")

    row.locator("a").click()
    page.wait_for_url(f"**/workbench/policies/{PROJECT}")
    title = page.locator("#policy-title")
    title.wait_for()
    assert title.input_value() == OLD_TITLE
    assert page.locator("[data-testid=version]").count() == 1
    no_serious_violations(page)
    fits_a_phone(page)
    shoot(page, "07-policy-editor")

    # A draft the API refuses: its error is shown beside the field it names (saved from the keyboard).
    title.fill("")
    saving = f"/api/policy-items/{PROJECT}/draft"
    with page.expect_response(lambda r: r.url.endswith(saving) and r.request.method == "PUT") as refused:
        page.locator("[data-testid=save]").press("Enter")
    assert refused.value.status == 422, refused.value.text()
    error = page.locator("[data-testid=error-title]")
    error.wait_for()
    assert title.get_attribute("aria-invalid") == "true"
    assert "policy-title-error" in title.get_attribute("aria-describedby")
    no_serious_violations(page)

    title.fill(NEW_TITLE)
    with page.expect_response(lambda r: r.url.endswith(f"/api/policy-items/{PROJECT}/publish")) as answer:
        page.locator("[data-testid=publish]").click()
    assert answer.value.status == 200, answer.value.text()
    note = page.locator("[data-testid=note]")
    note.wait_for()
    assert note.inner_text() == "已发布第 2 版。"

    latest = page.locator("[data-testid=version]").first
    assert latest.get_attribute("data-version") == "2"
    assert latest.get_attribute("open") is not None
    change = latest.locator("[data-testid=change][data-field=title]")
    assert change.locator("[data-testid=before]").inner_text().endswith(OLD_TITLE)
    assert change.locator("[data-testid=after]").inner_text().endswith(NEW_TITLE)
    assert latest.locator("[data-testid=change]").count() == 1  # only the title changed
    assert page.locator("h1").inner_text() == NEW_TITLE
    no_serious_violations(page)
    fits_a_phone(page)
    shoot(page, "07-policy-published")

    # Back on the list, the project reads as version 2 under its new title; the public page shows it too.
    page.locator(".policy-editor__back a").click()
    page.wait_for_url("**/workbench/policies")
    row.wait_for()
    assert NEW_TITLE in row.inner_text() and "第 2 版" in row.inner_text()
    page.goto(f"{running.url}/policy/projects/{PROJECT}")
    page.locator("h1", has_text=NEW_TITLE).wait_for()
