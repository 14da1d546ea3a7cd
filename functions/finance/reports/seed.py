"""Demo public credit data for the demo enterprises (local and dev stages; conditional puts, so it can
run again). The registration data agrees with their profiles (functions/enterprises/seed.py); one
legal representative's name has the rare characters a report must print (镕喆堃)."""
from __future__ import annotations

from datetime import date

from functions.finance.reports.compose import item_id
from functions.finance.reports.models import CreditItem
from functions.shared.models import put_if_absent

WAN = 1_000_000  # fen in 1 万元
GSXT = "国家企业信用信息公示系统"
CREDIT_CHINA = "信用中国（山东青岛）"
COURT = "中国执行信息公开网"
TAX = "国家税务总局青岛市税务局"
HRSS = "青岛市人力资源和社会保障局"
SEEDED_AT = "2026-11-01T00:00:00.000000Z"

# uscc → [(kind, source, as_of, data)]
ITEMS: dict[str, list[tuple[str, str, date, dict]]] = {
    "91370202MA3C4R7K75": [  # 青岛正日信企业管理有限公司, 市南区
        ("registration", GSXT, date(2026, 6, 30), {
            "name": "青岛正日信企业管理有限公司", "legal_representative": "郑镕喆", "status": "存续（在营、开业、在册）",
            "registered_capital_fen": 500 * WAN, "founded_on": "2016-05-18",
            "address": "山东省青岛市市南区香港中路 10 号", "authority": "青岛市市南区市场监督管理局"}),
        ("licence", CREDIT_CHINA, date(2026, 3, 12), {
            "licence_no": "青市南人社许〔2026〕8号", "title": "劳务派遣经营许可", "authority": "青岛市市南区人力资源和社会保障局",
            "valid_from": "2026-03-12", "valid_to": "2029-03-11"}),
        ("tax_credit", TAX, date(2026, 4, 30), {"rating": "A", "year": 2025}),
        ("social_insurance", HRSS, date(2026, 10, 31), {"headcount": 12, "month": "2026-10"}),
        ("utility", "青岛供电公司", date(2026, 10, 31), {"utility": "electricity", "months": 12, "on_time_months": 12,
                                                      "arrears_fen": 0}),
        ("honour", CREDIT_CHINA, date(2025, 12, 20), {"title": "青岛市守合同重信用企业", "awarded_by": "青岛市市场监督管理局",
                                                     "awarded_on": "2025-12-20"}),
    ],
    "91370211MA3D2H8N0J": [  # 青岛西海岸新区海联国际贸易有限公司, 黄岛区
        ("registration", GSXT, date(2026, 6, 30), {
            "name": "青岛西海岸新区海联国际贸易有限公司", "legal_representative": "王堃", "status": "存续（在营、开业、在册）",
            "registered_capital_fen": 2000 * WAN, "founded_on": "2018-09-06",
            "authority": "青岛市黄岛区市场监督管理局"}),
        ("penalty", CREDIT_CHINA, date(2026, 2, 14), {
            "decision_no": "青黄市监罚〔2026〕31号", "authority": "青岛市黄岛区市场监督管理局",
            "reason": "未按规定公示年度报告", "penalty": "警告，罚款", "amount_fen": 5000 * 100,
            "decided_on": "2026-02-14"}),
        ("tax_credit", TAX, date(2026, 4, 30), {"rating": "B", "year": 2025}),
        ("social_insurance", HRSS, date(2026, 10, 31), {"headcount": 45, "month": "2026-10"}),
    ],
}


def demo_items() -> list[CreditItem]:
    return [CreditItem(uscc=uscc, item_id=item_id(kind, data), kind=kind, source=source, as_of=as_of.isoformat(),
                       data=data, imported_at=SEEDED_AT, imported_by="seed")
            for uscc, items in ITEMS.items() for kind, source, as_of, data in items]


def seed() -> dict[str, int]:
    return {"credit_items": sum(put_if_absent(item, CreditItem.uscc) for item in demo_items())}
