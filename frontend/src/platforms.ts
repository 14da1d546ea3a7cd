import type { RouteLocationRaw } from 'vue-router'

/** The platforms the front end has words for (locales: platforms.<name>), in the home page's order. */
export const PLATFORM_NAMES = ['policy', 'finance', 'appeals'] as const
export type PlatformName = (typeof PLATFORM_NAMES)[number]

/** Where each platform's pages start; null until they are built here (a card without a link, never a dead one). */
export const PLATFORM_ENTRY: Record<PlatformName, RouteLocationRaw | null> = {
  policy: { name: 'policy' },
  finance: { name: 'finance' },
  appeals: { name: 'appeals' },
}

export function isPlatformName(name: string): name is PlatformName {
  return (PLATFORM_NAMES as readonly string[]).includes(name)
}
