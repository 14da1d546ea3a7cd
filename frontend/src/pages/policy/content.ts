import type { RouteLocationRaw } from 'vue-router'

import type { Schemas } from '@/api/client'

// An item's `content` is free-form in the OpenAPI document; functions/policy/README.md
// ("Content format") is what it holds. These types say what the pages read of it.

export type Item = Schemas['ItemOut']
export type Kind = Item['kind']
export type Match = Schemas['MatchOut']
export type Condition = Schemas['ConditionOut']

export type DocumentContent = {
  level?: string
  district?: string
  issuer?: string
  department_id?: string
  doc_number?: string
  title: string
  issued_on?: string
  effective_from?: string
  effective_to?: string | null
  topics?: string[]
  body?: string
}

export type NewsContent = {
  kind?: string
  title: string
  published_on?: string
  body?: string
}

export type Amount =
  | { kind: 'fixed'; amount_fen: number }
  | { kind: 'ratio'; base: string; rate: number; cap_fen?: number | null }
  | { kind: 'text'; text: string }

export type ProjectContent = {
  title: string
  summary?: string
  department_id?: string
  documents?: string[]
  topics?: string[]
  amount?: Amount
  window?: { opens_on?: string | null; closes_on?: string | null } | null
  no_application?: boolean
  review_stages?: { name: string; unit_id?: string }[]
}

/** Where an item of `kind` is read: a project has its own page. */
export function itemRoute(kind: Kind, id: string): RouteLocationRaw {
  return kind === 'project' ? { name: 'policy-project', params: { id } } : { name: 'policy-item', params: { id } }
}

/** Tag colours per status; the status word is always beside it (never colour alone). */
export const STATUS_TAG: Record<string, 'success' | 'info' | 'warning' | 'danger' | 'primary'> = {
  open: 'success',
  effective: 'success',
  published: 'primary',
  upcoming: 'warning',
  closed: 'info',
  expired: 'info',
  withdrawn: 'danger',
}

/** Body text: paragraphs separated by newlines, blank ones dropped. */
export function paragraphs(body: string | undefined): string[] {
  return (body ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
}

/** A calendar date (YYYY-MM-DD) as a Date the i18n date formats show as that same day in Qingdao. */
export function calendarDay(value: string): Date {
  return new Date(`${value}T12:00:00+08:00`)
}
