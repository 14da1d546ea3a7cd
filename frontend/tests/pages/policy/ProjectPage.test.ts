import { describe, expect, it } from 'vitest'

import { fakeApi, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { STAFF_ME } from '../../support/people'
import { BLUESEA_ME, condition, DOCUMENT, PROJECT } from './fixtures'

const PATH = '/policy/projects/proj-laoshan-high-tech-bonus-2026'
const ROUTES = {
  'GET /api/projects/proj-laoshan-high-tech-bonus-2026': { body: PROJECT },
  'GET /api/policies/doc-qd-kj-2025-003': { body: DOCUMENT },
}

function eligibility(eligible: boolean | null, conditions: unknown[]) {
  return { body: { project_id: PROJECT.id, title: PROJECT.content.title, department_id: 'unit-science-tech', closes_on: '2026-12-25', no_application: false, eligible, conditions } }
}

describe('project page', () => {
  it('shows the project: amount in yuan, window with status, department, stages and the documents it carries out', async () => {
    fakeApi(ROUTES)
    const { wrapper } = await renderApp(PATH)

    expect(wrapper.find('h1').text()).toBe('崂山区2026年高新技术企业叠加奖励')
    expect(wrapper.find('[data-testid="amount"]').text()).toBe('¥100,000.00')
    expect(wrapper.find('[data-testid="window"]').text()).toContain('2026/11/15 至 2026/12/25')
    expect(wrapper.find('[data-testid="window"]').text()).toContain('申报中')
    // Signed out there is no units directory: the name comes from the issuer of a document the department owns.
    expect(wrapper.find('[data-testid="department"]').text()).toBe('青岛市科学技术局')
    expect(wrapper.text()).toContain('崂山区科技创新局初审')
    expect(wrapper.find('[data-testid="related-document"] a').attributes('href')).toBe('/policy/items/doc-qd-kj-2025-003')
    expect(wrapper.find('[data-testid="no-application"]').exists()).toBe(false)
  })

  it('shows 免申即享 when no application is needed', async () => {
    fakeApi({ ...ROUTES, 'GET /api/projects/proj-laoshan-high-tech-bonus-2026': { body: { ...PROJECT, content: { ...PROJECT.content, no_application: true } } } })
    const { wrapper } = await renderApp(PATH)

    expect(wrapper.find('[data-testid="no-application"]').text()).toBe('免申即享')
  })

  it('offers a signed-out visitor to sign in instead of the verdict', async () => {
    const api = fakeApi(ROUTES)
    const { wrapper } = await renderApp(PATH)

    const link = wrapper.find('[data-testid="qualify-sign-in"]')
    expect(link.attributes('href')).toBe(`/sign-in?redirect=${PATH}`)
    expect(api.called(`GET ${PATH.replace('/policy', '/api')}/eligibility`)).toEqual([])
  })

  it('tells a qualifying enterprise so, each condition met with the value used, its source and date', async () => {
    signedInAs(BLUESEA_ME, {
      ...ROUTES,
      'GET /api/projects/proj-laoshan-high-tech-bonus-2026/eligibility': eligibility(true, [
        condition('met', { path: 'a', actual: ['high_tech'], source: 'imported', as_of: '2026-06-30' }),
        condition('met', { path: 'b', field: 'district', op: 'in', actual: '370212', label: { zh: '企业须在崂山区注册并纳税', en: 'Registered in Laoshan' } }),
      ]),
    })
    const { wrapper } = await renderApp(PATH, { token: 'token-bluesea' })

    const panel = wrapper.find('[data-testid="qualify"]')
    expect(panel.find('h2').text()).toBe('我是否符合条件')
    expect(panel.find('[data-testid="verdict"]').text()).toContain('符合条件')
    const conditions = panel.findAll('[data-testid="condition"]')
    expect(conditions.map((c) => c.attributes('data-status'))).toEqual(['met', 'met'])
    expect(conditions[0]!.text()).toContain('已满足')
    expect(conditions[0]!.text()).toContain('企业须为有效期内的高新技术企业')
    expect(conditions[0]!.text()).toContain('判断依据：高新技术企业')
    expect(conditions[0]!.text()).toContain('（导入，截至 2026/06/30）')
    expect(conditions[1]!.text()).toContain('判断依据：崂山区')
    expect(conditions[0]!.find('.condition__icon').text()).toBe('✓')
  })

  it('tells an enterprise that does not qualify why, with the fix, and one with missing data what to add', async () => {
    signedInAs(BLUESEA_ME, {
      ...ROUTES,
      'GET /api/projects/proj-laoshan-high-tech-bonus-2026/eligibility': eligibility(false, [
        condition('failed', { path: 'a', actual: [], source: 'self_declared', as_of: '2026-11-01', fix: { zh: '取得高新技术企业认定后再申报', en: 'Apply once certified' } }),
        condition('missing_data', { path: 'b', field: 'rd_expense_fen', fix: { zh: '在企业画像中填报上年研发费用', en: "Declare last year's R&D expenses" } }),
        condition('met', { path: 'c', field: 'revenue_fen', actual: 123456789, source: 'self_declared', as_of: '2026-11-01' }),
      ]),
    })
    const { wrapper } = await renderApp(PATH, { token: 'token-bluesea' })

    expect(wrapper.find('[data-testid="verdict"]').text()).toContain('不符合条件')
    const [failed, missing, met] = wrapper.findAll('[data-testid="condition"]')
    expect(failed!.text()).toContain('不满足')
    expect(failed!.text()).toContain('（自行填报，截至 2026/11/01）')
    expect(failed!.text()).toContain('如何满足：取得高新技术企业认定后再申报')
    expect(failed!.find('.condition__icon').text()).toBe('✗')
    expect(missing!.text()).toContain('缺少信息')
    expect(missing!.text()).toContain('如何满足：在企业画像中填报上年研发费用')
    expect(missing!.find('.condition__icon').text()).toBe('?')
    expect(met!.text()).toContain('¥1,234,567.89')
    expect(met!.text()).not.toContain('如何满足')
  })

  it('says 信息不全 when the profile lacks what a condition needs, and in English uses the English labels', async () => {
    signedInAs(BLUESEA_ME, {
      ...ROUTES,
      'GET /api/projects/proj-laoshan-high-tech-bonus-2026/eligibility': eligibility(null, [
        condition('missing_data', { fix: { zh: '补充资质', en: 'Declare your certifications' } }),
      ]),
    })
    const zh = await renderApp(PATH, { token: 'token-bluesea' })
    expect(zh.wrapper.find('[data-testid="verdict"]').text()).toContain('信息不全')
    zh.wrapper.unmount()

    const en = await renderApp(PATH, { token: 'token-bluesea', locale: 'en' })
    const panel = en.wrapper.find('[data-testid="qualify"]')
    expect(panel.find('h2').text()).toBe('Do I qualify?')
    expect(panel.find('[data-testid="verdict"]').text()).toContain('Information missing')
    expect(panel.text()).toContain('The enterprise must hold a valid high-tech enterprise certificate')
    expect(panel.text()).toContain('To meet it: Declare your certifications')
  })

  it('tells other roles the check is for enterprises', async () => {
    const api = signedInAs(STAFF_ME, { ...ROUTES, 'GET /api/units': { body: [] } })
    const { wrapper } = await renderApp(PATH, { token: 'token-staff' })

    expect(wrapper.find('[data-testid="qualify"]').text()).toContain('资格判断仅面向企业账号')
    expect(api.called('GET /api/projects/proj-laoshan-high-tech-bonus-2026/eligibility')).toEqual([])
  })
})
