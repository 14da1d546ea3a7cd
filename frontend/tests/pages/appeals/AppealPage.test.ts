import { flushPromises, type DOMWrapper } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { problem, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { CUSTODIAN_ME, ENTERPRISE_ME, STAFF_ME } from '../../support/people'
import { appeal } from '../../support/appeals'

function control(wrapper: DOMWrapper<Element>): DOMWrapper<Element> {
  return ['INPUT', 'TEXTAREA'].includes(wrapper.element.tagName) ? wrapper : wrapper.find('input, textarea')
}

describe("an appeal's page", () => {
  it('shows status, deadlines and the timeline in time order, internal entries flagged', async () => {
    signedInAs(ENTERPRISE_ME, { 'GET /api/appeals/a1': { body: appeal() } })

    const { wrapper } = await renderApp('/appeals/a1', { token: 'token-wm' })

    expect(wrapper.find('h1').text()).toBe('留抵退税迟迟未到账')
    expect(wrapper.find('[data-testid="status"]').text()).toBe('已办理待确认')
    const deadlines = wrapper.findAll('[data-testid="deadline"]')
    expect(deadlines).toHaveLength(3)
    expect(deadlines[0]!.text()).toContain('已于 2026/11/20 11:00 完成')
    expect(deadlines[2]!.classes()).toContain('countdown--ok')
    const entries = wrapper.findAll('.timeline__entry')
    expect(entries.map((e) => e.find('p').text())).toEqual(['企业提交诉求', '内部备注：转交税源管理科', '承办单位已电话联系企业'])
    expect(entries[1]!.text()).toContain('内部')
  })

  it('offers exactly the available actions; "not satisfied" reopens and the page shows the answer', async () => {
    const api = signedInAs(ENTERPRISE_ME, {
      'GET /api/appeals/a1': { body: appeal() },
      'POST /api/appeals/a1/confirm': { body: appeal({ status: 'in_progress', satisfied: false, available_actions: [] }) },
    })
    const { wrapper } = await renderApp('/appeals/a1', { token: 'token-wm' })

    const panel = wrapper.find('[data-testid="action-panel"]')
    expect(panel.findAll('button').map((b) => b.text())).toEqual(['确认办理结果'])
    await panel.find('[data-testid="action-confirm"]').trigger('click')
    await panel.find('form').trigger('submit')
    expect(panel.text()).toContain('请选择')
    expect(api.called('POST /api/appeals/a1/confirm')).toEqual([])

    await panel.find('[data-testid="satisfied-no"]').setValue(true)
    await control(panel.find('[data-testid="field-comment"]')).setValue('仍未到账')
    await panel.find('form').trigger('submit')
    await flushPromises()

    expect(api.called('POST /api/appeals/a1/confirm')[0]!.body).toEqual({ satisfied: false, comment: '仍未到账' })
    expect(wrapper.find('[data-testid="status"]').text()).toBe('办理中')
    expect(wrapper.find('[data-testid="action-done"]').text()).toContain('确认办理结果')
    expect(wrapper.find('[data-testid="action-panel"]').text()).toContain('您当前没有可进行的操作')
  })

  it("gives staff their actions' forms and shows the API's field message", async () => {
    const api = signedInAs(STAFF_ME, {
      'GET /api/appeals/a1': { body: appeal({ status: 'in_progress', available_actions: ['contact', 'feedback', 'request-extension', 'resolve', 'return'] }) },
      'POST /api/appeals/a1/request-extension': problem(422, 'validation_failed', 'Invalid.', [{ field: 'reason', message: '理由过于简单' }]),
    })
    const { wrapper } = await renderApp('/appeals/a1', { token: 'token-zl' })
    const panel = wrapper.find('[data-testid="action-panel"]')
    expect(panel.findAll('.action-panel__choices button').map((b) => b.text())).toEqual(['联系企业', '反馈初步意见', '申请延期', '办结', '退回'])

    await panel.find('[data-testid="action-request-extension"]').trigger('click')
    const days = panel.find('[data-testid="field-working_days"]')
    await control(days).setValue('5')
    await control(panel.find('[data-testid="field-reason"]')).setValue('需要现场核查')
    await panel.find('form').trigger('submit')
    await flushPromises()

    expect(api.called('POST /api/appeals/a1/request-extension')[0]!.body).toEqual({ working_days: 5, reason: '需要现场核查' })
    expect(panel.find('[data-testid="error-reason"]').text()).toBe('理由过于简单')
  })

  it('shows an error with retry when the appeal cannot be read', async () => {
    signedInAs(ENTERPRISE_ME, { 'GET /api/appeals/zz': problem(404, 'not_found', 'No appeal zz.') })

    const { wrapper } = await renderApp('/appeals/zz', { token: 'token-wm' })

    expect(wrapper.find('[role="alert"]').text()).toContain('No appeal zz.')
  })
})

const DISPATCHER_ME = { sub: 'disp-city', role: 'dispatcher', org_id: 'unit-dispatch', district: '370200', name: '李娜' }
const UNITS = [
  { id: 'unit-tax', name: '市税务局', name_en: 'Qingdao Tax Bureau', district: '370200', level: 'city', roles: ['staff'] },
  { id: 'unit-water', name: '市水务管理局', name_en: null, district: '370200', level: 'city', roles: ['staff'] },
  { id: 'unit-road', name: '市南区城管局', name_en: 'Shinan Urban Management', district: '370202', level: 'district', roles: ['staff'] },
]

describe("an appeal's dispatch form", () => {
  it('chooses the lead unit and co-units by name from the directory, and posts their ids', async () => {
    const api = signedInAs(DISPATCHER_ME, {
      'GET /api/appeals/a1': { body: appeal({ status: 'pending_dispatch', available_actions: ['dispatch'] }) },
      'GET /api/units': { body: UNITS },
      'POST /api/appeals/a1/dispatch': { body: appeal({ status: 'dispatched', available_actions: [] }) },
    })
    const { wrapper } = await renderApp('/appeals/a1', { token: 'token-disp' })
    const panel = wrapper.find('[data-testid="action-panel"]')
    expect(api.called('GET /api/units')).toHaveLength(0) // read only when a form needs it

    await panel.find('[data-testid="action-dispatch"]').trigger('click')
    await flushPromises()
    expect(api.called('GET /api/units')).toHaveLength(1)
    expect(panel.find('label[for="action-dispatch-unit_id"]').text()).toBe('承办单位')
    expect(panel.find('label[for="action-dispatch-co_unit_ids"]').text()).toBe('协办单位（可选）')

    const [lead, co] = wrapper.findAllComponents({ name: 'ElSelect' })
    const leadLabels = lead!.findAllComponents({ name: 'ElOption' }).map((o) => o.props('label'))
    expect(leadLabels).toEqual(['市税务局', '市水务管理局', '市南区城管局'])
    // Submitting with no lead unit is refused before the API is asked.
    await panel.find('form').trigger('submit')
    await flushPromises()
    expect(panel.find('[data-testid="error-unit_id"]').text()).toBe('请选择')
    expect(api.called('POST /api/appeals/a1/dispatch')).toHaveLength(0)

    lead!.vm.$emit('update:modelValue', 'unit-tax')
    await flushPromises()
    // The lead unit is not offered again as a co-unit.
    expect(co!.findAllComponents({ name: 'ElOption' }).map((o) => o.props('value'))).toEqual(['unit-water', 'unit-road'])
    co!.vm.$emit('update:modelValue', ['unit-water', 'unit-road'])
    await flushPromises()
    await panel.find('form').trigger('submit')
    await flushPromises()

    expect(api.called('POST /api/appeals/a1/dispatch')[0]!.body).toEqual({ unit_id: 'unit-tax', co_unit_ids: ['unit-water', 'unit-road'] })
    expect(wrapper.find('[data-testid="action-done"]').exists()).toBe(true)
  })

  it('names units in English where the directory has an English name', async () => {
    signedInAs(DISPATCHER_ME, {
      'GET /api/appeals/a1': { body: appeal({ status: 'pending_dispatch', available_actions: ['dispatch'] }) },
      'GET /api/units': { body: UNITS },
    })
    const { wrapper } = await renderApp('/appeals/a1', { token: 'token-disp', locale: 'en' })
    await wrapper.find('[data-testid="action-dispatch"]').trigger('click')
    await flushPromises()
    const lead = wrapper.findAllComponents({ name: 'ElSelect' })[0]!
    expect(lead.findAllComponents({ name: 'ElOption' }).map((o) => o.props('label'))).toEqual([
      'Qingdao Tax Bureau',
      '市水务管理局',
      'Shinan Urban Management',
    ])
  })
})

describe("an appeal's links", () => {
  it('sends staff back to the queue and the appellant back to their appeals', async () => {
    signedInAs(STAFF_ME, { 'GET /api/appeals/a1': { body: appeal() } })
    const staff = await renderApp('/appeals/a1', { token: 'token-zl' })
    expect(staff.wrapper.find('[data-testid="back"]').attributes('href')).toBe('/workbench/queue')
    expect(staff.wrapper.find('[data-testid="back"]').text()).toBe('返回单位诉求队列')
    staff.wrapper.unmount()
    sessionStorage.clear()

    signedInAs(ENTERPRISE_ME, { 'GET /api/appeals/a1': { body: appeal() } })
    const owner = await renderApp('/appeals/a1', { token: 'token-wm' })
    expect(owner.wrapper.find('[data-testid="back"]').attributes('href')).toBe('/appeals')
  })

  it('offers a custodian the audited reveal of a confidential reporter, and only then', async () => {
    signedInAs(CUSTODIAN_ME, { 'GET /api/appeals/a1': { body: appeal({ confidential: true }) } })
    const { wrapper } = await renderApp('/appeals/a1', { token: 'token-cust' })
    const link = wrapper.find('[data-testid="reveal-link"]')
    expect(link.attributes('href')).toBe('/workbench/reveal/a1')
    expect(link.text()).toBe('查阅举报人身份（留痕）')
    wrapper.unmount()

    signedInAs(CUSTODIAN_ME, { 'GET /api/appeals/a1': { body: appeal({ confidential: false }) } })
    const plain = await renderApp('/appeals/a1', { token: 'token-cust' })
    expect(plain.wrapper.find('[data-testid="reveal-link"]').exists()).toBe(false)
  })
})
