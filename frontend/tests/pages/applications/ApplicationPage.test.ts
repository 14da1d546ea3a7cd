import { flushPromises, type DOMWrapper } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { problem, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { application, awarded, BLUESEA_ME, DOCUMENT, PROJECT_ID, PROJECT_WITH_FORM, REVIEWER_ME, UNITS } from './fixtures'

const ROUTES = {
  [`GET /api/projects/${PROJECT_ID}`]: { body: PROJECT_WITH_FORM },
  'GET /api/policies/doc-qd-kj-2025-003': { body: DOCUMENT },
  'GET /api/units': { body: UNITS },
}

function control(wrapper: DOMWrapper<Element>): DOMWrapper<Element> {
  return ['INPUT', 'TEXTAREA'].includes(wrapper.element.tagName) ? wrapper : wrapper.find('input, textarea')
}

describe("an application's page", { timeout: 20_000 }, () => {
  it('shows one timeline from application to money, each step with its owner, deadline and state', async () => {
    signedInAs(BLUESEA_ME, { ...ROUTES, 'GET /api/applications/app-1': { body: application() } })
    const { wrapper } = await renderApp('/applications/app-1', { token: 'token-bluesea' })

    expect(wrapper.find('[data-testid="project-link"]').attributes('href')).toBe(`/policy/projects/${PROJECT_ID}`)
    expect(wrapper.find('[data-testid="status"]').text()).toBe('审核中')
    expect(wrapper.find('[data-testid="enterprise"]').text()).toBe('青岛蓝海软件有限公司')
    const steps = wrapper.findAll('[data-testid="step"]')
    expect(steps.map((s) => s.find('[data-testid="step-title"]').text())).toEqual(['提交申报', '区科技局初审', '市科技局复审', '公示', '资金拨付'])
    expect(steps.map((s) => s.find('[data-testid="step-state"]').text())).toEqual(['已完成', '办理中', '未开始', '未开始', '未开始'])
    // The submission is the enterprise's; the rest are the department's (named from its document's issuer).
    expect(steps[0]!.find('[data-testid="step-owner"]').text()).toBe('青岛蓝海软件有限公司')
    expect(steps[1]!.find('[data-testid="step-owner"]').text()).toBe('青岛市科学技术局')
    expect(steps[0]!.find('[data-testid="step-done"]').text()).toBe('2026/11/20 10:00')
    expect(steps[1]!.attributes('aria-current')).toBe('step')
    expect(steps[1]!.find('[data-testid="deadline"]').classes()).toContain('countdown--ok')
    // The answers under the form's own labels; files to download; what happened.
    const answers = wrapper.find('[data-testid="answers"]').text()
    expect(answers).toContain('联系电话')
    expect(answers).toContain('13912345678')
    expect(answers).toContain('3,200,000')
    expect(wrapper.findAll('[data-testid="attachment-download"]')).toHaveLength(1)
    expect(wrapper.find('[data-testid="events"]').text()).toContain('企业提交申报')
    // Exactly the actions the API offers.
    const panel = wrapper.find('[data-testid="action-panel"]')
    expect(panel.findAll('.application-actions__choices button').map((b) => b.text())).toEqual(['撤回申报'])
  })

  it('shows decisions, payments, a breached step in red, and money in yuan', async () => {
    signedInAs(BLUESEA_ME, { ...ROUTES, 'GET /api/applications/app-1': { body: awarded({ available_actions: [] }) } })
    const { wrapper } = await renderApp('/applications/app-1', { token: 'token-bluesea' })

    expect(wrapper.find('[data-testid="approved"]').text()).toBe('¥200,000.00')
    expect(wrapper.find('[data-testid="paid"]').text()).toBe('¥50,000.00')
    const steps = wrapper.findAll('[data-testid="step"]')
    expect(steps[2]!.find('[data-testid="step-breached"]').text()).toBe('已超时')
    expect(steps[2]!.find('[data-testid="step-due"]').classes()).toContain('steps__late')
    expect(steps[4]!.find('[data-testid="deadline"]').exists()).toBe(true)
    const decisions = wrapper.find('[data-testid="decisions"]').text()
    expect(decisions).toContain('区科技局初审')
    expect(decisions).toContain('退回修改')
    expect(decisions).toContain('请补充证书扫描件')
    expect(decisions).toContain('¥200,000.00')
    const payments = wrapper.find('[data-testid="payments"]')
    expect(payments.findAll('tbody td').map((c) => c.text())).toEqual(['¥50,000.00', '2026/11/30', 'QDKJ-2026-0001'])
    expect(wrapper.find('[data-testid="action-panel"]').text()).toContain('您当前没有可进行的操作')
    const events = wrapper.findAll('[data-testid="events"] li').map((e) => e.text())
    expect(events[1]).toContain('退回修改')
    expect(events[1]).toContain('请补充证书扫描件')
    expect(events[2]).toContain('资金拨付')
    expect(events[2]).toContain('¥50,000.00 · QDKJ-2026-0001')
  })

  it("gives a reviewer approve, return and reject; approve is prefilled with the cap and sent in fen", async () => {
    const api = signedInAs(REVIEWER_ME, {
      ...ROUTES,
      'GET /api/applications/app-1': { body: application({ available_actions: ['approve', 'return', 'reject'] }) },
      'POST /api/applications/app-1/approve': { body: application({ stage: 1, available_actions: [] }) },
    })
    const { wrapper } = await renderApp('/applications/app-1', { token: 'token-science' })
    const panel = wrapper.find('[data-testid="action-panel"]')
    expect(panel.findAll('.application-actions__choices button').map((b) => b.text())).toEqual(['审核通过', '退回修改', '不予通过'])
    // Staff see the unit's name from the units directory.
    expect(wrapper.findAll('[data-testid="step-owner"]')[1]!.text()).toBe('市科学技术局')

    await panel.find('[data-testid="action-approve"]').trigger('click')
    const amount = control(panel.find('[data-testid="field-amount"]'))
    expect((amount.element as HTMLInputElement).value).toBe('200000')
    expect(panel.find('[data-testid="cap"]').text()).toContain('¥200,000.00')
    await amount.setValue('300000')
    await panel.find('form').trigger('submit')
    expect(panel.find('[data-testid="error-amount"]').text()).toBe('不能超过 ¥200,000.00')
    await amount.setValue('150,000.5')
    await control(panel.find('[data-testid="field-comment"]')).setValue('材料齐全')
    await panel.find('form').trigger('submit')
    await flushPromises()

    expect(api.called('POST /api/applications/app-1/approve')[0]!.body).toEqual({ amount_fen: 15_000_050, comment: '材料齐全' })
    expect(wrapper.find('[data-testid="action-done"]').text()).toContain('审核通过')
  })

  it("returns with a reason, showing the API's message beside the field", async () => {
    const api = signedInAs(REVIEWER_ME, {
      ...ROUTES,
      'GET /api/applications/app-1': { body: application({ available_actions: ['approve', 'return', 'reject'] }) },
      'POST /api/applications/app-1/return': problem(422, 'validation_failed', 'Invalid.', [{ field: 'reason', message: '理由过于简单' }]),
    })
    const { wrapper } = await renderApp('/applications/app-1', { token: 'token-science' })
    const panel = wrapper.find('[data-testid="action-panel"]')
    await panel.find('[data-testid="action-return"]').trigger('click')
    await panel.find('form').trigger('submit')
    expect(panel.find('[data-testid="error-reason"]').text()).toBe('此项必填')
    expect(api.called('POST /api/applications/app-1/return')).toEqual([])
    await control(panel.find('[data-testid="field-reason"]')).setValue('请补充')
    await panel.find('form').trigger('submit')
    await flushPromises()
    expect(api.called('POST /api/applications/app-1/return')[0]!.body).toEqual({ reason: '请补充' })
    expect(panel.find('[data-testid="error-reason"]').text()).toBe('理由过于简单')
  })

  it('lets the department record a payment: approved, paid and still owed shown, the rest in fen', async () => {
    const api = signedInAs(REVIEWER_ME, {
      ...ROUTES,
      'GET /api/applications/app-1': { body: awarded() },
      'POST /api/applications/app-1/disburse': {
        body: awarded({ status: 'paid', paid_fen: 20_000_000, available_actions: [] }),
      },
    })
    const { wrapper } = await renderApp('/applications/app-1', { token: 'token-science' })
    const panel = wrapper.find('[data-testid="action-panel"]')
    expect(panel.findAll('.application-actions__choices button').map((b) => b.text())).toEqual(['登记拨付'])
    await panel.find('[data-testid="action-disburse"]').trigger('click')
    expect(panel.find('[data-testid="money-approved"]').text()).toBe('¥200,000.00')
    expect(panel.find('[data-testid="money-paid"]').text()).toBe('¥50,000.00')
    expect(panel.find('[data-testid="money-owed"]').text()).toBe('¥150,000.00')
    const amount = control(panel.find('[data-testid="field-amount"]'))
    expect((amount.element as HTMLInputElement).value).toBe('150000')

    await panel.find('form').trigger('submit')
    expect(panel.find('[data-testid="error-voucher_no"]').text()).toBe('此项必填')
    await amount.setValue('150000.01')
    await panel.find('form').trigger('submit')
    expect(panel.find('[data-testid="error-amount"]').text()).toBe('不能超过尚未拨付的 ¥150,000.00')

    await amount.setValue('150000')
    const date = panel.find('input#app-action-disburse-paid_on')
    expect(wrapper.find('label[for="app-action-disburse-paid_on"]').text()).toBe('拨付日期')
    await date.setValue('2099-01-01')
    await date.trigger('change')
    await panel.find('form').trigger('submit')
    expect(panel.find('[data-testid="error-paid_on"]').text()).toBe('拨付日期不能晚于今天')
    await date.setValue('2026-11-28')
    await date.trigger('change')
    await control(panel.find('[data-testid="field-voucher_no"]')).setValue('QDKJ-2026-0002')
    await panel.find('form').trigger('submit')
    await flushPromises()

    expect(api.called('POST /api/applications/app-1/disburse')[0]!.body).toEqual({
      amount_fen: 15_000_000,
      paid_on: '2026-11-28',
      voucher_no: 'QDKJ-2026-0002',
    })
    expect(wrapper.find('[data-testid="status"]').text()).toBe('已拨付')
  })

  it('lets the enterprise resubmit a returned application with its form prefilled', async () => {
    const api = signedInAs(BLUESEA_ME, {
      ...ROUTES,
      'GET /api/applications/app-1': { body: application({ status: 'returned', reason: '请补充证书扫描件', available_actions: ['resubmit', 'withdraw'] }) },
      'POST /api/applications/app-1/resubmit': { body: application() },
    })
    const { wrapper } = await renderApp('/applications/app-1', { token: 'token-bluesea' })
    expect(wrapper.find('[data-testid="reason"]').text()).toContain('请补充证书扫描件')
    const panel = wrapper.find('[data-testid="action-panel"]')
    await panel.find('[data-testid="action-resubmit"]').trigger('click')
    await flushPromises()
    expect((panel.find('input#resubmit-contact').element as HTMLInputElement).value).toBe('李娜')
    expect((panel.find('input#resubmit-rd_expense').element as HTMLInputElement).value).toBe('3200000')
    await panel.find('input#resubmit-rd_expense').setValue('3500000')
    await panel.find('form').trigger('submit')
    await flushPromises()

    expect(api.called('POST /api/applications/app-1/resubmit')[0]!.body).toEqual({
      form: { ...{ contact: '李娜', phone: '13912345678', cert_date: '2026-10-28', first_time: true }, rd_expense: 3500000 },
      attachments: [],
    })
    expect(wrapper.find('[data-testid="status"]').text()).toBe('审核中')
  })

  it('rates a finished application with five grades', async () => {
    const api = signedInAs(BLUESEA_ME, {
      ...ROUTES,
      'GET /api/applications/app-1': { body: awarded({ status: 'paid', paid_fen: 20_000_000, available_actions: ['rate'] }) },
      'POST /api/applications/app-1/rate': {
        body: awarded({ status: 'paid', available_actions: [], rating: { grade: 5, comment: '兑现及时', at: '2026-12-01T02:00:00Z' } }),
      },
    })
    const { wrapper } = await renderApp('/applications/app-1', { token: 'token-bluesea' })
    const panel = wrapper.find('[data-testid="action-panel"]')
    await panel.find('[data-testid="action-rate"]').trigger('click')
    await panel.find('form').trigger('submit')
    expect(panel.find('[data-testid="error-grade"]').text()).toBe('请选择评分')
    wrapper.findComponent({ name: 'ElRate' }).vm.$emit('update:modelValue', 5)
    await flushPromises()
    await control(panel.find('[data-testid="field-comment"]')).setValue('兑现及时')
    await panel.find('form').trigger('submit')
    await flushPromises()
    expect(api.called('POST /api/applications/app-1/rate')[0]!.body).toEqual({ grade: 5, comment: '兑现及时' })
    expect(wrapper.find('[data-testid="rating"]').text()).toContain('5 星（很满意）')
  })

  it("shows the API's 409 as it says it", async () => {
    signedInAs(BLUESEA_ME, {
      ...ROUTES,
      'GET /api/applications/app-1': { body: application() },
      'POST /api/applications/app-1/withdraw': problem(409, 'conflict', 'The application was decided meanwhile.'),
    })
    const { wrapper } = await renderApp('/applications/app-1', { token: 'token-bluesea' })
    const panel = wrapper.find('[data-testid="action-panel"]')
    await panel.find('[data-testid="action-withdraw"]').trigger('click')
    await panel.find('form').trigger('submit')
    await flushPromises()
    expect(panel.find('[role="alert"]').text()).toContain('The application was decided meanwhile.')
  })

  it('has every word in English', async () => {
    signedInAs(BLUESEA_ME, { ...ROUTES, 'GET /api/applications/app-1': { body: awarded() } })
    const { wrapper } = await renderApp('/applications/app-1', { token: 'token-bluesea', locale: 'en' })
    expect(wrapper.find('[data-testid="status"]').text()).toBe('Awarded, awaiting payment')
    expect(wrapper.findAll('[data-testid="step-title"]').map((s) => s.text())).toEqual([
      'Application submitted', '区科技局初审', '市科技局复审', 'Public notice', 'Payment',
    ])
    expect(wrapper.text()).not.toMatch(/applications\.\w/)
  })
})
