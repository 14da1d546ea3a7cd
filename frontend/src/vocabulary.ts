import { useI18n } from 'vue-i18n'

import vocabulary from '@/api/vocabulary.json'

// The platform's own words and limits, as its packages declare them (their plugin.py `vocabulary`):
// `make api-types` copies them into api/vocabulary.json and a test fails when the copy drifts, so
// nothing here is typed in by hand.
export const VOCABULARY = vocabulary

/** The whole city (GB/T 2260): a caller with this district chooses a district. */
export const CITY = vocabulary.refdata.city.code
/** Qingdao's districts and county-level cities, in the official order. */
export const DISTRICTS: readonly string[] = vocabulary.refdata.districts.map((district) => district.code)

const NAMED = new Map([vocabulary.refdata.city, ...vocabulary.refdata.districts].map((division) => [division.code, division]))

/** A division's name in the page's language; an unknown code as it is. */
export function useDistrictName(): (code: string | null | undefined) => string {
  const { locale } = useI18n()
  return (code) => {
    const division = code ? NAMED.get(code) : undefined
    if (!division) return code ?? ''
    return locale.value === 'en' ? division.en : division.zh
  }
}
