import type { Schemas } from '@/api/client'

// What the policy editor (PolicyEditorPage) needs besides its template: the content as form text and
// back, the API's field names for each form field, and a line diff for the versions panel.

export type Kind = Schemas['EditableOut']['kind']
export type Editable = Schemas['EditableOut']
export type Version = Schemas['VersionOut']
export type Change = Schemas['ChangeOut']
export type DepartmentItem = Schemas['DepartmentItemOut']

export const KINDS: Kind[] = ['document', 'project', 'news']
export const PREFIX: Record<Kind, string> = { document: 'doc-', project: 'proj-', news: 'news-' }
export const LEVELS = ['national', 'provincial', 'municipal', 'district'] as const
export const NEWS_KINDS = ['interpretation', 'news'] as const
export const AMOUNT_KINDS = ['fixed', 'ratio', 'text'] as const
/** Content fields edited as JSON text (projects): checked as JSON before anything is sent. */
export const JSON_FIELDS = ['eligibility', 'form', 'review_stages'] as const
export type JsonField = (typeof JSON_FIELDS)[number]

export function kindOf(itemId: string): Kind | null {
  return KINDS.find((kind) => itemId.startsWith(PREFIX[kind])) ?? null
}

/** A new item's id: its kind's prefix, the department, the day and a few random letters (ids are never reused). */
export function newItemId(kind: Kind, departmentId: string, now: Date = new Date()): string {
  const unit = departmentId.replace(/^unit-/, '').replace(/[^a-z0-9-]/gi, '').toLowerCase() || 'item'
  const day = now.toISOString().slice(0, 10).replace(/-/g, '')
  const random = Math.random().toString(36).slice(2, 8).padEnd(6, '0')
  return `${PREFIX[kind]}${unit}-${day}-${random}`
}

/** The form: every field as the text an input holds. */
export type PolicyForm = {
  title: string
  summary: string
  body: string
  doc_number: string
  issuer: string
  level: string
  district: string
  issued_on: string
  effective_from: string
  effective_to: string
  published_on: string
  news_kind: string
  topics: string
  documents: string
  opens_on: string
  closes_on: string
  amount_kind: string
  amount_yuan: string
  amount_base: string
  amount_rate: string
  amount_cap_yuan: string
  amount_text: string
  no_application: boolean
  eligibility: string
  form: string
  review_stages: string
}

type Content = Record<string, unknown>

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value)
}

function list(value: unknown): string {
  return Array.isArray(value) ? value.join('、') : ''
}

function yuan(fen: unknown): string {
  return typeof fen === 'number' ? String(fen / 100) : ''
}

function json(value: unknown): string {
  return value === null || value === undefined ? '' : JSON.stringify(value, null, 2)
}

export function toForm(content: Content): PolicyForm {
  const amount = (content.amount ?? {}) as Content
  const window = (content.window ?? {}) as Content
  return {
    title: text(content.title),
    summary: text(content.summary),
    body: text(content.body),
    doc_number: text(content.doc_number),
    issuer: text(content.issuer),
    level: text(content.level),
    district: text(content.district),
    issued_on: text(content.issued_on),
    effective_from: text(content.effective_from),
    effective_to: text(content.effective_to),
    published_on: text(content.published_on),
    news_kind: text(content.kind),
    topics: list(content.topics),
    documents: list(content.documents),
    opens_on: text(window.opens_on),
    closes_on: text(window.closes_on),
    amount_kind: text(amount.kind),
    amount_yuan: yuan(amount.amount_fen),
    amount_base: text(amount.base),
    amount_rate: text(amount.rate),
    amount_cap_yuan: yuan(amount.cap_fen),
    amount_text: text(amount.text),
    no_application: content.no_application === true,
    eligibility: json(content.eligibility),
    form: json(content.form),
    review_stages: json(content.review_stages),
  }
}

