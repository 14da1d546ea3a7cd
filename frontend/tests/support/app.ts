import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'

import App from '@/App.vue'
import { createAppI18n, type Locale } from '@/i18n'
import { createAppRouter } from '@/router'
import { TOKEN_KEY } from '@/stores/auth'

/** The whole app at `path`, as a browser would show it after loading it (fetch faked by fakeApi). */
export async function renderApp(path: string, { token = null as string | null, locale = 'zh-CN' as Locale } = {}) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token)
  const pinia = createPinia()
  setActivePinia(pinia)
  const i18n = createAppI18n(locale)
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  await router.isReady()
  const wrapper = mount(App, { global: { plugins: [pinia, i18n, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}
