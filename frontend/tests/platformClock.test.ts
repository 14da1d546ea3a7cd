import { afterEach, describe, expect, it, vi } from 'vitest'

import { clockOffsetMs, syncPlatformClock } from '@/platformClock'

function answer(status: number, body: unknown) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
}

describe('the platform clock', () => {
  afterEach(() => {
    clockOffsetMs.value = 0
  })

  it('follows a dev clock moved forward', async () => {
    const moved = new Date(Date.now() + 3 * 3600_000).toISOString()
    await syncPlatformClock(answer(200, { now: moved, offset_seconds: 10800 }) as unknown as typeof fetch)
    expect(clockOffsetMs.value).toBeGreaterThan(3 * 3600_000 - 5_000)
    expect(clockOffsetMs.value).toBeLessThan(3 * 3600_000 + 5_000)
  })

  it('keeps the browser clock where there is no dev clock, or it is the same', async () => {
    await syncPlatformClock(answer(404, { status: 404 }) as unknown as typeof fetch)
    expect(clockOffsetMs.value).toBe(0)
    await syncPlatformClock(answer(200, { now: new Date().toISOString() }) as unknown as typeof fetch)
    expect(clockOffsetMs.value).toBe(0)
    await syncPlatformClock(vi.fn(async () => { throw new TypeError('offline') }) as unknown as typeof fetch)
    expect(clockOffsetMs.value).toBe(0)
  })
})
