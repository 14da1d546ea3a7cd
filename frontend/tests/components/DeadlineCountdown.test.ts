import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import DeadlineCountdown from '@/components/DeadlineCountdown.vue'
import { createAppI18n } from '@/i18n'
import { deadlineState, splitDuration, tickInterval } from '@/pages/appeals/deadline'

import { deadline as clock } from '../support/appeals'

const START = Date.parse('2026-11-20T00:00:00Z')
const DUE = Date.parse('2026-11-20T10:00:00Z') // ten hours later
const at = (hours: number) => START + hours * 3_600_000
const deadline = (overrides = {}) => clock(START, DUE, overrides)

describe('deadline state', () => {
  it('is ok before 80% of the time has passed', () => {
    expect(deadlineState(deadline(), at(1)).level).toBe('ok')
    expect(deadlineState(deadline(), at(7.99)).level).toBe('ok')
  })

  it('warns from 80% of the way from started to due', () => {
    expect(deadlineState(deadline(), at(8)).level).toBe('warning')
    expect(deadlineState(deadline(), at(9.9)).level).toBe('warning')
  })

  it('is breached at the due time, or when the API says so', () => {
    expect(deadlineState(deadline(), at(10)).level).toBe('breached')
    expect(deadlineState(deadline(), at(12)).remainingMs).toBe(-2 * 3_600_000)
    expect(deadlineState(deadline({ breached: true }), at(1)).level).toBe('breached')
  })

  it('is met once met_at is set, even after the due time', () => {
    expect(deadlineState(deadline({ met_at: new Date(at(3)).toISOString() }), at(20)).level).toBe('met')
  })

  it('never warns without a start (no 80% to measure)', () => {
    expect(deadlineState(deadline({ started: null }), at(9.9)).level).toBe('ok')
  })

  it('splits durations and ticks every second only in the last hour', () => {
    expect(splitDuration(90_061_000)).toEqual({ days: 1, hours: 1, minutes: 1, seconds: 1 })
    expect(tickInterval(59 * 60_000)).toBe(1000)
    expect(tickInterval(2 * 3_600_000)).toBe(60_000)
  })
})

describe('DeadlineCountdown', () => {
  afterEach(() => vi.useRealTimers())

  function render(overrides = {}, now = at(1)) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    vi.setSystemTime(now)
    return mount(DeadlineCountdown, {
      props: { deadline: deadline(overrides), label: '2小时内联系' },
      global: { plugins: [createAppI18n('zh-CN')] },
    })
  }

  it('counts down, turns amber at 80% and red at breach', async () => {
    const wrapper = render({}, at(7.5))
    expect(wrapper.classes()).toContain('countdown--ok')
    expect(wrapper.find('[data-testid="deadline-left"]').text()).toBe('剩余 2小时30分')

    await vi.advanceTimersByTimeAsync(31 * 60_000)
    expect(wrapper.classes()).toContain('countdown--warning')

    await vi.advanceTimersByTimeAsync(2 * 3_600_000)
    expect(wrapper.classes()).toContain('countdown--breached')
    expect(wrapper.find('[data-testid="deadline-left"]').text()).toMatch(/^已超时/)
  })

  it('updates every second in the last hour', async () => {
    const wrapper = render({}, at(10) - 65_000)
    expect(wrapper.find('[data-testid="deadline-left"]').text()).toBe('剩余 1分5秒')
    await vi.advanceTimersByTimeAsync(1000)
    expect(wrapper.find('[data-testid="deadline-left"]').text()).toBe('剩余 1分4秒')
  })

  it('shows when a met deadline was met, and notes a provisional one', () => {
    const wrapper = render({ met_at: '2026-11-20T01:30:00Z', provisional: true })
    expect(wrapper.classes()).toContain('countdown--met')
    expect(wrapper.find('[data-testid="deadline-left"]').text()).toBe('已于 2026/11/20 09:30 完成')
    expect(wrapper.text()).toContain('暂定期限')
  })
})
