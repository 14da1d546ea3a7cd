import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { problem, signedInAs, type Call } from '../../support/api'
import { renderApp } from '../../support/app'
import { BLUESEA_ME } from '../policy/fixtures'

const USCC = BLUESEA_ME.org_id
const SHA = 'a'.repeat(64)
const REPORT = {
  format: 'qingdao-credit-report/1',
  report_no: 'CR-20261120-ABCDEFGHJK',
  generated_at: '2026-11-20T10:00:00+08:00',
  subject: { uscc: USCC, name: '青岛蓝海镕喆堃软件有限公司', district: { code: '370212', name_zh: '崂山区' } },
  summary: { penalties: 1 },
  sections: [
    {
      key: 'profile', title_zh: '企业基本信息', title_en: 'Enterprise profile', origin: 'enterprise_profile',
      sources: ['imported'], as_of: '2026-06-30',
      entries: [{ field: 'registered_capital_fen', label_zh: '注册资本', label_en: 'Registered capital', value: 123456789,
        unit: 'fen', source: 'imported', as_of: '2026-06-30' }],
    },
    {
      key: 'penalty', title_zh: '行政处罚', title_en: 'Administrative penalties', origin: 'public_credit_data',
      sources: ['信用中国'], as_of: '2026-02-14',
      entries: [{ item_id: 'penalty#罚1', data: { decision_no: '罚1', amount_fen: 500000 }, source: '信用中国', as_of: '2026-02-14' }],
    },
    { key: 'dishonest', title_zh: '失信被执行人', title_en: 'Dishonest debtors', origin: 'public_credit_data', sources: [], as_of: null, entries: [] },
    { key: 'financing', title_zh: '融资记录', title_en: 'Financing history', origin: 'platform_records', sources: ['青岛市企业服务平台'], as_of: '2026-11-20', entries: [] },
  ],
}
const ANSWER = { report_no: REPORT.report_no, generated_at: REPORT.generated_at, sha256: SHA,
  verify_url: `http://x/api/credit-reports/${REPORT.report_no}/verify`, report: REPORT }
const URL_PATH = `GET /api/enterprises/${USCC}/credit-report`

afterEach(() => vi.unstubAllGlobals())

