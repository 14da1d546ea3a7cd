"""The appeals platform's words, declared once: statuses, categories, channels, clocks and notices.

Schemas take their enumerations from here, the timeline and the notices their display texts, the
service its clock rules. A new category or channel is one line here; nothing else lists them.
"""
from __future__ import annotations

from functions.shared.vocabulary import ClockRule, Term, Terms

# -- statuses (the transitions between them are declared in functions/appeals/states.py) ----------
PENDING_DISPATCH = "pending_dispatch"
DISPATCHED = "dispatched"
IN_PROGRESS = "in_progress"
RESOLVED = "resolved"
CLOSED = "closed"
MERGED = "merged"
STATUSES = Terms(
    Term(PENDING_DISPATCH, "待分派", "Awaiting dispatch"),
    Term(DISPATCHED, "已分派", "Dispatched"),
    Term(IN_PROGRESS, "办理中", "In progress"),
    Term(RESOLVED, "已办理待确认", "Resolved, awaiting confirmation"),
    Term(CLOSED, "已办结", "Closed"),
    Term(MERGED, "已合并", "Merged"),
)
OPEN_STATUSES = (PENDING_DISPATCH, DISPATCHED, IN_PROGRESS, RESOLVED)

# -- what an appeal is about ----------------------------------------------------------------------
CATEGORIES = Terms(
    Term("consultation", "咨询", "Consultation", "企业就政策、办事流程等事项提出的咨询"),
    Term("help", "求助", "Request for help", "企业在生产经营中遇到困难、需要帮助解决的事项"),
    Term("complaint", "投诉", "Complaint", "企业对行政机关、公共服务单位的服务或行为提出的投诉"),
    Term("report", "举报", "Report", "对违法违规行为的举报（可匿名；反映人信息加密封存）"),
    Term("suggestion", "意见建议", "Suggestion", "企业对优化营商环境、改进工作提出的意见建议"),
    Term("business_environment_clue", "损害营商环境问题线索", "Business-environment clue",
         "损害营商环境的问题线索（可匿名；反映人信息加密封存）"),
)
# Reports and clues: the reporter's identity is sealed in the vault, and they may be anonymous.
CONFIDENTIAL_CATEGORIES = ("report", "business_environment_clue")

# -- how it arrived ---------------------------------------------------------------------------------
WEB = "web"
CHANNELS = Terms(
    Term(WEB, "网上提交", "Web"),
    Term("hotline_12345", "12345热线", "12345 hotline"),
    Term("district_window", "区（市）窗口", "District service window"),
    Term("department", "部门来访", "Department visit"),
    Term("onsite", "现场走访", "On-site visit"),
)
# Channels recorded by intake staff (everything but the enterprise's own web submission).
INTAKE_CHANNELS = tuple(code for code in CHANNELS.codes if code != WEB)
CONTACT_METHODS = Terms(Term("phone", "电话", "phone"), Term("onsite", "现场", "on site"), Term("message", "留言", "message"))

# -- the clocks (rules are read by functions/calendar: hours:N wall clock, working_days:N, days:N) ---
LEAD_CLOCKS = (
    ClockRule("contact_by", "hours:2", "2小时内联系", "contact within 2 hours"),
    ClockRule("feedback_by", "working_days:1", "1个工作日内反馈", "preliminary opinion within 1 working day"),
    ClockRule("resolve_by", "working_days:15", "15个工作日内办结", "resolve within 15 working days"),
)
LEAD_CLOCK_NAMES = tuple(clock.name for clock in LEAD_CLOCKS)
# A co-handling unit answers the lead within 10 working days, leaving the lead 5 to write one reply.
CO_REPLY = ClockRule("reply_by", "working_days:10", "10个工作日内回复主办单位", "reply to the lead unit within 10 working days")
CONFIRM_CLOCK = "confirm_by"
MAX_EXTENSION_WORKING_DAYS = 15
MAX_ATTACHMENTS = 10


def clock_words(name: str) -> str:
    """The display text of a clock by name ("contact_by", or "reply_by" of a co-unit)."""
    for clock in (*LEAD_CLOCKS, CO_REPLY):
        if clock.name == name:
            return clock.zh
    return name


# -- notices (the outbox topics this platform emits; functions/notifications renders them) --------
NOTICE_TEXTS = {
    "appeal.dispatched": f"【青诉即办】诉求 {{ticket_no}}「{{title}}」已分派至贵单位，请在{LEAD_CLOCKS[0].zh}企业。",
    "appeal.received": "【青诉即办】您的诉求已受理，编号 {ticket_no}。",
    "appeal.feedback": "【青诉即办】诉求 {ticket_no} 的初步办理意见：{text}",
    "appeal.resolved": "【青诉即办】诉求 {ticket_no} 已办理：{result}。请登录平台确认并评价。",
    "appeal.extension_approved": "【青诉即办】诉求 {ticket_no} 办结期限延至 {resolve_by}。",
    "appeal.clock_warning": "【青诉即办】诉求 {ticket_no} 的{clock_text}时限即将届满（{due}）。",
    "appeal.clock_breached": "【青诉即办】诉求 {ticket_no} 已超过{clock_text}时限（{due}），请立即办理。",
    "appeal.duplicate_merged": "【青诉即办】同一事项经其他渠道再次反映，已并入诉求 {ticket_no}。",
    "appeal.supervised": "【青诉即办】诉求 {ticket_no} 收到督办意见：{note}",
}

# -- how a caller stands to an appeal (who may take an action; functions/appeals/states.py) --------
LEAD = "lead_unit_staff"
CO = "co_unit_staff"
SUBMITTER = "submitter"
DISPATCHER = "dispatcher"
SUPERVISOR = "supervisor"
# Who a confidential appeal's records name instead of the reporter (the identity is in the vault).
SEALED_ROLE = "reporter"
SEALED_ORG = "sealed"


def page_vocabulary() -> dict:
    """The order the form offers the kinds in, which kinds are sealed reports, and the form's limits."""
    return {"categories": list(CATEGORIES.codes), "confidential_categories": list(CONFIDENTIAL_CATEGORIES),
            "contact_methods": list(CONTACT_METHODS.codes), "max_attachments": MAX_ATTACHMENTS,
            "max_extension_working_days": MAX_EXTENSION_WORKING_DAYS}
