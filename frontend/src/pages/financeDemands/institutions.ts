import { computed, shallowRef, type ComputedRef, type ShallowRef } from 'vue'
import { useI18n } from 'vue-i18n'

import { api, type Schemas } from '@/api/client'

import { EVERY_INSTITUTION } from './model'

/** An institution as the catalogue lists it (GET /api/finance/institutions). */
export type Institution = Schemas['InstitutionSummaryOut']

/** The catalogue's kinds that are banks: only a bank may be given a consent (consents.py grant: kind "bank"). */
const BANK_KINDS: readonly Institution['kind'][] = [
  'policy',
  'state_owned',
  'joint_stock',
  'city_commercial',
  'rural_commercial',
  'village_bank',
  'foreign',
]

export type InstitutionNames = {
  /** The institutions, once read (empty while loading, or when the catalogue cannot be read). */
  list: ShallowRef<Institution[]>
  /** The banks among them, which a consent may name. */
  banks: ComputedRef<Institution[]>
  /** An institution's name in the page's language; `*` is every institution; an unknown id as it is. */
  name: (id: string | null | undefined) => string
}

/**
 * The names of the institutions that claim demands and read reports (the catalogue, public). Until it
 * answers, or when it cannot, ids are shown as they are.
 */
export function useInstitutionNames(): InstitutionNames {
  const { t, locale } = useI18n()
  const list = shallowRef<Institution[]>([])
  api
    .get('/api/finance/institutions')
    .then((answer) => {
      if (Array.isArray(answer?.items)) list.value = answer.items
    })
    .catch(() => undefined)

  const banks = computed(() => list.value.filter((institution) => BANK_KINDS.includes(institution.kind)))

  function name(id: string | null | undefined): string {
    if (!id) return ''
    if (id === EVERY_INSTITUTION) return t('financeDemands.allInstitutions')
    const found = list.value.find((institution) => institution.id === id)
    if (!found) return id
    return (locale.value === 'en' ? found.name_en : found.name_zh) || id
  }
  return { list, banks, name }
}
