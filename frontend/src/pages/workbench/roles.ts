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
/** Who edits a department's policies (its staff; administrators choose the department). */
export const POLICY_ROLES = ['staff', 'admin'] as const
/** The review queue of policy applications at a unit's stage (staff; oversight roles choose the unit). */
export const POLICY_REVIEW_ROLES = QUEUE_ROLES
/** A department's projects, their applications, public notices and 免申即享 lists (its staff; administrators choose). */
export const POLICY_DEPARTMENT_ROLES = ['staff', 'admin'] as const
/** A department's policy statistics (GET /api/departments/{unit}/policy-stats). */
export const POLICY_STATS_ROLES = QUEUE_ROLES
/** Who enters a financing demand for an enterprise (POST /api/finance/demands as staff). */
export const FINANCE_DEMAND_ROLES = ['staff', 'admin'] as const
/** The financing platform's statistics (GET /api/finance/stats): the city's readers, or a district's for itself. */
export const FINANCE_STATS_ROLES = ['staff', 'supervisor', 'admin', 'auditor'] as const
/** The monthly credit snapshot runs (GET /api/finance/snapshots): the city's readers only (a district's get 403). */
export const FINANCE_SNAPSHOT_ROLES = ['supervisor', 'admin', 'auditor'] as const
/** Who takes last month's snapshots again (POST /api/finance/snapshots/run): the city's admin. */
export const FINANCE_SNAPSHOT_RUN_ROLES = ['admin'] as const
/** Who sees the workbench link in the header. */
export const WORKBENCH_ROLES = QUEUE_ROLES

export function hasRole(role: string | null | undefined, roles: readonly string[]): boolean {
  return !!role && roles.includes(role)
}

export { CITY, DISTRICTS } from '@/vocabulary'
