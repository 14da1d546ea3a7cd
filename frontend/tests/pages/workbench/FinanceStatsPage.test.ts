import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { type FinanceStatRow, formatCell, isPeriod, shanghaiMonth, sortRows, topByClaims } from '@/pages/workbench/financeStats'

import { problem, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { ENTERPRISE_ME, SUPERVISOR_ME } from '../../support/people'

const ZERO = {
  claimed: 0, contacted: 0, approved: 0, rejected: 0, disbursed: 0, released: 0, approval_rate: null, approved_over_asked: null,
  avg_publish_to_claim_hours: null, avg_claim_to_contact_hours: null, approved_fen: 0, disbursed_fen: 0,
}

function row(key: string, fields: Partial<FinanceStatRow> = {}): FinanceStatRow {
  return { key, name: key, name_en: null, ...ZERO, ...fields }
}

const QRCB = row('bank-qrcb', {
  name: '青岛农商银行', name_en: 'Qingdao Rural Commercial Bank', claimed: 2, contacted: 1, approved: 1, disbursed: 1, released: 1,
  approval_rate: 1, approved_over_asked: 0.58, avg_publish_to_claim_hours: 2, avg_claim_to_contact_hours: 0.5,
  approved_fen: 29_000_000, disbursed_fen: 29_000_000,
})
const QDCCB = row('bank-qdccb', { name: '青岛银行', name_en: 'Bank of Qingdao', claimed: 1, rejected: 1, approval_rate: 0, avg_publish_to_claim_hours: 0.5 })
const CITY_ROW = row('city', { name: '青岛市', name_en: 'Qingdao', claimed: 3, approved: 1, rejected: 1, approval_rate: 0.5 })
const LAOSHAN_ADMIN = { sub: 'admin-laoshan', role: 'admin', org_id: 'unit-laoshan-approval', district: '370212', name: '王强' }

describe('financing statistics: arithmetic of the page', () => {
  it('sorts with rows without a value last in either direction, ties by key', () => {
    const rows = [row('a', { approval_rate: 0.5 }), row('b'), row('c', { approval_rate: 1 }), row('d', { approval_rate: 0.5 })]
    expect(sortRows(rows, 'approval_rate', 'descending').map((r) => r.key)).toEqual(['c', 'a', 'd', 'b'])
    expect(sortRows(rows, 'approval_rate', 'ascending').map((r) => r.key)).toEqual(['a', 'd', 'c', 'b'])
    expect(rows.map((r) => r.key)).toEqual(['a', 'b', 'c', 'd']) // not sorted in place
  })

  it('charts the 15 with the most claims', () => {
    const rows = Array.from({ length: 20 }, (_, i) => row(`bank-${String(i).padStart(2, '0')}`, { claimed: i }))
    const top = topByClaims(rows)
    expect(top).toHaveLength(15)
    expect(top[0]!.claimed).toBe(19)
    expect(top[14]!.claimed).toBe(5)
  })

  it('formats counts, shares, hours and fen, and says when there is no sample', () => {
    expect(formatCell('claimed', 1234, 'zh-CN', '暂无数据')).toBe('1,234')
    expect(formatCell('approval_rate', 0.5, 'zh-CN', '暂无数据')).toBe('50.0%')
    expect(formatCell('approved_over_asked', null, 'zh-CN', '暂无数据')).toBe('暂无数据')
    expect(formatCell('avg_claim_to_contact_hours', 0.5, 'en', 'No data')).toBe('0.5')
    expect(formatCell('approved_fen', 29_000_000, 'zh-CN', '')).toBe('¥290,000.00')
  })

  it('takes a month or a year, and knows the month in Qingdao', () => {
    expect(['2026-11', '2026'].map(isPeriod)).toEqual([true, true])
    expect(['2026-13', '26-11', '2026-1', ''].map(isPeriod)).toEqual([false, false, false, false])
    expect(shanghaiMonth(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12') // already December in Qingdao
  })
})

describe('financing statistics page', () => {
  afterEach(() => vi.useRealTimers())

  it('shows the city-wide rows by bank with totals, charts and a table sortable by keyboard', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-20T02:00:00Z'), toFake: ['Date'] })
    const api = signedInAs(SUPERVISOR_ME, {
      'GET /api/finance/stats': (call) => ({
        body: { period: new URL(call.url, 'http://x').searchParams.get('period'), by: new URL(call.url, 'http://x').searchParams.get('by'),
                items: [QRCB, QDCCB], totals: CITY_ROW },
      }),
    })
    const { wrapper } = await renderApp('/workbench/finance/stats', { token: 'token-sup' })

    expect(wrapper.find('h1').text()).toBe('融资统计')
    const first = api.called('GET /api/finance/stats')[0]!.url
    expect(first).toContain('period=2026-11')
    expect(first).toContain('by=bank')
    expect(wrapper.find('[data-testid="finance-stats-totals"] [data-stat="approval_rate"]').text()).toContain('50.0%')
    const keys = () => wrapper.findAll('[data-testid="finance-stats-table"] tbody tr').map((tr) => tr.attributes('data-key'))
    expect(keys()).toEqual(['bank-qrcb', 'bank-qdccb'])
    expect(wrapper.find('[data-key="bank-qrcb"]').text()).toContain('¥290,000.00')
    expect(wrapper.find('[data-key="bank-qdccb"]').text()).toContain('暂无数据')

    await wrapper.find('[data-sort="rejected"]').trigger('click')
    expect(keys()).toEqual(['bank-qdccb', 'bank-qrcb'])
    expect(wrapper.find('th[aria-sort="descending"]').text()).toContain('拒绝数')

    await wrapper.find('input[type="radio"][value="district"]').setValue(true)
    await flushPromises()
    expect(api.called('GET /api/finance/stats').at(-1)!.url).toContain('by=district')
    await wrapper.find('#finance-stats-period-kind').setValue('year')
    await flushPromises()
    expect(api.called('GET /api/finance/stats').at(-1)!.url).toContain('period=2026&')
    expect(wrapper.find('.workbench-nav').text()).toContain('融资统计')
  })

  it("offers a district's reader no city-wide banks", async () => {
    const api = signedInAs(LAOSHAN_ADMIN, {
      'GET /api/finance/stats': { body: { period: '2026-11', by: 'district', items: [row('370212', { name: '崂山区', claimed: 1 })], totals: row('370212', { name: '崂山区', claimed: 1 }) } },
    })
    const { wrapper } = await renderApp('/workbench/finance/stats', { token: 'token-admin' })

    expect(api.called('GET /api/finance/stats')[0]!.url).toContain('by=district')
    expect(wrapper.find('input[type="radio"][value="bank"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('您只能查看本区（市）的统计')
  })

  it('shows the problem the API answers, and refuses other roles without asking', async () => {
    signedInAs(SUPERVISOR_ME, { 'GET /api/finance/stats': problem(403, 'forbidden', 'no') })
    const { wrapper } = await renderApp('/workbench/finance/stats', { token: 'token-sup' })
    expect(wrapper.find('[data-testid="finance-stats-table"]').exists()).toBe(false)

    const api = signedInAs(ENTERPRISE_ME)
    const other = await renderApp('/workbench/finance/stats', { token: 'token-ent' })
    expect(other.wrapper.find('[role="note"]').text()).toBe('您当前的身份不能使用此页面。')
    expect(api.called('GET /api/finance/stats')).toHaveLength(0)
  })
})
