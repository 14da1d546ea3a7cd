import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'

import { api, type Schemas } from '@/api/client'
import { resetUnits } from '@/composables/useUnits'

export type Me = Schemas['WhoAmIOut']
export type DevUser = Schemas['DevUserOut']

// sessionStorage: a tab keeps its sign-in across reloads, and closing it signs out.
export const TOKEN_KEY = 'qd.token'

function readToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY)
  } catch {
    return null // storage disabled: signed out, but the page still works
  }
}

function writeToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token)
    else sessionStorage.removeItem(TOKEN_KEY)
  } catch {
    // storage disabled: the token lives as long as the page
  }
}

/** Who is signed in. Local and dev stages sign in as a demo person (/api/auth/dev-login). */
export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(readToken())
  const me = shallowRef<Me | null>(null)
  let restoring: Promise<void> | null = null

  const signedIn = computed(() => token.value !== null)
  const role = computed(() => me.value?.role ?? null)

  function forget(): void {
    token.value = null
    me.value = null
    restoring = null
    writeToken(null)
  }

  api.authorize({ token: () => token.value, onUnauthorized: forget })

  /** Who the stored token belongs to; a token the API no longer accepts is forgotten. */
  async function loadMe(): Promise<void> {
    if (!token.value) {
      me.value = null
      return
    }
    me.value = await api.get('/api/auth/me')
  }

  /** Once per page load: the person behind a token kept from before the reload (errors leave them unknown). */
  function restore(): Promise<void> {
    restoring ??= loadMe().catch(() => undefined)
    return restoring
  }

  /** The demo people a local or dev stage offers; the interface clients of banks are not people and are left out. */
  async function listDemoUsers(): Promise<DevUser[]> {
    const users = await api.get('/api/auth/dev-users')
    return users.filter((user) => !user.client_id)
  }

  async function signInAsDemoUser(userId: string): Promise<void> {
    const grant = await api.post('/api/auth/dev-login', { body: { user_id: userId } })
    token.value = grant.access_token
    writeToken(grant.access_token)
    await loadMe()
    restoring = Promise.resolve()
  }

  function signOut(): void {
    forget()
    resetUnits()
  }

  return { token, me, signedIn, role, restore, listDemoUsers, signInAsDemoUser, signOut }
})
