import type { Schemas } from '@/api/client'

export type Deadline = Schemas['DeadlineOut']
/** How a deadline looks now: met (with when), breached, warning (80% of its time gone), or ok. */
export type DeadlineLevel = 'met' | 'breached' | 'warning' | 'ok'
export type DeadlineState = { level: DeadlineLevel; remainingMs: number; elapsed: number | null }

/** The share of the time from `started` to `due` that has passed at which a countdown turns to a warning. */
export const WARNING_FRACTION = 0.8

export function deadlineState(deadline: Deadline, now: number): DeadlineState {
  const due = Date.parse(deadline.due)
  const remainingMs = due - now
  const started = deadline.started ? Date.parse(deadline.started) : NaN
  const elapsed = Number.isFinite(started) && due > started ? (now - started) / (due - started) : null
  if (deadline.met_at) return { level: 'met', remainingMs, elapsed }
  if (deadline.breached || remainingMs <= 0) return { level: 'breached', remainingMs, elapsed }
  if (elapsed !== null && elapsed >= WARNING_FRACTION) return { level: 'warning', remainingMs, elapsed }
  return { level: 'ok', remainingMs, elapsed }
}

/** Days, hours, minutes (and seconds under an hour) of a duration, largest first. */
export function splitDuration(ms: number): { days: number; hours: number; minutes: number; seconds: number } {
  const total = Math.max(0, Math.floor(Math.abs(ms) / 1000))
  return {
    days: Math.floor(total / 86400),
    hours: Math.floor((total % 86400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  }
}

/** How often a countdown needs to redraw: every second in its last hour, otherwise every minute. */
export function tickInterval(remainingMs: number): number {
  return Math.abs(remainingMs) < 3_600_000 ? 1000 : 60_000
}
