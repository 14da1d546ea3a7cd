import type { RouteRecordRaw } from 'vue-router'

// Pages only a local or dev stage has (their API answers 404 in production, and the header links
// them only when the platform says it runs a dev clock).
export const devRoutes: RouteRecordRaw[] = [
  {
    path: '/dev/mailbox',
    name: 'dev-mailbox',
    component: () => import('./MailboxPage.vue'),
    meta: { titleKey: 'mailbox.title' },
  },
]
