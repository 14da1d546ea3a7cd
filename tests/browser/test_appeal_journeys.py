"""The appeals platform's main journeys, end to end in real Chromium against one local stack.

An enterprise submits an appeal with an attachment; the unit's staff handle it through the action
panel; the enterprise confirms and rates it; a late appeal breaches its contact clock; an anonymous
reporter follows a report by receipt code. Every page visited is screenshotted at 1280×800 and
375×812 into build/screenshots/ (git-ignored), and axe runs on the submit, appeal, queue and receipt
pages.

The tests share one stack (module scope) and run in file order: the breach journey moves the
platform's clock forward, so it comes last.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.test_home_page import serious_violations
from tests.local.conftest import ROOT, running  # noqa: F401 - one stack for the module

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = ROOT / "build" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
TAX_TITLE = "留抵退税迟迟未到账"
TAX_CONTENT = "我司申请的增值税留抵退税至今未到账，请帮助查询办理进度。"


@pytest.fixture(autouse=True, scope="module")
def built_frontend():
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("frontend/dist is missing: build it with `make frontend`")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def sign_in(browser, running):
    """sign_in(user_id | None, path) → a page in its own context (its own tab's session), signed in
    through the sign-in page's demo users and then at `path`; None stays signed out."""
    contexts = []

    def open_as(user_id: str | None, path: str):
        context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if user_id is None:
            page.goto(running.url + path)
            return page
        page.goto(f"{running.url}/sign-in?redirect={path}")
        page.locator(f"[data-user-id={user_id}]").click()
        page.wait_for_url(re.compile(re.escape(running.url + path.split("?")[0]) + r"(\?.*)?$"))
        return page

    yield open_as
    for context in contexts:
        context.close()


def shoot(page, name: str) -> None:
    """The page as it is now, desktop and phone, into build/screenshots/."""
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    # Two frames for the new width to be laid out and painted: a shot taken at once showed some
    # Element Plus fields blank that the page itself shows (checked on a page opened at 375 px).
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def no_serious_violations(page) -> None:
    violations = serious_violations(page)
    assert violations == [], violations


def fill_new_appeal(page, category: str, title: str, content: str) -> None:
    page.locator(f"[data-testid=category-{category}]").check()
    page.locator("#appeal-title").fill(title)
    page.locator("#appeal-content").fill(content)


def choose_district(page, name: str) -> None:
    page.locator("[data-testid=district]").click()
    page.locator(".el-select-dropdown__item:visible", has_text=name).click()


def submit_tax_appeal(page, running, tmp_path, name: str, with_file: bool) -> dict[str, str]:
    """On /appeals/new as the enterprise: a help request about a tax refund; answers ticket and id."""
    page.wait_for_selector("[data-testid=category-help]")
    fill_new_appeal(page, "help", TAX_TITLE, TAX_CONTENT)
    page.locator("#appeal-contact-phone").fill("13805321234")
    if with_file:
        pdf = tmp_path / "退税申请表.pdf"
        pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
        page.locator("[data-testid=files]").set_input_files(str(pdf))
        page.locator("[data-testid=attachment-list] .el-progress.is-success").wait_for()
        assert "退税申请表.pdf" in page.locator("[data-testid=attachment-list]").inner_text()
    shoot(page, f"{name}-new-filled")
    with page.expect_response(lambda r: r.url.endswith("/api/appeals") and r.request.method == "POST") as answer:
        page.locator("[data-testid=submit]").click()
    assert answer.value.status == 201, answer.value.text()
    sent = answer.value.request.post_data_json
    assert len(sent["attachments"]) == (1 if with_file else 0), sent
    created = answer.value.json()
    page.locator("[data-testid=submitted]").wait_for()
    return {"ticket": created["ticket_no"], "id": created["id"]}


def act(page, action: str, fill=None) -> None:
    """Chooses `action` in the action panel, fills its form, submits and waits for the page to say it is done."""
    page.locator(f"[data-testid=action-{action}]").click()
    form = page.locator(f"[data-testid=form-{action}]")
    form.wait_for()
    if fill:
        fill(form)
    with page.expect_response(lambda r: f"/{action}" in r.url and r.request.method == "POST") as answer:
        form.locator("[data-testid=action-submit]").click()
    assert answer.value.ok, answer.value.text()
    page.locator("[data-testid=action-done]").wait_for()


def status_text(page) -> str:
    return page.locator(".appeal-view [data-testid=status]").inner_text().strip()


JOURNEY: dict[str, str] = {}


def test_an_enterprise_submits_a_tax_appeal_with_an_attachment(running, sign_in, tmp_path):
    page = sign_in("ent-zhengrixin", "/appeals/new")
    page.wait_for_selector("[data-testid=category-help]")
    no_serious_violations(page)
    shoot(page, "01-new-appeal")

    submitted = submit_tax_appeal(page, running, tmp_path, "01", with_file=True)

    done = page.locator("[data-testid=submitted]")
    assert re.fullmatch(r"\S+", submitted["ticket"])
    assert done.locator("[data-testid=ticket]").inner_text().strip() == submitted["ticket"]
    deadlines = done.locator("[data-testid=deadline]")
    assert deadlines.count() == 3
    text = done.inner_text()
    for clock in ("2小时内联系", "1个工作日内反馈", "15个工作日内办结"):
        assert clock in text
    assert page.locator("[data-testid=receipt-code]").count() == 0  # signed-in help: no receipt code
    shoot(page, "01-submitted")

    page.get_by_role("link", name="查看诉求").click()
    page.wait_for_selector(".appeal-view [data-testid=ticket]")
    assert page.locator(".appeal-view [data-testid=ticket]").inner_text().strip() == submitted["ticket"]
    assert "市税务局" in page.locator(".appeal-view").inner_text()  # auto-routed to unit-tax
    shoot(page, "01-appeal-enterprise")

    page.goto(running.url + "/appeals")
    page.wait_for_selector("[data-testid=appeal-item]")
    assert submitted["ticket"] in page.locator("main").inner_text()
    shoot(page, "01-my-appeals")
    JOURNEY.update(submitted)


def test_the_unit_handles_it_and_the_enterprise_confirms_and_rates_it(running, sign_in):
    assert JOURNEY, "needs the appeal of the submission journey"
    ticket = JOURNEY["ticket"]

    staff = sign_in("staff-tax", "/workbench/queue")
    row = staff.locator("[data-testid=queue-row]", has_text=ticket)
    row.wait_for()
    no_serious_violations(staff)
    shoot(staff, "02-unit-queue")
    row.get_by_role("link").click()
    staff.wait_for_selector("[data-testid=action-panel]")
    assert staff.locator(".appeal-view [data-testid=ticket]").inner_text().strip() == ticket
    no_serious_violations(staff)
    shoot(staff, "02-appeal-staff")
    # The enterprise's attachment is listed on the unit's page and downloads, through the appeal.
    attachments = staff.locator("[data-testid=attachments]")
    assert "退税申请表.pdf" in attachments.inner_text() and "PDF" in attachments.inner_text()
    with staff.expect_download() as download:
        attachments.get_by_role("button", name="下载 退税申请表.pdf").click()
    assert download.value.suggested_filename == "退税申请表.pdf"
    assert download.value.path().read_bytes() == b"%PDF-1.4\n%%EOF\n"

    if staff.locator("[data-testid=action-accept]").count():
        act(staff, "accept")

    def contact(form):
        form.locator("[data-testid=field-method]").click()
        staff.locator(".el-select-dropdown__item:visible", has_text="电话").click()
        form.locator("textarea").fill("已电话联系王敏，核实退税申请情况。")

    act(staff, "contact", contact)
    act(staff, "feedback", lambda form: form.locator("textarea").fill("已受理，正在与主管税务所核对退税审核进度。"))
    act(staff, "resolve", lambda form: form.locator("textarea").fill("留抵退税已审核通过，款项已退至企业账户。"))
    assert status_text(staff) == "已办理待确认"
    shoot(staff, "02-resolved-staff")

    enterprise = sign_in("ent-zhengrixin", f"/appeals/{JOURNEY['id']}")
    enterprise.wait_for_selector("[data-testid=action-confirm]")

    act(enterprise, "confirm", lambda form: form.locator("[data-testid=satisfied-yes]").check())

    def rate(form):
        for name in ("speed", "attitude", "outcome"):
            form.locator(f"[data-testid=rate-{name}] .el-rate__item").nth(4).click()
        form.locator("textarea").fill("办理及时，态度很好。")

    enterprise.wait_for_selector("[data-testid=action-rate]")
    act(enterprise, "rate", rate)

    assert status_text(enterprise) == "已办结"
    outcome = enterprise.locator(".appeal-view").inner_text()
    assert "留抵退税已审核通过" in outcome and "满意" in outcome
    shoot(enterprise, "02-closed-enterprise")


def test_an_anonymous_report_is_followed_by_its_receipt_code(running, sign_in):
    page = sign_in(None, "/appeals/new")
    page.wait_for_selector("[data-testid=signed-out-note]")
    kinds = page.locator("input[name=category]")
    assert sorted(kinds.nth(i).get_attribute("value") for i in range(kinds.count())) == ["business_environment_clue", "report"]
    assert page.locator("[data-testid=files]").count() == 0
    no_serious_violations(page)
    shoot(page, "03-new-report-signed-out")

    fill_new_appeal(page, "report", "某窗口工作人员索要好处费", "在办理开办登记时，窗口工作人员暗示需要另付费用才能加快办理。")
    choose_district(page, "市南区")
    assert page.locator("#appeal-contact-name").count() == 0  # anonymous: no contact asked
    with page.expect_response(lambda r: r.url.endswith("/api/appeals") and r.request.method == "POST") as answer:
        page.locator("[data-testid=submit]").click()
    assert answer.value.status == 201, answer.value.text()
    page.locator("[data-testid=receipt-code]").wait_for()
    code = page.locator(".receipt-code__code").inner_text().strip()
    ticket = page.locator("[data-testid=submitted] [data-testid=ticket]").inner_text().strip()
    assert code and code == answer.value.json()["receipt_code"]
    JOURNEY["report_id"] = answer.value.json()["id"]
    shoot(page, "03-report-submitted")

    page.get_by_role("link", name="凭回执码查询举报").click()
    page.wait_for_url(running.url + "/appeals/receipt")
    page.locator("#receipt-code").fill(code)
    page.locator("[data-testid=receipt-look]").click()
    page.wait_for_selector(".appeal-view [data-testid=ticket]")
    assert page.locator(".appeal-view [data-testid=ticket]").inner_text().strip() == ticket
    assert "某窗口工作人员索要好处费" in page.locator(".receipt-page__subject").inner_text()
    no_serious_violations(page)
    shoot(page, "03-receipt")


OTHER_PAGES = [
    ("home", None, "/", ".platform-card"),
    ("sign-in", None, "/sign-in", ".demo-user"),
    ("dispatch", "dispatcher-city", "/workbench/dispatch", "#dispatch-district"),
    ("stats", "supervisor-city", "/workbench/stats", "h1"),
    ("admin", "admin-city", "/workbench/admin", "h1"),
    ("reveal", "custodian-city", "/workbench/reveal/{report_id}", "[data-testid=audited]"),
    ("mailbox", "staff-tax", "/dev/mailbox", "[data-testid=mailbox-notices], .empty-state"),
    ("not-found", None, "/no/such/page", "h1"),
]


@pytest.mark.parametrize(("name", "user_id", "path", "ready"), OTHER_PAGES, ids=[p[0] for p in OTHER_PAGES])
def test_every_other_page_is_shot_and_has_no_serious_violation(running, sign_in, name, user_id, path, ready):
    if name == "mailbox":
        running.json("POST", "/api/dev/jobs/relay_outbox/run")  # the journeys' notices, delivered
    page = sign_in(user_id, path.format(**JOURNEY))
    page.locator(ready).first.wait_for()
    no_serious_violations(page)
    shoot(page, f"05-{name}")


def test_a_late_appeal_shows_breached_to_the_unit_and_the_supervisor(running, sign_in, tmp_path):
    page = sign_in("ent-zhengrixin", "/appeals/new")
    submitted = submit_tax_appeal(page, running, tmp_path, "04", with_file=False)

    moved = page.request.post(running.url + "/api/dev/clock", data={"advance_seconds": 3 * 3600})
    assert moved.ok, moved.text()
    swept = page.request.post(running.url + "/api/dev/jobs/sweep_clocks/run")
    assert swept.ok, swept.text()

    staff = sign_in("staff-tax", "/workbench/queue")
    row = staff.locator("[data-testid=queue-row]", has_text=submitted["ticket"])
    row.wait_for()
    countdown = row.locator("[data-testid=countdown]")
    assert countdown.get_attribute("data-level") == "breached"
    assert "countdown--breached" in countdown.get_attribute("class")
    assert countdown.evaluate("e => getComputedStyle(e).color") == "rgb(166, 27, 27)"  # #a61b1b
    assert "已超时" in countdown.inner_text()
    # counted on the platform's (moved) clock, not the browser's: due 2 hours after filing, 3 hours on
    shown = re.search(r"已超时\s*(?:(\d+)\s*小时)?\s*(\d+)\s*分", countdown.inner_text())
    assert shown, countdown.inner_text()
    overdue_minutes = int(shown.group(1) or 0) * 60 + int(shown.group(2))
    assert 55 <= overdue_minutes <= 70, countdown.inner_text()  # an hour over, give or take the test's own minutes
    shoot(staff, "04-unit-queue-breached")

    # The supervisor's view across units: the deadline in red, and from it the appeal to supervise.
    supervisor = sign_in("supervisor-city", "/workbench/supervision")
    row = supervisor.locator("[data-testid=supervision-row]", has_text=submitted["ticket"])
    row.wait_for()
    assert "2小时内联系" in row.inner_text() and "市税务局" in row.inner_text()
    assert row.locator("[data-testid=countdown]").get_attribute("data-level") == "breached"
    no_serious_violations(supervisor)
    shoot(supervisor, "04-supervision-breached")
    supervisor.locator("[data-testid=state-warned]").click()
    supervisor.get_by_text("目前没有即将超时的期限。").wait_for()
    supervisor.locator("[data-testid=state-breached]").click()
    row.get_by_role("link", name=TAX_TITLE).click()
    supervisor.wait_for_selector(".appeal-view [data-testid=ticket]")
    view = supervisor.locator(".appeal-view")
    assert view.locator(".el-tag", has_text="已超时").is_visible()
    assert view.locator("[data-testid=deadline].countdown--breached").count() >= 1
    no_serious_violations(supervisor)
    shoot(supervisor, "04-appeal-supervisor-breached")
    act(supervisor, "supervise", lambda form: form.locator("textarea").fill("请税务局今天内联系企业并反馈。"))
