"""A whistleblower's identity stays in the vault: nowhere else in the stack, not in audit, notices,
idempotency records or rate-limit windows; receipt codes are long, keyed, off the URL and limited."""
from __future__ import annotations

import json
import logging
import re

import boto3
import pytest

from tests.api.appeals.conftest import ZHENGRIXIN
from tests.support import assert_problem, bearer, body, json_headers

REPORTER = "ent-zhengrixin"
NAME, PHONE, ENTERPRISE_NAME = "王敏", "13805321234", "青岛正日信企业管理有限公司"
REPORT = {"category": "report", "title": "举报某窗口工作人员索要好处费", "subject_unit_id": "unit-tax",
          "content": "办理业务时窗口工作人员暗示需要“表示”才能加快办理。", "contact": {"name": NAME, "phone": PHONE}}
KEY = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"


def every_item() -> dict[tuple[str, str], str]:
    """Every item of every table of the stack, raw, keyed by (table, item key).

    A test's own inspection, so a Scan is fine here; the platform never scans.
    """
    from functions.tables import all_models

    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    items = {}
    for model in all_models():
        table = model.Meta.table_name
        keys = [k["AttributeName"] for k in dynamodb.describe_table(TableName=table)["Table"]["KeySchema"]]
        for page in dynamodb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
            for item in page["Items"]:
                key = json.dumps([item[k] for k in keys], ensure_ascii=False, sort_keys=True)
                items[(table, key)] = json.dumps(item, ensure_ascii=False, sort_keys=True)
    return items


def file_report(client, token, **headers):
    response = client.http.post("/api/appeals", headers=json_headers(token(REPORTER), **headers),
                                body=json.dumps({**REPORT, "district": "370202", "channel": "web"}, ensure_ascii=False))
    assert response.status_code == 201, response.body
    return body(response)


def test_a_signed_in_reporter_is_nowhere_outside_the_vault(client, token, clock, seeded):
    from functions.notifications.service import relay_pending

    before = every_item()
    report = file_report(client, token, **{"Idempotency-Key": KEY})
    # The reporter follows up and rates with the receipt code; notices go out.
    headers = json_headers(**{"Receipt-Code": report["receipt_code"]})
    assert client.http.get("/api/receipt", headers=headers).status_code == 200
    relay_pending(clock.now())
    after = every_item()

    written = {key: item for key, item in after.items() if before.get(key) != item}
    assert any(table.endswith("-appeals") for table, _ in written)  # the report itself was written
    secrets = {REPORTER, ZHENGRIXIN, NAME, PHONE, ENTERPRISE_NAME, report["receipt_code"]}
    leaks = {(table, value) for (table, _), item in written.items() for value in secrets
             if value in item and not table.endswith("-reporter-identities")}
    assert leaks == set()
    vault = [item for (table, _), item in written.items() if table.endswith("-reporter-identities")]
    assert len(vault) == 1 and not any(value in vault[0] for value in secrets)  # ciphertext only


def test_the_audit_trail_names_a_pseudonym(client, token, clock, seeded):
    report = file_report(client, token)
    trail = body(client.http.get(f"/api/audit?entity=appeal%23{report['id']}", headers=bearer(token("auditor-city"))))
    actors = {(item["actor_sub"], item["actor_org"]) for item in trail["items"]}
    assert actors == {(f"reporter:{report['id']}", "sealed")}


def test_a_replayed_reveal_is_audited_again_and_its_identity_never_stored(client, token, clock, seeded, aws):
    from functions.shared.audit import AuditRecord

    report = file_report(client, token)
    custodian = json_headers(token("custodian-city"), **{"Idempotency-Key": "reveal-1"})
    for _ in range(2):
        clock.advance(seconds=1)
        revealed = client.http.post(f"/api/appeals/{report['id']}/reveal-identity", headers=custodian,
                                    body=json.dumps({"reason": "纪检核查需要核实"}, ensure_ascii=False))
        assert body(revealed)["identity"]["enterprise_uscc"] == ZHENGRIXIN
        assert "Idempotent-Replayed" not in revealed.headers
    reveals = [r for r in AuditRecord.query(f"appeal#{report['id']}") if r.action == "appeal.identity_revealed"]
    assert len(reveals) == 2
    stored = json.dumps([item for (table, _), item in every_item().items() if table.endswith("-idempotency")], ensure_ascii=False)
    assert stored != "[]" and ZHENGRIXIN not in stored and PHONE not in stored and NAME not in stored


