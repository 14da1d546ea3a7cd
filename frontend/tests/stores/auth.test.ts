import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'

import { TOKEN_KEY, useAuthStore } from '@/stores/auth'

import { fakeApi, problem } from '../support/api'
import { ENTERPRISE_ME } from '../support/people'

describe('auth store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('offers the demo people, not the banks’ interface clients', async () => {
    fakeApi({
      'GET /api/auth/dev-users': {
        body: [
          { user_id: 'ent-zhengrixin', role: 'enterprise', org_id: '91370202MA3C4R7K75', display_name: '王敏', district: '370202' },
          {
            user_id: 'bank-qrcb-client', role: 'bank', org_id: 'bank-qrcb', display_name: '青岛农商银行（接口客户端）',
            district: '370200', client_id: 'bank-qrcb-client', client_secret: 'secret',
          },
        ],
      },
    })

    const users = await useAuthStore().listDemoUsers()

    expect(users.map((user) => user.user_id)).toEqual(['ent-zhengrixin'])
  })

  it('signs in as a demo person, keeps the token for the tab and knows who it is', async () => {
    const api = fakeApi({
      'POST /api/auth/dev-login': { body: { access_token: 'token-wm', token_type: 'Bearer', expires_in: 3600 } },
      'GET /api/auth/me': { body: ENTERPRISE_ME },
    })
    const auth = useAuthStore()

    await auth.signInAsDemoUser('ent-zhengrixin')

    expect(api.called('POST /api/auth/dev-login')[0]!.body).toEqual({ user_id: 'ent-zhengrixin' })
    expect(api.called('GET /api/auth/me')[0]!.headers.Authorization).toBe('Bearer token-wm')
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('token-wm')
    expect(auth.signedIn).toBe(true)
    expect(auth.role).toBe('enterprise')
    expect(auth.me?.name).toBe('王敏')
  })

  it('signs out: forgets the token and the person', async () => {
    fakeApi({
      'POST /api/auth/dev-login': { body: { access_token: 'token-wm', token_type: 'Bearer', expires_in: 3600 } },
      'GET /api/auth/me': { body: ENTERPRISE_ME },
    })
    const auth = useAuthStore()
    await auth.signInAsDemoUser('ent-zhengrixin')

    auth.signOut()

    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull()
    expect(auth.signedIn).toBe(false)
    expect(auth.me).toBeNull()
  })

  it('restores the person behind a token kept from before a reload', async () => {
    sessionStorage.setItem(TOKEN_KEY, 'token-kept')
    const api = fakeApi({ 'GET /api/auth/me': { body: ENTERPRISE_ME } })
    const auth = useAuthStore()

    await auth.restore()
    await auth.restore()

    expect(auth.me?.sub).toBe('ent-zhengrixin')
    expect(api.called('GET /api/auth/me')).toHaveLength(1)
  })

  it('forgets a kept token the API no longer accepts', async () => {
    sessionStorage.setItem(TOKEN_KEY, 'token-expired')
    fakeApi({ 'GET /api/auth/me': problem(401, 'unauthenticated', 'The token has expired.') })
    const auth = useAuthStore()

    await auth.restore()

    expect(auth.signedIn).toBe(false)
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull()
  })
})
