import type { PathsFor, Schemas } from '@/api/client'

import { CONTACT_METHODS, MAX_EXTENSION_WORKING_DAYS } from './vocabulary'

export type Appeal = Schemas['AppealOut']
/** `unit`: one unit chosen from GET /api/units (its id); `units`: several (their ids). */
export type FieldKind = 'text' | 'textarea' | 'number' | 'select' | 'yesno' | 'rate' | 'list' | 'unit' | 'units'
export type ActionField = {
  name: string
  kind: FieldKind
  required?: boolean
  min?: number
  max?: number
  options?: readonly string[]
}

/** Each action's route (POST, answers the appeal) and its form (functions/appeals/schemas.py); words: appeals.actions.<action>. */
export const ACTIONS = {
  accept: { path: '/api/appeals/{appeal_id}/accept', fields: [] },
  contact: {
    path: '/api/appeals/{appeal_id}/contact',
    fields: [
      { name: 'method', kind: 'select', required: true, options: CONTACT_METHODS },
      { name: 'note', kind: 'textarea', max: 2000 },
    ],
  },
  feedback: { path: '/api/appeals/{appeal_id}/feedback', fields: [{ name: 'text', kind: 'textarea', required: true, min: 2, max: 2000 }] },
  resolve: { path: '/api/appeals/{appeal_id}/resolve', fields: [{ name: 'result', kind: 'textarea', required: true, min: 2, max: 2000 }] },
  return: { path: '/api/appeals/{appeal_id}/return', fields: [{ name: 'reason', kind: 'textarea', required: true, min: 5, max: 1000 }] },
  'request-extension': {
    path: '/api/appeals/{appeal_id}/request-extension',
    fields: [
      { name: 'working_days', kind: 'number', required: true, min: 1, max: MAX_EXTENSION_WORKING_DAYS },
      { name: 'reason', kind: 'textarea', required: true, min: 5, max: 1000 },
    ],
  },
  'co-reply': { path: '/api/appeals/{appeal_id}/co-reply', fields: [{ name: 'text', kind: 'textarea', required: true, min: 2, max: 2000 }] },
  dispatch: {
    path: '/api/appeals/{appeal_id}/dispatch',
    fields: [
      { name: 'unit_id', kind: 'unit', required: true, min: 1, max: 64 },
      { name: 'co_unit_ids', kind: 'units' },
    ],
  },
  'decide-extension': { path: '/api/appeals/{appeal_id}/decide-extension', fields: [{ name: 'approve', kind: 'yesno', required: true }] },
  supervise: { path: '/api/appeals/{appeal_id}/supervise', fields: [{ name: 'note', kind: 'textarea', required: true, min: 2, max: 2000 }] },
  merge: { path: '/api/appeals/{appeal_id}/merge', fields: [{ name: 'into', kind: 'text', required: true, min: 1, max: 64 }] },
  split: { path: '/api/appeals/{appeal_id}/split', fields: [{ name: 'reason', kind: 'textarea', max: 1000 }] },
  confirm: {
    path: '/api/appeals/{appeal_id}/confirm',
    fields: [
      { name: 'satisfied', kind: 'yesno', required: true },
      { name: 'comment', kind: 'textarea', max: 1000 },
    ],
  },
  rate: {
    path: '/api/appeals/{appeal_id}/rate',
    fields: [
      { name: 'speed', kind: 'rate', required: true },
      { name: 'attitude', kind: 'rate', required: true },
      { name: 'outcome', kind: 'rate', required: true },
      { name: 'comment', kind: 'textarea', max: 1000 },
    ],
  },
} as const satisfies Record<string, { path: PathsFor<'post'>; fields: readonly ActionField[] }>

export type ActionName = keyof typeof ACTIONS
export type Values = Record<string, string | number | boolean | null | string[]>

export function isKnownAction(name: string): name is ActionName {
  return Object.prototype.hasOwnProperty.call(ACTIONS, name)
}

export function emptyValues(action: ActionName): Values {
  const values: Values = {}
  for (const field of ACTIONS[action].fields as readonly ActionField[]) {
    values[field.name] = field.kind === 'units' ? [] : field.kind === 'yesno' || field.kind === 'rate' || field.kind === 'number' ? null : ''
  }
  return values
}

/** The form's own checks: field → locale key under appeals.validation (with min/max). */
export function validateAction(action: ActionName, values: Values): Record<string, { key: string; min?: number; max?: number }> {
  const errors: Record<string, { key: string; min?: number; max?: number }> = {}
  for (const field of ACTIONS[action].fields as readonly ActionField[]) {
    const value = values[field.name]
    if (field.kind === 'units') continue
    if (field.kind === 'yesno' || field.kind === 'select' || field.kind === 'rate' || field.kind === 'unit') {
      if (field.required && (value === null || value === '' || value === 0)) errors[field.name] = { key: 'choose' }
    } else if (field.kind === 'number') {
      const n = Number(value)
      if (value === null || value === '' || !Number.isInteger(n) || n < (field.min ?? 1) || n > (field.max ?? Infinity))
        errors[field.name] = { key: 'between', min: field.min, max: field.max }
    } else if (field.kind !== 'list') {
      const text = String(value ?? '').trim()
      if ((field.required || text) && (text.length < (field.min ?? 0) || text.length > (field.max ?? Infinity)))
        errors[field.name] = { key: 'length', min: field.min ?? 0, max: field.max }
      if (field.required && !text) errors[field.name] = { key: 'required' }
    }
  }
  return errors
}

/** The request body from the form's values. */
export function actionBody(action: ActionName, values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const field of ACTIONS[action].fields as readonly ActionField[]) {
    const value = values[field.name]
    if (field.kind === 'units' || field.kind === 'list')
      body[field.name] = (Array.isArray(value) ? value : String(value ?? '').split(/[,，\s]+/)).map((id) => id.trim()).filter(Boolean)
    else if (field.kind === 'number' || field.kind === 'rate') body[field.name] = Number(value)
    else if (field.kind === 'yesno') body[field.name] = value === true
    else {
      const text = String(value ?? '').trim()
      body[field.name] = text || (field.name === 'comment' ? null : '')
    }
  }
  return body
}
