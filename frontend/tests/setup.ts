import { enableAutoUnmount } from '@vue/test-utils'
import { afterEach } from 'vitest'

import { resetUnits } from '@/composables/useUnits'

// jsdom has no scrolling; the router scrolls to the top on each navigation.
window.scrollTo = () => {}

// Each test starts signed out, in the default language, with nothing mounted.
enableAutoUnmount(afterEach)
afterEach(() => {
  sessionStorage.clear()
  localStorage.clear()
  document.documentElement.lang = ''
  resetUnits()
})