def test_a_stranger_cannot_reuse_an_anonymous_key(client, seeded):
    """Callers without a token share one namespace; a guessable key there would hand a stranger the
    first reporter's receipt code. Keys without a token must carry ≥128 random bits."""
    anonymous = {**REPORT, "district": "370202", "channel": "web", "anonymous": True, "contact": None}
    payload = json.dumps(anonymous, ensure_ascii=False)
    short = client.http.post("/api/appeals", headers=json_headers(**{"Idempotency-Key": "k1"}), body=payload)
    assert_problem(short, 422, field="Idempotency-Key")
    first = body(client.http.post("/api/appeals", headers=json_headers(**{"Idempotency-Key": KEY}), body=payload))
    # The same client retrying with its own key gets its own code back (the answer is sealed under that key).
    again = client.http.post("/api/appeals", headers=json_headers(**{"Idempotency-Key": KEY}), body=payload)
    assert body(again)["receipt_code"] == first["receipt_code"] and again.headers["Idempotent-Replayed"] == "true"
    other = body(client.http.post("/api/appeals", headers=json_headers(**{"Idempotency-Key": KEY.replace("0f", "1f")}), body=payload))
    assert other["receipt_code"] != first["receipt_code"]


def test_receipt_codes_are_long_keyed_and_off_the_url(client, token, clock, seeded, aws, caplog):
    import hashlib

    from functions.appeals.models import Appeal

    report = file_report(client, token)
    code = report["receipt_code"]
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}", code)  # 20 × 5 = 100 bits
    stored = Appeal.get(report["id"]).receipt_hash
    assert stored not in {hashlib.sha256(code.encode()).hexdigest(), hashlib.sha256(code.replace("-", "").encode()).hexdigest()}
    assert client.http.get(f"/api/receipts/{code}").status_code in (403, 404)  # no route takes it in the path
    with caplog.at_level(logging.INFO):
        followed = client.http.get("/api/receipt", headers={"Receipt-Code": code.lower().replace("-", " ")})
    assert body(followed)["id"] == report["id"]  # typed in lower case with spaces: still found
    assert code not in caplog.text and code.replace("-", "") not in caplog.text


def test_wrong_receipt_codes_are_limited_per_address(client, token, clock, seeded):
    from functions.appeals.service import RECEIPT_FAILURE_LIMIT

    report = file_report(client, token)
    guesser = {"X-Forwarded-For": "203.0.113.7"}
    for attempt in range(RECEIPT_FAILURE_LIMIT):
        wrong = f"{attempt:04d}-AAAA-BBBB-CCCC-DDDD"
        assert_problem(client.http.get("/api/receipt", headers={**guesser, "Receipt-Code": wrong}), 404)
    refused = client.http.get("/api/receipt", headers={**guesser, "Receipt-Code": report["receipt_code"]})
    assert_problem(refused, 429)
    assert refused.headers["Retry-After"]
    reporter = {"X-Forwarded-For": "198.51.100.20", "Receipt-Code": report["receipt_code"]}
    assert body(client.http.get("/api/receipt", headers=reporter))["id"] == report["id"]


@pytest.mark.parametrize("first, second", [("report", "ordinary"), ("ordinary", "report")])
def test_a_report_never_merges_with_an_ordinary_appeal(api, client, token, clock, seeded, first, second):
    report = file_report(client, token)
    ordinary = api.ok(api.submit("dispatcher-city", channel="hotline_12345", title="窗口办理业务收费不规范",
                                 content="企业反映窗口办理业务时收费不规范，请核查。", category="complaint"), 201)
    ids = {"report": report["id"], "ordinary": ordinary["id"]}
    problem = assert_problem(api.act("dispatcher-city", ids[first], "merge", into=ids[second]), 422, field="into")
    assert "confidential" in problem["errors"][0]["message"]
    assert report["id"] not in json.dumps(api.ok(api.get("dispatcher-city", ordinary["id"])))


def test_anonymous_reports_are_limited_per_address(client, clock, seeded):
    from functions.appeals.service import ANONYMOUS_SUBMIT_LIMIT

    def anonymous(n: int, address: str):
        report = {**REPORT, "district": "370202", "channel": "web", "anonymous": True, "contact": None,
                  "title": f"举报事项第{n}件", "content": f"第{n}件：某窗口办理业务时存在违规收费的情况。"}
        return client.http.post("/api/appeals", headers=json_headers(**{"X-Forwarded-For": address}),
                                body=json.dumps(report, ensure_ascii=False))

    statuses = [anonymous(n, "203.0.113.9").status_code for n in range(ANONYMOUS_SUBMIT_LIMIT)]
    assert statuses == [201] * ANONYMOUS_SUBMIT_LIMIT
    refused = anonymous(99, "203.0.113.9")
    assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) > 0
    assert anonymous(100, "198.51.100.30").status_code == 201  # someone else is not held up
