import type { ApiProblem } from '@/api/client'

/**
 * A project's application form is JSON Schema (draft 2020-12, functions/policy/forms.py): an object
 * whose properties are strings (`format: date`, `pattern`, `minLength`/`maxLength`, `enum`), integers
 * and numbers (`minimum`/`maximum`; amounts in 元 are plain integers, as the title says) and booleans.
 * This turns such a schema into the fields a page draws, checks answers as the server will, and
 * builds the `form` the API takes. No Vue, no I/O.
 */

export type JsonSchema = {
  type?: string | string[]
  title?: string
  description?: string
  format?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  enum?: readonly (string | number | boolean | null)[]
  default?: unknown
  properties?: Record<string, JsonSchema>
  required?: readonly string[]
  [keyword: string]: unknown
}

export type FieldKind = 'text' | 'textarea' | 'date' | 'select' | 'integer' | 'number' | 'boolean'

export type FormField = {
  name: string
  kind: FieldKind
  /** The schema's `title`, or the property's name. */
  label: string
  description?: string
  required: boolean
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  options?: readonly (string | number)[]
}

/** What the inputs hold: text (numbers too, as typed), a boolean, or nothing yet. */
export type FormValue = string | boolean | null
export type FormValues = Record<string, FormValue>
/** A client-side check that failed: a locale key under applications.validation and its parameters. */
export type FieldCheck = { key: string; params?: Record<string, string | number> }

/** A string longer than this may be written as a paragraph. */
const TEXTAREA_FROM = 200

function typeOf(schema: JsonSchema): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  return type
}

/** The form's fields in the schema's order. Properties of a type the form cannot draw (object, array) are left out. */
export function fieldsOf(schema: JsonSchema | null | undefined): FormField[] {
  if (!schema || typeof schema !== 'object') return []
  const required = new Set(schema.required ?? [])
  const fields: FormField[] = []
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (!property || typeof property !== 'object') continue
    const type = typeOf(property)
    const base = {
      name,
      label: property.title || name,
      description: property.description,
      required: required.has(name),
    }
    const options = property.enum?.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    if (options?.length && (type === 'string' || type === 'integer' || type === 'number' || type === undefined)) {
      fields.push({ ...base, kind: 'select', options })
    } else if (type === 'string') {
      const kind: FieldKind = property.format === 'date' ? 'date' : (property.maxLength ?? 0) >= TEXTAREA_FROM ? 'textarea' : 'text'
      fields.push({ ...base, kind, pattern: property.pattern, minLength: property.minLength, maxLength: property.maxLength })
    } else if (type === 'integer' || type === 'number') {
      fields.push({
        ...base,
        kind: type,
        minimum: property.minimum ?? (property.exclusiveMinimum !== undefined ? property.exclusiveMinimum : undefined),
        maximum: property.maximum ?? (property.exclusiveMaximum !== undefined ? property.exclusiveMaximum : undefined),
      })
    } else if (type === 'boolean') {
      fields.push({ ...base, kind: 'boolean' })
    }
  }
  return fields
}

/** The inputs' values for `fields`, from earlier answers (a resubmission) where there are some. */
export function initialValues(fields: readonly FormField[], answers: Record<string, unknown> = {}): FormValues {
  const values: FormValues = {}
  for (const field of fields) {
    const answer = answers[field.name]
    if (field.kind === 'boolean') values[field.name] = answer === true
    else if (answer === undefined || answer === null) values[field.name] = field.kind === 'select' || field.kind === 'date' ? null : ''
    else values[field.name] = String(answer)
  }
  return values
}

function isEmpty(value: FormValue | undefined): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '')
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

function validDate(text: string): boolean {
  if (!DATE.test(text)) return false
  const [y, m, d] = text.split('-').map(Number) as [number, number, number]
  const day = new Date(Date.UTC(y, m - 1, d))
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d
}

