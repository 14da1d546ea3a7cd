"""The policy platform's words for its notices (plugin.py `notices`): outbox topic → text, with
{placeholders} from the message's data (functions/notifications/channels.py renders them)."""
from __future__ import annotations

NOTICE_TEXTS = {
    # fanout.py: a newly published project the enterprise's profile makes it eligible for.
    "policy.project_matched": "【青岛政策通】新政策项目《{title}》您可能符合条件，请登录查看。",
    # applications.py, application_states.py, notices.py: an application from submission to money.
    "policy.application_received": "【青岛政策通】{enterprise_name}申报的《{project_title}》待贵单位审核，请于 {due} 前办理。",
    "policy.application_approved": "【青岛政策通】您申报的《{project_title}》已审核通过，核定金额 {amount_yuan} 元，将进行公示。",
    "policy.application_returned": "【青岛政策通】您申报的《{project_title}》被退回修改：{reason}",
    "policy.application_rejected": "【青岛政策通】您申报的《{project_title}》未通过：{reason}",
    "policy.listed": "【青岛政策通】贵企业已列入《{project_title}》免申即享名单，无需申报；如不愿享受，可登录平台放弃。",
    "policy.noticed": "【青岛政策通】《{project_title}》拟支持名单已公示（{notice_id}）。",
    "policy.awarded": "【青岛政策通】《{project_title}》公示期满，贵企业获支持 {amount_yuan} 元，待拨付。",
    "policy.disbursed": "【青岛政策通】《{project_title}》资金 {amount_yuan} 元已拨付（凭证号 {voucher_no}）。",
    "policy.award_declined": "【青岛政策通】{enterprise_name}放弃了《{project_title}》的免申即享资格。",
    "policy.deadline_warning": "【青岛政策通】{enterprise_name}申报的《{project_title}》办理时限即将届满（{due}）。",
    "policy.deadline_breached": "【青岛政策通】{enterprise_name}申报的《{project_title}》已超过办理时限（{due}），请立即办理。",
    "policy.objection_received": "【青岛政策通】《{project_title}》公示收到对{enterprise_name}的实名异议，请核实处理。",
    "policy.objection_answered": "【青岛政策通】您对《{project_title}》公示提出的异议经核实{upheld}：{response}",
    "policy.notice_closed": "【青岛政策通】《{project_title}》公示期满：{awarded} 项转入拨付，{held} 项待异议处理。",
}
