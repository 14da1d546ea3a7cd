"""The policy platform's main journeys, end to end in real Chromium against one local stack.

An enterprise in Laoshan (蓝海软件, a high-tech enterprise) searches from the home page, opens the
Laoshan high-tech bonus, sees that it qualifies with every condition met, and finds the project
among the eligible ones of its matches; a signed-out visitor finds a document by its 文号. Every page
visited is screenshotted at 1280×800 and 375×812 into build/screenshots/ (06-*), and axe runs on each.

Last (it moves the platform's clock): 蓝海软件 applies for the 高企首次认定奖励 with its certificate
attached; 市科技局 approves it at both stages, puts it on public notice, and after the window pays it
in two parts; the public notice page shows the award; the enterprise sees the money at the end of its
application's steps and rates the department.
"""
from __future__ import annotations

import pytest

from tests.browser.test_appeal_journeys import PHONE, SCREENSHOTS, act, no_serious_violations, shoot, sign_in  # noqa: F401
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


APPLY_PROJECT = "proj-qd-high-tech-first-2026"  # 市科技局: fixed ¥200,000, two review stages


def field(form, name: str):
    """An Element Plus input by its test id: the attribute lands on the <input> or on its wrapper."""
    return form.locator(f"input[data-testid=field-{name}], [data-testid=field-{name}] input").first


def steps_states(page) -> list[str]:
    page.locator("[data-testid=steps]").wait_for()
    return page.locator("[data-testid=step]").evaluate_all("els => els.map(e => e.dataset.state)")


