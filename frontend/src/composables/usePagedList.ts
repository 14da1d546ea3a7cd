import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'

import type { ApiProblem } from '@/api/client'

import { useRequest } from './useRequest'

/** One page of a cursor-paged list, as the API answers it. */
export type Page<T> = { items: T[]; next_cursor: string | null }

export type PagedList<T> = {
  items: ShallowRef<T[]>
  nextCursor: Ref<string | null>
  /** Whether the first page has arrived since the last reset: until then the list shows loading or the problem in its place. */
  loadedOnce: Ref<boolean>
  loading: Ref<boolean>
  problem: ShallowRef<ApiProblem | null>
  /** Read the next page (the first one after a reset) and append it. */
  more: () => Promise<void>
  /** Forget what was read, so that the next `more` starts again from the first page (a filter changed). */
  reset: () => void
}

/** A list read page by page with the API's cursor, for a page that shows it with PagedList. */
export function usePagedList<T>(readPage: (cursor: string | null) => Promise<Page<T>>): PagedList<T> {
  const items = shallowRef<T[]>([])
  const nextCursor = ref<string | null>(null)
  const loadedOnce = ref(false)

  const request = useRequest(
    async () => {
      const answer = await readPage(nextCursor.value)
      items.value = [...items.value, ...answer.items]
      nextCursor.value = answer.next_cursor
      loadedOnce.value = true
    },
    { immediate: false },
  )

  function reset(): void {
    items.value = []
    nextCursor.value = null
    loadedOnce.value = false
  }

  return { items, nextCursor, loadedOnce, loading: request.loading, problem: request.problem, more: request.run, reset }
}
