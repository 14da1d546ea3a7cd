import { describe, expect, it } from 'vitest'

import { countdownLevel, nextDeadline, timeParts } from '@/pages/workbench/countdown'

import { deadline } from '../../support/appeals'

const START = Date.parse('2026-11-20T00:00:00Z')
const DUE = Date.parse('2026-11-21T00:00:00Z') // 24 h after the start
const HOUR = 3_600_000

const clock = (overrides: Record<string, unknown> = {}) => deadline(START, DUE, overrides)

describe('queue countdown colours', () => {
  it('is plain before 80 % of started→due', () => {
    expect(countdownLevel(clock(), START)).toBe('ok')
    expect(countdownLevel(clock(), START + 19 * HOUR)).toBe('ok')
    expect(countdownLevel(clock(), START + 19.2 * HOUR - 1)).toBe('ok')
  })

  it('turns amber at exactly 80 % and stays amber until the due moment', () => {
    expect(countdownLevel(clock(), START + 19.2 * HOUR)).toBe('warning')
    expect(countdownLevel(clock(), DUE - 1)).toBe('warning')
  })

  it('turns red at the due moment, and whenever the API says breached', () => {
    expect(countdownLevel(clock(), DUE)).toBe('breached')
    expect(countdownLevel(clock(), DUE + HOUR)).toBe('breached')
    expect(countdownLevel(clock({ breached: true }), START)).toBe('breached')
  })

  it('without a start moment, is plain until due and red after', () => {
    expect(countdownLevel(clock({ started: null }), DUE - 1)).toBe('ok')
    expect(countdownLevel(clock({ started: null }), DUE)).toBe('breached')
  })

  it('a met clock is neither amber nor red', () => {
    expect(countdownLevel(clock({ met_at: '2026-11-20T01:00:00Z' }), DUE + HOUR)).toBe('met')
  })

  it('follows the next unmet clock: contact, then feedback, then resolution', () => {
    const met = clock({ met_at: '2026-11-20T01:00:00Z' })
    const feedback = clock({ due: '2026-11-25T00:00:00Z' })
    expect(nextDeadline({ contact_by: met, feedback_by: feedback, resolve_by: clock() })).toBe(feedback)
    expect(nextDeadline({ contact_by: met, feedback_by: null, resolve_by: met })).toBeNull()
    expect(nextDeadline(null)).toBeNull()
  })

  it('splits the time left into days, hours and minutes', () => {
    expect(timeParts(clock(), START + 90 * 60_000)).toEqual({ days: 0, hours: 22, minutes: 30 })
    expect(timeParts(clock(), DUE + 26 * HOUR)).toEqual({ days: 1, hours: 2, minutes: 0 })
  })
})
