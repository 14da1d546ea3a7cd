import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { problem, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { ENTERPRISE_ME } from '../../support/people'
import { consent, demand, DEMAND_ID, INSTITUTIONS, PUBLISHED } from './fixtures'

const PATH = `/finance/demands/${DEMAND_ID}`
const GET = `GET /api/finance/demands/${DEMAND_ID}`

const DISBURSED = demand({
  status: 'disbursed',
  channels: ['platform', 'xinyidai'],
  claimed_by: 'bank-qrcb',
  claimed_at: '2026-11-20T03:00:00Z',
  outcome: { amount_fen: 29_000_000, annual_rate_bp: 385, term_months: 12, guarantee: 'credit', disbursed_fen: 29_000_000, disbursed_at: '2026-11-25T02:00:00Z' },
  events: [
    PUBLISHED,
    { at: '2026-11-20T02:30:00Z', action: 'finance.demand_merged', actor_role: 'staff', data: { channel: 'xinyidai', amount_fen: 48_000_000, purpose: '购买生产设备扩大产能' } },
    { at: '2026-11-20T03:00:00Z', action: 'finance.demand_claimed', actor_role: 'bank', data: { institution_id: 'bank-qrcb', client_id: 'bank-qrcb-client', contact_by: '2026-11-20T16:00:00Z' } },
    { at: '2026-11-20T05:00:00Z', action: 'finance.demand_contacted', actor_role: 'bank', data: { note: null } },
    { at: '2026-11-22T02:00:00Z', action: 'finance.demand_approved', actor_role: 'bank', data: { amount_fen: 29_000_000, annual_rate_bp: 385, term_months: 12, guarantee: 'credit' } },
    { at: '2026-11-25T02:00:00Z', action: 'finance.demand_disbursed', actor_role: 'bank', data: { amount_fen: 29_000_000 } },
  ],
})

const REJECTED = demand({
  status: 'rejected',
  claimed_by: 'bank-qdccb',
  reason: 'insufficient_collateral',
  releases: 1,
  events: [
    PUBLISHED,
    { at: '2026-11-20T03:00:00Z', action: 'finance.demand_claimed', actor_role: 'bank', data: { institution_id: 'bank-qrcb', client_id: 'c1', contact_by: '2026-11-20T16:00:00Z' } },
    { at: '2026-11-21T16:01:00Z', action: 'finance.demand_released', actor_role: 'system', data: { institution_id: 'bank-qrcb', barred_until: '2026-12-21T16:01:00Z' } },
    { at: '2026-11-22T03:00:00Z', action: 'finance.demand_claimed', actor_role: 'bank', data: { institution_id: 'bank-qdccb', client_id: 'c2', contact_by: '2026-11-23T16:00:00Z' } },
    { at: '2026-11-23T03:00:00Z', action: 'finance.demand_rejected', actor_role: 'bank', data: { reason: 'insufficient_collateral', note: null } },
  ],
})

function events(wrapper: { findAll: (s: string) => { text: () => string }[] }) {
  return wrapper.findAll('[data-testid="event"] p').map((p) => p.text())
}

describe('a financing demand', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('tells each event in words: merged, claimed by whom and by when, approved, disbursed', async () => {
    signedInAs(ENTERPRISE_ME, {
      [GET]: { body: DISBURSED },
      'GET /api/finance/consents': { body: [] },
      'GET /api/finance/institutions': { body: INSTITUTIONS },
    })
    const { wrapper } = await renderApp(PATH, { token: 'token-wm' })

    expect(wrapper.find('[data-testid="status"]').text()).toBe('已放款')
    expect(wrapper.find('[data-testid="claimed-by"]').text()).toBe('青岛农商银行')
    expect(events(wrapper)).toEqual([
      '发布融资需求：¥500,000.00，期限 12 个月（来源：青融通）',
      '同一事项经信易贷再次提交（¥480,000.00），已合并到本需求',
      '青岛农商银行已接单，须在 2026/11/20（含）之前与您联系',
      '青岛农商银行已与您联系',
      '青岛农商银行已审批：¥290,000.00，年利率 3.85%，期限 12 个月',
      '青岛农商银行已放款 ¥290,000.00',
    ])
    const outcome = wrapper.find('[data-testid="outcome"]').text()
    expect(outcome).toContain('¥290,000.00')
    expect(outcome).toContain('3.85%')
    // finished: no consent to offer any more
    expect(wrapper.find('[data-testid="consent"]').exists()).toBe(false)
  })

  it("gives a rejection the platform's reason, and a lapsed claim its release (ids where names are unknown)", async () => {
    signedInAs(ENTERPRISE_ME, { [GET]: { body: REJECTED }, 'GET /api/finance/consents': { body: [] } })
    const { wrapper } = await renderApp(PATH, { token: 'token-wm' })

    expect(events(wrapper)).toEqual([
      '发布融资需求：¥500,000.00，期限 12 个月（来源：青融通）',
      'bank-qrcb已接单，须在 2026/11/20（含）之前与您联系',
      'bank-qrcb未在时限内联系您，需求已退回重新发布',
      'bank-qdccb已接单，须在 2026/11/23（含）之前与您联系',
      'bank-qdccb未通过：担保或抵押不足',
    ])
    expect(wrapper.find('[data-testid="reason"]').text()).toBe('未通过原因：担保或抵押不足')
    expect(wrapper.find('[data-testid="status"]').text()).toBe('未通过')
  })

  it('says the same in English', async () => {
    signedInAs(ENTERPRISE_ME, {
      [GET]: { body: REJECTED },
      'GET /api/finance/consents': { body: [] },
      'GET /api/finance/institutions': { body: INSTITUTIONS },
    })
    const { wrapper } = await renderApp(PATH, { token: 'token-wm', locale: 'en' })
    const lines = events(wrapper)
    expect(lines[2]).toBe('Qingdao Rural Commercial Bank did not contact you in time; the demand was released back to the pool')
    expect(lines[4]).toBe('Bank of Qingdao rejected the demand: Insufficient guarantee or collateral')
  })

  it('offers a claimed demand\'s enterprise to consent to that bank reading its credit report, for 30 days', async () => {
    const claimed = demand({
      status: 'claimed',
      claimed_by: 'bank-qrcb',
      events: [PUBLISHED, { at: '2026-11-20T03:00:00Z', action: 'finance.demand_claimed', actor_role: 'bank', data: { institution_id: 'bank-qrcb', client_id: 'c1', contact_by: '2026-11-20T16:00:00Z' } }],
    })
    const api = signedInAs(ENTERPRISE_ME, {
      [GET]: { body: claimed },
      // a consent to another bank, and one revoked, do not cover it
      'GET /api/finance/consents': { body: [consent({ id: 'c-old', live: false, revoked_at: '2026-11-20T02:30:00Z' }), consent({ id: 'c-other', institution_id: 'bank-qdccb', demand_id: null })] },
      'POST /api/finance/consents': { status: 201, body: consent() },
      'GET /api/finance/institutions': { body: INSTITUTIONS },
    })
    const { wrapper } = await renderApp(PATH, { token: 'token-wm' })

    const button = wrapper.find('[data-testid="consent"]')
    expect(button.text()).toBe('授权该银行查询我的信用报告')
    const before = Date.now()
    await button.trigger('click')
    await flushPromises()

    const [call] = api.called('POST /api/finance/consents')
    const body = call!.body as Record<string, string>
    expect(body).toMatchObject({ institution_id: 'bank-qrcb', demand_id: DEMAND_ID, scope: 'credit_report' })
    const days = (Date.parse(body.expires_at!) - before) / 86_400_000
    expect(days).toBeGreaterThan(29.9)
    expect(days).toBeLessThan(30.1)
    expect(wrapper.find('[data-testid="consent-given"]').text()).toContain('已授权青岛农商银行查询信用报告')
    expect(wrapper.find('[data-testid="consent"]').exists()).toBe(false)
  })

  it('offers no shortcut where a live consent covers the bank already', async () => {
    const contacted = demand({ status: 'contacted', claimed_by: 'bank-qrcb' })
    signedInAs(ENTERPRISE_ME, {
      [GET]: { body: contacted },
      'GET /api/finance/consents': { body: [consent({ institution_id: '*', demand_id: null, standing: true })] },
    })
    const { wrapper } = await renderApp(PATH, { token: 'token-wm' })
    expect(wrapper.find('[data-testid="consent"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="consent-covered"]').text()).toContain('已有有效授权允许该银行查询您的信用报告（全部金融机构')
  })

  it('shows the problem when the demand cannot be read', async () => {
    signedInAs(ENTERPRISE_ME, { [GET]: problem(404, 'not_found', 'No demand fd-x.'), 'GET /api/finance/consents': { body: [] } })
    const { wrapper } = await renderApp(PATH, { token: 'token-wm' })
    expect(wrapper.find('[role="alert"]').text()).toContain('No demand fd-x.')
  })
})
