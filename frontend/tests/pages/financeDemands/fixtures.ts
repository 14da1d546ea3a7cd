import type { VueWrapper } from '@vue/test-utils'

// Answers of the financing API (functions/finance/presenters.py) for the demand and consent pages.
export const DEMAND_ID = 'fd-20261120-a1b2c3d4e5'

export const PUBLISHED = {
  at: '2026-11-20T02:00:00Z',
  action: 'finance.demand_published',
  actor_role: 'enterprise',
  data: { amount_fen: 50_000_000, term_months: 12, channel: 'platform' },
}

export function demand(overrides: Record<string, unknown> = {}) {
  return {
    id: DEMAND_ID,
    enterprise_uscc: '91370202MA3C4R7K75',
    enterprise_name: '青岛正日新精密机械有限公司',
    district: '370202',
    amount_fen: 50_000_000,
    term_months: 12,
    purpose: '购买生产设备，扩大生产线产能',
    guarantee: 'credit',
    channels: ['platform'],
    status: 'open',
    created_at: '2026-11-20T02:00:00Z',
    claimed_by: null,
    claimed_at: null,
    outcome: null,
    reason: null,
    releases: 0,
    duplicate: false,
    events: [PUBLISHED],
    ...overrides,
  }
}

export function consent(overrides: Record<string, unknown> = {}) {
  return {
    id: 'c-20261120100000-ab12cd34',
    institution_id: 'bank-qrcb',
    scope: 'credit_report',
    demand_id: DEMAND_ID,
    standing: false,
    granted_at: '2026-11-20T02:00:00Z',
    expires_at: '2026-12-20T02:00:00Z',
    revoked_at: null,
    live: true,
    ...overrides,
  }
}

function institution(id: string, name_zh: string, name_en: string, kind: string) {
  return { id, name_zh, name_en, short_zh: name_zh, kind, district: '370202', hotline: null, branch_count: 1, branches_by_district: { '370202': 1 }, product_count: 1, categories: ['credit'] }
}

/** GET /api/finance/institutions (the catalogue): the two banks of the journey, and a guarantee company (no consent for it). */
export const INSTITUTIONS = {
  items: [
    institution('bank-qrcb', '青岛农商银行', 'Qingdao Rural Commercial Bank', 'rural_commercial'),
    institution('bank-qdccb', '青岛银行', 'Bank of Qingdao', 'city_commercial'),
    institution('guar-qdrd', '青岛融资担保中心', 'Qingdao Financing Guarantee Center', 'guarantee'),
  ],
  total: 3,
  branch_total: 3,
  product_total: 3,
}

/** Choose `value` in the Element Plus select whose input has `id` (as a click on the option would). */
export function choose(wrapper: VueWrapper, id: string, value: string) {
  const select = wrapper
    .findAllComponents({ name: 'ElSelect' })
    .find((candidate) => candidate.element.querySelector(`#${id}`) !== null || candidate.attributes('id') === id)
  if (!select) throw new Error(`no select #${id}`)
  select.vm.$emit('update:modelValue', value)
}
