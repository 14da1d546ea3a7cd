import type { RouteRecordRaw } from 'vue-router'

import { applicationRoutes } from '../applications/routes'

// The policy platform's pages (青岛政策通). Search and reading are public; matching is the enterprise's own.
export const policyRoutes: RouteRecordRaw[] = [
  // Applying for a project and following an application (pages/applications).
  ...applicationRoutes,
  {
    path: '/policy',
    name: 'policy',
    component: () => import('./PolicySearchPage.vue'),
    meta: { titleKey: 'policy.search.title' },
  },
  {
    path: '/policy/items/:id',
    name: 'policy-item',
    component: () => import('./PolicyItemPage.vue'),
    meta: { titleKey: 'policy.item.title' },
  },
  {
    path: '/policy/projects/:id',
    name: 'policy-project',
    component: () => import('./ProjectPage.vue'),
    meta: { titleKey: 'policy.project.title' },
  },
  {
    path: '/policy/matches',
    name: 'policy-matches',
    component: () => import('./MyMatchesPage.vue'),
    meta: { titleKey: 'policy.matches.title', requiresAuth: true },
  },
]
