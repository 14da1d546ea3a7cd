import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'

import type { Schemas } from '@/api/client'
import AppealTable from '@/components/appeals/AppealTable.vue'
import { usePagedList } from '@/composables/usePagedList'
import { createAppI18n } from '@/i18n'
import { createAppRouter } from '@/router'

import { fakeApi } from '../support/api'
import { summary } from '../support/appeals'
import { SUPERVISED_UNITS } from '../support/people'

async function renderTable(props: Record<string, unknown>) {
  const items = [summary(1), summary(2, { assignee_unit: 'unit-super' })] as Schemas['AppealSummaryOut'][]
  const list = usePagedList(async () => ({ items, next_cursor: 'c2' }))
  await list.more()
  const plugins = [createPinia(), createAppI18n('en'), createAppRouter(createMemoryHistory())]
  const wrapper = mount(AppealTable, {
    props: { list, caption: 'Appeals', emptyText: 'None', rowTestid: 'row', ...props },
    global: { plugins },
  })
  await flushPromises()
  return wrapper
}

describe('the workbench table of appeals', () => {
  it('names each appeal\'s unit when asked to (a list across units)', async () => {
    const api = fakeApi({ 'GET /api/units': { body: SUPERVISED_UNITS } })

    const wrapper = await renderTable({ unitColumn: true })

    expect(api.called('GET /api/units')).toHaveLength(1)
    expect(wrapper.findAll('th').map((th) => th.text())).toContain('Unit')
    const units = wrapper.findAll('[data-testid="row"]').map((row) => row.findAll('td')[2]!.text())
    expect(units).toEqual(['Qingdao Tax Bureau', '市督查室'])
    expect(wrapper.find('[data-testid="more"]').exists()).toBe(true)
  })

  it('shows neither the unit nor the countdown unless asked', async () => {
    const api = fakeApi({})

    const wrapper = await renderTable({})

    expect(wrapper.findAll('th')).toHaveLength(4)
    expect(wrapper.find('[data-testid="countdown"]').exists()).toBe(false)
    expect(api.called('GET /api/units')).toHaveLength(0)
  })
})
