// The catalogue's filters: the API's names and values, in the order the page's form shows them.
import type { LocationQuery } from 'vue-router'

export const CATEGORIES = ['credit', 'mortgage', 'guarantee', 'ip_pledge', 'supply_chain', 'agricultural', 'trade', 'green', 'leasing'] as const
export const GUARANTEES = ['credit', 'mortgage', 'guarantee', 'pledge'] as const
export const CHANNELS = ['xinyidai', 'rongzitong', 'jinnongtong', 'platform'] as const
export const TARGETS = [
  'small_micro',
  'tech',
  'specialized',
  'agri',
  'marine',
  'foreign_trade',
  'manufacturing',
  'green',
  'startup',
  'self_employed',
] as const

/** The URL's parameters that are filters of GET /api/finance/products (as the API names them). */
export const FILTER_NAMES = ['category', 'guarantee', 'channel', 'target', 'district', 'amount_fen', 'term_months', 'institution_id'] as const
export type FilterName = (typeof FILTER_NAMES)[number]

export function filtersOf(query: LocationQuery): Partial<Record<FilterName, string>> {
  const found: Partial<Record<FilterName, string>> = {}
  for (const name of FILTER_NAMES) {
    const value = query[name]
    if (typeof value === 'string' && value) found[name] = value
  }
  return found
}

/** A whole number from the URL (amount in fen, term in months), or undefined. */
export function whole(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined
  return Number(value)
}
