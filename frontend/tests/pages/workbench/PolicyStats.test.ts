import { describe, expect, it, vi } from 'vitest'

import { signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'

// jsdom draws no SVG layout; the numbers are in the tables.
vi.mock('@/pages/workbench/StatsChart.vue', async () => {
  const { defineComponent, h } = await import('vue')
  const StatsChart = defineComponent({
    props: { label: String, names: Array, values: Array, percent: Boolean },
    setup: (props) => () => h('div', { role: 'img', 'aria-label': props.label, 'data-testid': 'chart', 'data-values': JSON.stringify(props.values) }),
  })
  return { __esModule: true, default: StatsChart }
})

const SCIENCE_STAFF = { sub: 'staff-science', role: 'staff', org_id: 'unit-science-tech', district: '370200', name: '李娜' }
const STATS = {
  department_id: 'unit-science-tech',
  applications: 12,
  approved: 7,
  returned: 3,
  rejected: 1,
  awarded_fen: 20_000_050,
  paid_fen: 15_000_000,
  review_on_time_rate: 0.875,
  ratings: 4,
  average_rating: 4.5,
  grades: { '1': 0, '2': 0, '3': 1, '4': 0, '5': 3 },
}

describe('department policy statistics', () => {
  it('shows counts, money in yuan from fen, the on-time rate, the mean rating and the grades chart', async () => {
    const api = signedInAs(SCIENCE_STAFF, { 'GET /api/departments/unit-science-tech/policy-stats': { body: STATS } })
    const { wrapper } = await renderApp('/workbench/policy-stats', { token: 'token-science' })

    expect(api.called('GET /api/departments/unit-science-tech/policy-stats')).toHaveLength(1)
    const cell = (name: string) => wrapper.find(`[data-stat="${name}"] td`).text()
    expect(cell('applications')).toBe('12')
    expect(cell('returned')).toBe('3')
    expect(cell('awarded')).toContain('200,000.50')
    expect(cell('paid')).toContain('150,000.00')
    expect(cell('reviewOnTime')).toBe('87.5%')
    expect(cell('averageRating')).toBe('4.50')
    expect(wrapper.find('[data-grade="5"] td').text()).toBe('3')
    await vi.dynamicImportSettled()
    const chart = wrapper.find('[data-testid="chart"]')
    expect(chart.attributes('aria-label')).toBe('各评分的评价数（条形图）')
    expect(JSON.parse(chart.attributes('data-values')!)).toEqual([0, 0, 1, 0, 3])
  })

  it('says "no data" where nothing was rated or reviewed', async () => {
    signedInAs(SCIENCE_STAFF, {
      'GET /api/departments/unit-science-tech/policy-stats': {
        body: { ...STATS, review_on_time_rate: null, average_rating: null, ratings: 0, grades: {} },
      },
    })
    const { wrapper } = await renderApp('/workbench/policy-stats', { token: 'token-science', locale: 'en' })
    expect(wrapper.find('[data-stat="reviewOnTime"] td').text()).toBe('No data')
    expect(wrapper.find('[data-stat="averageRating"] td').text()).toBe('No data')
    expect(wrapper.find('[data-grade="1"] td').text()).toBe('0')
  })
})
