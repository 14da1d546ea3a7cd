import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { listPage, problem, signedInAs } from '../../support/api'
import { summary } from '../../support/appeals'
import { renderApp } from '../../support/app'
import { CUSTODIAN_ME } from '../../support/people'

const DISPATCHER_ME = { sub: 'disp-city', role: 'dispatcher', org_id: 'unit-12345', district: '370200', name: '李娜' }
const DISTRICT_DISPATCHER_ME = { ...DISPATCHER_ME, district: '370212' }
const ADMIN_ME = { sub: 'admin-1', role: 'admin', org_id: 'unit-admin', district: '370200', name: '赵强' }

/** Submits the form a field belongs to, as pressing Enter or its submit button would. */
function submitForm(field: Element): void {
  ;(field as HTMLInputElement).form!.requestSubmit()
}

const appeal = summary(9, {
  status: 'pending_dispatch', title: '厂区道路积水', district: '370212', dispatched_at: null, assignee_unit: null, deadlines: null,
})

describe('dispatch queue page', () => {
  it("a district dispatcher sees their district's queue, linking to each appeal", async () => {
    const api = signedInAs(DISTRICT_DISPATCHER_ME, {
      'GET /api/dispatch/appeals': listPage([appeal]),
    })
    const { wrapper } = await renderApp('/workbench/dispatch', { token: 't' })
    expect(api.called('GET /api/dispatch/appeals')[0]!.url).toContain('district=370212')
    const rows = wrapper.findAll('[data-testid="dispatch-row"]')
    expect(rows).toHaveLength(1)
    expect(rows[0]!.find('a').attributes('href')).toBe('/appeals/a9')
  })

  it('a city-level dispatcher chooses a district first', async () => {
    const api = signedInAs(DISPATCHER_ME, {
      'GET /api/dispatch/appeals': listPage([]),
    })
    const { wrapper } = await renderApp('/workbench/dispatch', { token: 't' })
    expect(api.called('GET /api/dispatch/appeals')).toHaveLength(0)
    expect(wrapper.text()).toContain('请选择一个区（市）。')
    await wrapper.find('[data-testid="district"]').setValue('370202')
    await flushPromises()
    expect(api.called('GET /api/dispatch/appeals')[0]!.url).toContain('district=370202')
    expect(wrapper.text()).toContain('该区暂无待分派诉求。')
  })
})

describe('admin page', () => {
  it('lists notices and rules, and shows the per-field errors of a refused notice', async () => {
    const api = signedInAs(ADMIN_ME, {
      'GET /api/calendar/notices': { body: [{ year: 2026, source: '国办发明电〔2025〕7号', loaded_at: null, loaded_by: null }] },
      'GET /api/routing-rules': {
        body: [{ rule_id: 'r1', priority: 100, categories: ['help'], districts: [], keywords: ['税'], unit_id: 'unit-tax', enabled: true, note: null, updated_at: null, updated_by: null }],
      },
      'PUT /api/calendar/notices/2027': problem(422, 'validation_failed', 'The notice is not valid.', [
        { field: 'holidays[0].dates[0]', message: 'not a date' },
      ]),
      'PUT /api/routing-rules/r1': (call) => ({ body: { ...(call.body as object), rule_id: 'r1', updated_at: null, updated_by: 'admin-1' } }),
    })
    const { wrapper } = await renderApp('/workbench/admin', { token: 't' })
    expect(wrapper.find('[data-testid="notices"]').text()).toContain('2026')
    expect(wrapper.findAll('[data-testid="rule"]')).toHaveLength(1)

    await wrapper.find('#notice-json').setValue('{"year": 2027, "source": "x", "published": "2026-11-01", "holidays": [{"name": "元旦", "dates": ["bad"]}]}')
    submitForm(wrapper.find('#notice-json').element)
    await flushPromises()
    expect(api.called('PUT /api/calendar/notices/2027')).toHaveLength(1)
    expect(wrapper.find('[data-testid="notice-errors"]').text()).toContain('holidays[0].dates[0]: not a date')

    await wrapper.find('#notice-json').setValue('{not json')
    submitForm(wrapper.find('#notice-json').element)
    await flushPromises()
    expect(wrapper.text()).toContain('不是有效的 JSON')

    await wrapper.find('[data-testid="rule"] button').trigger('click')
    await wrapper.find('#rule-keywords').setValue('税, 退税')
    submitForm(wrapper.find('#rule-keywords').element)
    await flushPromises()
    expect(api.called('PUT /api/routing-rules/r1')[0]!.body).toMatchObject({ keywords: ['税', '退税'], unit_id: 'unit-tax', categories: ['help'] })
    expect(wrapper.text()).toContain('规则 r1 已保存。')
  })
})

describe('reveal page', () => {
  it('says it is audited, requires a reason and shows the identity', async () => {
    const api = signedInAs(CUSTODIAN_ME, {
      'POST /api/appeals/a9/reveal-identity': { body: { appeal_id: 'a9', identity: { name: '王某', phone: '13800000000' } } },
    })
    const { wrapper } = await renderApp('/workbench/reveal/a9', { token: 't' })
    expect(wrapper.find('[data-testid="audited"]').text()).toContain('审计')

    await wrapper.find('#reveal-reason').setValue('核实')
    submitForm(wrapper.find('#reveal-reason').element)
    await flushPromises()
    expect(api.called('POST /api/appeals/a9/reveal-identity')).toHaveLength(0)
    expect(wrapper.text()).toContain('理由至少需要 5 个字。')

    await wrapper.find('#reveal-reason').setValue('纪检部门调查需要核实举报人')
    submitForm(wrapper.find('#reveal-reason').element)
    await flushPromises()
    expect(api.called('POST /api/appeals/a9/reveal-identity')[0]!.body).toEqual({ reason: '纪检部门调查需要核实举报人' })
    expect(wrapper.find('[data-testid="identity"]').text()).toContain('13800000000')
  })
})
