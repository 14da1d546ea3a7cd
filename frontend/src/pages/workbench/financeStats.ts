import type { Schemas } from '@/api/client'

/** One row of GET /api/finance/stats (a bank, a branch, a district, or the totals). */
export type FinanceStatRow = Schemas['FinanceStatRowOut']
export type FinanceStatsBy = Schemas['FinanceStatsOut']['by']

export const BY_OPTIONS = ['bank', 'branch', 'district'] as const satisfies readonly FinanceStatsBy[]
/** How many rows a chart shows: the most claims first (the table has them all). */
export const CHART_TOP = 15

type Kind = 'count' | 'rate' | 'hours' | 'fen'
export const COLUMNS = [
  { name: 'claimed', kind: 'count' },
  { name: 'contacted', kind: 'count' },
  { name: 'approved', kind: 'count' },
  { name: 'rejected', kind: 'count' },
  { name: 'disbursed', kind: 'count' },
  { name: 'released', kind: 'count' },
  { name: 'approval_rate', kind: 'rate' },
  { name: 'approved_over_asked', kind: 'rate' },
  { name: 'avg_publish_to_claim_hours', kind: 'hours' },
  { name: 'avg_claim_to_contact_hours', kind: 'hours' },
  { name: 'approved_fen', kind: 'fen' },
  { name: 'disbursed_fen', kind: 'fen' },
] as const satisfies readonly { name: keyof FinanceStatRow; kind: Kind }[]
export type ColumnName = (typeof COLUMNS)[number]['name']
export type SortKey = ColumnName | 'name'
export type Direction = 'ascending' | 'descending'

/** A month YYYY-MM or a year YYYY, as the API takes it. */
export function isPeriod(value: string): boolean {
  return /^\d{4}(-(0[1-9]|1[0-2]))?$/.test(value)
}

/** This month in Qingdao (YYYY-MM), whatever the browser's time zone. */
export function shanghaiMonth(now: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(now)
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}`
}

/**
 * Rows in the order asked for; rows without a value (a rate with no sample) always last, whichever
 * the direction, and ties by key, so the order is stable.
 */
export function sortRows(rows: readonly FinanceStatRow[], key: SortKey, direction: Direction, collator?: Intl.Collator): FinanceStatRow[] {
  const sign = direction === 'ascending' ? 1 : -1
  const names = collator ?? new Intl.Collator('zh-CN')
  return [...rows].sort((a, b) => {
    if (key === 'name') return sign * names.compare(a.name, b.name) || a.key.localeCompare(b.key)
    const x = a[key]
    const y = b[key]
    if (x === null && y === null) return a.key.localeCompare(b.key)
    if (x === null) return 1
    if (y === null) return -1
    return sign * (x - y) || a.key.localeCompare(b.key)
  })
}

/** The rows a chart shows: the `top` with the most claims. */
export function topByClaims(rows: readonly FinanceStatRow[], top = CHART_TOP): FinanceStatRow[] {
  return sortRows(rows, 'claimed', 'descending').slice(0, top)
}

/** A cell as the page shows it: counts as integers, shares as percentages, hours with one decimal, fen in yuan. */
export function formatCell(name: ColumnName, value: number | null, locale: string, noData: string): string {
  if (value === null || Number.isNaN(value)) return noData
  const kind = COLUMNS.find((c) => c.name === name)?.kind ?? 'count'
  switch (kind) {
    case 'rate':
      return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)
    case 'hours':
      return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)
    case 'fen':
      return new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY' }).format(value / 100)
    default:
      return new Intl.NumberFormat(locale).format(value)
  }
}

/** A row's name in the page's language: the English name where the API has one. */
export function rowName(row: FinanceStatRow, locale: string): string {
  return locale === 'en' && row.name_en ? row.name_en : row.name
}
