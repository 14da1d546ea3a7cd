import type { RouteRecordRaw } from 'vue-router'

// Financing demands and consents (青融通): an enterprise posts and follows its demands, gives and revokes
// consents to read its credit report and sees every read; staff enter demands collected elsewhere.
export const financeDemandRoutes: RouteRecordRaw[] = [
  {
    path: '/finance/demands',
    name: 'finance-demands',
    component: () => import('./MyDemandsPage.vue'),
    meta: { titleKey: 'financeDemands.mine.title', requiresAuth: true },
  },
  {
    path: '/finance/demands/new',
    name: 'finance-demand-new',
    component: () => import('./NewDemandPage.vue'),
    meta: { titleKey: 'financeDemands.new.title', requiresAuth: true },
  },
  {
    path: '/finance/demands/:id',
    name: 'finance-demand',
    component: () => import('./DemandPage.vue'),
    meta: { titleKey: 'financeDemands.detail.title', requiresAuth: true },
  },
  {
    path: '/finance/consents',
    name: 'finance-consents',
    component: () => import('./ConsentsPage.vue'),
    meta: { titleKey: 'financeDemands.consents.title', requiresAuth: true },
  },
]
