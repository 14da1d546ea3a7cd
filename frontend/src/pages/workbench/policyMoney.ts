import { ApiProblem } from '@/api/client'

/** Amounts are typed in yuan (up to two decimals) and sent as integer fen; null when the text is not one. */
export function yuanToFen(text: string): number | null {
  const match = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text.replace(/[,，]/g, ''))
  if (!match) return null
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
  return fen > 0 ? fen : null
}

/** A unified social credit code as typed: trimmed and upper-cased; the API checks its check digit. */
export function normaliseUscc(text: string): string {
  return text.trim().toUpperCase()
}

/** 18 characters of digits and capitals (the API checks the rest and says which row is wrong). */
export function looksLikeUscc(text: string): boolean {
  return /^[0-9A-Z]{18}$/.test(text)
}

/** Whatever a call threw, as an ApiProblem for the form to show. */
export function asProblem(error: unknown): ApiProblem {
  return error instanceof ApiProblem ? error : new ApiProblem({ status: 0, code: 'client_error', title: String(error) })
}
