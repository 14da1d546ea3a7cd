import { describe, expect, it } from 'vitest'

import { listPage, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { ENTERPRISE_ME } from '../../support/people'
import { application } from '../../support/policyApplications'

const SCIENCE_STAFF = { sub: 'staff-science', role: 'staff', org_id: 'unit-science-tech', district: '370200', name: '李娜' }

describe('policy review queue', () => {
  it("lists the unit's applications waiting for review, oldest first, each linking to its page", async () => {
    const api = signedInAs(SCIENCE_STAFF, {
      'GET /api/units/unit-science-tech/policy-reviews': listPage([
        application(1, { status: 'in_review', stage_name: '初审' }),
        application(2, { status: 'in_review', stage_name: '复审', enterprise_name: null }),
      ]),
    })
    const { wrapper } = await renderApp('/workbench/policy-reviews', { token: 'token-science' })

    expect(wrapper.find('h1').text()).toBe('政策审核')
    expect(api.called('GET /api/units/unit-science-tech/policy-reviews')[0]!.url).toContain('limit=20')
    const rows = wrapper.findAll('[data-testid="review-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.text()).toContain('蓝海软件 1')
    expect(rows[0]!.text()).toContain('高新技术企业首次认定奖励')
    expect(rows[0]!.text()).toContain('初审')
    expect(rows[1]!.text()).toContain(application(2).enterprise_uscc) // no name: the credit code
    expect(rows[0]!.find('a').attributes('href')).toBe('/applications/app-1')
    expect(rows[0]!.find('a').attributes('aria-label')).toBe('办理 蓝海软件 1 的申报')
    expect(wrapper.find('.workbench-nav').text()).toContain('政策审核')
  })

  it('says when nothing is waiting', async () => {
    signedInAs(SCIENCE_STAFF, { 'GET /api/units/unit-science-tech/policy-reviews': listPage([]) })
    const { wrapper } = await renderApp('/workbench/policy-reviews', { token: 'token-science' })
    expect(wrapper.text()).toContain('暂无待审核的申报。')
  })

  it('is not offered to an enterprise', async () => {
    const api = signedInAs(ENTERPRISE_ME)
    const { wrapper } = await renderApp('/workbench/policy-reviews', { token: 'token-wm' })
    expect(wrapper.text()).toContain('您当前的身份不能使用此页面。')
    expect(api.calls.filter((call) => call.path.includes('policy-reviews'))).toHaveLength(0)
  })
})
