import type { RouteRecordRaw } from 'vue-router'

// The appeals platform's pages (青诉即办). Each is loaded when first visited; add new ones here
// (an appeal's detail, the submission form, a unit's queue) with the role they are for.
export const appealsRoutes: RouteRecordRaw[] = [
  {
    path: '/appeals',
    name: 'appeals',
    component: () => import('./MyAppealsPage.vue'),
    meta: { titleKey: 'appeals.title', requiresAuth: true },
  },
  {
    path: '/appeals/new',
    name: 'appeal-new',
    component: () => import('./NewAppealPage.vue'),
    // Signed out, the page files an anonymous report or clue (the API allows only those without a token).
    meta: { titleKey: 'appeals.new.title' },
  },
  {
    path: '/appeals/receipt',
    name: 'appeal-receipt',
    component: () => import('./ReceiptPage.vue'),
    meta: { titleKey: 'appeals.receipt.title' },
  },
  {
    path: '/appeals/:id',
    name: 'appeal',
    component: () => import('./AppealPage.vue'),
    meta: { titleKey: 'appeals.detail.title', requiresAuth: true },
  },
]
