import type { Schemas } from '@/api/client'

export type Deadline = Schemas['DeadlineOut']
export type Deadlines = Schemas['DeadlinesOut']
export type CountdownLevel = 'ok' | 'warning' | 'breached' | 'met'

/** Share of started→due after which a countdown turns amber. */
export const WARNING_SHARE = 0.8

/** The next clock still running (contact, then feedback, then resolution); null when all are met. */
export function nextDeadline(deadlines: Deadlines | null | undefined): Deadline | null {
  if (!deadlines) return null
  for (const clock of [deadlines.contact_by, deadlines.feedback_by, deadlines.resolve_by]) {
    if (clock && !clock.met_at) return clock
  }
  return null
}

/** How a countdown looks at `now`: red once breached, amber from 80 % of started→due, else plain. */
export function countdownLevel(deadline: Deadline, now: number): CountdownLevel {
  if (deadline.met_at) return 'met'
  const due = Date.parse(deadline.due)
  if (deadline.breached || now >= due) return 'breached'
  if (deadline.started) {
    const started = Date.parse(deadline.started)
    const span = due - started
    if (span > 0 && (now - started) / span >= WARNING_SHARE) return 'warning'
  }
  return 'ok'
}

/** Whole days, hours and minutes between now and due (absolute: overdue time when past). */
export function timeParts(deadline: Deadline, now: number): { days: number; hours: number; minutes: number } {
  const minutesTotal = Math.floor(Math.abs(Date.parse(deadline.due) - now) / 60_000)
  return {
    days: Math.floor(minutesTotal / 1440),
    hours: Math.floor((minutesTotal % 1440) / 60),
    minutes: minutesTotal % 60,
  }
}