def test_apply_review_notice_and_money(running, sign_in, tmp_path):
    # The enterprise applies from the project's page, with its certificate attached.
    page = sign_in("ent-bluesea-soft", f"/policy/projects/{APPLY_PROJECT}")
    page.locator("[data-testid=verdict][data-verdict=eligible]").wait_for()
    page.locator("[data-testid=apply-link]").click()
    page.locator("[data-testid=schema-form]").wait_for()
    no_serious_violations(page)
    fits_a_phone(page)
    shoot(page, "06-apply-form")
    page.locator("[data-testid=submit]").click()  # empty: the page says what is missing, sends nothing
    page.locator("[data-testid=error-contact]").wait_for()
    page.locator("[data-testid=input-contact]").fill("李娜")
    page.locator("[data-testid=input-phone]").fill("13912345678")
    page.locator("[data-testid=input-cert_no]").fill("GR202637020001")
    date = page.locator("[data-testid=schema-field-cert_date] input")
    date.fill("2026-10-28")
    date.press("Enter")
    page.locator("[data-testid=input-rd_expense]").fill("3200000")
    pdf = tmp_path / "高企证书.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.locator("[data-testid=apply-files-input]").set_input_files(str(pdf))
    page.locator("[data-testid=attachment-list] .el-progress.is-success").wait_for()
    with page.expect_response(lambda r: r.url.endswith("/applications") and r.request.method == "POST") as answer:
        page.locator("[data-testid=submit]").click()
    assert answer.value.status == 201, answer.value.text()
    app_id = answer.value.json()["id"]
    assert len(answer.value.request.post_data_json["attachments"]) == 1
    page.wait_for_url(f"**/applications/{app_id}*")
    assert steps_states(page) == ["done", "current", "waiting", "waiting", "waiting"]
    no_serious_violations(page)
    fits_a_phone(page)
    shoot(page, "06-application-submitted")

    # 市科技局 finds it in its review queue and approves it at both stages.
    staff = sign_in("staff-science", "/workbench/policy-reviews")
    staff.locator(f"a[href='/applications/{app_id}']").first.click()
    staff.wait_for_url(f"**/applications/{app_id}")
    staff.locator("[data-testid=action-approve]").wait_for()
    assert staff.locator("[data-testid=attachment-download]").count() == 1
    no_serious_violations(staff)
    shoot(staff, "06-application-review")
    for _ in range(2):
        act(staff, "approve", lambda form: field(form, "amount").fill("200000"))
        staff.wait_for_load_state("networkidle")
    view = running.json("GET", f"/api/applications/{app_id}", headers=_bearer(running, "ent-bluesea-soft"))[1]
    assert view["status"] == "approved" and view["approved_fen"] == 20_000_000, view

    # The department puts it on public notice.
    staff.goto(f"{running.url}/workbench/policy-projects/{APPLY_PROJECT}")
    row = staff.locator(f"[data-testid=application-row][data-id='{app_id}']")
    row.wait_for()
    row.locator("[data-testid=pick]").check()
    no_serious_violations(staff)
    shoot(staff, "06-department-project")
    with staff.expect_response(lambda r: r.url.endswith("/notices") and r.request.method == "POST") as answer:
        staff.locator("[data-testid=open-notice]").click()
    assert answer.value.status == 201, answer.value.text()
    notice_id = answer.value.json()["id"]
    staff.wait_for_url(f"**/notices/{notice_id}")
    staff.locator("[data-testid=award-row]").first.wait_for()

    # The window ends on the platform clock; the sweeper closes it and the award stands.
    status, _ = running.json("POST", "/api/dev/clock", {"advance_seconds": 10 * 86400})
    assert status == 200
    status, result = running.json("POST", "/api/dev/jobs/sweep_clocks/run")
    assert status == 200 and result["result"]["breached"] >= 1, result

    public = sign_in(None, f"/notices/{notice_id}")
    award = public.locator("[data-testid=award-row]")
    award.first.wait_for()
    assert "青岛蓝海智联软件有限公司" in award.first.inner_text() and "200,000.00" in award.first.inner_text()
    assert award.first.get_attribute("data-outcome") == "awarded"
    no_serious_violations(public)
    fits_a_phone(public)
    shoot(public, "06-public-notice")

    # The department pays in two parts (signed in again: the clock moved past its token).
    payer = sign_in("staff-science", f"/applications/{app_id}")
    today = running.json("GET", "/api/dev/clock")[1]["now"][:10]

    def payment(amount: str, voucher: str):
        def fill(form):
            field(form, "amount").fill(amount)
            picked = form.locator(".el-date-editor input").first  # the date picker's own input
            picked.fill(today)
            picked.press("Enter")
            field(form, "voucher_no").fill(voucher)
        return fill

    payer.locator("[data-testid=action-disburse]").wait_for()
    act(payer, "disburse", payment("50000", "QDKJ-2026-0001"))
    payer.wait_for_load_state("networkidle")
    act(payer, "disburse", payment("150000", "QDKJ-2026-0002"))
    payer.wait_for_load_state("networkidle")
    assert payer.locator("[data-testid=payments] tbody tr").count() == 2
    no_serious_violations(payer)
    shoot(payer, "06-application-paid")

    # The enterprise sees the money at the end of its steps, and rates the department.
    mine = sign_in("ent-bluesea-soft", f"/applications/{app_id}")
    assert steps_states(mine) == ["done"] * 5
    assert "200,000.00" in mine.locator("[data-testid=paid]").inner_text()
    mine.locator("[data-testid=action-rate]").click()
    form = mine.locator("[data-testid=form-rate]")
    form.locator("[data-testid=field-grade] .el-rate__item").nth(4).click()
    with mine.expect_response(lambda r: r.url.endswith("/rate") and r.request.method == "POST") as answer:
        form.locator("[data-testid=action-submit]").click()
    assert answer.value.ok and answer.value.json()["rating"]["grade"] == 5, answer.value.text()
    mine.locator("[data-testid=rating]").wait_for()
    no_serious_violations(mine)
    fits_a_phone(mine)
    shoot(mine, "06-application-money")


def _bearer(running, user_id: str) -> dict[str, str]:
    status, grant = running.json("POST", "/api/auth/dev-login", {"user_id": user_id})
    assert status == 200, grant
    return {"Authorization": f"Bearer {grant['access_token']}"}
