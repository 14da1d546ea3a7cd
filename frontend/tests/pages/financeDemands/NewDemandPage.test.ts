import { flushPromises, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { problem, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { ENTERPRISE_ME, STAFF_ME } from '../../support/people'
import { choose, demand, DEMAND_ID } from './fixtures'

function field(wrapper: VueWrapper, selector: string): DOMWrapper<Element> {
  const found = wrapper.find(selector)
  return ['INPUT', 'TEXTAREA'].includes(found.element.tagName) ? found : found.find('input, textarea')
}

async function fill(wrapper: VueWrapper) {
  await field(wrapper, '#fd-amount_fen').setValue('500,000')
  await field(wrapper, '#fd-term_months').setValue('12')
  await field(wrapper, '#fd-purpose').setValue('购买生产设备，扩大生产线产能')
  choose(wrapper, 'fd-guarantee', 'credit')
  await flushPromises()
}

describe('post a financing demand', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('sends the amount in fen with an Idempotency-Key and goes to the new demand', async () => {
    const api = signedInAs(ENTERPRISE_ME, {
      'POST /api/finance/demands': { status: 201, body: demand() },
      [`GET /api/finance/demands/${DEMAND_ID}`]: { body: demand() },
      'GET /api/finance/consents': { body: [] },
    })
    const { wrapper, router } = await renderApp('/finance/demands/new', { token: 'token-wm' })

    expect(wrapper.find('h1').text()).toBe('发布融资需求')
    expect(wrapper.find('#fd-enterprise_uscc').exists()).toBe(false)
    // every input has its label
    for (const id of ['fd-amount_fen', 'fd-term_months', 'fd-purpose', 'fd-guarantee', 'fd-source_channel']) {
      expect(wrapper.find(`label[for="${id}"]`).exists(), id).toBe(true)
    }
    await fill(wrapper)
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    const [call] = api.called('POST /api/finance/demands')
    expect(call!.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/)
    expect(call!.body).toEqual({
      amount_fen: 50_000_000,
      term_months: 12,
      purpose: '购买生产设备，扩大生产线产能',
      guarantee: 'credit',
      source_channel: 'platform',
      enterprise_uscc: null,
    })
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/finance/demands/${DEMAND_ID}`))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="amount"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="merged"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="amount"]').text()).toBe('¥500,000.00')
  })

  it('offers an enterprise the channels but not offline, with the platform words', async () => {
    signedInAs(ENTERPRISE_ME)
    const { wrapper } = await renderApp('/finance/demands/new', { token: 'token-wm' })
    const select = wrapper.findAllComponents({ name: 'ElSelect' }).find((s) => s.element.querySelector('#fd-source_channel'))!
    const options = select.findAllComponents({ name: 'ElOption' }).map((o) => o.props('value'))
    expect(options).toEqual(['platform', 'xinyidai', 'rongzitong', 'jinnongtong'])
  })

  it('goes to the existing demand and says it was merged when the API answers a duplicate', async () => {
    const merged = demand({ duplicate: true, channels: ['platform', 'xinyidai'] })
    signedInAs(ENTERPRISE_ME, {
      'POST /api/finance/demands': { status: 200, body: merged },
      [`GET /api/finance/demands/${DEMAND_ID}`]: { body: { ...merged, duplicate: false } },
      'GET /api/finance/consents': { body: [] },
    })
    const { wrapper, router } = await renderApp('/finance/demands/new', { token: 'token-wm' })
    await fill(wrapper)
    choose(wrapper, 'fd-source_channel', 'xinyidai')
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('finance-demand'))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="merged"]').exists()).toBe(true))
    expect(router.currentRoute.value.query.merged).toBe('1')
    expect(wrapper.find('[data-testid="merged"]').text()).toContain('已合并到原有需求')
    expect(wrapper.text()).toContain('青融通、信易贷')
  })

  it("shows a 422 problem's messages beside the fields and sends a changed body with a new key", async () => {
    let fail = true
    const api = signedInAs(ENTERPRISE_ME, {
      'POST /api/finance/demands': () =>
        fail
          ? problem(422, 'validation_failed', 'The request has invalid fields.', [
              { field: 'purpose', message: '用途过于简单' },
              { field: 'amount_fen', message: '金额超出上限' },
            ])
          : { status: 201, body: demand() },
      [`GET /api/finance/demands/${DEMAND_ID}`]: { body: demand() },
      'GET /api/finance/consents': { body: [] },
    })
    const { wrapper, router } = await renderApp('/finance/demands/new', { token: 'token-wm' })
    await fill(wrapper)
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    const purposeItem = wrapper.find('#fd-purpose').element.closest('.el-form-item')!
    expect(purposeItem.textContent).toContain('用途过于简单')
    const amountItem = wrapper.find('#fd-amount_fen').element.closest('.el-form-item')!
    expect(amountItem.textContent).toContain('金额超出上限')
    expect(field(wrapper, '#fd-purpose').attributes('aria-invalid')).toBe('true')
    expect(router.currentRoute.value.name).toBe('finance-demand-new')

    fail = false
    await field(wrapper, '#fd-purpose').setValue('购买数控机床两台，扩大生产线产能')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const [first, second] = api.called('POST /api/finance/demands')
    expect(second!.headers['Idempotency-Key']).not.toBe(first!.headers['Idempotency-Key'])
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('finance-demand'))
  })

  it('checks the form before sending anything', async () => {
    const api = signedInAs(ENTERPRISE_ME)
    const { wrapper } = await renderApp('/finance/demands/new', { token: 'token-wm' })
    await field(wrapper, '#fd-amount_fen').setValue('500')
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(api.called('POST /api/finance/demands')).toEqual([])
    expect(wrapper.text()).toContain('金额需在 1,000 元至 10 亿元之间')
    expect(wrapper.text()).toContain('请选择担保方式')
    expect(wrapper.text()).toContain('资金用途需 4 至 500 个字')
  })

  it("lets staff enter an offline demand for an enterprise they name", async () => {
    const api = signedInAs(STAFF_ME, {
      'POST /api/finance/demands': { status: 201, body: demand({ channels: ['offline'] }) },
      // staff are not a party who may read it back: the page shows what the post answered
      [`GET /api/finance/demands/${DEMAND_ID}`]: problem(404, 'not_found', 'No demand.'),
    })
    const { wrapper, router } = await renderApp('/finance/demands/new', { token: 'token-staff' })
    expect(wrapper.find('h1').text()).toBe('录入融资需求')
    expect(wrapper.find('.workbench-nav .router-link-exact-active').text()).toBe('录入融资需求')
    const select = wrapper.findAllComponents({ name: 'ElSelect' }).find((s) => s.element.querySelector('#fd-source_channel'))!
    expect(select.findAllComponents({ name: 'ElOption' }).map((o) => o.props('value'))).toContain('offline')

    await fill(wrapper)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('#fd-enterprise_uscc-error').text()).toBe('请填写企业的统一社会信用代码')
    expect(api.called('POST /api/finance/demands')).toEqual([])

    await field(wrapper, '#fd-enterprise_uscc').setValue('91370202ma3c4r7k75')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(api.called('POST /api/finance/demands')[0]!.body).toMatchObject({
      source_channel: 'offline',
      enterprise_uscc: '91370202MA3C4R7K75',
    })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="status"]').exists()).toBe(true))
    expect(router.currentRoute.value.name).toBe('finance-demand')
    expect(wrapper.find('[data-testid="status"]').text()).toBe('待接单')
    expect(wrapper.text()).toContain('线下收集')
  })

  it('is in English too', async () => {
    signedInAs(ENTERPRISE_ME)
    const { wrapper } = await renderApp('/finance/demands/new', { token: 'token-wm', locale: 'en' })
    expect(wrapper.find('h1').text()).toBe('Post a financing demand')
    expect(wrapper.text()).toContain('Amount (yuan)')
  })
})
