import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { fakeApi, listPage, problem, signedInAs } from '../../support/api'
import { summary } from '../../support/appeals'
import { renderApp } from '../../support/app'
import { ENTERPRISE_ME, STAFF_ME } from '../../support/people'

describe('my appeals page', () => {
  it('sends a signed-out visitor to sign in first', async () => {
    fakeApi({ 'GET /api/auth/dev-users': { body: [] } })

    const { router } = await renderApp('/appeals')

    expect(router.currentRoute.value.name).toBe('sign-in')
    expect(router.currentRoute.value.query.redirect).toBe('/appeals')
  })

  it("lists the enterprise's appeals: ticket, title, status words and Qingdao time", async () => {
    signedInAs(ENTERPRISE_ME, {
      'GET /api/appeals': listPage([summary(1, { status: 'pending_dispatch', breached: true }), summary(2)]),
    })

    const { wrapper } = await renderApp('/appeals', { token: 'token-wm' })

    expect(wrapper.find('h1').text()).toBe('我的诉求')
    const items = wrapper.findAll('[data-testid="appeal-item"]')
    expect(items).toHaveLength(2)
    expect(items[0]!.text()).toContain('370200-0000001')
    expect(items[0]!.text()).toContain('留抵退税迟迟未到账 1')
    expect(items[0]!.text()).toContain('待分派')
    expect(items[0]!.text()).toContain('已超时')
    expect(items[0]!.find('time').text()).toBe('2026/11/20 10:00')
    expect(items[1]!.text()).toContain('办理中')
    expect(document.title).toBe('我的诉求 - 青岛市服务企业统一平台')
  })

  it('loads the next page from the cursor', async () => {
    const api = signedInAs(ENTERPRISE_ME, {
      'GET /api/appeals': (call) =>
        call.url.includes('cursor=')
          ? listPage([summary(3)])
          : listPage([summary(1), summary(2)], 'c2'),
    })
    const { wrapper } = await renderApp('/appeals', { token: 'token-wm' })

    await wrapper.find('.my-appeals__more').trigger('click')
    await flushPromises()

    expect(api.called('GET /api/appeals').map((call) => call.url)).toEqual([
      '/api/appeals?limit=20',
      '/api/appeals?limit=20&cursor=c2',
    ])
    expect(wrapper.findAll('[data-testid="appeal-item"]')).toHaveLength(3)
    expect(wrapper.find('.my-appeals__more').exists()).toBe(false)
  })

  it('links each appeal to its page, and to a new appeal', async () => {
    signedInAs(ENTERPRISE_ME, { 'GET /api/appeals': listPage([summary(1)]) })

    const { wrapper } = await renderApp('/appeals', { token: 'token-wm' })

    expect(wrapper.find('[data-testid="appeal-item"] a').attributes('href')).toBe('/appeals/a1')
    expect(wrapper.find('[data-testid="new-appeal"]').attributes('href')).toBe('/appeals/new')
  })

  it('says so when the enterprise has no appeals', async () => {
    signedInAs(ENTERPRISE_ME, { 'GET /api/appeals': listPage([]) })

    const { wrapper } = await renderApp('/appeals', { token: 'token-wm' })

    expect(wrapper.text()).toContain('您的企业还没有诉求。')
  })

  it('shows the error and retries', async () => {
    let fail = true
    signedInAs(ENTERPRISE_ME, {
      'GET /api/appeals': () => (fail ? problem(429, 'rate_limited', 'Too many requests; try again in 10 seconds.') : listPage([summary(1)])),
    })
    const { wrapper } = await renderApp('/appeals', { token: 'token-wm' })

    expect(wrapper.find('[role="alert"]').text()).toContain('Too many requests')
    fail = false
    await wrapper.find('[role="alert"] button').trigger('click')
    await flushPromises()

    expect(wrapper.findAll('[data-testid="appeal-item"]')).toHaveLength(1)
  })

  it('tells staff the page is for enterprises, without asking the API', async () => {
    const api = signedInAs(STAFF_ME)

    const { wrapper } = await renderApp('/appeals', { token: 'token-zl' })

    expect(wrapper.text()).toContain('您当前的身份是工作人员')
    expect(api.called('GET /api/appeals')).toEqual([])
  })

  it('shows the status in English too', async () => {
    signedInAs(ENTERPRISE_ME, {
      'GET /api/appeals': listPage([summary(1, { status: 'resolved' })]),
    })

    const { wrapper } = await renderApp('/appeals', { token: 'token-wm', locale: 'en' })

    expect(wrapper.find('[data-testid="appeal-item"]').text()).toContain('Resolved, awaiting confirmation')
  })
})
