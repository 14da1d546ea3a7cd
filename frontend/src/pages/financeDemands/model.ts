import { useI18n } from 'vue-i18n'

import type { Schemas } from '@/api/client'
import { clockOffsetMs } from '@/platformClock'
import { VOCABULARY } from '@/vocabulary'

// Financing demands and consents (青融通): functions/finance/routes.py, schemas.py, demands.py, bank.py and
// consents.py. Words: financeDemands.* in the locales; guarantee types, channels and rejection reasons are
// the platform's own (functions/finance/vocabulary.py, copied into api/vocabulary.json).

export { fenToYuanInput, yuanText, yuanToFen } from '@/pages/applications/model'

export type Demand = Schemas['DemandOut']
export type DemandSummary = Schemas['DemandSummaryOut']
export type DemandEvent = Schemas['DemandEventOut']
export type DemandStatus = Demand['status']
export type Guarantee = Schemas['DemandIn']['guarantee']
export type Channel = NonNullable<Schemas['DemandIn']['source_channel']>
export type Consent = Schemas['ConsentOut']
export type DataRead = Schemas['DataReadOut']

/** The API's limits of a demand (schemas.py DemandIn). */
export const MIN_AMOUNT_FEN = 100_000
export const MAX_AMOUNT_FEN = 100_000_000_000
export const MAX_TERM_MONTHS = 360
export const PURPOSE_MIN = 4
export const PURPOSE_MAX = 500
/** A consent lasts a year at most (consents.py MAX_DAYS); the shortcut on a demand gives 30 days. */
export const CONSENT_MAX_DAYS = 366
export const CONSENT_DAYS = 30
export const EVERY_INSTITUTION = '*'

export const GUARANTEES = VOCABULARY.finance.guarantees.map((g) => g.code) as Guarantee[]
const ALL_CHANNELS = VOCABULARY.finance.channels.map((c) => c.code) as Channel[]
/** An enterprise posts through the platform or says which channel it also used; offline ones are entered by staff. */
export const ENTERPRISE_CHANNELS = ALL_CHANNELS.filter((c) => c !== 'offline')
export const STAFF_CHANNELS = ALL_CHANNELS
/** Who may post or enter a demand (routes.py post_demand). */
export const POSTING_ROLES = ['enterprise', 'staff', 'admin'] as const

type TagType = 'primary' | 'success' | 'warning' | 'info' | 'danger'
/** How each status looks as a tag; its word is beside it (financeDemands.statuses.<status>). */
export const STATUS_TAG: Record<DemandStatus, TagType> = {
  open: 'primary',
  claimed: 'warning',
  contacted: 'warning',
  approved: 'success',
  disbursed: 'success',
  rejected: 'danger',
  withdrawn: 'info',
}
/** While a bank works a demand it may ask to read the credit report (bank.py MACHINE). */
export const WORKED_STATUSES: readonly DemandStatus[] = ['claimed', 'contacted', 'approved']

type Word = { code: string; zh: string; en: string }
const TABLES: Record<'guarantee' | 'channel' | 'reason', Map<string, Word>> = {
  guarantee: new Map(VOCABULARY.finance.guarantees.map((w) => [w.code, w])),
  channel: new Map(VOCABULARY.finance.channels.map((w) => [w.code, w])),
  reason: new Map(VOCABULARY.finance.reject_reasons.map((w) => [w.code, w])),
}

/** The platform's word for a guarantee type, a channel or a rejection reason, in the page's language (unknown: the code). */
export function useFinanceWords(): (table: keyof typeof TABLES, code: string | null | undefined) => string {
  const { locale } = useI18n()
  return (table, code) => {
    const word = code ? TABLES[table].get(code) : undefined
    if (!word) return code ?? ''
    return locale.value === 'en' ? word.en : word.zh
  }
}

/** An annual rate in basis points as a percentage: 385 → "3.85%". */
export function rateText(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '—'
  return `${(bp / 100).toFixed(2)}%`
}

/** The platform's now (a dev stage's clock may have been moved forward). */
export function platformNow(): number {
  return Date.now() + clockOffsetMs.value
}

/** A day (YYYY-MM-DD) in Qingdao, `days` after today on the platform's clock. */
export function qingdaoDay(days = 0, now: number = platformNow()): string {
  return new Date(now + days * 86_400_000 + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

/** The end of a Qingdao day as the instant a consent expires. */
export function endOfQingdaoDay(day: string): string {
  return `${day}T23:59:59+08:00`
}

/** Whether a live consent already lets `institution` read for this demand (consents.py live_consent). */
export function coveredBy(consents: readonly Consent[], institution: string, demandId: string): Consent | undefined {
  return consents.find(
    (c) =>
      c.live &&
      (c.institution_id === institution || c.institution_id === EVERY_INSTITUTION) &&
      (c.demand_id === null || c.demand_id === demandId),
  )
}

/** A demand just posted, for its page to show at once (a staff member may not be a party who can read it back). */
const posted = new Map<string, Demand>()
export function rememberPosted(demand: Demand): void {
  posted.set(demand.id, demand)
}
export function postedDemand(id: string): Demand | undefined {
  return posted.get(id)
}