/** Words separated by 、，, ; or new lines, blanks dropped. */
export function splitList(value: string): string[] {
  return value
    .split(/[、，,;；\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
}

function fen(value: string): number | null {
  const trimmed = value.trim()
  if (!trimmed) return null
  const number = Number(trimmed)
  return Number.isFinite(number) ? Math.round(number * 100) : NaN
}

/** What the JSON text areas hold, parsed; a field whose text is not JSON is named in `errors`. */
export function parseJsonFields(form: PolicyForm): { values: Partial<Record<JsonField, unknown>>; errors: JsonField[] } {
  const values: Partial<Record<JsonField, unknown>> = {}
  const errors: JsonField[] = []
  for (const field of JSON_FIELDS) {
    const raw = form[field].trim()
    if (!raw) {
      values[field] = undefined
      continue
    }
    try {
      values[field] = JSON.parse(raw)
    } catch {
      errors.push(field)
    }
  }
  return { values, errors }
}

/** Sets `name` to `value`, or removes it when the form left it empty (the content format leaves absent fields out). */
function assign(content: Content, name: string, value: unknown): void {
  if (value === '' || value === null || value === undefined || (Array.isArray(value) && !value.length && name !== 'documents'))
    delete content[name]
  else content[name] = value
}

/** Which form fields make up each field of the content. */
const FORM_KEYS: Record<string, (keyof PolicyForm)[]> = {
  title: ['title'],
  topics: ['topics'],
  doc_number: ['doc_number'],
  issuer: ['issuer'],
  level: ['level'],
  district: ['district', 'level'],
  issued_on: ['issued_on'],
  effective_from: ['effective_from'],
  effective_to: ['effective_to'],
  body: ['body'],
  summary: ['summary'],
  documents: ['documents'],
  window: ['opens_on', 'closes_on'],
  no_application: ['no_application'],
  amount: ['amount_kind', 'amount_yuan', 'amount_base', 'amount_rate', 'amount_cap_yuan', 'amount_text'],
  eligibility: ['eligibility'],
  form: ['form'],
  review_stages: ['review_stages'],
  kind: ['news_kind'],
  published_on: ['published_on'],
}
const KIND_FIELDS: Record<Kind, string[]> = {
  document: ['title', 'topics', 'doc_number', 'issuer', 'level', 'district', 'issued_on', 'effective_from', 'effective_to', 'body'],
  project: ['title', 'topics', 'summary', 'documents', 'window', 'no_application', 'amount', 'eligibility', 'form', 'review_stages'],
  news: ['title', 'topics', 'kind', 'published_on', 'documents', 'body'],
}

/** A content field's value as the form says it. */
function valueOf(name: string, form: PolicyForm): unknown {
  switch (name) {
    case 'title':
    case 'summary':
    case 'doc_number':
    case 'issuer':
    case 'level':
    case 'issued_on':
    case 'effective_from':
    case 'published_on':
      return form[name].trim()
    case 'body':
      return form.body
    case 'kind':
      return form.news_kind
    case 'district':
      return form.level === 'district' ? form.district.trim() : ''
    case 'effective_to':
      return form.effective_to || null
    case 'topics':
      return splitList(form.topics).length ? splitList(form.topics) : undefined
    case 'documents':
      return splitList(form.documents)
    case 'window':
      return { opens_on: form.opens_on || null, closes_on: form.closes_on || null }
    case 'no_application':
      return form.no_application
    case 'amount':
      if (form.amount_kind === 'fixed') return { kind: 'fixed', amount_fen: fen(form.amount_yuan) }
      if (form.amount_kind === 'ratio')
        return {
          kind: 'ratio',
          base: form.amount_base.trim(),
          rate: form.amount_rate.trim() === '' ? null : Number(form.amount_rate),
          cap_fen: fen(form.amount_cap_yuan),
        }
      if (form.amount_kind === 'text') return { kind: 'text', text: form.amount_text.trim() }
      return undefined
    default:
      return parseJsonFields(form).values[name as JsonField]
  }
}

/**
 * The content to send: what was loaded, with the fields the form changed laid over it. A field the
 * form left as it was keeps its loaded value exactly (so a version's changes name only what was
 * edited); fields the form does not show are kept too. A new item has only what was filled in.
 */
export function fromForm(kind: Kind, form: PolicyForm, base: Content, departmentId: string | null): Content {
  const content: Content = { ...base }
  const before = toForm(base)
  for (const name of KIND_FIELDS[kind]) {
    const unchanged = FORM_KEYS[name]!.every((key) => form[key] === before[key])
    // A project always names its documents (the API requires the list, empty or not).
    if (unchanged && (name in base || !(kind === 'project' && name === 'documents'))) continue
    assign(content, name, valueOf(name, form))
  }
  if (departmentId) content.department_id = departmentId
  return content
}

/** A form field's API names: its own `content.<name>` and, for structured fields, everything under it. */
export const API_FIELDS: Record<string, string[]> = {
  title: ['content.title'],
  summary: ['content.summary'],
  body: ['content.body'],
  doc_number: ['content.doc_number'],
  issuer: ['content.issuer'],
  level: ['content.level'],
  district: ['content.district'],
  issued_on: ['content.issued_on'],
  effective_from: ['content.effective_from'],
  effective_to: ['content.effective_to'],
  published_on: ['content.published_on'],
  news_kind: ['content.kind'],
  topics: ['content.topics'],
  documents: ['content.documents'],
  opens_on: ['content.window.opens_on', 'content.window'],
  closes_on: ['content.window.closes_on'],
  amount_kind: ['content.amount'],
  no_application: ['content.no_application'],
  eligibility: ['content.eligibility'],
  form: ['content.form'],
  review_stages: ['content.review_stages'],
}

/** Whether the API's `field` belongs to the form field whose names are `names` (itself, or inside it). */
export function fieldMatches(field: string, names: readonly string[]): boolean {
  return names.some((name) => field === name || field.startsWith(`${name}.`) || field.startsWith(`${name}[`))
}

// -- the versions panel ------------------------------------------------------------------------------
export type DiffLine = { op: 'same' | 'added' | 'removed'; text: string }

/** Lines removed and added between two texts (longest common subsequence); null when too long to compare. */
export function lineDiff(before: string, after: string, limit = 2_000_000): DiffLine[] | null {
  const a = before.split('\n')
  const b = after.split('\n')
  if (a.length * b.length > limit) return null
  const rows = a.length + 1
  const cols = b.length + 1
  const table = new Uint32Array(rows * cols)
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      table[i * cols + j] = a[i] === b[j] ? table[(i + 1) * cols + j + 1]! + 1 : Math.max(table[(i + 1) * cols + j]!, table[i * cols + j + 1]!)
  const lines: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ op: 'same', text: a[i]! })
      i++
      j++
    } else if (table[(i + 1) * cols + j]! >= table[i * cols + j + 1]!) lines.push({ op: 'removed', text: a[i++]! })
    else lines.push({ op: 'added', text: b[j++]! })
  }
  while (i < a.length) lines.push({ op: 'removed', text: a[i++]! })
  while (j < b.length) lines.push({ op: 'added', text: b[j++]! })
  return lines
}

/** Long text (several lines on either side) is shown as a line diff; anything else as before → after. */
export function isLongText(change: Change): boolean {
  const multiline = (value: unknown) => typeof value === 'string' && value.includes('\n')
  return (
    (typeof change.before === 'string' || change.before == null) &&
    (typeof change.after === 'string' || change.after == null) &&
    (multiline(change.before) || multiline(change.after))
  )
}

/** A value as the versions panel shows it: text as is, anything else as indented JSON; null when empty. */
export function shown(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null
  if (typeof value === 'string') return value
  if (typeof value === 'boolean' || typeof value === 'number') return String(value)
  return JSON.stringify(value, null, 2)
}
