import { describe, expect, it } from 'vitest'

import { signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { STAFF_ME } from '../../support/people'
import { BLUESEA_ME, condition, match } from './fixtures'

const MATCHES = {
  uscc: BLUESEA_ME.org_id,
  items: [
    match('proj-a', '高新技术企业叠加奖励', true, [condition('met')]),
    match('proj-b', '专精特新奖励', true, [condition('met')]),
    match('proj-c', '研发投入补助', null, [
      condition('met'),
      condition('missing_data', { path: 'x', field: 'rd_expense_fen', label: { zh: '上年研发费用不低于100万元', en: 'R&D ≥ 1m' }, fix: { zh: '填报上年研发费用', en: 'Declare R&D' } }),
    ]),
    match('proj-d', '小巨人奖励', false, [
      condition('failed', { path: 'y', label: { zh: '须为小巨人企业', en: 'Must be a little giant' }, fix: { zh: '取得小巨人认定', en: 'Get certified' } }),
    ]),
  ],
}

describe('my matches page', () => {
  it('groups the enterprise matches: eligible, information missing, not eligible, with what to fix', async () => {
    const api = signedInAs(BLUESEA_ME, { [`GET /api/enterprises/${BLUESEA_ME.org_id}/matches`]: { body: MATCHES } })
    const { wrapper } = await renderApp('/policy/matches', { token: 'token-bluesea' })

    expect(api.called(`GET /api/enterprises/${BLUESEA_ME.org_id}/matches`)).toHaveLength(1)
    expect(wrapper.find('h1').text()).toBe('我的政策匹配')
    const ids = (group: string) => wrapper.findAll(`[data-testid="group-${group}"] [data-testid="match"]`).map((m) => m.attributes('data-id'))
    expect(ids('eligible')).toEqual(['proj-a', 'proj-b'])
    expect(ids('unknown')).toEqual(['proj-c'])
    expect(ids('not-eligible')).toEqual(['proj-d'])
    expect(wrapper.find('[data-testid="group-eligible"] h2').text()).toContain('符合条件的项目（2）')

    const eligible = wrapper.find('[data-testid="group-eligible"] [data-testid="match"]')
    expect(eligible.find('a').attributes('href')).toBe('/policy/projects/proj-a')
    expect(eligible.findAll('[data-testid="condition"]')).toHaveLength(0)
    const unknown = wrapper.find('[data-testid="group-unknown"] [data-testid="match"]')
    expect(unknown.findAll('[data-testid="condition"]').map((c) => c.attributes('data-status'))).toEqual(['missing_data'])
    expect(unknown.text()).toContain('如何满足：填报上年研发费用')
    const failed = wrapper.find('[data-testid="group-not-eligible"] [data-testid="match"]')
    expect(failed.text()).toContain('不满足')
    expect(failed.text()).toContain('如何满足：取得小巨人认定')
    // why a project is out of reach is folded away until asked for; what is missing is shown
    expect(failed.find('details[data-testid="why-not"]').attributes('open')).toBeUndefined()
    expect(failed.find('summary').text()).toBe('为什么不符合（1 项条件）')
    expect(unknown.find('details').exists()).toBe(false)
    expect(wrapper.find('[data-testid="profile-link"]').attributes('href')).toBe('/enterprise/profile')
  })

  it('sends a signed-out visitor to sign in first', async () => {
    signedInAs(BLUESEA_ME)
    const { router } = await renderApp('/policy/matches')

    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(router.currentRoute.value.query.redirect).toBe('/policy/matches')
  })

  it('tells other roles matching is for enterprises', async () => {
    const api = signedInAs(STAFF_ME)
    const { wrapper } = await renderApp('/policy/matches', { token: 'token-staff' })

    expect(wrapper.text()).toContain('政策匹配仅面向企业账号')
    expect(api.calls.filter((c) => c.path.includes('/matches'))).toEqual([])
  })
})
