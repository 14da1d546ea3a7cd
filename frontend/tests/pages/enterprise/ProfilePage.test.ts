import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { problem, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { BLUESEA_ME } from '../policy/fixtures'

const USCC = BLUESEA_ME.org_id
const PROFILE = {
  uscc: USCC,
  district: { code: '370212', name_zh: '崂山区', name_en: 'Laoshan District' },
  name: { value: '青岛蓝海智联软件有限公司', source: 'imported', as_of: '2026-06-30' },
  industry_code: null,
  founded_on: null,
  registered_capital_fen: null,
  employees: null,
  revenue_fen: null,
  assets_fen: null,
  rd_expense_fen: null,
  certifications: null,
  tax_credit_rating: null,
  size_class: { value: null, basis: '缺少所属行业代码，无法划型', missing: ['industry_code'], possible: ['large', 'medium', 'small', 'micro'] },
  years_since_founding: null,
  version: 1,
  updated_at: '2026-11-02T02:00:00Z',
}
const SETTINGS = { uscc: USCC, policy_alerts: true, topics: ['专精特新'], updated_at: '2026-11-20T02:00:00Z' }

type Routes = NonNullable<Parameters<typeof signedInAs>[1]>

function routes(extra: Routes = {}): Routes {
  return {
    [`GET /api/enterprises/${USCC}/profile`]: { body: PROFILE },
    [`GET /api/enterprises/${USCC}/subscriptions`]: { body: SETTINGS },
    ...extra,
  }
}

describe('profile page: policy alerts', () => {
  it('shows the saved settings and saves the switch and the topics as the whole settings', async () => {
    const api = signedInAs(BLUESEA_ME, routes({
      [`PUT /api/enterprises/${USCC}/subscriptions`]: (call) => ({
        body: { ...SETTINGS, ...(call.body as object), updated_at: '2026-11-20T03:00:00Z' },
      }),
    }))
    const { wrapper } = await renderApp('/enterprise/profile', { token: 'token-bluesea' })

    const section = wrapper.find('[data-testid="alerts"]')
    expect(section.find('h2').text()).toBe('政策推送')
    expect(section.findAll('[data-testid="alerts-topic"]').map((tag) => tag.text())).toEqual(['专精特新'])

    await section.find('#alerts-topic-input').setValue(' 研发投入 ')
    await section.find('[data-testid="alerts-add"]').trigger('click')
    await section.find('#alerts-topic-input').setValue('专精特新') // already there: not twice
    await section.find('[data-testid="alerts-add"]').trigger('click')
    expect(section.findAll('[data-testid="alerts-topic"]').map((tag) => tag.text())).toEqual(['专精特新', '研发投入'])
    await section.find('.el-switch').trigger('click')
    await section.trigger('submit')
    await flushPromises()

    const saved = api.called(`PUT /api/enterprises/${USCC}/subscriptions`)
    expect(saved).toHaveLength(1)
    expect(saved[0]!.body).toEqual({ policy_alerts: false, topics: ['专精特新', '研发投入'] })
    expect(wrapper.find('[data-testid="alerts-note"]').text()).toBe('推送设置已保存。')
  })

  it('says every topic when none is chosen, and removes a topic', async () => {
    signedInAs(BLUESEA_ME, routes({ [`GET /api/enterprises/${USCC}/subscriptions`]: { body: { ...SETTINGS, topics: ['海洋经济'] } } }))
    const { wrapper } = await renderApp('/enterprise/profile', { token: 'token-bluesea' })

    await wrapper.find('[data-testid="alerts-topic"] .el-tag__close').trigger('click')
    expect(wrapper.findAll('[data-testid="alerts-topic"]')).toHaveLength(0)
    expect(wrapper.find('[data-testid="alerts-all"]').text()).toContain('推送全部主题')
  })

  it('names a refused topic beside the topics', async () => {
    signedInAs(BLUESEA_ME, routes({
      [`PUT /api/enterprises/${USCC}/subscriptions`]: problem(422, 'validation_failed', 'Bad input', [
        { field: 'topics', message: 'names a topic twice' },
      ]),
    }))
    const { wrapper } = await renderApp('/enterprise/profile', { token: 'token-bluesea' })

    await wrapper.find('[data-testid="alerts"]').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="alerts"] .field-error').text()).toBe('names a topic twice')
  })
})
