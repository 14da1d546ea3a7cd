import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { fakeApi, problem } from '../../support/api'
import { renderApp } from '../../support/app'
import { appeal } from '../../support/appeals'

describe('follow a report with its receipt code', () => {
  it('reads the report with the Receipt-Code header, without signing in, and rates it', async () => {
    const report = appeal({ category: 'report', confidential: true, anonymous: true, contact: null, status: 'closed', available_actions: ['rate'] })
    const api = fakeApi({
      'GET /api/receipt': (call) => (call.headers['Receipt-Code'] === 'K7QX-M2PD' ? { body: report } : problem(404, 'not_found', '回执码无效')),
      'POST /api/receipt/rate': { body: { ...report, rating: { speed: 5, attitude: 4, outcome: 3, comment: null }, available_actions: [] } },
    })
    const { wrapper } = await renderApp('/appeals/receipt')

    expect(wrapper.find('h1').text()).toBe('回执码查询')
    await wrapper.find('#receipt-code').setValue('K7QX-M2PD')
    await wrapper.find('.receipt-page__form').trigger('submit')
    await flushPromises()

    expect(api.called('GET /api/receipt')[0]!.headers['Receipt-Code']).toBe('K7QX-M2PD')
    expect(api.called('GET /api/receipt')[0]!.headers.Authorization).toBeUndefined()
    expect(wrapper.find('[data-testid="status"]').text()).toBe('已办结')

    await wrapper.find('[data-testid="action-rate"]').trigger('click')
    for (const [name, stars] of [['speed', 5], ['attitude', 4], ['outcome', 3]] as const) {
      await wrapper.findAll(`[data-testid="rate-${name}"] .el-rate__item`)[stars - 1]!.trigger('click')
    }
    await wrapper.find('[data-testid="form-rate"]').trigger('submit')
    await flushPromises()

    const [rate] = api.called('POST /api/receipt/rate')
    expect(rate!.headers['Receipt-Code']).toBe('K7QX-M2PD')
    expect(rate!.body).toEqual({ speed: 5, attitude: 4, outcome: 3, comment: null })
    expect(wrapper.text()).toContain('办理速度 5 星，服务态度 4 星，办理结果 3 星')
  })

  it('says so when the code is wrong', async () => {
    fakeApi({ 'GET /api/receipt': problem(404, 'not_found', '回执码无效') })
    const { wrapper } = await renderApp('/appeals/receipt')

    await wrapper.find('#receipt-code').setValue('WRONG')
    await wrapper.find('.receipt-page__form').trigger('submit')
    await flushPromises()

    expect(wrapper.find('[role="alert"]').text()).toContain('回执码无效')
  })
})
