"""Appeals over real HTTP on the local stack (started as `make run` starts it): the whole loop,
a duplicate through a second channel, a breach marked by the sweeper, an audited custodian reveal,
and races between concurrent requests decided by real conditional writes."""
from __future__ import annotations

import threading

import pytest

from tests.support import SAMPLE_APPEAL

pytestmark = [pytest.mark.local_stack, pytest.mark.slow]

SUBMISSION = SAMPLE_APPEAL


class Session:
    def __init__(self, stack):
        self.stack = stack
        self.tokens: dict[str, str] = {}

    def login(self, user_id):
        if user_id not in self.tokens:
            status, grant = self.stack.json("POST", "/api/auth/dev-login", {"user_id": user_id})
            assert status == 200, grant
            self.tokens[user_id] = grant["access_token"]
        return {"Authorization": f"Bearer {self.tokens[user_id]}"}

    def call(self, user, method, path, body=None, expect=200):
        status, answer = self.stack.json(method, path, body, headers=self.login(user) if user else None)
        assert status == expect, (status, answer)
        return answer


@pytest.fixture(scope="module")
def session(running):
    return Session(running)


def test_full_loop_over_http(session):
    created = session.call("ent-zhengrixin", "POST", "/api/appeals", SUBMISSION, expect=201)
    assert created["status"] == "dispatched" and created["assignee_unit"] == "unit-tax"
    appeal = f"/api/appeals/{created['id']}"
    session.call("staff-tax", "POST", f"{appeal}/accept", {})
    session.call("staff-tax", "POST", f"{appeal}/contact", {"method": "phone", "note": "已联系"})
    session.call("staff-tax", "POST", f"{appeal}/feedback", {"text": "已核实，正在复核"})
    session.call("staff-tax", "POST", f"{appeal}/resolve", {"result": "退税款已到账"})
    session.call("ent-zhengrixin", "POST", f"{appeal}/confirm", {"satisfied": True})
    view = session.call("ent-zhengrixin", "POST", f"{appeal}/rate", {"speed": 5, "attitude": 5, "outcome": 5})
    assert view["status"] == "closed" and view["rating"]["outcome"] == 5
    assert all(d["met_at"] for d in view["deadlines"].values())
    # another enterprise never sees it
    session.call("ent-hailian-trade", "GET", appeal, expect=404)


def test_duplicate_through_the_hotline_merges(session):
    first = session.call("ent-bluesea-soft", "POST", "/api/appeals", {
        **SUBMISSION, "district": "370212", "title": "厂区电力增容申请一个多月没有答复",
        "content": "我司在崂山区的新厂房申请电力增容，已经一个多月了，供电公司一直没有答复，影响投产。"}, expect=201)
    merged = session.call("dispatcher-city", "POST", "/api/appeals", {
        "category": "help", "district": "370212", "channel": "hotline_12345", "enterprise_uscc": "91370212MA3EK9W53N",
        "received_at": "2026-11-20T09:00:00+08:00", "contact": {"name": "陈思远", "phone": "13905321111"},
        "title": "来电反映新厂房电力增容迟迟未答复",
        "content": "12345来电：蓝海软件反映崂山区新厂房电力增容申请提交一个多月，供电公司未答复，影响投产。"})
    assert merged["duplicate_of"] == first["id"]


def test_hotline_intake_keeps_its_past_received_at_while_clocks_start_at_dispatch(session):
    created = session.call("dispatcher-city", "POST", "/api/appeals", {
        "category": "help", "district": "370215", "channel": "hotline_12345", "received_at": "2026-11-19T16:00:00+08:00",
        "contact": {"name": "周先生", "phone": "13705321234"}, "title": "即墨园区道路开挖许可办理咨询",
        "content": "12345来电：企业在即墨区园区内需要道路开挖接入管线，询问许可办理流程。"}, expect=201)
    view = session.call("dispatcher-city", "GET", f"/api/appeals/{created['id']}")
    assert view["timeline"][0]["at"] == "2026-11-19T16:00:00+08:00" and "12345热线" in view["timeline"][0]["text"]
    dispatched = next(e for e in view["timeline"] if e["action"] == "appeal.dispatched")
    assert dispatched["at"] > "2026-11-20"  # the unit received it when it was recorded and dispatched, today