describe('my credit report page', () => {
  it('issues nothing until asked, then shows the number, time, SHA-256 and every section with its source and date', async () => {
    const api = signedInAs(BLUESEA_ME, { [URL_PATH]: { body: ANSWER } })
    const { wrapper } = await renderApp('/finance/credit-report', { token: 'token-bluesea' })

    expect(wrapper.find('h1').text()).toBe('我的信用报告')
    expect(api.called(URL_PATH)).toHaveLength(0)
    await wrapper.find('[data-testid="generate"]').trigger('click')
    await flushPromises()

    expect(api.called(URL_PATH)[0]!.url).toContain('format=json')
    expect(wrapper.find('[data-testid="report-no"]').text()).toBe('CR-20261120-ABCDEFGHJK')
    expect(wrapper.find('[data-testid="generated-at"]').text()).toBe('2026-11-20 10:00:00')
    expect(wrapper.find('[data-testid="sha256"]').text()).toBe(SHA)
    expect(wrapper.find('[data-testid="verify-link"]').attributes('href')).toBe(`/verify/CR-20261120-ABCDEFGHJK?sha256=${SHA}`)
    expect(wrapper.find('[data-testid="verify-link"]').text()).toBe('核验此报告')
    expect(wrapper.find('#report-subject').text()).toBe('青岛蓝海镕喆堃软件有限公司')
    const profile = wrapper.find('[data-section="profile"]')
    expect(profile.text()).toContain('1,234,567.89 元')
    expect(profile.text()).toContain('政府部门导入 · 2026-06-30')
    const penalty = wrapper.find('[data-section="penalty"]')
    expect(penalty.find('.report__where').text()).toBe('来源：信用中国 · 数据截至：2026-02-14')
    expect(penalty.find('[data-testid="entry"]').text()).toContain('处罚决定书文号：罚1')
    expect(penalty.find('[data-testid="entry"]').text()).toContain('金额（元）：5,000.00')
    expect(wrapper.find('[data-section="dishonest"]').text()).toContain('平台未收到该类数据。')
    expect(wrapper.find('[data-section="financing"]').text()).toContain('无记录。')

    await wrapper.find('[data-testid="toggle-json"]').trigger('click')
    expect(JSON.parse(wrapper.find('[data-testid="json"]').text())).toEqual(REPORT)
    wrapper.unmount()
  })

  it('downloads the PDF with the bearer token', async () => {
    const api = signedInAs(BLUESEA_ME, {
      [URL_PATH]: (call: Call) => (call.url.includes('format=pdf') ? { body: '%PDF-1.4 fake', contentType: 'application/pdf' } : { body: ANSWER }),
    })
    const created = vi.fn(() => 'blob:report')
    Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }) // jsdom has neither
    const clicks: string[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download)
    })
    const { wrapper } = await renderApp('/finance/credit-report', { token: 'token-bluesea' })

    await wrapper.find('[data-testid="download-pdf"]').trigger('click')
    await flushPromises()

    const call = api.called(URL_PATH).at(-1)!
    expect(call.url).toContain('format=pdf')
    expect(call.headers.Authorization).toBe('Bearer token-bluesea')
    expect(call.headers.Accept).toBe('application/pdf')
    expect(created).toHaveBeenCalledOnce()
    expect(clicks).toEqual(['credit-report.pdf'])
    click.mockRestore()
    wrapper.unmount()
  })

  it('shows the HTML version in a sandboxed frame', async () => {
    const api = signedInAs(BLUESEA_ME, {
      [URL_PATH]: (call: Call) => (call.url.includes('format=html')
        ? { body: '<!doctype html><h1>企业信用报告</h1><p>镕喆堃</p>', contentType: 'text/html; charset=utf-8' }
        : { body: ANSWER }),
    })
    const { wrapper } = await renderApp('/finance/credit-report', { token: 'token-bluesea' })
    await wrapper.find('[data-testid="show-html"]').trigger('click')
    await flushPromises()
    const call = api.called(URL_PATH).at(-1)!
    expect(call.url).toContain('format=html')
    expect(call.headers.Accept).toBe('text/html')
    const frame = wrapper.find('[data-testid="html"]')
    expect(frame.attributes('sandbox')).toBe('')
    expect(frame.attributes('srcdoc')).toContain('镕喆堃')
    wrapper.unmount()
  })

  it('shows the API problem, and tells others that reports are for the enterprise itself', async () => {
    signedInAs(BLUESEA_ME, { [URL_PATH]: problem(503, 'unavailable', '字体未安装') })
    const { wrapper } = await renderApp('/finance/credit-report', { token: 'token-bluesea' })
    await wrapper.find('[data-testid="generate"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').exists()).toBe(true)
    wrapper.unmount()

    signedInAs({ sub: 'admin-city', role: 'admin', org_id: 'unit-x', district: '370200', name: '管理员' })
    const other = await renderApp('/finance/credit-report', { token: 'token-admin' })
    expect(other.wrapper.find('[data-testid="enterprise-only"]').exists()).toBe(true)
    expect(other.wrapper.find('[data-testid="generate"]').exists()).toBe(false)
    other.wrapper.unmount()
  })

  it('speaks English', async () => {
    signedInAs(BLUESEA_ME, { [URL_PATH]: { body: ANSWER } })
    const { wrapper } = await renderApp('/finance/credit-report', { token: 'token-bluesea', locale: 'en' })
    expect(wrapper.find('h1').text()).toBe('My credit report')
    await wrapper.find('[data-testid="generate"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-section="penalty"] h3').text()).toBe('Administrative penalties')
    wrapper.unmount()
  })

  it('lists my monthly snapshots, each chained to the month before, with what changed in words', async () => {
    const SNAPSHOTS = `GET /api/enterprises/${USCC}/credit-snapshots`
    const change = { entry: 'penalty:penalty#罚2', section: 'penalty', section_zh: '行政处罚', section_en: 'Administrative penalties', change: 'added' }
    signedInAs(BLUESEA_ME, {
      [SNAPSHOTS]: {
        body: {
          items: [
            { month: '2026-12', sha256: 'd'.repeat(64), previous_month: '2026-11', previous_sha256: 'b'.repeat(64), size: 3100,
              changes: [], written_at: '2026-12-31T17:05:00Z' },
            { month: '2026-11', sha256: 'b'.repeat(64), previous_month: '2026-10', previous_sha256: 'c'.repeat(64), size: 3100,
              changes: [change, { ...change, entry: 'penalty:penalty#罚3' }, { ...change, entry: 'penalty:penalty#罚1', change: 'changed' }],
              written_at: '2026-11-30T17:05:00Z' },
            { month: '2026-10', sha256: 'c'.repeat(64), previous_month: null, previous_sha256: null, size: 3000, changes: [],
              written_at: '2026-10-31T17:05:00Z' },
          ],
        },
      },
    })
    const { wrapper } = await renderApp('/finance/credit-report', { token: 'token-bluesea' })
    await flushPromises()
    const items = wrapper.findAll('[data-testid="snapshot"]')
    expect(items).toHaveLength(3)
    expect(items[0]!.text()).toContain('与上月相比没有变化。')
    items.shift()
    expect(items[0]!.text()).toContain('2026-11 月末')
    expect(items[0]!.text()).toContain(`2026-10 · ${'c'.repeat(64)}`)
    expect(items[0]!.findAll('[data-testid="snapshot-change"]').map((li) => li.text())).toEqual(['行政处罚：新增 2 项', '行政处罚：1 项有变化'])
    expect(items[1]!.text()).toContain('首份快照，留存 0 项信息。')
    wrapper.unmount()
  })

  it('says when there are no snapshots yet', async () => {
    signedInAs(BLUESEA_ME, { [`GET /api/enterprises/${USCC}/credit-snapshots`]: { body: { items: [] } } })
    const { wrapper } = await renderApp('/finance/credit-report', { token: 'token-bluesea' })
    await flushPromises()
    expect(wrapper.find('[data-testid="credit-snapshots"]').text()).toContain('尚无月度快照')
    wrapper.unmount()
  })
})
