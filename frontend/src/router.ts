import { createRouter, createWebHistory, type RouterHistory, type RouteRecordRaw } from 'vue-router'

import HomePage from './pages/HomePage.vue'
import { appealsRoutes } from './pages/appeals/routes'
import { devRoutes } from './pages/dev/routes'
import { enterpriseRoutes } from './pages/enterprise/routes'
import { financeRoutes } from './pages/finance/routes'
import { financeDemandRoutes } from './pages/financeDemands/routes'
import { reportRoutes } from './pages/finance/reportRoutes'
import { noticesRoutes } from './pages/notices/routes'
import { policyRoutes } from './pages/policy/routes'
import { workbenchRoutes } from './pages/workbench/routes'
import { useAuthStore } from './stores/auth'

declare module 'vue-router' {
  interface RouteMeta {
    /** The locale key of the page's title (document.title). */
    titleKey?: string
    /** Signed-out visitors are sent to sign in first, and brought back after. */
    requiresAuth?: boolean
  }
}

// The home page is in the first download; every other page is loaded when first visited.
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: HomePage, meta: { titleKey: 'home.title' } },
  { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignInPage.vue'), meta: { titleKey: 'signIn.title' } },
  ...appealsRoutes,
  ...policyRoutes,
  ...financeRoutes,
  ...financeDemandRoutes,
  ...reportRoutes,
  ...noticesRoutes,
  ...enterpriseRoutes,
  ...workbenchRoutes,
  ...devRoutes,
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./pages/NotFoundPage.vue'),
    meta: { titleKey: 'notFound.title' },
  },
]

export function createAppRouter(history: RouterHistory = createWebHistory(import.meta.env.BASE_URL)) {
  const router = createRouter({ history, routes, scrollBehavior: () => ({ top: 0 }) })

  router.beforeEach(async (to) => {
    const auth = useAuthStore()
    await auth.restore()
    if (to.meta.requiresAuth && !auth.signedIn) return { name: 'sign-in', query: { redirect: to.fullPath } }
    return true
  })

  // After a navigation (not the first load), move focus to the new page so a screen reader starts there.
  router.afterEach((_to, from) => {
    if (from.matched.length === 0) return
    requestAnimationFrame(() => document.getElementById('main')?.focus())
  })

  return router
}
