import type { RouteRecordRaw } from 'vue-router'

// The financing platform's catalogue (青融通): products and institutions, public.
export const financeRoutes: RouteRecordRaw[] = [
  {
    path: '/finance',
    name: 'finance',
    component: () => import('./CataloguePage.vue'),
    meta: { titleKey: 'finance.catalogue.title' },
  },
  {
    path: '/finance/institutions/:id',
    name: 'finance-institution',
    component: () => import('./InstitutionPage.vue'),
    meta: { titleKey: 'finance.institution.title' },
  },
]
