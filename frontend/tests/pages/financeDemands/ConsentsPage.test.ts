import { flushPromises, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { listPage, problem, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { ENTERPRISE_ME, STAFF_ME } from '../../support/people'
import { choose, consent, DEMAND_ID, INSTITUTIONS } from './fixtures'

const LIVE = consent()
const STANDING = consent({ id: 'c-standing', institution_id: '*', demand_id: null, standing: true })
const REVOKED = consent({ id: 'c-revoked', institution_id: 'bank-qdccb', live: false, revoked_at: '2026-11-21T02:00:00Z' })
const EXPIRED = consent({ id: 'c-expired', demand_id: null, standing: true, live: false, expires_at: '2026-11-10T02:00:00Z' })

const LOG = [
  { at: '2026-11-20T02:00:00Z', action: 'finance.consent_granted', actor_role: 'enterprise', actor_org: '91370202MA3C4R7K75', data: { consent_id: LIVE.id, institution_id: 'bank-qrcb', demand_id: DEMAND_ID, expires_at: '2026-12-20T02:00:00Z' } },
  { at: '2026-11-20T06:00:00Z', action: 'finance.data_read', actor_role: 'bank', actor_org: 'bank-qrcb', data: { what: 'credit_report', institution_id: 'bank-qrcb', client_id: 'bank-qrcb-client', consent_id: LIVE.id, report_no: 'CR-2026-000123' } },
  { at: '2026-11-21T02:00:00Z', action: 'finance.consent_revoked', actor_role: 'enterprise', actor_org: '91370202MA3C4R7K75', data: { consent_id: 'c-revoked' } },
]
const MY_DEMANDS = listPage([{ id: DEMAND_ID, amount_fen: 50_000_000, term_months: 12, purpose: '购买生产设备', status: 'claimed', channels: ['platform'], claimed_by: 'bank-qrcb', created_at: '2026-11-20T02:00:00Z' }])

function field(wrapper: VueWrapper, selector: string): DOMWrapper<Element> {
  const found = wrapper.find(selector)
  return found.element.tagName === 'INPUT' ? found : found.find('input')
}

function routes(extra: Record<string, unknown> = {}) {
  return {
    'GET /api/finance/consents': { body: [STANDING, LIVE, REVOKED, EXPIRED] },
    'GET /api/finance/data-reads': listPage(LOG),
    'GET /api/finance/demands': MY_DEMANDS,
    'GET /api/finance/institutions': { body: INSTITUTIONS },
    ...extra,
  } as Parameters<typeof signedInAs>[1]
}

describe('consents and the data log', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('lists my consents live or not, with the institution, the demand or standing, and the expiry', async () => {
    signedInAs(ENTERPRISE_ME, routes())
    const { wrapper } = await renderApp('/finance/consents', { token: 'token-wm' })

    expect(wrapper.find('h1').text()).toBe('授权与查询记录')
    const items = wrapper.findAll('[data-testid="consent-item"]')
    expect(items.map((i) => i.find('[data-testid="consent-state"]').text())).toEqual(['有效', '有效', '已撤销', '已过期'])
    expect(items[0]!.text()).toContain('全部金融机构')
    expect(items[0]!.text()).toContain('长期授权（不限需求）')
    expect(items[1]!.text()).toContain('青岛农商银行')
    expect(items[1]!.find(`a[href="/finance/demands/${DEMAND_ID}"]`).exists()).toBe(true)
    expect(items[1]!.text()).toContain('企业信用报告')
    expect(items[2]!.text()).toContain('青岛银行')
    // only a live consent can be revoked
    expect(items.map((i) => i.find('[data-testid="revoke"]').exists())).toEqual([true, true, false, false])
  })

  it('revokes a consent only after a confirmation, and refreshes the log', async () => {
    const api = signedInAs(
      ENTERPRISE_ME,
      routes({ [`POST /api/finance/consents/${LIVE.id}/revoke`]: { body: { ...LIVE, live: false, revoked_at: '2026-11-22T02:00:00Z' } } }),
    )
    const { wrapper } = await renderApp('/finance/consents', { token: 'token-wm' })
    const item = () => wrapper.findAll('[data-testid="consent-item"]')[1]!

    await item().find('[data-testid="revoke"]').trigger('click')
    expect(item().text()).toContain('确定撤销对青岛农商银行的授权吗？')
    await flushPromises()
    expect(document.activeElement?.id).toBe(`confirm-revoke-${LIVE.id}`)
    await item().find('[data-testid="cancel-revoke"]').trigger('click')
    await flushPromises()
    expect(document.activeElement?.id).toBe(`revoke-${LIVE.id}`)
    expect(api.called(`POST /api/finance/consents/${LIVE.id}/revoke`)).toEqual([])

    await item().find('[data-testid="revoke"]').trigger('click')
    await item().find('[data-testid="confirm-revoke"]').trigger('click')
    await flushPromises()
    expect(api.called(`POST /api/finance/consents/${LIVE.id}/revoke`)).toHaveLength(1)
    expect(item().find('[data-testid="consent-state"]').text()).toBe('已撤销')
    expect(item().find('[data-testid="revoke"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="notice"]').text()).toBe('已撤销对青岛农商银行的授权。')
    expect(api.called('GET /api/finance/data-reads')).toHaveLength(2)
  })

  it('shows why a revoke was refused', async () => {
    signedInAs(ENTERPRISE_ME, routes({ [`POST /api/finance/consents/${LIVE.id}/revoke`]: problem(409, 'conflict', 'This consent is revoked already.') }))
    const { wrapper } = await renderApp('/finance/consents', { token: 'token-wm' })
    const item = wrapper.findAll('[data-testid="consent-item"]')[1]!
    await item.find('[data-testid="revoke"]').trigger('click')
    await item.find('[data-testid="confirm-revoke"]').trigger('click')
    await flushPromises()
    expect(item.text()).toContain('This consent is revoked already.')
  })

  it('grants a consent to one institution for one demand, until the end of the chosen day', async () => {
    const given = consent({ id: 'c-new' })
    const api = signedInAs(ENTERPRISE_ME, routes({ 'POST /api/finance/consents': { status: 201, body: given } }))
    const { wrapper } = await renderApp('/finance/consents', { token: 'token-wm' })
    for (const id of ['fc-institution_id', 'fc-scope', 'fc-expires_at', 'fc-demand_id']) {
      expect(wrapper.find(`label[for="${id}"]`).exists(), id).toBe(true)
    }
    const institutionSelect = wrapper.findAllComponents({ name: 'ElSelect' }).find((s) => s.element.querySelector('#fc-institution_id'))!
    expect(institutionSelect.findAllComponents({ name: 'ElOption' }).map((o) => o.props('value'))).toEqual(['*', 'bank-qrcb', 'bank-qdccb'])

    choose(wrapper, 'fc-institution_id', 'bank-qrcb')
    choose(wrapper, 'fc-demand_id', DEMAND_ID)
    const day = new Date(Date.now() + 10 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10)
    await field(wrapper, '#fc-expires_at').setValue(day)
    await wrapper.find('[data-testid="grant-form"]').trigger('submit')
    await flushPromises()

    const [call] = api.called('POST /api/finance/consents')
    expect(call!.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/)
    expect(call!.body).toEqual({ institution_id: 'bank-qrcb', scope: 'credit_report', expires_at: `${day}T23:59:59+08:00`, demand_id: DEMAND_ID })
    expect(wrapper.findAll('[data-testid="consent-item"]')).toHaveLength(5)
    expect(wrapper.find('[data-testid="notice"]').text()).toBe('已授权青岛农商银行。')
  })

  it('grants a standing consent to every institution, and shows the API\'s 422 beside the field', async () => {
    const api = signedInAs(
      ENTERPRISE_ME,
      routes({
        'POST /api/finance/consents': problem(422, 'validation_failed', 'The request has invalid fields.', [
          { field: 'expires_at', message: 'must be within 366 days' },
        ]),
      }),
    )
    const { wrapper } = await renderApp('/finance/consents', { token: 'token-wm' })
    await wrapper.find('[data-testid="grant-form"]').trigger('submit')
    await flushPromises()
    expect(wrapper.find('#fc-institution_id-error').text()).toBe('请选择金融机构，或选择全部金融机构')
    expect(api.called('POST /api/finance/consents')).toEqual([])

    choose(wrapper, 'fc-institution_id', '*')
    await wrapper.find('[data-testid="grant-form"]').trigger('submit')
    await flushPromises()
    expect(api.called('POST /api/finance/consents')[0]!.body).toMatchObject({ institution_id: '*', demand_id: null })
    const expiresItem = wrapper.find('#fc-expires_at').element.closest('.el-form-item')!
    expect(expiresItem.textContent).toContain('must be within 366 days')
  })

  it('logs every read (who, client, when, under which consent, what) and the consents given and revoked', async () => {
    signedInAs(ENTERPRISE_ME, routes())
    const { wrapper } = await renderApp('/finance/consents', { token: 'token-wm' })
    const entries = wrapper.findAll('[data-testid="log-item"]')
    expect(entries.map((e) => e.find('strong').text())).toEqual(['给予授权', '金融机构查询', '撤销授权'])
    const read = entries[1]!.text()
    expect(read).toContain('青岛农商银行')
    expect(read).toContain('bank-qrcb-client')
    expect(read).toContain(LIVE.id)
    expect(read).toContain('企业信用报告')
    expect(read).toContain('2026/11/20 14:00')
    expect(read).toContain('CR-2026-000123')
    expect(entries[2]!.text()).toContain('c-revoked')
  })

  it('is in English too', async () => {
    signedInAs(ENTERPRISE_ME, routes())
    const { wrapper } = await renderApp('/finance/consents', { token: 'token-wm', locale: 'en' })
    expect(wrapper.find('h1').text()).toBe('Consents and data log')
    expect(wrapper.findAll('[data-testid="log-item"]')[1]!.find('strong').text()).toBe('Read by an institution')
    expect(wrapper.text()).toContain('Qingdao Rural Commercial Bank')
  })

  it('is for enterprises only', async () => {
    const api = signedInAs(STAFF_ME)
    const { wrapper } = await renderApp('/finance/consents', { token: 'token-staff' })
    expect(wrapper.text()).toContain('“授权与查询记录”供企业用户使用')
    expect(api.called('GET /api/finance/consents')).toEqual([])
  })
})
