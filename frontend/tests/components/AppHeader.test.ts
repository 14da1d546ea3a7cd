import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { signedInAs } from '../support/api'
import { renderApp } from '../support/app'
import { ENTERPRISE_ME } from '../support/people'

describe('the header on a phone', () => {
  it('folds the page links behind one menu button that says whether it is open, and closes when a link is followed', async () => {
    signedInAs(ENTERPRISE_ME, {})
    const { wrapper, router } = await renderApp('/', { token: 'token-wm' })
    const menu = wrapper.find('[data-testid="header-menu"]')
    const links = wrapper.find('#app-header-links')
    expect(menu.attributes('aria-controls')).toBe('app-header-links')
    expect(menu.attributes('aria-expanded')).toBe('false')
    expect(links.element.tagName).toBe('NAV')
    expect(links.findAll('a').map((a) => a.attributes('href'))).toEqual(['/applications', '/finance/demands', '/finance/consents', '/notices'])

    await menu.trigger('click')
    expect(menu.attributes('aria-expanded')).toBe('true')
    expect(links.classes()).toContain('app-header__links--open')

    await router.push('/notices')  // a link followed
    await flushPromises()
    expect(menu.attributes('aria-expanded')).toBe('false')
    wrapper.unmount()
  })

  it('has no menu where there is only one link to fold', async () => {
    const { wrapper } = await renderApp('/')
    expect(wrapper.find('[data-testid="header-menu"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="notices-link"]').exists()).toBe(true)
    wrapper.unmount()
  })
})
