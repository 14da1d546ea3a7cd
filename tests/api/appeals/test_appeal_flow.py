"""The closed loop over the API: submit → auto-dispatch → accept → contact → feedback → resolve → confirm → rate."""
from __future__ import annotations

def test_full_loop(api, clock):
    created = api.ok(api.submit("ent-zhengrixin"), 201)
    assert created["status"] == "dispatched" and created["assignee_unit"] == "unit-tax"
    assert created["duplicate_of"] is None
    assert created["ticket_no"] == "370200-0000001"
    deadlines = created["deadlines"]
    # Friday 2026-11-20 10:00 +08:00: contact by 12:00, feedback by end of Monday, resolve 15 working days on.
    assert deadlines["contact_by"]["due"] == "2026-11-20T12:00:00+08:00"
    assert deadlines["feedback_by"]["due"] == "2026-11-24T00:00:00+08:00"
    assert deadlines["resolve_by"]["due"] == "2026-12-12T00:00:00+08:00"
    appeal_id = created["id"]

    clock.advance(minutes=5)  # every step at its own moment, as in life (the timeline sorts by time)
    api.ok(api.act("staff-tax", appeal_id, "accept"))
    clock.advance(minutes=40)
    api.ok(api.act("staff-tax", appeal_id, "contact", method="phone", note="已电话联系王女士"))
    clock.advance(minutes=30)
    api.ok(api.act("staff-tax", appeal_id, "feedback", text="已核实，退税款正在复核中，预计一周内到账。"))
    clock.advance(days=3)
    api.ok(api.act("staff-tax", appeal_id, "resolve", result="退税款已于今日到账，请查收。"))
    clock.advance(hours=2)
    view = api.ok(api.act("ent-zhengrixin", appeal_id, "confirm", satisfied=True, comment="谢谢"))
    assert view["status"] == "closed" and view["closed_reason"] == "confirmed"
    clock.advance(minutes=1)
    view = api.ok(api.act("ent-zhengrixin", appeal_id, "rate", speed=5, attitude=5, outcome=4))
    assert view["rating"] == {"speed": 5, "attitude": 5, "outcome": 4, "comment": None}
    assert all(d["met_at"] and not d["breached"] for d in view["deadlines"].values())
    texts = [entry["text"] for entry in view["timeline"]]
    assert texts[0].startswith("诉求已提交") and "自动分派" in texts[1] and "市税务局" in texts[1]
    assert texts[-1].startswith("企业评价")
