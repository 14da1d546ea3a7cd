import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { listPage, problem, signedInAs } from '../../support/api'
import { deadline, summary } from '../../support/appeals'
import { renderApp } from '../../support/app'
import { ENTERPRISE_ME, STAFF_ME, SUPERVISED_UNITS, SUPERVISOR_ME } from '../../support/people'

const NOW = new Date('2026-11-20T12:00:00Z')

describe('unit queue page', () => {
  afterEach(() => vi.useRealTimers())

  it("lists the staff member's unit's appeals, each linking to its page, with coloured countdowns", async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] })
    const api = signedInAs(STAFF_ME, {
      'GET /api/units/unit-tax/appeals': listPage([
        summary(1), // 12 h of 24 gone: plain
        summary(2, { deadlines: { contact_by: deadline('2026-11-20T00:00:00Z', '2026-11-20T14:00:00Z'), feedback_by: null, resolve_by: null } }), // 12 of 14 h: amber
        summary(3, { breached: true, deadlines: { contact_by: deadline('2026-11-19T00:00:00Z', '2026-11-20T00:00:00Z', { breached: true }), feedback_by: null, resolve_by: null } }),
      ]),
    })

    const { wrapper } = await renderApp('/workbench/queue', { token: 'token-staff' })

    expect(wrapper.find('h1').text()).toBe('单位诉求队列')
    expect(api.called('GET /api/units/unit-tax/appeals')[0]!.url).toContain('limit=20')
    const rows = wrapper.findAll('[data-testid="queue-row"]')
    expect(rows).toHaveLength(3)
    expect(rows[0]!.text()).toContain('370200-0000001')
    expect(rows[0]!.text()).toContain('办理中')
    expect(rows[0]!.find('a').attributes('href')).toBe('/appeals/a1')
    const levels = rows.map((row) => row.find('[data-testid="countdown"]').attributes('data-level'))
    expect(levels).toEqual(['ok', 'warning', 'breached'])
    expect(rows[0]!.find('[data-testid="countdown"]').text()).toContain('剩余 12 小时 0 分')
    expect(rows[2]!.find('[data-testid="countdown"]').text()).toContain('已超时')
    expect(wrapper.find('[data-testid="workbench-link"]').exists()).toBe(true)
  })

  it('filters by status and breach, starting again from the first page', async () => {
    const api = signedInAs(STAFF_ME, {
      'GET /api/units/unit-tax/appeals': listPage([summary(1)]),
    })
    const { wrapper } = await renderApp('/workbench/queue', { token: 'token-staff' })

    await wrapper.find('[data-testid="status-filter"]').setValue('resolved')
    await flushPromises()
    await wrapper.find('[data-testid="breached-filter"]').setValue('yes')
    await flushPromises()

    const urls = api.called('GET /api/units/unit-tax/appeals').map((call) => call.url)
    expect(urls).toHaveLength(3)
    expect(urls[1]).toContain('status=resolved')
    expect(urls[1]).not.toContain('breached=')
    expect(urls[2]).toContain('status=resolved')
    expect(urls[2]).toContain('breached=true')
    expect(urls[2]).not.toContain('cursor=')
    expect(wrapper.findAll('[data-testid="queue-row"]')).toHaveLength(1)
  })

  it('loads the next page from the cursor with "more"', async () => {
    const api = signedInAs(STAFF_ME, {
      'GET /api/units/unit-tax/appeals': (call) =>
        call.url.includes('cursor=c2')
          ? listPage([summary(3)])
          : listPage([summary(1), summary(2)], 'c2'),
    })
    const { wrapper } = await renderApp('/workbench/queue', { token: 'token-staff' })
    expect(wrapper.findAll('[data-testid="queue-row"]')).toHaveLength(2)

    await wrapper.find('[data-testid="more"]').trigger('click')
    await flushPromises()

    expect(api.called('GET /api/units/unit-tax/appeals')[1]!.url).toContain('cursor=c2')
    expect(wrapper.findAll('[data-testid="queue-row"]')).toHaveLength(3)
    expect(wrapper.find('[data-testid="more"]').exists()).toBe(false)
  })

  it('shows an empty queue', async () => {
    signedInAs(STAFF_ME, {
      'GET /api/units/unit-tax/appeals': listPage([]),
    })
    const { wrapper } = await renderApp('/workbench/queue', { token: 'token-staff' })
    expect(wrapper.text()).toContain('没有符合条件的诉求。')
  })

  it("shows the API's refusal and retries", async () => {
    let fail = true
    signedInAs(STAFF_ME, {
      'GET /api/units/unit-tax/appeals': () => (fail ? problem(403, 'forbidden', '您无权查看该单位的诉求。') : listPage([summary(1)])),
    })
    const { wrapper } = await renderApp('/workbench/queue', { token: 'token-staff' })

    expect(wrapper.find('[role="alert"]').text()).toContain('您无权查看该单位的诉求。')
    fail = false
    await wrapper.find('[role="alert"] button').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-testid="queue-row"]')).toHaveLength(1)
  })

  it('is not offered to an enterprise', async () => {
    const api = signedInAs(ENTERPRISE_ME)
    const { wrapper } = await renderApp('/workbench/queue', { token: 'token-wm' })
    expect(wrapper.text()).toContain('您当前的身份不能使用此页面。')
    expect(wrapper.find('[data-testid="workbench-link"]').exists()).toBe(false)
    expect(api.calls.filter((call) => call.path.startsWith('/api/units'))).toHaveLength(0)
  })

  it("names the staff member's own unit rather than showing its id", async () => {
    signedInAs(STAFF_ME, {
      'GET /api/units': { body: SUPERVISED_UNITS },
      'GET /api/units/unit-tax/appeals': listPage([summary(1)]),
    })
    const { wrapper } = await renderApp('/workbench/queue', { token: 'token-staff' })
    expect(wrapper.find('.workbench__intro').text()).toBe('本单位（市税务局）的诉求。')
    expect(wrapper.find('caption').text()).toBe('市税务局的诉求')
    expect(wrapper.findComponent({ name: 'ElSelect' }).exists()).toBe(false)
  })

  it('lets an oversight role choose the unit by name, loading its queue', async () => {
    const api = signedInAs(SUPERVISOR_ME, {
      'GET /api/units': { body: SUPERVISED_UNITS },
      'GET /api/units/unit-super/appeals': listPage([]),
      'GET /api/units/unit-tax/appeals': listPage([summary(1)]),
    })
    const { wrapper } = await renderApp('/workbench/queue', { token: 'token-super', locale: 'en' })
    expect(wrapper.find('label[for="queue-unit"]').text()).toBe('Unit')
    const select = wrapper.findComponent({ name: 'ElSelect' })
    expect(select.findAllComponents({ name: 'ElOption' }).map((o) => o.props('label'))).toEqual(['市督查室', 'Qingdao Tax Bureau'])

    select.vm.$emit('update:modelValue', 'unit-tax')
    await flushPromises()

    expect(api.called('GET /api/units/unit-tax/appeals')).toHaveLength(1)
    expect(wrapper.findAll('[data-testid="queue-row"]')).toHaveLength(1)
    expect(wrapper.find('caption').text()).toBe('Appeals of unit Qingdao Tax Bureau')
  })
})
