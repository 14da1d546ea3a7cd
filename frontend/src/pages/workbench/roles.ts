/** Who may open which workbench page (the API checks again; this only decides what the page offers). */
export const QUEUE_ROLES = ['staff', 'dispatcher', 'supervisor', 'admin', 'auditor'] as const
export const DISPATCH_ROLES = ['dispatcher', 'supervisor'] as const
/** Every unit's breached and near-breach deadlines (GET /api/supervision/appeals). */
export const SUPERVISION_ROLES = ['supervisor', 'admin', 'auditor'] as const
export const STATS_ROLES = ['staff', 'dispatcher', 'supervisor', 'admin', 'auditor'] as const
/** Roles that may look at any unit's queue or statistics (staff see only their own unit). */
export const OVERSIGHT_ROLES = ['dispatcher', 'supervisor', 'admin', 'auditor'] as const
/** Roles that may read a district's statistics. */
export const DISTRICT_STATS_ROLES = ['dispatcher', 'supervisor', 'admin', 'auditor'] as const
export const ADMIN_ROLES = ['admin'] as const
export const REVEAL_ROLES = ['custodian'] as const
/** Who sees the workbench link in the header. */
export const WORKBENCH_ROLES = QUEUE_ROLES

export function hasRole(role: string | null | undefined, roles: readonly string[]): boolean {
  return !!role && roles.includes(role)
}

export { CITY, DISTRICTS } from '@/vocabulary'
