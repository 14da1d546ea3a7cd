"""The financing platform's words: guarantee types, source channels, the published rejection reasons,
and the texts of its notices. The page reads them through `page_vocabulary` (plugin.py)."""
from __future__ import annotations

from typing import Any

GUARANTEES = {"credit": ("信用", "Unsecured"), "mortgage": ("抵押", "Mortgage"), "guarantee": ("保证", "Guarantee"),
              "pledge": ("质押", "Pledge")}
# The channels merged into one (DOMAIN.md): a demand from any of them is one demand.
CHANNELS = {"platform": ("青融通", "This platform"), "xinyidai": ("信易贷", "Xinyidai"), "rongzitong": ("融资通", "Rongzitong"),
            "jinnongtong": ("金农通", "Jinnongtong"), "offline": ("线下收集", "Collected offline")}
# The reasons a bank may give for rejecting a demand: published, so an enterprise reads the same words
# from every bank and the statistics can count them.
REJECT_REASONS = {
    "credit_history": ("征信记录不符合要求", "Credit history does not meet requirements"),
    "insufficient_collateral": ("担保或抵押不足", "Insufficient guarantee or collateral"),
    "repayment_capacity": ("还款能力不足", "Insufficient repayment capacity"),
    "industry_policy": ("行业政策限制", "Restricted by industry policy"),
    "incomplete_materials": ("材料不全或不实", "Materials incomplete or inaccurate"),
    "enterprise_withdrew": ("企业放弃申请", "The enterprise withdrew"),
    "unreachable": ("无法联系企业", "The enterprise could not be reached"),
    "other": ("其他原因", "Other reasons"),
}

NOTICE_TEXTS = {
    "finance.demand_published": "【青融通】您的融资需求（{amount_yuan} 元）已发布，金融机构接单后将与您联系。",
    "finance.demand_claimed": "【青融通】{institution_name}已受理您的融资需求，将在 1 个工作日内与您联系。",
    "finance.demand_released": "【青融通】{institution_name}未在时限内联系您，您的融资需求已重新发布。",
    "finance.demand_contacted": "【青融通】{institution_name}已与您联系。",
    "finance.demand_approved": "【青融通】{institution_name}已审批您的融资需求：{amount_yuan} 元，年利率 {rate_percent}%，期限 {term_months} 个月。",
    "finance.demand_disbursed": "【青融通】{institution_name}已放款 {amount_yuan} 元。",
    "finance.demand_rejected": "【青融通】{institution_name}未通过您的融资需求：{reason_text}",
}


def page_vocabulary() -> dict[str, Any]:
    def pairs(table: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
        return [{"code": code, "zh": zh, "en": en} for code, (zh, en) in table.items()]

    return {"guarantees": pairs(GUARANTEES), "channels": pairs(CHANNELS), "reject_reasons": pairs(REJECT_REASONS)}
