"""The financing platform's main journey, end to end in real Chromium against one local stack.

An enterprise (正日新, ent-zhengrixin) posts a financing demand through 发布融资需求 and finds it in
我的融资需求; a bank's API client (青岛农商银行, client credentials over HTTP) polls the feed, claims the
demand with an Idempotency-Key and records `contacted`; the enterprise sees on its demand's page who
claimed it and grants that bank consent from the page's shortcut; the bank reads the credit report
(403 before the consent, 200 under it); 授权与查询记录 shows the bank's read, and the enterprise revokes
the consent there (the bank's next read is 403 again). Last, the enterprise downloads its own report's
PDF: its link over the QR code is the report's verification address, which a browser follows (303) to
the verification page, saying the report was issued and its SHA-256 matches.

Every page visited is screenshotted at 1280×800 and 375×812 into build/screenshots/ (07-finance-*),
checked by axe (no serious or critical violation) and for sideways scrolling at 375 px.
"""
from __future__ import annotations

import re
import urllib.parse

import pytest

from tests.browser.test_appeal_journeys import SCREENSHOTS, no_serious_violations, shoot, sign_in  # noqa: F401
from tests.browser.test_policy_journeys import fits_a_phone
from tests.local.conftest import ROOT, running  # noqa: F401 - one stack for the module
from tests.local.test_finance_http import client_token, keyed

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ENTERPRISE = "ent-zhengrixin"
USCC = "91370202MA3C4R7K75"
CLIENT = "bank-qrcb-client"
BANK = "bank-qrcb"
BANK_NAME = "青岛农商银行"
PURPOSE = "采购注塑模具，扩充新能源汽车零部件产能"
HEX64 = re.compile(r"^[0-9a-f]{64}$")


@pytest.fixture(autouse=True, scope="module")
def built_frontend():
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("frontend/dist is missing: build it with `make frontend`")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


def checked(page, name: str) -> None:
    """axe, the phone's width and the screenshots, on the page as it is now."""
    no_serious_violations(page)
    fits_a_phone(page)
    shoot(page, f"07-finance-{name}")


def find_in_feed(running, auth: dict[str, str], demand_id: str) -> dict:
    """Polls the bank feed from its start, page after page, until the demand turns up."""
    cursor = None
    for _ in range(50):
        path = "/api/bank/v1/demands" + (f"?cursor={quote(cursor)}" if cursor else "")
        status, page = running.json("GET", path, headers=auth)
        assert status == 200, page
        found = [d for d in page["items"] if d["id"] == demand_id]
        if found:
            return found[0]
        if not page["items"] or not page.get("next_cursor") or page["next_cursor"] == cursor:
            break
        cursor = page["next_cursor"]
    pytest.fail(f"demand {demand_id} is not in {CLIENT}'s feed")


def quote(text: str) -> str:
    return urllib.parse.quote(text, safe="")


def posted_to(path: str):
    """For expect_response: a POST whose URL ends with `path`."""
    return lambda response: response.url.endswith(path) and response.request.method == "POST"


def link_annotations(pdf: bytes) -> list[tuple[str, list[float]]]:
    """Every URI link annotation of the PDF as (URI, Rect). reportlab writes each as its own uncompressed
    object: `<< /A << /S /URI /Type /Action /URI (http://…) >> /Border [ 0 0 0 ] /Rect [ x0 y0 x1 y1 ]
    /Subtype /Link /Type /Annot >>`."""
    links = []
    for body in re.split(rb"\bendobj\b", pdf):
        uri = re.search(rb"/URI\s*\(((?:\\.|[^\\)])*)\)", body, re.S)
        if not uri or not re.search(rb"/Subtype\s*/Link\b", body):
            continue
        rect = re.search(rb"/Rect\s*\[([^\]]*)\]", body)
        text = re.sub(rb"\\(.)", rb"\1", uri.group(1)).decode("latin-1")
        links.append((text, [float(n) for n in rect.group(1).split()] if rect else []))
    return links


