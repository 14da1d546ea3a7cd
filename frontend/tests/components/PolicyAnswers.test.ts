import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { problem, signedInAs } from '../support/api'
import { renderApp } from '../support/app'
import { appeal } from '../support/appeals'
import { ENTERPRISE_ME, STAFF_ME } from '../support/people'

// Policy answers on a consultation's page: the search with the appeal's own words, quiet when the
// stage has no policy platform or its index is still being built.
const HITS = {
  items: [
    { id: 'proj-qd-stable-jobs-2026', kind: 'project', title: '2026年失业保险<mark>稳岗返还</mark>', highlights: [],
      level: 'municipal', department: 'unit-hrss', doc_number: null, status: 'open', topics: [], closes_on: null,
      published_on: null },
    { id: 'doc-qd-rs-2026-011', kind: 'document', title: '关于做好2026年失业保险<mark>稳岗返还</mark>工作的通知',
      highlights: [], level: 'municipal', department: 'unit-hrss', doc_number: '青人社发〔2026〕11号', status: 'effective',
      topics: [], closes_on: null, published_on: null },
  ],
  total: 2, mode: 'all', facets: {}, closing_within: {}, next_cursor: null,
}
const CONSULTATION = appeal({ category: 'consultation', title: '稳岗补贴怎么申请', content: '需要什么条件，去哪里申请？' })

describe('policy answers on an appeal', () => {
  it("searches with the consultation's words and links each answer to its page", async () => {
    const api = signedInAs(STAFF_ME, {
      'GET /api/appeals/a1': { body: CONSULTATION },
      'GET /api/policies/search': { body: HITS },
    })
    const { wrapper } = await renderApp('/appeals/a1', { token: 'token-zl' })
    await flushPromises()

    const asked = api.called('GET /api/policies/search')
    expect(asked).toHaveLength(1)
    expect(new URL(asked[0]!.url, 'http://x').searchParams.get('q')).toBe('稳岗补贴怎么申请 需要什么条件，去哪里申请？')
    const answers = wrapper.find('[data-testid="policy-answers"]')
    expect(answers.find('.policy-answers__hint').text()).toContain('答复时可参考')  // the staff's words
    const links = answers.findAll('a')
    expect(links.map((a) => a.attributes('href'))).toEqual(['/policy/projects/proj-qd-stable-jobs-2026', '/policy/items/doc-qd-rs-2026-011'])
    expect(links[0]!.find('mark').text()).toBe('稳岗返还')
  })

  it('says nothing when the stage has no policy search or its index is being built', async () => {
    for (const reply of [problem(404, 'not_found', 'No route'), problem(503, 'unavailable', 'being built')]) {
      signedInAs(STAFF_ME, { 'GET /api/appeals/a1': { body: CONSULTATION }, 'GET /api/policies/search': reply })
      const { wrapper } = await renderApp('/appeals/a1', { token: 'token-zl' })
      await flushPromises()
      expect(wrapper.find('[data-testid="policy-answers"]').exists()).toBe(false)
      expect(wrapper.find('[role="alert"]').exists()).toBe(false)
      wrapper.unmount()
    }
  })

  it('does not search for a complaint', async () => {
    const api = signedInAs(STAFF_ME, { 'GET /api/appeals/a1': { body: { ...CONSULTATION, category: 'complaint' } } })
    await renderApp('/appeals/a1', { token: 'token-zl' })
    await flushPromises()
    expect(api.called('GET /api/policies/search')).toHaveLength(0)
  })

  it('tells a signed-in enterprise whether it qualifies for each project, and what fails or is missing', async () => {
    const api = signedInAs(ENTERPRISE_ME, {
      'GET /api/appeals/a1': { body: CONSULTATION },
      'GET /api/policies/search': { body: HITS },
      'GET /api/projects/proj-qd-stable-jobs-2026/eligibility': {
        body: {
          project_id: 'proj-qd-stable-jobs-2026', title: '2026年失业保险稳岗返还', department_id: 'unit-hrss', closes_on: null,
          no_application: true, eligible: null,
          conditions: [
            { path: 'all[0]', field: 'district', op: 'in', status: 'met', label: { zh: '企业须在青岛市注册', en: 'Registered in Qingdao' },
              actual: '370202', source: 'derived', as_of: null, fix: null },
            { path: 'all[1]', field: 'employees', op: '>=', status: 'missing_data', label: { zh: '参保职工不少于1人', en: 'At least one insured employee' },
              actual: null, source: null, as_of: null, fix: { zh: '请在企业档案中填写 职工人数', en: 'Fill in your employees in your profile' } },
          ],
        },
      },
    })
    const { wrapper } = await renderApp('/appeals/a1', { token: 'token-wm' })
    await flushPromises()

    expect(api.called('GET /api/projects/proj-qd-stable-jobs-2026/eligibility')).toHaveLength(1)  // projects only
    const verdict = wrapper.find('[data-testid="answer-verdict"]')
    expect(verdict.attributes('data-verdict')).toBe('unknown')
    const shown = verdict.findAll('[data-testid="condition"]')
    expect(shown.map((c) => c.attributes('data-status'))).toEqual(['missing_data'])  // what is met is not repeated
    expect(verdict.text()).toContain('参保职工不少于1人')
  })

  it('asks no eligibility for staff', async () => {
    const api = signedInAs(STAFF_ME, {
      'GET /api/appeals/a1': { body: CONSULTATION },
      'GET /api/policies/search': { body: HITS },
    })
    await renderApp('/appeals/a1', { token: 'token-zl' })
    await flushPromises()
    expect(api.called('GET /api/projects/proj-qd-stable-jobs-2026/eligibility')).toHaveLength(0)
  })
})
