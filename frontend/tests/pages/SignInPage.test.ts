import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'

import { fakeApi, listPage, problem } from '../support/api'
import { renderApp } from '../support/app'
import { ENTERPRISE_ME } from '../support/people'

const DEV_USERS = [
  { user_id: 'ent-zhengrixin', role: 'enterprise', org_id: '91370202MA3C4R7K75', display_name: '王敏', district: '370202' },
  { user_id: 'staff-tax', role: 'staff', org_id: 'unit-tax', display_name: '张磊', district: '370200' },
  {
    user_id: 'bank-qrcb-client', role: 'bank', org_id: 'bank-qrcb', display_name: '青岛农商银行（接口客户端）',
    district: '370200', client_id: 'bank-qrcb-client', client_secret: 'secret',
  },
]

describe('sign-in page', () => {
  it('signs in as the demo person chosen and goes back where the visitor was going', async () => {
    fakeApi({
      'GET /api/auth/dev-users': { body: DEV_USERS },
      'POST /api/auth/dev-login': { body: { access_token: 'token-wm', token_type: 'Bearer', expires_in: 3600 } },
      'GET /api/auth/me': { body: ENTERPRISE_ME },
      'GET /api/appeals': listPage([]),
    })
    const { wrapper, router } = await renderApp('/sign-in?redirect=/appeals')

    const choices = wrapper.findAll('.demo-user')
    expect(choices.map((choice) => choice.attributes('data-user-id'))).toEqual(['ent-zhengrixin', 'staff-tax'])
    expect(choices[1]!.text()).toContain('工作人员')
    await choices[0]!.trigger('click')

    // The appeals page is loaded on first visit: wait for it.
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/appeals'))
    await flushPromises()
    expect(wrapper.find('[data-testid="current-user"]').text()).toContain('王敏')
  })

  it('never sends the visitor to another site after signing in', async () => {
    fakeApi({
      'GET /api/auth/dev-users': { body: DEV_USERS },
      'POST /api/auth/dev-login': { body: { access_token: 'token-wm', token_type: 'Bearer', expires_in: 3600 } },
      'GET /api/auth/me': { body: ENTERPRISE_ME },
      'GET /api/platforms': { body: { items: [] } },
      'GET /api/inbox': { body: [] },
    })
    const { wrapper, router } = await renderApp('/sign-in?redirect=//evil.example/x')

    await wrapper.find('.demo-user').trigger('click')
    await flushPromises()

    expect(router.currentRoute.value.fullPath).toBe('/')
  })

  it('explains that demo sign-in is not offered where the API has no demo people', async () => {
    fakeApi({ 'GET /api/auth/dev-users': problem(404, 'not_found', 'No resource at /api/auth/dev-users.') })

    const { wrapper } = await renderApp('/sign-in')

    expect(wrapper.text()).toContain('此环境不提供演示账号登录')
  })
})
