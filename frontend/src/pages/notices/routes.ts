import type { RouteRecordRaw } from 'vue-router'

// Public notices (公示) of policy awards: public, no sign-in; objecting needs a signed-in person.
export const noticesRoutes: RouteRecordRaw[] = [
  {
    path: '/notices',
    name: 'policy-notices',
    component: () => import('./NoticesPage.vue'),
    meta: { titleKey: 'policyNotices.title' },
  },
  {
    path: '/notices/:id',
    name: 'policy-notice',
    component: () => import('./NoticePage.vue'),
    meta: { titleKey: 'policyNotices.notice.title' },
  },
]
