import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'

import { ApiProblem } from '@/api/client'

export type RequestState<T> = {
  data: ShallowRef<T | undefined>
  problem: ShallowRef<ApiProblem | null>
  loading: Ref<boolean>
  run: () => Promise<void>
}

/**
 * One API read for a page section: its answer, its problem, whether it is loading, and `run` to
 * (re)load it. An answer that arrives after a newer run started is dropped. A problem keeps the last
 * answer on show, unless `clearOnProblem` (a lookup, whose answer belongs only to what was asked).
 */
export function useRequest<T>(load: () => Promise<T>, { immediate = true, clearOnProblem = false } = {}): RequestState<T> {
  const data = shallowRef<T>()
  const problem = shallowRef<ApiProblem | null>(null)
  const loading = ref(false)
  let latest = 0

  async function run(): Promise<void> {
    const mine = ++latest
    loading.value = true
    problem.value = null
    try {
      const answer = await load()
      if (mine === latest) data.value = answer
    } catch (error) {
      if (mine !== latest) return
      if (clearOnProblem) data.value = undefined
      problem.value =
        error instanceof ApiProblem ? error : new ApiProblem({ status: 0, code: 'client_error', title: String(error) })
    } finally {
      if (mine === latest) loading.value = false
    }
  }

  if (immediate) void run()
  return { data, problem, loading, run }
}
