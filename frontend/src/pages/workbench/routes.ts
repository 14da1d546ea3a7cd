import type { RouteRecordRaw } from 'vue-router'

// The staff workbench (青诉即办 for units, dispatchers, supervisors, admins, auditors, custodians).
// Each page is loaded when first visited; each checks the caller's role itself (roles.ts).
export const workbenchRoutes: RouteRecordRaw[] = [
  { path: '/workbench', redirect: { name: 'workbench-queue' } },
  {
    path: '/workbench/queue',
    name: 'workbench-queue',
    component: () => import('./UnitQueuePage.vue'),
    meta: { titleKey: 'workbench.queue.title', requiresAuth: true },
  },
  {
    path: '/workbench/dispatch',
    name: 'workbench-dispatch',
    component: () => import('./DispatchQueuePage.vue'),
    meta: { titleKey: 'workbench.dispatch.title', requiresAuth: true },
  },
  {
    path: '/workbench/supervision',
    name: 'workbench-supervision',
    component: () => import('./SupervisionPage.vue'),
    meta: { titleKey: 'workbench.supervision.title', requiresAuth: true },
  },
  {
    path: '/workbench/stats',
    name: 'workbench-stats',
    component: () => import('./StatsPage.vue'),
    meta: { titleKey: 'workbench.stats.title', requiresAuth: true },
  },
  {
    path: '/workbench/admin',
    name: 'workbench-admin',
    component: () => import('./AdminPage.vue'),
    meta: { titleKey: 'workbench.admin.title', requiresAuth: true },
  },
  {
    path: '/workbench/policies',
    name: 'workbench-policies',
    component: () => import('./PolicyListPage.vue'),
    meta: { titleKey: 'policyEditor.list.title', requiresAuth: true },
  },
  {
    path: '/workbench/policies/:itemId',
    name: 'workbench-policy-editor',
    component: () => import('./PolicyEditorPage.vue'),
    meta: { titleKey: 'policyEditor.title', requiresAuth: true },
  },
  {
    path: '/workbench/policy-reviews',
    name: 'workbench-policy-reviews',
    component: () => import('./PolicyReviewsPage.vue'),
    meta: { titleKey: 'policyReview.title', requiresAuth: true },
  },
  {
    path: '/workbench/policy-projects',
    name: 'workbench-policy-projects',
    component: () => import('./PolicyProjectsPage.vue'),
    meta: { titleKey: 'policyProjects.title', requiresAuth: true },
  },
  {
    path: '/workbench/policy-projects/:projectId',
    name: 'workbench-policy-project',
    component: () => import('./PolicyProjectPage.vue'),
    meta: { titleKey: 'policyProjects.project.title', requiresAuth: true },
  },
  {
    path: '/workbench/policy-stats',
    name: 'workbench-policy-stats',
    component: () => import('./PolicyStatsPage.vue'),
    meta: { titleKey: 'policyStats.title', requiresAuth: true },
  },
  {
    path: '/workbench/finance/stats',
    name: 'workbench-finance-stats',
    component: () => import('./FinanceStatsPage.vue'),
    meta: { titleKey: 'financeStats.title', requiresAuth: true },
  },
  {
    path: '/workbench/finance/snapshots',
    name: 'workbench-finance-snapshots',
    component: () => import('./FinanceSnapshotsPage.vue'),
    meta: { titleKey: 'financeSnapshots.title', requiresAuth: true },
  },
  {
    path: '/workbench/reveal/:id',
    name: 'workbench-reveal',
    component: () => import('./RevealPage.vue'),
    meta: { titleKey: 'workbench.reveal.title', requiresAuth: true },
  },
]
