import type { RouteRecordRaw } from 'vue-router'

// Credit reports (青融通): the enterprise's own report, and the public page a report's QR code leads to.
export const reportRoutes: RouteRecordRaw[] = [
  {
    path: '/finance/credit-report',
    name: 'credit-report',
    component: () => import('./CreditReportPage.vue'),
    meta: { titleKey: 'creditReport.title', requiresAuth: true },
  },
  {
    path: '/verify/:reportNo',
    name: 'credit-report-verify',
    component: () => import('./VerifyPage.vue'),
    meta: { titleKey: 'creditReport.verify.title' },
  },
]