def test_a_demand_claimed_read_under_consent_and_a_verified_report(running, sign_in):
    # 1. The enterprise posts a demand from 我的融资需求 → 发布融资需求.
    page = sign_in(ENTERPRISE, "/")
    page.locator("[data-testid=finance-demands-link]").click()
    page.wait_for_url("**/finance/demands")
    page.locator("[data-testid=new-demand]").click()
    page.wait_for_url("**/finance/demands/new")
    page.locator("#fd-amount_fen").wait_for()
    checked(page, "new-demand")
    page.locator("[data-testid=submit]").click()  # empty: the page says what is missing and sends nothing
    page.locator("#fd-amount_fen-error").wait_for()
    page.locator("#fd-amount_fen").fill("800000")
    page.locator("#fd-term_months").fill("24")
    page.locator("#fd-purpose").fill(PURPOSE)
    page.locator("[data-testid=guarantee]").click()
    page.locator(".el-select-dropdown__item:visible", has_text="抵押").click()
    with page.expect_response(posted_to("/api/finance/demands")) as answer:
        page.locator("[data-testid=submit]").click()
    assert answer.value.status == 201, answer.value.text()
    sent = answer.value.request.post_data_json
    assert sent["amount_fen"] == 80_000_000 and sent["term_months"] == 24 and sent["guarantee"] == "mortgage", sent
    assert sent["purpose"] == PURPOSE and sent["source_channel"] == "platform", sent
    demand_id = answer.value.json()["id"]
    page.wait_for_url(f"**/finance/demands/{demand_id}")
    page.locator("[data-testid=status]").wait_for()
    assert page.locator("[data-testid=status]").inner_text().strip() == "待接单"
    assert "¥800,000.00" in page.locator("[data-testid=amount]").inner_text()
    assert page.locator("[data-testid=event]").count() == 1

    page.locator("[data-testid=back]").click()
    page.wait_for_url("**/finance/demands")
    mine = page.locator("[data-testid=demand-item]", has=page.locator(f"a[href='/finance/demands/{demand_id}']"))
    mine.wait_for()
    assert PURPOSE in mine.inner_text() and "¥800,000.00" in mine.locator("[data-testid=amount]").inner_text()
    assert mine.locator("[data-testid=status]").inner_text().strip() == "待接单"
    checked(page, "my-demands")

    # 2. The bank's client takes a token, finds the demand in the feed, claims it and records contact.
    bank = client_token(running, CLIENT)
    masked = find_in_feed(running, bank, demand_id)
    assert masked["amount_fen"] == 80_000_000 and masked["term_months"] == 24, masked
    claim = keyed(bank)
    status, claimed = running.json("POST", f"/api/bank/v1/demands/{demand_id}/claim", headers=claim)
    assert status == 200, claimed
    # The same key again: the same answer, not a second claim.
    again = running.json("POST", f"/api/bank/v1/demands/{demand_id}/claim", headers=claim)
    assert again == (200, claimed)
    status, contacted = running.json("POST", f"/api/bank/v1/demands/{demand_id}/outcomes",
                                     {"status": "contacted"}, keyed(bank))
    assert status == 200 and contacted["status"] == "contacted", contacted
    report_path = f"/api/bank/v1/demands/{demand_id}/credit-report"
    status, refused = running.json("GET", report_path, headers=bank)
    assert status == 403, refused  # no consent yet

    # 3. The enterprise sees who claimed it, and consents from the demand's page.
    page.locator(f"a[href='/finance/demands/{demand_id}']").click()
    page.wait_for_url(f"**/finance/demands/{demand_id}")
    page.locator("[data-testid=consent]").wait_for()
    assert page.locator("[data-testid=claimed-by]").inner_text() == BANK_NAME
    events = page.locator("[data-testid=event]").all_inner_texts()
    assert any(f"{BANK_NAME}已接单" in e for e in events), events
    assert any(f"{BANK_NAME}已与您联系" in e for e in events), events
    assert BANK_NAME in page.locator("#consent-text").inner_text()
    checked(page, "demand-claimed")
    with page.expect_response(posted_to("/api/finance/consents")) as answer:
        page.locator("[data-testid=consent]").click()
    assert answer.value.status == 201, answer.value.text()
    consent = answer.value.json()
    assert consent["institution_id"] == BANK and consent["demand_id"] == demand_id and consent["live"], consent
    given = page.locator("[data-testid=consent-given]")
    given.wait_for()
    assert BANK_NAME in given.inner_text()
    checked(page, "demand-consented")

    # 4. The bank reads the credit report under the consent.
    status, report = running.json("GET", report_path, headers=bank)
    assert status == 200, report
    assert report["report"]["subject"]["uscc"] == USCC and HEX64.match(report["sha256"]), report.keys()
    verified = running.json("GET", f"/api/credit-reports/{report['report_no']}/verify?sha256={report['sha256']}")
    assert verified[0] == 200 and verified[1]["issued"] and verified[1]["sha256_matches"] is True, verified

    # 5. 授权与查询记录: the bank's read is in the log; the enterprise revokes the consent.
    page.locator("[data-testid=finance-consents-link]").click()
    page.wait_for_url("**/finance/consents")
    read = page.locator("[data-testid=log-item].log-item--data_read")
    read.first.wait_for()
    assert read.count() == 1
    assert BANK_NAME in read.first.inner_text() and demand_id in read.first.inner_text(), read.first.inner_text()
    assert "企业信用报告" in read.first.inner_text()
    item = page.locator("[data-testid=consent-item]", has=page.locator(f"a[href='/finance/demands/{demand_id}']"))
    assert item.count() == 1
    assert BANK_NAME in item.inner_text()
    assert item.locator("[data-testid=consent-state]").inner_text().strip() == "有效"
    assert "报告编号" in read.first.inner_text()  # the read's details in words, not their keys
    checked(page, "consents-read")
    item.locator("[data-testid=revoke]").click()
    confirm = item.locator("[data-testid=confirm-revoke]")
    confirm.wait_for()
    no_serious_violations(page)
    with page.expect_response(posted_to(f"/consents/{consent['id']}/revoke")) as answer:
        confirm.click()
    assert answer.value.ok, answer.value.text()
    page.locator("[data-testid=notice]").wait_for()
    assert BANK_NAME in page.locator("[data-testid=notice]").inner_text()
    assert item.locator("[data-testid=consent-state]").inner_text().strip() == "已撤销"
    page.locator("[data-testid=log-item].log-item--consent_revoked").first.wait_for()
    checked(page, "consents-revoked")
    status, refused = running.json("GET", report_path, headers=bank)
    assert status == 403, refused

    # 6. The enterprise downloads its report's PDF; the link over its QR code is the verification address,
    # which a browser follows to the verification page.
    page.goto(f"{running.url}/finance/demands")
    page.locator("[data-testid=credit-report-link]").click()
    page.wait_for_url("**/finance/credit-report")
    download_button = page.locator("[data-testid=download-pdf]")
    download_button.wait_for()
    checked(page, "credit-report")
    with page.expect_download() as download:
        download_button.click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF"), pdf[:20]
    report_no = download.value.suggested_filename.removesuffix(".pdf")
    assert re.fullmatch(r"CR-\d{8}-[0-9A-Z]{10}", report_no), download.value.suggested_filename
    links = link_annotations(pdf)
    assert links, "the PDF carries no /URI link annotation"
    uri = links[0][0]
    address = re.escape(f"{running.url}/api/credit-reports/{report_no}/verify?sha256=") + "[0-9a-f]{64}"
    assert re.fullmatch(address, uri), links
    assert {link for link, _ in links} == {uri}, links  # every link in it is that one address
    # The QR code is 30 mm (85 pt) square: a link over it covers at least that, and is not the page's width.
    over_the_code = [rect for _, rect in links
                     if len(rect) == 4 and 80 <= rect[2] - rect[0] <= 200 and rect[3] - rect[1] >= 80]
    assert over_the_code, f"no link lies over the QR code: {links}"

    verify = page.context.new_page()
    arrived = verify.goto(uri)
    first = arrived.request.redirected_from
    assert first is not None and first.url == uri and first.response().status == 303, first and first.url
    sha256 = uri.rsplit("=", 1)[1]
    verify.wait_for_url(f"{running.url}/verify/{report_no}?sha256={sha256}")
    verify.locator("[data-testid=result]").wait_for()
    assert verify.locator("[data-testid=report-no]").inner_text() == report_no
    assert verify.locator("[data-testid=issued]").inner_text() == "该报告由平台出具。"
    matches = verify.locator("[data-testid=matches]").inner_text()
    assert matches == "SHA-256 一致：报告内容与平台出具的一致。"
    assert verify.locator("[data-testid=differs]").count() == 0
    checked(verify, "verify")


