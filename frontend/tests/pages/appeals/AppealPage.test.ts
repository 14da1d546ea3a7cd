import { flushPromises, type DOMWrapper } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { fakeApi, problem } from '../../support/api'
import { renderApp } from '../../support/app'
import { ENTERPRISE_ME, STAFF_ME } from '../../support/people'
import { appeal } from './fixtures'

function control(wrapper: DOMWrapper<Element>): DOMWrapper<Element> {
  return ['INPUT', 'TEXTAREA'].includes(wrapper.element.tagName) ? wrapper : wrapper.find('input, textarea')
}

describe("an appeal's page", () => {
  it('shows status, deadlines and the timeline in time order, internal entries flagged', async () => {
    fakeApi({ 'GET /api/auth/me': { body: ENTERPRISE_ME }, 'GET /api/appeals/a1': { body: appeal() } })

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
    const api = fakeApi({
      'GET /api/auth/me': { body: ENTERPRISE_ME },
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
    const api = fakeApi({
      'GET /api/auth/me': { body: STAFF_ME },
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
    fakeApi({ 'GET /api/auth/me': { body: ENTERPRISE_ME }, 'GET /api/appeals/zz': problem(404, 'not_found', 'No appeal zz.') })

    const { wrapper } = await renderApp('/appeals/zz', { token: 'token-wm' })

    expect(wrapper.find('[role="alert"]').text()).toContain('No appeal zz.')
  })
})
