import { computed, onBeforeUnmount, onMounted, ref } from 'vue'

import { clockOffsetMs } from '@/platformClock'

/** The platform's current time, refreshed every minute while the component is mounted (countdowns). */
export function useNow(intervalMs = 60_000) {
  const tick = ref(Date.now())
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    timer = setInterval(() => (tick.value = Date.now()), intervalMs)
  })
  onBeforeUnmount(() => clearInterval(timer))
  return computed(() => tick.value + clockOffsetMs.value)
}
