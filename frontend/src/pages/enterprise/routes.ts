import type { RouteRecordRaw } from 'vue-router'

// The enterprise's own pages that several platforms lean on (the profile policy matching reads).
export const enterpriseRoutes: RouteRecordRaw[] = [
  {
    path: '/enterprise/profile',
    name: 'enterprise-profile',
    component: () => import('./ProfilePage.vue'),
    meta: { titleKey: 'enterprise.profile.title', requiresAuth: true },
  },
]
