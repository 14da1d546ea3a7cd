import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import document from '@/api/openapi.json'
import en from '@/locales/en'
import zhCN from '@/locales/zh-CN'

import { listPage, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { ENTERPRISE_ME, STAFF_ME } from '../../support/people'
import { INSTITUTIONS } from './fixtures'

function summary(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    amount_fen: 50_000_000,
    term_months: 12,
    purpose: '购买生产设备，扩大生产线产能',
    status: 'open',
    channels: ['platform'],
    claimed_by: null,
    created_at: '2026-11-20T02:00:00Z',
    ...overrides,
  }
}

describe('my financing demands', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('lists amount, term, status, channels and who claimed each, page by page', async () => {
    const api = signedInAs(ENTERPRISE_ME, {
      'GET /api/finance/demands': (call) =>
        call.url.includes('cursor=next')
          ? listPage([summary('fd-3', { purpose: '补充流动资金', status: 'rejected' })])
          : listPage(
              [
                summary('fd-1', { status: 'claimed', claimed_by: 'bank-qrcb', channels: ['platform', 'xinyidai'] }),
                summary('fd-2', { amount_fen: 20_000_050, term_months: 6, purpose: '支付原材料货款' }),
              ],
              'next',
            ),
      'GET /api/finance/institutions': { body: INSTITUTIONS },
    })
    const { wrapper } = await renderApp('/finance/demands', { token: 'token-wm' })

    expect(wrapper.find('h1').text()).toBe('我的融资需求')
    const items = wrapper.findAll('[data-testid="demand-item"]')
    expect(items).toHaveLength(2)
    expect(items[0]!.find('a').attributes('href')).toBe('/finance/demands/fd-1')
    expect(items[0]!.find('[data-testid="amount"]').text()).toBe('¥500,000.00')
    expect(items[0]!.find('[data-testid="status"]').text()).toBe('已接单')
    expect(items[0]!.find('[data-testid="channels"]').text()).toBe('青融通、信易贷')
    expect(items[0]!.find('[data-testid="claimed-by"]').text()).toBe('青岛农商银行')
    expect(items[0]!.text()).toContain('12 个月')
    expect(items[0]!.text()).toContain('2026/11/20 10:00')
    expect(items[1]!.find('[data-testid="amount"]').text()).toBe('¥200,000.50')
    expect(items[1]!.find('[data-testid="claimed-by"]').text()).toBe('尚未接单')
    expect(api.called('GET /api/finance/demands')[0]!.url).toContain('limit=20')

    await wrapper.find('[data-testid="more"]').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-testid="demand-item"]')).toHaveLength(3)
    expect(wrapper.find('[data-testid="more"]').exists()).toBe(false)
  })

  it('says when there is none yet, and links to posting one', async () => {
    signedInAs(ENTERPRISE_ME, { 'GET /api/finance/demands': listPage([]) })
    const { wrapper } = await renderApp('/finance/demands', { token: 'token-wm' })
    expect(wrapper.text()).toContain('您还没有发布融资需求。')
    expect(wrapper.find('[data-testid="new-demand"]').attributes('href')).toBe('/finance/demands/new')
  })

  it('is for enterprises only', async () => {
    const api = signedInAs(STAFF_ME)
    const { wrapper } = await renderApp('/finance/demands', { token: 'token-staff' })
    expect(wrapper.text()).toContain('“我的融资需求”供企业用户使用，您当前的身份是工作人员。')
    expect(api.called('GET /api/finance/demands')).toEqual([])
  })

  it('is linked from the header for an enterprise, and the workbench offers staff the entry form', async () => {
    signedInAs(ENTERPRISE_ME, { 'GET /api/finance/demands': listPage([]) })
    const { wrapper } = await renderApp('/finance/demands', { token: 'token-wm' })
    expect(wrapper.find('[data-testid="finance-demands-link"]').text()).toBe('我的融资需求')
    expect(wrapper.find('[data-testid="finance-consents-link"]').attributes('href')).toBe('/finance/consents')
  })

  it('is offered to staff in the workbench navigation as the entry form', async () => {
    signedInAs(STAFF_ME)
    const { wrapper } = await renderApp('/workbench/policy-reviews', { token: 'token-staff' })
    const link = wrapper.findAll('.workbench-nav a').find((a) => a.text() === '录入融资需求')
    expect(link?.attributes('href')).toBe('/finance/demands/new')
    expect(wrapper.find('[data-testid="finance-demands-link"]').exists()).toBe(false)
  })

  it('has words in both languages for exactly the demand statuses the API sends', () => {
    const statuses = document.components.schemas.DemandSummaryOut.properties.status.enum
    for (const messages of [zhCN, en]) {
      expect(Object.keys(messages.financeDemands.statuses).sort()).toEqual([...statuses].sort())
    }
  })
})
