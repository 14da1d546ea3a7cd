import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { fakeApi, listPage, problem, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { ENTERPRISE_ME, SUPERVISED_UNITS } from '../../support/people'
import { entry, notice, objection } from '../../support/policyApplications'

const SCIENCE_STAFF = { sub: 'staff-science', role: 'staff', org_id: 'unit-science-tech', district: '370200', name: '李娜' }
const TAX_STAFF = { sub: 'staff-tax', role: 'staff', org_id: 'unit-tax', district: '370200', name: '张磊' }
const UNITS = [...SUPERVISED_UNITS, { id: 'unit-science-tech', name: '市科技局', name_en: 'Science Bureau', district: '370200', level: 'city', roles: ['staff'] }]
const NOTICE_PATH = '/api/policy-notices/pn-20261120-aaaa1111'

describe('public notices list', () => {
  it('lists the notices newest first for anyone, with their department, window and state, and the open data link', async () => {
    const api = fakeApi({
      'GET /api/policy-notices': listPage([
        notice(),
        notice({ id: 'pn-20261101-bbbb2222', project_title: '专精特新奖励', status: 'closed', closes_at: '2026-11-08T10:00:00Z' }),
      ]),
      // The department's name from a document of its project (units are for the workbench).
      'GET /api/projects/proj-1': {
        body: { id: 'proj-1', kind: 'project', status: 'open', version: 1, published_at: null, content: {}, related: [{ id: 'doc-1', kind: 'document', title: '政策' }] },
      },
      'GET /api/policies/doc-1': {
        body: { id: 'doc-1', kind: 'document', status: 'effective', version: 1, published_at: null, content: { title: '政策', department_id: 'unit-science-tech', issuer: '青岛市科学技术局' }, related: [] },
      },
    })
    const { wrapper } = await renderApp('/notices')

    expect(wrapper.find('h1').text()).toBe('政策公示')
    expect(api.called('GET /api/policy-notices')[0]!.url).toContain('limit=20')
    const rows = wrapper.findAll('[data-testid="notice-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.find('a').attributes('href')).toBe('/notices/pn-20261120-aaaa1111')
    expect(rows[0]!.find('[data-testid="notice-state"]').text()).toBe('公示中')
    expect(rows[1]!.find('[data-testid="notice-state"]').text()).toBe('已结束')
    expect(rows[0]!.text()).toContain('2026/11/20')
    expect(rows[0]!.find('[data-testid="notice-department"]').text()).toBe('青岛市科学技术局')
    expect(api.called('GET /api/projects/proj-1')).toHaveLength(1) // once per department
    expect(wrapper.find('[data-testid="open-data"]').attributes('href')).toBe('/api/open-data/policy-awards')
    expect(wrapper.find('[data-testid="notices-link"]').attributes('href')).toBe('/notices')
  })

  it('says when there are none', async () => {
    fakeApi({ 'GET /api/policy-notices': listPage([]) })
    const { wrapper } = await renderApp('/notices', { locale: 'en' })
    expect(wrapper.text()).toContain('No public notices yet.')
  })
})

describe('one public notice', () => {
  it('shows the awards and the countdown to anyone, and asks a visitor to sign in to object', async () => {
    const api = fakeApi({
      [`GET ${NOTICE_PATH}`]: {
        body: notice({ entries: [entry(1), entry(2, { amount_fen: 10_000_050, outcome: 'withdrawn', enterprise_name: null })] }),
      },
    })
    const { wrapper } = await renderApp('/notices/pn-20261120-aaaa1111')

    expect(wrapper.find('h1').text()).toBe('高新技术企业首次认定奖励 公示')
    const rows = wrapper.findAll('[data-testid="award-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.text()).toContain('蓝海软件 1')
    expect(rows[0]!.text()).toContain(entry(1).enterprise_uscc)
    expect(rows[0]!.text()).toContain('200,000.00')
    expect(rows[0]!.find('[data-testid="outcome"]').text()).toBe('公示中')
    expect(rows[1]!.text()).toContain('100,000.50')
    expect(rows[1]!.find('[data-testid="outcome"]').text()).toBe('已撤销')
    expect(wrapper.find('[data-testid="deadline"]').text()).toContain('异议截止')
    expect(wrapper.find('[data-testid="objection-sign-in"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="objection-form"]').exists()).toBe(false)
    expect(api.calls.filter((call) => call.path.endsWith('/objections'))).toHaveLength(0)
  })

  it('takes no objection once closed', async () => {
    signedInAs(ENTERPRISE_ME, {
      [`GET ${NOTICE_PATH}`]: { body: notice({ status: 'closed', closed_at: '2026-11-27T10:00:00Z' }) },
      [`GET ${NOTICE_PATH}/objections`]: { body: [] },
    })
    const { wrapper } = await renderApp('/notices/pn-20261120-aaaa1111', { token: 'token-wm' })
    expect(wrapper.find('[data-testid="notice-state"]').text()).toBe('已结束')
    expect(wrapper.find('[data-testid="deadline"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="objections-closed"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="objection-form"]').exists()).toBe(false)
  })

  it('lets a signed-in person object under their real name, showing the API field errors and a closed window', async () => {
    let reply: 'invalid' | 'closed' | 'ok' = 'invalid'
    const api = signedInAs(ENTERPRISE_ME, {
      [`GET ${NOTICE_PATH}`]: { body: notice() },
      [`GET ${NOTICE_PATH}/objections`]: () => ({ body: reply === 'ok' ? [objection(1, { phone: '13800001111' })] : [] }),
      [`POST ${NOTICE_PATH}/objections`]: () =>
        reply === 'invalid'
          ? problem(422, 'validation_failed', 'The request is not valid.', [{ field: 'phone', message: 'does not match the pattern' }])
          : reply === 'closed'
            ? problem(409, 'conflict', 'The objection window of this notice has closed.')
            : { status: 201, body: objection(1, { phone: '13800001111' }) },
    })
    const { wrapper } = await renderApp('/notices/pn-20261120-aaaa1111', { token: 'token-wm' })
    const form = wrapper.find('[data-testid="objection-form"]')
    expect(form.find('[data-testid="real-name"]').text()).toContain('王敏')
    expect(wrapper.text()).toContain('我提出的异议')

    // What the page can check itself is checked before sending.
    await form.trigger('submit')
    expect(form.text()).toContain('请选择异议对象。')
    expect(form.text()).toContain('异议理由至少 10 个字。')
    expect(form.text()).toContain('请输入正确的手机号或固定电话。')
    expect(api.called(`POST ${NOTICE_PATH}/objections`)).toHaveLength(0)

    await form.find('[data-testid="objection-award"]').setValue('app-2')
    await form.find('[data-testid="objection-reason"]').setValue('该企业高新技术企业证书已被撤销，请核实。')
    await form.find('[data-testid="objection-phone"]').setValue('13800001111')
    await form.trigger('submit')
    await flushPromises()
    const posted = api.called(`POST ${NOTICE_PATH}/objections`)
    expect(posted[0]!.body).toEqual({ application_id: 'app-2', reason: '该企业高新技术企业证书已被撤销，请核实。', phone: '13800001111' })
    expect(form.find('#objection-phone-error').text()).toBe('does not match the pattern')
    expect(form.find('[data-testid="objection-phone"]').attributes('aria-describedby')).toContain('objection-phone-error')

    reply = 'closed'
    await form.trigger('submit')
    await flushPromises()
    expect(form.find('[role="alert"]').text()).toContain('The objection window of this notice has closed.')

    reply = 'ok'
    await form.trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="objection-sent"]').exists()).toBe(true)
    const mine = wrapper.findAll('[data-testid="objection"]')
    expect(mine).toHaveLength(1)
    expect(mine[0]!.find('[data-testid="resolve-form"]').exists()).toBe(false)
  })

  it("shows the department every objection with the objector's phone, and lets it resolve the open ones", async () => {
    let resolved = false
    const api = signedInAs(SCIENCE_STAFF, {
      'GET /api/units': { body: UNITS },
      [`GET ${NOTICE_PATH}`]: { body: notice({ open_objections: 1 }) },
      [`GET ${NOTICE_PATH}/objections`]: () => ({
        body: [
          objection(1, { phone: '13800001111', ...(resolved ? { status: 'dismissed', response: '经核实，证书有效。' } : {}) }),
          objection(2, { by_name: '刘洋', application_id: 'app-2', phone: '0532-88886666', status: 'upheld', response: '证书已撤销。' }),
        ],
      }),
      [`POST ${NOTICE_PATH}/objections/obj-1/resolve`]: () => {
        resolved = true
        return { body: objection(1, { status: 'dismissed', response: '经核实，证书有效。' }) }
      },
    })
    const { wrapper } = await renderApp('/notices/pn-20261120-aaaa1111', { token: 'token-science' })

    expect(wrapper.find('[data-testid="notice-department"]').text()).toBe('部门：市科技局')
    expect(wrapper.text()).toContain('全部异议')
    const items = wrapper.findAll('[data-testid="objection"]')
    expect(items).toHaveLength(2)
    expect(items[0]!.find('[data-testid="objection-phone"]').text()).toBe('电话：13800001111')
    expect(items[0]!.text()).toContain('异议对象：蓝海软件 1')
    expect(items[1]!.text()).toContain('部门答复：证书已撤销。')
    expect(items[0]!.find('[data-testid="resolve-form"]').exists()).toBe(true)
    expect(items[1]!.find('[data-testid="resolve-form"]').exists()).toBe(false) // resolved already

    const resolve = items[0]!.find('[data-testid="resolve-form"]')
    await resolve.trigger('submit')
    expect(resolve.text()).toContain('请选择异议是否成立。')
    expect(api.called(`POST ${NOTICE_PATH}/objections/obj-1/resolve`)).toHaveLength(0)
    await resolve.find('[data-testid="resolve-dismissed"]').setValue(true)
    await resolve.find('[data-testid="resolve-response"]').setValue('经核实，证书有效。')
    await resolve.trigger('submit')
    await flushPromises()

    expect(api.called(`POST ${NOTICE_PATH}/objections/obj-1/resolve`)[0]!.body).toEqual({ upheld: false, response: '经核实，证书有效。' })
    expect(api.called(`GET ${NOTICE_PATH}`)).toHaveLength(2) // the outcome may have changed
    expect(wrapper.findAll('[data-testid="resolve-form"]')).toHaveLength(0)
    expect(wrapper.findAll('[data-testid="objection"]')[0]!.text()).toContain('异议不成立')
  })

  it('offers no resolution to staff of another department', async () => {
    signedInAs(TAX_STAFF, {
      'GET /api/units': { body: UNITS },
      [`GET ${NOTICE_PATH}`]: { body: notice() },
      [`GET ${NOTICE_PATH}/objections`]: { body: [objection(1)] },
    })
    const { wrapper } = await renderApp('/notices/pn-20261120-aaaa1111', { token: 'token-staff' })
    expect(wrapper.findAll('[data-testid="objection"]')).toHaveLength(1)
    expect(wrapper.find('[data-testid="resolve-form"]').exists()).toBe(false)
  })
})
