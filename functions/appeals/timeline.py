"""An appeal's timeline in plain words, built from its audit records.

Every action is already an audit record (who, when, what); the timeline only says it the way an
enterprise owner would. Internal steps (a return's reason, supervision notes, co-handling
replies, identity reveals) are shown to handling staff, never to the enterprise.
"""
from __future__ import annotations

import json
from typing import Any

from functions.appeals.vocabulary import CHANNELS, CONTACT_METHODS, clock_words
from functions.shared.audit import AuditRecord
from functions.shared.clock import SHANGHAI, parse_instant

INTERNAL = {"appeal.returned", "appeal.supervised", "appeal.co_replied", "appeal.identity_revealed",
            "appeal.warned", "appeal.extension_requested", "appeal.extension_refused", "appeal.split"}

def _words(action: str, data: dict[str, Any], unit_names: dict[str, str]) -> str:
    unit = unit_names.get(data.get("unit_id") or data.get("assignee_unit") or "", data.get("unit_id") or "")
    match action:
        case "appeal.received":
            return f"{CHANNELS.zh(data.get('channel'))}受理诉求（受理时间 {data.get('received_at')}）"
        case "appeal.submitted":
            return f"诉求已提交，编号 {data.get('ticket_no')}（{CHANNELS.zh(data.get('channel'))}）"
        case "appeal.dispatched":
            how = "系统按规则自动分派" if data.get("auto") else "调度中心分派"
            return f"{how}至{unit}办理"
        case "appeal.accepted":
            return f"{unit}已签收"
        case "appeal.returned":
            return f"{unit}退回调度中心：{data.get('reason', '')}"
        case "appeal.contacted":
            return f"办理单位已通过{CONTACT_METHODS.zh(data.get('method'))}联系企业"
        case "appeal.feedback":
            return f"办理单位反馈初步意见：{data.get('text', '')}"
        case "appeal.extension_requested":
            return f"办理单位申请延期 {data.get('working_days')} 个工作日：{data.get('reason', '')}"
        case "appeal.extension_approved":
            return f"延期已批准，办结期限延至 {data.get('resolve_by')}"
        case "appeal.extension_refused":
            return "延期申请未获批准"
        case "appeal.resolved":
            return f"办理结果：{data.get('result', '')}"
        case "appeal.confirmed":
            return "企业确认满意，诉求办结" if data.get("satisfied") else "企业表示不满意，诉求重新办理"
        case "appeal.auto_closed":
            return "企业未在期限内确认，诉求自动办结"
        case "appeal.rated":
            return f"企业评价：速度 {data.get('speed')} 分，态度 {data.get('attitude')} 分，结果 {data.get('outcome')} 分"
        case "appeal.duplicate_merged":
            return f"同一事项经{CHANNELS.zh(data.get('channel'))}再次反映，已合并办理（{data.get('ticket_no')}）"
        case "appeal.merged":
            return f"与诉求 {data.get('into_ticket_no')} 为同一事项，已合并办理"
        case "appeal.split":
            return "已从合并中拆分，单独办理"
        case "appeal.breached":
            return f"超过时限：{clock_words(data.get('clock'))}"
        case "appeal.warned":
            return f"即将超时（已过80%）：{clock_words(data.get('clock'))}"
        case "appeal.supervised":
            return f"督办：{data.get('note', '')}"
        case "appeal.co_replied":
            return f"协办单位{unit}回复：{data.get('text', '')}"
        case "appeal.identity_revealed":
            return f"保管人查阅举报人身份（理由：{data.get('reason', '')}）"
    return action


def timeline(records: list[AuditRecord], for_enterprise: bool, unit_names: dict[str, str]) -> list[dict[str, Any]]:
    entries = []
    for record in records:
        if for_enterprise and record.action in INTERNAL:
            continue
        data = json.loads(record.after) if record.after else {}
        at = parse_instant(data.get("at") or record.at_seq.split("#")[0]).astimezone(SHANGHAI)
        entries.append({"at": at, "action": record.action, "text": _words(record.action, data, unit_names),
                        "internal": record.action in INTERNAL})
    # A hotline call's own moment comes first even though it was recorded later.
    return sorted(entries, key=lambda entry: entry["at"])