function patternMatches(pattern: string, text: string): boolean {
  try {
    // JSON Schema patterns are not anchored; the `u` flag reads them as ECMA 262 says.
    return new RegExp(pattern, 'u').test(text)
  } catch {
    return true // a pattern the browser cannot read is the server's to check
  }
}

/** One field's check, as the server's schema validation would fail it (null when it passes). */
export function checkField(field: FormField, value: FormValue | undefined): FieldCheck | null {
  if (field.kind === 'boolean') return null
  if (isEmpty(value)) return field.required ? { key: 'required' } : null
  const text = String(value).trim()
  switch (field.kind) {
    case 'date':
      return validDate(text) ? null : { key: 'date' }
    case 'select':
      return field.options?.some((option) => String(option) === text) ? null : { key: 'enum' }
    case 'integer':
    case 'number': {
      const n = Number(text)
      if (!/^-?\d+(\.\d+)?$/.test(text) || !Number.isFinite(n)) return { key: field.kind }
      if (field.kind === 'integer' && !Number.isInteger(n)) return { key: 'integer' }
      if (field.minimum !== undefined && n < field.minimum) return { key: 'minimum', params: { min: field.minimum } }
      if (field.maximum !== undefined && n > field.maximum) return { key: 'maximum', params: { max: field.maximum } }
      return null
    }
    default: {
      const length = [...text].length
      if (field.maxLength !== undefined && length > field.maxLength) return { key: 'maxLength', params: { max: field.maxLength } }
      if (field.minLength !== undefined && length < field.minLength) return { key: 'minLength', params: { min: field.minLength } }
      if (field.pattern && !patternMatches(field.pattern, text)) return { key: 'pattern' }
      return null
    }
  }
}

/** Every field's check that fails: field name → check. */
export function validateForm(fields: readonly FormField[], values: FormValues): Record<string, FieldCheck> {
  const errors: Record<string, FieldCheck> = {}
  for (const field of fields) {
    const check = checkField(field, values[field.name])
    if (check) errors[field.name] = check
  }
  return errors
}

/** The `form` the API takes: typed answers, empty optional fields left out. */
export function answersOf(fields: readonly FormField[], values: FormValues): Record<string, string | number | boolean> {
  const answers: Record<string, string | number | boolean> = {}
  for (const field of fields) {
    const value = values[field.name]
    if (field.kind === 'boolean') {
      answers[field.name] = value === true
      continue
    }
    if (isEmpty(value)) continue
    const text = String(value).trim()
    if (field.kind === 'integer' || field.kind === 'number') answers[field.name] = Number(text)
    else if (field.kind === 'select') {
      const option = field.options?.find((o) => String(o) === text)
      answers[field.name] = option ?? text
    } else answers[field.name] = text
  }
  return answers
}

/**
 * The API's 422 for a form, split: messages for the form's own fields (`form.phone` → `phone`) and the
 * rest (`form` itself, a field the form does not draw, attachments) to show above it.
 */
export function formProblems(
  problem: ApiProblem | null | undefined,
  fields: readonly FormField[],
  prefix = 'form',
): { byField: Record<string, string>; others: string[] } {
  const byField: Record<string, string> = {}
  const others: string[] = []
  const names = new Set(fields.map((f) => f.name))
  for (const error of problem?.errors ?? []) {
    const match = error.field.startsWith(`${prefix}.`) ? error.field.slice(prefix.length + 1).split(/[.[]/)[0] : undefined
    if (match && names.has(match)) byField[match] = byField[match] ? `${byField[match]}; ${error.message}` : error.message
    else others.push(error.field ? `${error.field}: ${error.message}` : error.message)
  }
  return { byField, others }
}

/** A form answer as read-only text (booleans and empty answers are the caller's words). */
export function answerText(field: FormField | undefined, value: unknown, words: { yes: string; no: string; none: string }): string {
  if (value === undefined || value === null || value === '') return words.none
  if (typeof value === 'boolean') return value ? words.yes : words.no
  if (typeof value === 'number' && field && (field.kind === 'integer' || field.kind === 'number')) return value.toLocaleString('zh-CN')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
