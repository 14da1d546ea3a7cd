"""A small hand-made corpus for the engine's unit tests (the relevance table uses the policy demo)."""
from __future__ import annotations

from datetime import date

from functions.search.index import SearchItem

TODAY = date(2026, 11, 20)

ITEMS = [
    SearchItem(id="doc-giant", kind="document", title="青岛市支持专精特新“小巨人”企业高质量发展的若干措施",
               doc_number="青科规〔2025〕3号", topics=("专精特新", "研发投入"), level="municipal",
               department="unit-science-tech", status="effective", published_on=date(2025, 3, 1),
               body="对新认定的国家级专精特新小巨人企业，给予一次性奖励100万元。\n已获奖励的企业不重复支持。"),
    SearchItem(id="doc-jobs", kind="document", title="关于做好2025年失业保险稳岗返还工作的通知",
               doc_number="青人社发〔2025〕12号", topics=("稳岗",), level="municipal", department="unit-hr",
               status="effective", published_on=date(2025, 4, 2),
               body="不裁员或少裁员的参保企业，按上年度实际缴纳社会保险费的50%返还。<b>申请</b>在线办理。"),
    SearchItem(id="proj-first-set", kind="project", title="首台(套)重大技术装备保险补偿", topics=("首台套",),
               level="municipal", department="unit-industry", status="open", closes_on=date(2026, 11, 25),
               body="对投保首台（套）重大技术装备综合保险的企业，按保费的80%给予补偿。"),
    SearchItem(id="proj-high-tech", kind="project", title="高新技术企业认定奖励", topics=("高企",),
               level="district", district="370212", department="unit-science-tech", status="open",
               closes_on=date(2026, 12, 15), body="首次通过认定的高新技术企业奖励20万元；氢燃料电池领域优先。"),
    SearchItem(id="proj-loan", kind="project", title="小微企业贷款贴息", topics=("融资",), level="district",
               district="370211", department="unit-finance", status="upcoming", closes_on=date(2027, 3, 31),
               body="对小微企业在银行取得的流动资金贷款，按实际支付利息的50%给予贴息。"),
    SearchItem(id="doc-refund", kind="document", title="关于进一步加大增值税留抵退税政策实施力度的公告",
               doc_number="财政部 税务总局公告2022年第14号", topics=("税收",), level="national",
               department="unit-tax", status="effective", published_on=date(2022, 3, 21),
               body="加大小微企业增值税期末留抵退税政策力度，按月全额退还增量留抵税额。"),
    SearchItem(id="news-upgrade", kind="news", title="我市今年新增小升规企业386家", topics=("小升规",),
               level="municipal", department="unit-industry", status="published", published_on=date(2025, 12, 30),
               body="全市新增规模以上工业企业386家，对首次升规的企业给予奖励。"),
    SearchItem(id="proj-digital", kind="project", title="中小企业数字化转型试点项目", topics=("数字化转型", "技术改造"),
               level="provincial", department="unit-industry", status="closed", closes_on=date(2026, 10, 31),
               body="支持企业开展智能化技术改造和数字化车间建设。"),
]
