import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'

import { fakeApi, signedInAs } from '../support/api'
import { renderApp } from '../support/app'
import { ENTERPRISE_ME } from '../support/people'

const PLATFORMS = {
  items: [
    { name: 'policy', built: false },
    { name: 'finance', built: false },
    { name: 'appeals', built: true },
  ],
}

describe('home page', () => {
  it('shows in Chinese only the platforms the stage has built, the appeals card linking to /appeals', async () => {
    fakeApi({ 'GET /api/platforms': { body: PLATFORMS } })

    const { wrapper } = await renderApp('/')

    expect(document.documentElement.lang).toBe('zh-CN')
    expect(wrapper.find('h1').text()).toBe('青岛市服务企业统一平台')
    const cards = wrapper.findAll('.platform-card')
    expect(cards.map((card) => card.attributes('data-platform'))).toEqual(['appeals'])
    expect(cards[0]!.text()).toContain('青诉即办')
    expect(cards[0]!.find('a').attributes('href')).toBe('/appeals')
    expect(wrapper.text()).not.toContain('青岛政策通')
    expect(wrapper.text()).not.toContain('青融通')
  })

  it('links the finance card to /finance and skips a platform it has no words for', async () => {
    fakeApi({ 'GET /api/platforms': { body: { items: [{ name: 'finance', built: true }, { name: 'unknown', built: true }] } } })

    const { wrapper } = await renderApp('/')

    const cards = wrapper.findAll('.platform-card')
    expect(cards.map((card) => card.attributes('data-platform'))).toEqual(['finance'])
    expect(cards[0]!.find('a').attributes('href')).toBe('/finance')
  })

  it('links the policy card to /policy and searches policies from the home page', async () => {
    fakeApi({
      'GET /api/platforms': { body: { items: [{ name: 'policy', built: true }, { name: 'appeals', built: true }] } },
      'GET /api/policies/search': { body: { items: [], total: 0, mode: 'all', facets: {}, closing_within: {}, next_cursor: null } },
    })
    const { wrapper, router } = await renderApp('/')

    expect(wrapper.find('.platform-card[data-platform="policy"] a').attributes('href')).toBe('/policy')
    await wrapper.find('[data-testid="home-policy-search"] input').setValue('  高新技术企业 ')
    await wrapper.find('[data-testid="home-policy-search"] form').trigger('submit')
    // The search page is loaded when first visited: wait for the navigation to finish.
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/policy?q=${encodeURIComponent('高新技术企业')}`))
  })

  it('has no policy search box while the stage does not run the policy platform', async () => {
    fakeApi({ 'GET /api/platforms': { body: PLATFORMS } })
    const { wrapper } = await renderApp('/')

    expect(wrapper.find('[data-testid="home-policy-search"]').exists()).toBe(false)
  })

  it('says so when the stage runs no built platform', async () => {
    fakeApi({ 'GET /api/platforms': { body: { items: [{ name: 'policy', built: false }] } } })

    const { wrapper } = await renderApp('/')

    expect(wrapper.text()).toContain('本站点暂未开通平台服务。')
  })

  it('shows an error with a retry when the platforms cannot be read, and recovers', async () => {
    let fail = true
    fakeApi({ 'GET /api/platforms': () => (fail ? { status: 503, body: 'unavailable', contentType: 'text/plain' } : { body: PLATFORMS }) })
    const { wrapper } = await renderApp('/')

    expect(wrapper.find('[role="alert"]').text()).toContain('平台暂时无法处理请求')
    fail = false
    await wrapper.find('[role="alert"] button').trigger('click')
    await flushPromises()

    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect(wrapper.findAll('.platform-card')).toHaveLength(1)
  })

  it('offers a signed-out visitor the way to sign in, and reads no notices', async () => {
    const api = fakeApi({ 'GET /api/platforms': { body: PLATFORMS } })

    const { wrapper } = await renderApp('/')

    expect(wrapper.find('a[href="/sign-in"]').exists()).toBe(true)
    expect(api.called('GET /api/inbox')).toEqual([])
  })

  it('shows a signed-in person their name, role and newest notices', async () => {
    const api = signedInAs(ENTERPRISE_ME, {
      'GET /api/platforms': { body: PLATFORMS },
      'GET /api/inbox': {
        body: [
          {
            id: 'm1',
            topic: 'appeal.received',
            subject: '诉求已受理',
            text: '【青诉即办】您的诉求已受理，编号 370200-0000123。',
            data: { ticket_no: '370200-0000123' },
            recipient: 'org:91370202MA3C4R7K75',
            at: '2026-11-20T02:00:00Z',
          },
        ],
      },
    })

    const { wrapper } = await renderApp('/', { token: 'token-wm' })

    expect(wrapper.find('[data-testid="current-user"]').text()).toContain('王敏')
    expect(wrapper.find('[data-testid="current-user"]').text()).toContain('企业')
    expect(api.called('GET /api/inbox')[0]!.url).toBe('/api/inbox?limit=5')
    const notice = wrapper.find('[data-testid="notice"]')
    expect(notice.text()).toContain('编号 370200-0000123')
    expect(notice.find('time').text()).toBe('2026/11/20 10:00')
  })

  it('switches to English and remembers it', async () => {
    fakeApi({ 'GET /api/platforms': { body: PLATFORMS } })
    const { wrapper } = await renderApp('/')

    await wrapper.find('.app-header__language').trigger('click')

    expect(wrapper.find('h1').text()).toBe('Qingdao Enterprise Service Platform')
    expect(wrapper.find('.platform-card').text()).toContain('Appeals')
    expect(document.documentElement.lang).toBe('en')
    expect(document.title).toBe('Qingdao Enterprise Service Platform')
    expect(localStorage.getItem('qd.locale')).toBe('en')
    expect(wrapper.find('.app-header__language').text()).toBe('中文')
  })

  it('signs out from the header', async () => {
    signedInAs(ENTERPRISE_ME, { 'GET /api/platforms': { body: PLATFORMS }, 'GET /api/inbox': { body: [] } })
    const { wrapper } = await renderApp('/', { token: 'token-wm' })

    await wrapper.find('.app-header__sign-out').trigger('click')

    expect(wrapper.find('[data-testid="current-user"]').exists()).toBe(false)
    expect(sessionStorage.length).toBe(0)
  })
})