def test_sweeper_marks_a_breach_after_the_clock_moves(session):
    created = session.call("ent-hailian-trade", "POST", "/api/appeals", {
        **SUBMISSION, "district": "370211", "title": "出口货物通关查验时间过长",
        "content": "我司在西海岸新区的出口货物在海关查验环节等待时间过长，影响交货，希望海关帮助协调。"}, expect=201)
    assert created["assignee_unit"] == "unit-customs"
    session.call(None, "POST", "/api/dev/clock", {"advance_seconds": 3 * 3600})
    result = session.call(None, "POST", "/api/dev/jobs/sweep_clocks/run")["result"]
    assert result["breached"] >= 1
    view = session.call("staff-customs", "GET", f"/api/appeals/{created['id']}")
    assert view["deadlines"]["contact_by"]["breached"] is True and view["breached"] is True


def test_confidential_report_and_audited_reveal(session):
    report = session.call("ent-zhengrixin", "POST", "/api/appeals", {
        **SUBMISSION, "category": "report", "anonymous": True, "contact": None, "subject_unit_id": "unit-tax",
        "title": "举报某窗口工作人员索要好处费", "content": "办理业务时窗口工作人员暗示需要“表示”才能加快办理。"}, expect=201)
    assert report["receipt_code"] and report["assignee_unit"] != "unit-tax"
    handler_view = session.call("dispatcher-city", "GET", f"/api/appeals/{report['id']}")
    assert handler_view["enterprise_uscc"] is None and handler_view["contact"] is None
    session.call("staff-tax", "GET", f"/api/appeals/{report['id']}", expect=404)
    session.call("dispatcher-city", "POST", f"/api/appeals/{report['id']}/reveal-identity", {"reason": "需要核实举报细节"}, expect=403)
    revealed = session.call("custodian-city", "POST", f"/api/appeals/{report['id']}/reveal-identity", {"reason": "纪检核查需要"})
    assert revealed["identity"]["enterprise_uscc"] == "91370202MA3C4R7K75"
    trail = session.call("auditor-city", "GET", f"/api/audit?entity=appeal%23{report['id']}")
    assert [i for i in trail["items"] if i["action"] == "appeal.identity_revealed"]
    status, follow = session.stack.json("GET", "/api/receipt", None, headers={"Receipt-Code": report["receipt_code"]})
    assert status == 200 and follow["id"] == report["id"]


def test_two_staff_accepting_at_once_never_both_win(session):
    created = session.call("ent-zhengrixin", "POST", "/api/appeals", {
        **SUBMISSION, "title": "发票领用数量不够用", "content": "我司业务量增加，增值税专用发票领用数量不够，申请提高发票领用数量。"},
        expect=201)
    session.login("staff-tax")
    statuses = []

    def accept():
        status, _ = session.stack.json("POST", f"/api/appeals/{created['id']}/accept", {}, headers=session.login("staff-tax"))
        statuses.append(status)

    threads = [threading.Thread(target=accept) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409, 409, 409]


def test_ticket_numbers_under_concurrency_are_gap_free(session):
    before = session.call("dispatcher-city", "POST", "/api/appeals", {
        "category": "consultation", "title": "咨询开始", "content": "来电咨询：测试起点。", "district": "370202",
        "channel": "hotline_12345", "contact": {"name": "来电人", "phone": "13805321234"}}, expect=201)
    start = int(before["ticket_no"].split("-")[1])
    topics = ["电力增容", "供水报装", "公积金缴存", "社保转移", "海关通关", "发票领用", "营业执照变更", "排水许可"]
    answers = []

    def submit(topic):
        answers.append(session.stack.json("POST", "/api/appeals", {
            "category": "consultation", "title": f"关于{topic}的咨询", "content": f"来电人询问{topic}需要准备哪些材料。",
            "district": "370202", "channel": "hotline_12345", "contact": {"name": "来电人", "phone": "13805321234"}},
            headers=session.login("dispatcher-city")))

    threads = [threading.Thread(target=submit, args=(topic,)) for topic in topics]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [201] * 8, answers
    numbers = sorted(int(answer["ticket_no"].split("-")[1]) for _, answer in answers)
    assert numbers == list(range(start + 1, start + 9))
