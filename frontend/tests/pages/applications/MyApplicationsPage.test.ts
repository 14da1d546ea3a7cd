import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { fenToYuanInput, qingdaoToday, yuanText, yuanToFen } from '@/pages/applications/model'

import { listPage, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { STAFF_ME } from '../../support/people'
import { BLUESEA_ME, PROJECT_ID } from './fixtures'

function summary(n: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `app-${n}`,
    project_id: PROJECT_ID,
    project_title: `项目 ${n}`,
    department_id: 'unit-science-tech',
    enterprise_uscc: '91370212MA3EK9W53N',
    enterprise_name: '青岛蓝海软件有限公司',
    status: 'in_review',
    stage_name: '区科技局初审',
    approved_fen: null,
    paid_fen: 0,
    submitted_at: '2026-11-20T02:00:00Z',
    updated_at: '2026-11-20T02:00:00Z',
    ...overrides,
  }
}

describe('my applications', () => {
  it('lists each application with its status, current stage and money in yuan, page by page', async () => {
    const api = signedInAs(BLUESEA_ME, {
      'GET /api/applications': (call) =>
        call.url.includes('cursor=c2')
          ? listPage([summary(3, { status: 'rejected', stage_name: null })])
          : listPage([summary(1), summary(2, { status: 'awarded', stage_name: null, approved_fen: 20_000_000, paid_fen: 5_000_050 })], 'c2'),
    })
    const { wrapper } = await renderApp('/applications', { token: 'token-bluesea' })

    expect(wrapper.find('h1').text()).toBe('我的申报')
    const items = wrapper.findAll('[data-testid="application-item"]')
    expect(items).toHaveLength(2)
    expect(items[0]!.find('a').attributes('href')).toBe('/applications/app-1')
    expect(items[0]!.find('[data-testid="status"]').text()).toBe('审核中')
    expect(items[0]!.find('[data-testid="stage"]').text()).toBe('区科技局初审')
    expect(items[0]!.find('[data-testid="approved"]').text()).toBe('—')
    expect(items[1]!.find('[data-testid="status"]').text()).toBe('待拨付')
    expect(items[1]!.find('[data-testid="stage"]').exists()).toBe(false)
    expect(items[1]!.find('[data-testid="approved"]').text()).toBe('¥200,000.00')
    expect(items[1]!.find('[data-testid="paid"]').text()).toBe('¥50,000.50')

    await wrapper.find('[data-testid="more"]').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-testid="application-item"]')).toHaveLength(3)
    expect(api.called('GET /api/applications')[1]!.url).toContain('cursor=c2')
  })

  it('says when there are none, and is only for enterprises', async () => {
    signedInAs(BLUESEA_ME, { 'GET /api/applications': listPage([]) })
    const view = await renderApp('/applications', { token: 'token-bluesea' })
    expect(view.wrapper.text()).toContain('还没有申报记录。')
    view.wrapper.unmount()

    const api = signedInAs(STAFF_ME)
    const staff = await renderApp('/applications', { token: 'token-zl' })
    expect(staff.wrapper.find('[data-testid="not-enterprise"]').text()).toContain('工作人员')
    expect(api.called('GET /api/applications')).toEqual([])
  })
})

describe('money in fen and yuan', () => {
  it('shows ¥ with two decimals, and reads typed yuan as integer fen', () => {
    expect(yuanText(20_000_000)).toBe('¥200,000.00')
    expect(yuanText(5)).toBe('¥0.05')
    expect(yuanText(null)).toBe('—')
    expect(yuanToFen('200000')).toBe(20_000_000)
    expect(yuanToFen('1,234.5')).toBe(123_450)
    expect(yuanToFen('¥0.07')).toBe(7)
    expect(yuanToFen('0.1')).toBe(10)
    expect(yuanToFen('1.234')).toBeNull()
    expect(yuanToFen('-5')).toBeNull()
    expect(yuanToFen('abc')).toBeNull()
    expect(fenToYuanInput(20_000_000)).toBe('200000')
    expect(fenToYuanInput(12_345)).toBe('123.45')
    expect(fenToYuanInput(null)).toBe('')
    expect(qingdaoToday(Date.parse('2026-11-29T17:00:00Z'))).toBe('2026-11-30')
  })
})

describe('application words', () => {
  it('has a word for exactly the statuses the API sends, in both languages', async () => {
    const { default: document } = await import('@/api/openapi.json')
    const { default: zh } = await import('@/locales/zh-CN')
    const { default: en } = await import('@/locales/en')
    const statuses = [...document.components.schemas.ApplicationSummaryOut.properties.status.enum].sort()
    expect(Object.keys(zh.applications.statuses).sort()).toEqual(statuses)
    expect(Object.keys(en.applications.statuses).sort()).toEqual(statuses)
  })
})
