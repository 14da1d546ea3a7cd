import { ref } from 'vue'

// The platform's "now". Local and dev stages run on a movable clock (POST /api/dev/clock moves it
// forward), and deadlines are computed on it: a countdown that counted on the browser's clock would
// show a breached deadline as hours away. Production has no dev clock (404): the offset stays 0.
export const clockOffsetMs = ref(0)
/** Whether this stage has a dev clock, so its dev pages (the local mailbox) are worth a link. */
export const devStage = ref(false)

export async function syncPlatformClock(fetchImpl: typeof fetch = fetch): Promise<void> {
  try {
    const response = await fetchImpl('/api/dev/clock', { headers: { Accept: 'application/json' } })
    if (!response.ok) return
    devStage.value = true
    const { now } = (await response.json()) as { now: string }
    const offset = Date.parse(now) - Date.now()
    // Within a few seconds it is the same clock (request time); only a moved clock is worth an offset.
    clockOffsetMs.value = Math.abs(offset) > 5_000 ? offset : 0
  } catch {
    // no answer: count on the browser's clock
  }
}
