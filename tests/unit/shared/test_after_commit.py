"""Work registered to follow a commit runs once after it, never instead of it, and its failure does not
turn a committed request into an error."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from functions.shared.audit import UnitOfWork


def unit() -> UnitOfWork:
    return UnitOfWork("tester", "admin", "unit-admin", "req-1", datetime(2026, 11, 20, tzinfo=timezone.utc))


def test_work_runs_after_the_commit_once_and_in_order():
    uow, ran = unit(), []
    uow.after_commit(lambda: ran.append("forget cache"))
    uow.after_commit(lambda: ran.append("recompute"))
    assert ran == []  # registered, not run
    uow.commit()
    uow.commit()  # a second commit of the same unit runs nothing again
    assert ran == ["forget cache", "recompute"]


def test_a_failing_piece_of_work_is_logged_and_the_rest_still_runs(caplog):
    uow, ran = unit(), []

    def broken():
        raise RuntimeError("recompute failed")

    uow.after_commit(broken)
    uow.after_commit(lambda: ran.append("second"))
    with caplog.at_level(logging.ERROR, logger="functions.shared.audit"):
        uow.commit()  # does not raise: what was committed stays acknowledged
    assert ran == ["second"]
    assert any("after a commit failed" in r.getMessage() and r.exc_info for r in caplog.records)
