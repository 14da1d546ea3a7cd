import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { listPage, signedInAs } from '../../support/api'
import { deadline, summary } from '../../support/appeals'
import { renderApp } from '../../support/app'
import { STAFF_ME, SUPERVISED_UNITS, SUPERVISOR_ME } from '../../support/people'

const NOW = new Date('2026-11-20T12:00:00Z')

function item(n: number, clock: string, unitId: string, due: string, overrides: Record<string, unknown> = {}) {
  return {
    appeal: summary(n, { assignee_unit: 'unit-tax' }),
    clock,
    unit_id: unitId,
    deadline: deadline('2026-11-20T00:00:00Z', due, overrides),
    warned_at: '2026-11-20T09:36:00+08:00',
  }
}

describe('supervision page', () => {
  afterEach(() => vi.useRealTimers())

  it('lists breached deadlines across units, one row per deadline, the co-unit named on its own', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] })
    const api = signedInAs(SUPERVISOR_ME, {
      'GET /api/units': { body: SUPERVISED_UNITS },
      'GET /api/supervision/appeals': (call) =>
        call.url.includes('state=warned')
          ? listPage([])
          : listPage([
              item(1, 'contact_by', 'unit-tax', '2026-11-20T02:00:00Z', { breached: true }),
              item(1, 'reply_by', SUPERVISED_UNITS[0]!.id, '2026-11-20T10:00:00Z', { breached: true }),
            ]),
    })

    const { wrapper } = await renderApp('/workbench/supervision', { token: 'token-sup' })
    await flushPromises()

    expect(wrapper.find('h1').text()).toBe('超时预警')
    expect(api.called('GET /api/supervision/appeals')[0]!.url).toContain('state=breached')
    const rows = wrapper.findAll('[data-testid="supervision-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.text()).toContain('2小时内联系')
    expect(rows[1]!.text()).toContain('协办单位10个工作日内回复')
    expect(rows[1]!.text()).toContain(SUPERVISED_UNITS[0]!.name)
    expect(rows.map((row) => row.find('[data-testid="countdown"]').attributes('data-level'))).toEqual(['breached', 'breached'])
    expect(rows[0]!.find('a').attributes('href')).toBe('/appeals/a1')

    await wrapper.find('[data-testid="state-warned"] input').setValue(true)
    await flushPromises()
    expect(api.called('GET /api/supervision/appeals').at(-1)!.url).toContain('state=warned')
    expect(wrapper.text()).toContain('目前没有即将超时的期限。')
  })

  it("is not a staff member's page", async () => {
    const api = signedInAs(STAFF_ME, {})
    const { wrapper } = await renderApp('/workbench/supervision', { token: 'token-staff' })
    await flushPromises()
    expect(wrapper.find('[role="note"]').exists()).toBe(true)
    expect(api.called('GET /api/supervision/appeals')).toHaveLength(0)
  })
})
