import { computed, shallowRef, type ComputedRef, type ShallowRef } from 'vue'
import { useI18n } from 'vue-i18n'

import { api, type Schemas } from '@/api/client'

export type Unit = Schemas['UnitOut']

// The stack's handling units (GET /api/units, staff roles), read once per session and kept in memory.
const units = shallowRef<Unit[]>([])
const loaded = shallowRef(false)
let pending: Promise<void> | null = null

function load(): Promise<void> {
  if (loaded.value) return Promise.resolve()
  pending ??= api
    .get('/api/units')
    .then((answer) => {
      units.value = answer
      loaded.value = true
    })
    .catch(() => {
      // Names are a nicety: without them ids are shown (and typed), and the next use tries again.
      pending = null
    })
  return pending
}

/** Forget the cached units (sign-out, tests). */
export function resetUnits(): void {
  units.value = []
  loaded.value = false
  pending = null
}

export type UseUnits = {
  units: ShallowRef<Unit[]>
  loaded: ShallowRef<boolean>
  /** The unit's name in the current locale (name_en in English when there is one), or the id itself. */
  unitName: (id: string | null | undefined) => string
  /** Units as select options: value = id, label = name. */
  options: ComputedRef<{ value: string; label: string }[]>
  /** Read the directory (once per session); a component that may not need it calls this when it does. */
  ensure: () => Promise<void>
}

/** The units directory: call it in a component's setup (it uses the component's i18n). */
export function useUnits({ immediate = true } = {}): UseUnits {
  const { locale } = useI18n()
  if (immediate) void load()
  const byId = computed(() => new Map(units.value.map((unit) => [unit.id, unit])))
  function unitName(id: string | null | undefined): string {
    if (!id) return ''
    const unit = byId.value.get(id)
    if (!unit) return id
    return (locale.value === 'en' && unit.name_en) || unit.name || id
  }
  const options = computed(() => units.value.map((unit) => ({ value: unit.id, label: unitName(unit.id) })))
  return { units, loaded, unitName, options, ensure: load }
}
