import type { PathsFor, Schemas } from '@/api/client'
import type { JsonSchema } from '@/components/policy/schemaForm'
import type { ProjectContent } from '@/pages/policy/content'
import { clockOffsetMs } from '@/platformClock'

// Applications for funding projects (青岛政策通): functions/policy/application_schemas.py and the state
// machine in application_states.py. Words: applications.* in the locales.

export type Application = Schemas['ApplicationOut']
export type ApplicationSummary = Schemas['ApplicationSummaryOut']
export type ApplicationStatus = Application['status']
export type Step = Schemas['StepOut']

/** A project's content as the apply page reads it: its form is JSON Schema. */
export type ApplyContent = ProjectContent & { form?: JsonSchema | null }

type TagType = 'primary' | 'success' | 'warning' | 'info' | 'danger'
/** How each status looks as a tag; its word is beside it (applications.statuses.<status>). */
export const STATUS_TAG: Record<ApplicationStatus, TagType> = {
  in_review: 'primary',
  returned: 'warning',
  rejected: 'danger',
  withdrawn: 'info',
  approved: 'success',
  in_notice: 'warning',
  awarded: 'success',
  paid: 'success',
  declined: 'info',
}

/** The actions this page has a form for, in the order they are offered (POST /api/applications/{id}/<action>). */
export const ACTIONS = ['approve', 'return', 'reject', 'resubmit', 'withdraw', 'decline', 'rate', 'disburse'] as const
export type ActionName = (typeof ACTIONS)[number]
export const ACTION_PATHS = {
  approve: '/api/applications/{application_id}/approve',
  return: '/api/applications/{application_id}/return',
  reject: '/api/applications/{application_id}/reject',
  resubmit: '/api/applications/{application_id}/resubmit',
  withdraw: '/api/applications/{application_id}/withdraw',
  decline: '/api/applications/{application_id}/decline',
  rate: '/api/applications/{application_id}/rate',
  disburse: '/api/applications/{application_id}/disburse',
} as const satisfies Record<ActionName, PathsFor<'post'>>

export function isKnownAction(name: string): name is ActionName {
  return (ACTIONS as readonly string[]).includes(name)
}

/** Money is integer fen in the API: ¥ with two decimals, the same in both languages. */
export function yuanText(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—'
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(Math.trunc(fen))
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, '0')}`
}

/** An amount typed in 元 (at most two decimals, commas allowed) as integer fen; null if it is not one. */
export function yuanToFen(text: string): number | null {
  const clean = text.trim().replace(/[,，\s]/g, '').replace(/^[¥￥]/, '')
  const found = /^(\d+)(?:\.(\d{1,2}))?$/.exec(clean)
  if (!found) return null
  const fen = Number(found[1]) * 100 + Number((found[2] ?? '').padEnd(2, '0'))
  return Number.isSafeInteger(fen) ? fen : null
}

/** Integer fen as the 元 an input shows (no grouping): 2000000 → "20000", 12345 → "123.45". */
export function fenToYuanInput(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return ''
  const whole = Math.floor(fen / 100)
  const cents = fen % 100
  return cents ? `${whole}.${String(cents).padStart(2, '0')}` : String(whole)
}

/** The file id of an attachment reference (`file:<id>`). */
export function fileIdOf(reference: string): string {
  return reference.startsWith('file:') ? reference.slice(5) : reference
}

/** Today in Qingdao (YYYY-MM-DD) on the platform's clock (a dev stage's may have been moved forward):
 * a payment's default date and the latest it may be. */
export function qingdaoToday(now: number = Date.now() + clockOffsetMs.value): string {
  return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 10)
}