def test_statistics_and_snapshot_runs_pages(running, sign_in):
    """A bank's claim shows in 融资统计 (its row, the charts, by district); the city's admin takes last
    month's credit snapshots from 信用快照 and sees the run completed once the stack's job runner has
    drained the queue; a district's admin is not offered the snapshots page."""
    import time

    from tests.local.test_finance_http import signed_in

    # 1. 青岛银行's client claims a demand the enterprise posted, and records contacted and approved.
    # (The first test's claim was 青岛农商银行's: this bank's row counts this claim alone.)
    bank_id, bank_name, client = "bank-qdccb", "青岛银行", "bank-qdccb-client"
    auditor = signed_in(running, "auditor-city")
    status, before = running.json("GET", f"/api/finance/stats?by=bank&period={qingdao_month()}", headers=auditor)
    assert status == 200, before
    claimed_before = next((row["claimed"] for row in before["items"] if row["key"] == bank_id), 0)
    enterprise = signed_in(running, ENTERPRISE)
    status, demand = running.json("POST", "/api/finance/demands", {"amount_fen": 30_000_000, "term_months": 12,
                                                                  "purpose": "支付原材料采购款", "guarantee": "credit"}, keyed(enterprise))
    assert status == 201, demand
    bank = client_token(running, client)
    find_in_feed(running, bank, demand["id"])
    status, claimed = running.json("POST", f"/api/bank/v1/demands/{demand['id']}/claim", headers=keyed(bank))
    assert status == 200, claimed
    outcomes = f"/api/bank/v1/demands/{demand['id']}/outcomes"
    for step in ({"status": "contacted"},
                 {"status": "approved", "amount_fen": 20_000_000, "annual_rate_bp": 385, "term_months": 12}):
        status, answer = running.json("POST", outcomes, step, keyed(bank))
        assert status == 200, answer

    # 2. 融资统计 as the city's auditor: the bank's row, the charts, and the rows by district.
    page = sign_in("auditor-city", "/workbench/finance/stats")
    row = page.locator(f"[data-testid=finance-stats-table] tbody tr[data-key={bank_id}]")
    row.wait_for()
    assert bank_name in row.locator("th").inner_text()
    cells = row.locator("td").all_inner_texts()
    assert cells[0].strip() == str(claimed_before + 1), cells  # the first column is 认领数
    assert cells[1].strip() != "0" and cells[2].strip() != "0", cells  # contacted, approved
    page.locator(".stats-chart svg").first.wait_for()
    assert page.locator(".stats-chart").count() == 2
    assert page.locator(".stats-chart svg rect, .stats-chart svg path").count() > 0
    assert page.locator("a[href='/workbench/finance/snapshots']").count() == 1  # the city's auditor reads the runs
    checked(page, "stats-by-bank")
    with page.expect_response(lambda r: "/api/finance/stats" in r.url and "by=district" in r.url) as answer:
        page.locator("label", has=page.locator("input[name=finance-stats-by][value=district]")).click()
    assert answer.value.status == 200, answer.value.text()
    page.locator("[data-testid=finance-stats-table] tbody tr[data-key='370202']").wait_for()  # 正日新 is in 市南区
    assert page.locator(f"[data-testid=finance-stats-table] tbody tr[data-key={bank_id}]").count() == 0
    assert page.locator("[data-testid=finance-stats-table] tbody tr[data-key='370202'] td").first.inner_text().strip() != "0"
    page.locator(".stats-chart svg").first.wait_for()
    checked(page, "stats-by-district")

    # 3. 信用快照 as the city's admin: take last month's snapshots, confirm, and wait for the run.
    admin = signed_in(running, "admin-city")
    page = sign_in("admin-city", "/workbench/finance/snapshots")
    page.locator("[data-testid=snapshots-queues]").wait_for()
    page.locator("[data-testid=snapshots-run-again]").click()
    confirm = page.locator("[data-testid=snapshots-run-confirm]")
    confirm.wait_for()
    no_serious_violations(page)
    with page.expect_response(posted_to("/api/finance/snapshots/run")) as answer:
        confirm.click()
    assert answer.value.status == 202, answer.value.text()
    month = answer.value.json()["month"]
    started = page.locator("[data-testid=snapshots-started]")
    started.wait_for()
    assert month in started.inner_text()
    deadline = time.monotonic() + 60
    run = None
    while time.monotonic() < deadline:
        status, runs = running.json("GET", "/api/finance/snapshots", headers=admin)
        assert status == 200, runs
        run = next((r for r in runs["items"] if r["month"] == month), None)
        if run and run["status"] != "running":
            break
        time.sleep(1)
    assert run and run["status"] == "completed", run
    with page.expect_response(lambda r: r.url.endswith("/api/finance/snapshots") and r.request.method == "GET"):
        page.locator("[data-testid=snapshots-reload]").click()
    shown = page.locator(f"[data-testid=snapshot-run][data-month='{month}'][data-status=completed]")
    shown.wait_for()
    assert shown.locator("[data-testid=snapshot-status]").inner_text().strip() == "已完成"
    assert int(shown.locator("[data-testid=snapshot-written]").get_attribute("data-written")) > 0
    chains = f"{run['chains']} / {run['chains']}"
    assert chains in shown.locator("[data-testid=snapshot-progress]").inner_text()
    assert shown.locator("[data-testid=snapshot-failures]").count() == 0
    assert runs["dead_letter_queue"] in page.locator("[data-testid=snapshots-queues]").inner_text()
    checked(page, "snapshots")

    # 4. A district's admin is offered neither the link nor the page's data.
    page = sign_in("admin-laoshan", "/workbench/finance/stats")
    page.locator(".workbench-nav").wait_for()
    assert page.locator(".workbench-nav a[href='/workbench/finance/stats']").count() == 1
    assert page.locator("a[href='/workbench/finance/snapshots']").count() == 0
    page.goto(f"{running.url}/workbench/finance/snapshots")
    page.locator("h1#finance-snapshots-title").wait_for()
    assert "信用快照覆盖全市" in page.locator("[role=note]").inner_text()
    assert page.locator("[data-testid=snapshots-run-again]").count() == 0


def qingdao_month() -> str:
    """This month in Qingdao, as the statistics page opens on it (Beijing time, UTC+8, no DST)."""
    from datetime import datetime, timedelta, timezone

    return (datetime.now(timezone.utc) + timedelta(hours=8)).strftime("%Y-%m")
