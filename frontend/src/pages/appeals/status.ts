import type { Schemas } from '@/api/client'

export type AppealStatus = Schemas['AppealSummaryOut']['status']
type TagType = 'primary' | 'success' | 'warning' | 'info' | 'danger'

/** How each status looks as a tag (its words are in the locales: appeals.statuses.<code>). */
export const STATUS_TAG: Record<AppealStatus, TagType> = {
  pending_dispatch: 'info',
  dispatched: 'primary',
  in_progress: 'warning',
  resolved: 'success',
  closed: 'info',
  merged: 'info',
}
