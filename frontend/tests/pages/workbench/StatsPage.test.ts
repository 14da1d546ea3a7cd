import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'

import { formatRate } from '@/pages/workbench/rates'

import { signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { STAFF_ME, SUPERVISED_UNITS, SUPERVISOR_ME } from '../../support/people'

// jsdom draws no SVG layout; the chart is ECharts' business, the numbers are in the table.
vi.mock('@/pages/workbench/StatsChart.vue', async () => {
  const { defineComponent, h } = await import('vue')
  const StatsChart = defineComponent({
    props: { label: String, names: Array, values: Array, percent: Boolean },
    setup: (props) => () => h('div', { role: 'img', 'aria-label': props.label, 'data-testid': 'chart' }),
  })
  return { __esModule: true, default: StatsChart }
})

describe('rate formatting', () => {
  it('shows null (a zero denominator) as "no data", never 0 or 100 %', () => {
    expect(formatRate('contact_on_time', null, 'zh-CN', '暂无数据')).toBe('暂无数据')
    expect(formatRate('mean_speed', null, 'en', 'No data')).toBe('No data')
    expect(formatRate('return', undefined, 'en', 'No data')).toBe('No data')
  })

  it('shows shares as percentages and mean ratings on the 1–5 scale', () => {
    expect(formatRate('resolve_on_time', 0.8571, 'en', 'No data')).toBe('85.7%')
    expect(formatRate('return', 0, 'en', 'No data')).toBe('0.0%')
    expect(formatRate('satisfaction', 1, 'zh-CN', '暂无数据')).toBe('100.0%')
    expect(formatRate('mean_outcome', 4.25, 'en', 'No data')).toBe('4.25')
  })
})

describe('statistics page', () => {
  it("shows a staff member's own unit's rates with their formulas, null as no data", async () => {
    const api = signedInAs(STAFF_ME, {
      'GET /api/units/unit-tax/appeal-stats': {
        body: {
          scope: 'unit#unit-tax',
          period: 'all',
          counts: { received: 7, contact_due: 4, contact_on_time: 3, confirmations: 0 },
          rates: { contact_on_time: 0.75, satisfaction: null, return: 0 },
        },
      },
    })

    const { wrapper } = await renderApp('/workbench/stats', { token: 'token-staff' })

    expect(api.called('GET /api/units/unit-tax/appeal-stats')[0]!.url).toContain('period=all')
    const rate = (name: string) => wrapper.find(`[data-rate="${name}"]`).text()
    expect(rate('contact_on_time')).toContain('75.0%')
    expect(rate('contact_on_time')).toContain('按时联系数 ÷ 到期的联系时限数')
    expect(rate('satisfaction')).toContain('暂无数据')
    expect(rate('mean_speed')).toContain('暂无数据')
    expect(rate('return')).toContain('0.0%')
    expect(wrapper.find('[data-testid="counts-table"]').text()).toContain('7')
    expect(wrapper.findAll('[data-testid="chart"]')).toHaveLength(2)
  })

  it('names the unit and lets a supervisor choose another unit by name', async () => {
    const stats = (id: string) => ({
      body: { scope: `unit#${id}`, period: 'all', counts: { received: 1 }, rates: { contact_on_time: 1 } },
    })
    const api = signedInAs(SUPERVISOR_ME, {
      'GET /api/units': { body: SUPERVISED_UNITS },
      'GET /api/units/unit-super/appeal-stats': stats('unit-super'),
      'GET /api/units/unit-tax/appeal-stats': stats('unit-tax'),
    })

    const { wrapper } = await renderApp('/workbench/stats', { token: 'token-super' })

    expect(api.called('GET /api/units')).toHaveLength(1)
    expect(wrapper.find('.stats__heading').text()).toContain('市督查室')
    expect(wrapper.find('label[for="stats-unit"]').text()).toBe('单位')
    const select = wrapper.findComponent({ name: 'ElSelect' })
    expect(select.findAllComponents({ name: 'ElOption' }).map((o) => o.props('label'))).toEqual(['市督查室', '市税务局'])
    select.vm.$emit('update:modelValue', 'unit-tax')
    await flushPromises()
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(api.called('GET /api/units/unit-tax/appeal-stats')).toHaveLength(1)
    expect(wrapper.find('.stats__heading').text()).toContain('市税务局')
    expect(wrapper.find('.stats__heading').text()).not.toContain('unit-tax')
  })

  it("shows the unit's id when the directory does not name it", async () => {
    signedInAs(STAFF_ME, {
      'GET /api/units': { body: [] },
      'GET /api/units/unit-tax/appeal-stats': { body: { scope: 'unit#unit-tax', period: 'all', counts: {}, rates: {} } },
    })
    const { wrapper } = await renderApp('/workbench/stats', { token: 'token-staff' })
    expect(wrapper.find('.stats__heading').text()).toContain('unit-tax')
    expect(wrapper.findComponent({ name: 'ElSelect' }).exists()).toBe(false)
  })
})
