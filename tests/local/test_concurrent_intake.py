"""Sixty-four intake operators recording calls at the same moment, over real HTTP on the local stack:
nobody who did nothing wrong gets a 409, ticket numbers stay unique, and every number is accounted for."""
from __future__ import annotations

import pytest

from tests.local.intake_load import INTAKE_USERS, login, run

pytestmark = [pytest.mark.local_stack, pytest.mark.slow]


def test_64_concurrent_submitters_all_succeed_with_unique_accounted_numbers(running):
    tokens = {user: login(running.url, user) for user in INTAKE_USERS}
    result = run(running.url, concurrency=64, count=64, submit=True, tokens=tokens, run_name="并发")
    assert sorted(set(result.statuses)) == [201], [a for s, a in zip(result.statuses, result.answers) if s != 201][:3]
    tickets = [answer["ticket_no"] for answer in result.answers]
    assert len(set(tickets)) == 64

    # A number whose claim was retried by the SDK after a timeout, or whose submitter died, has no
    # appeal; the ticket audit voids it once it is old enough (it runs every 5 minutes; here by hand).
    for _ in range(2):
        assert running.json("POST", "/api/dev/jobs/audit_tickets/run")[0] == 200
        assert running.json("POST", "/api/dev/clock", {"advance_seconds": 400})[0] == 200
    assert running.json("POST", "/api/dev/jobs/audit_tickets/run")[0] == 200
    auditor = {"Authorization": f"Bearer {login(running.url, 'auditor-city')}"}
    status, ledger = running.json("GET", "/api/appeal-tickets?first=1&limit=100", headers=auditor)
    assert status == 200, ledger
    assert ledger["claimed"] == len(ledger["items"]) >= 64
    by_ticket = {line["ticket_no"]: line for line in ledger["items"]}
    ids = {answer["ticket_no"]: answer["id"] for answer in result.answers}
    assert all(by_ticket[ticket]["appeal_id"] == appeal_id for ticket, appeal_id in ids.items())
    # Every number claimed is an appeal or a recorded void; none is silently missing.
    unused = [line for line in ledger["items"] if line["state"] != "appeal"]
    assert all(line["state"] == "void" and line["void_reason"].startswith("abandoned") for line in unused), unused
    assert [line["number"] for line in ledger["items"]] == list(range(1, ledger["claimed"] + 1))
