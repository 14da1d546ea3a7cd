import type { RouteRecordRaw } from 'vue-router'

// Applications for funding projects (青岛政策通): the enterprise applies and follows its applications;
// every role that may read one (reviewers, the department, oversight) works it on the same page.
export const applicationRoutes: RouteRecordRaw[] = [
  {
    path: '/policy/projects/:id/apply',
    alias: '/projects/:id/apply',
    name: 'policy-apply',
    component: () => import('./ApplyPage.vue'),
    meta: { titleKey: 'applications.apply.title', requiresAuth: true },
  },
  {
    path: '/applications',
    name: 'applications',
    component: () => import('./MyApplicationsPage.vue'),
    meta: { titleKey: 'applications.mine.title', requiresAuth: true },
  },
  {
    path: '/applications/:id',
    name: 'application',
    component: () => import('./ApplicationPage.vue'),
    meta: { titleKey: 'applications.detail.title', requiresAuth: true },
  },
]
