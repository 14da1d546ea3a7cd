/** The credit report's JSON as the API sends it (`report` of CreditReportOut), and its words. */
export type ReportEntry = { source: string; as_of: string; [key: string]: unknown }
export type ReportSection = {
  key: string
  title_zh: string
  title_en: string
  origin: 'enterprise_profile' | 'public_credit_data' | 'platform_records'
  sources: string[]
  as_of: string | null
  entries: ReportEntry[]
}
export type Report = {
  format: string
  report_no: string
  generated_at: string
  subject: { uscc: string; name: string | null; district: { code: string; name_zh?: string; name_en?: string } }
  summary: Record<string, unknown>
  sections: ReportSection[]
}

/** An ISO time with its offset (+08:00 from the API), as Qingdao reads it: 2026-11-20 10:00:00. */
export function qingdaoTime(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ')
}

/** Fen as yuan with two decimals and thousands separators. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  const whole = Math.floor(abs / 100).toLocaleString('en-US')
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')}`
}

/** An entry's fields as (name, text) pairs, without its source and date. */
export function entryFields(entry: ReportEntry): [string, string][] {
  const data = (entry.data ?? entry) as Record<string, unknown>
  return Object.entries(data)
    .filter(([name]) => !['source', 'as_of', 'item_id', 'data'].includes(name))
    .map(([name, value]) => [name, textOf(name, value)])
}

function textOf(name: string, value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (name.endsWith('_fen') && typeof value === 'number') return yuan(value)
  if (Array.isArray(value)) return value.join(', ')
  return String(value)
}
