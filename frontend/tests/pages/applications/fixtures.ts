// Answers of the applications API as the pages read them (functions/policy/application_schemas.py).
import { BLUESEA_ME, DOCUMENT, PROJECT } from '../policy/fixtures'

export { BLUESEA_ME, DOCUMENT }

export const FORM_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  title: '高新技术企业认定奖励申报表',
  properties: {
    contact: { type: 'string', title: '联系人', maxLength: 20 },
    phone: { type: 'string', title: '联系电话', pattern: '^1[3-9][0-9]{9}$|^0[0-9]{2,3}-?[0-9]{7,8}$', description: '手机或固定电话' },
    cert_date: { type: 'string', format: 'date', title: '认定日期' },
    rd_expense: { type: 'integer', title: '上年度研发投入金额（元）', minimum: 0 },
    scale: { type: 'string', title: '企业规模', enum: ['小型', '中型'] },
    first_time: { type: 'boolean', title: '首次认定' },
  },
  required: ['contact', 'phone', 'cert_date', 'rd_expense'],
  additionalProperties: false,
}

export const PROJECT_ID = PROJECT.id
export const PROJECT_WITH_FORM = {
  ...PROJECT,
  content: {
    ...PROJECT.content,
    amount: { kind: 'fixed', amount_fen: 20_000_000 },
    review_stages: [
      { name: '区科技局初审', unit_id: 'unit-science-tech' },
      { name: '市科技局复审', unit_id: 'unit-science-tech' },
    ],
    form: FORM_SCHEMA,
  },
}

export const ANSWERS = { contact: '李娜', phone: '13912345678', cert_date: '2026-10-28', rd_expense: 3200000, first_time: true }

const STAGES = [
  { name: '区科技局初审', unit_id: 'unit-science-tech', working_days: 10 },
  { name: '市科技局复审', unit_id: 'unit-science-tech', working_days: 10 },
]

export function application(overrides: Record<string, unknown> = {}) {
  return {
    id: 'app-1',
    project_id: PROJECT_ID,
    project_title: PROJECT.content.title,
    department_id: 'unit-science-tech',
    enterprise_uscc: '91370212MA3EK9W53N',
    enterprise_name: '青岛蓝海软件有限公司',
    status: 'in_review',
    no_application: false,
    stage: 0,
    stages: STAGES,
    form: ANSWERS,
    attachments: ['file:f1'],
    cap_fen: 20_000_000,
    approved_fen: null,
    paid_fen: 0,
    payments: [],
    decisions: [],
    reason: null,
    notice_id: null,
    rating: null,
    submitted_at: '2026-11-20T02:00:00Z',
    steps: [
      { step: 'submitted', name: null, owner: '91370212MA3EK9W53N', state: 'done', due: null, done_at: '2026-11-20T02:00:00Z', breached: false },
      { step: 'review', name: '区科技局初审', owner: 'unit-science-tech', state: 'current', due: '2099-12-04T09:00:00Z', done_at: null, breached: false },
      { step: 'review', name: '市科技局复审', owner: 'unit-science-tech', state: 'waiting', due: null, done_at: null, breached: false },
      { step: 'notice', name: null, owner: 'unit-science-tech', state: 'waiting', due: null, done_at: null, breached: false },
      { step: 'payment', name: null, owner: 'unit-science-tech', state: 'waiting', due: null, done_at: null, breached: false },
    ],
    events: [{ at: '2026-11-20T02:00:00Z', action: 'application.submitted', actor_role: 'enterprise', data: {} }],
    available_actions: ['withdraw'],
    ...overrides,
  }
}

/** An award on its way to the money: approved at both stages, through the notice, part paid. */
export function awarded(overrides: Record<string, unknown> = {}) {
  return application({
    status: 'awarded',
    stage: 2,
    approved_fen: 20_000_000,
    paid_fen: 5_000_000,
    payments: [{ amount_fen: 5_000_000, paid_on: '2026-11-30', voucher_no: 'QDKJ-2026-0001', recorded_at: '2026-11-30T02:00:00Z' }],
    decisions: [
      { stage: 0, unit_id: 'unit-science-tech', decision: 'returned', amount_fen: null, text: '请补充证书扫描件', at: '2026-11-21T02:00:00Z' },
      { stage: 0, unit_id: 'unit-science-tech', decision: 'approved', amount_fen: 20_000_000, text: '材料齐全', at: '2026-11-22T02:00:00Z' },
      { stage: 1, unit_id: 'unit-science-tech', decision: 'approved', amount_fen: 20_000_000, text: '', at: '2026-11-23T02:00:00Z' },
    ],
    steps: [
      { step: 'submitted', name: null, owner: '91370212MA3EK9W53N', state: 'done', due: null, done_at: '2026-11-20T02:00:00Z', breached: false },
      { step: 'review', name: '区科技局初审', owner: 'unit-science-tech', state: 'done', due: '2026-12-04T09:00:00Z', done_at: '2026-11-22T02:00:00Z', breached: false },
      { step: 'review', name: '市科技局复审', owner: 'unit-science-tech', state: 'done', due: '2026-11-20T09:00:00Z', done_at: '2026-11-23T02:00:00Z', breached: true },
      { step: 'notice', name: null, owner: 'unit-science-tech', state: 'done', due: '2026-11-28T09:00:00Z', done_at: '2026-11-28T09:00:00Z', breached: false },
      { step: 'payment', name: null, owner: 'unit-science-tech', state: 'current', due: '2099-12-28T09:00:00Z', done_at: null, breached: false },
    ],
    events: [
      { at: '2026-11-20T02:00:00Z', action: 'application.submitted', actor_role: 'enterprise', data: {} },
      { at: '2026-11-21T02:00:00Z', action: 'application.returned', actor_role: 'staff', data: { stage: 0, reason: '请补充证书扫描件' } },
      { at: '2026-11-30T02:00:00Z', action: 'application.disbursed', actor_role: 'staff', data: { amount_fen: 5_000_000, paid_on: '2026-11-30', voucher_no: 'QDKJ-2026-0001' } },
    ],
    available_actions: ['disburse'],
    ...overrides,
  })
}

export const REVIEWER_ME = { sub: 'staff-science', role: 'staff', org_id: 'unit-science-tech', district: '370200', name: '赵强' }
export const UNITS = [
  { id: 'unit-science-tech', name: '市科学技术局', name_en: 'Qingdao Science and Technology Bureau', district: '370200', level: 'city', roles: ['staff'] },
]
