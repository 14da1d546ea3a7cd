/** The rates the API's statistics carry (functions/appeals/stats.py), in the order the page shows them. */
export const RATE_NAMES = [
  'contact_on_time',
  'feedback_on_time',
  'resolve_on_time',
  'return',
  'reopen',
  'satisfaction',
  'mean_speed',
  'mean_attitude',
  'mean_outcome',
] as const
export type RateName = (typeof RATE_NAMES)[number]

export const COUNT_NAMES = [
  'received',
  'contact_due',
  'contact_on_time',
  'feedback_due',
  'feedback_on_time',
  'resolve_due',
  'resolve_on_time',
  'resolved',
  'returns',
  'reopens',
  'extensions',
  'confirmations',
  'satisfied',
  'ratings',
  'rating_speed_sum',
  'rating_attitude_sum',
  'rating_outcome_sum',
] as const

/** Mean ratings are on a 1–5 scale; every other rate is a share shown as a percentage. */
export function isMeanRating(name: string): boolean {
  return name.startsWith('mean_')
}

/**
 * A rate as the page shows it: a percentage with one decimal, a mean rating with two, and
 * `noData` where the API sends null (a zero denominator) or nothing.
 */
export function formatRate(name: string, value: number | null | undefined, locale: string, noData: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return noData
  if (isMeanRating(name)) {
    return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value)
  }
  return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)
}
