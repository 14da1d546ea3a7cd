import { useI18n } from 'vue-i18n'

import { useWordOr } from '@/i18n'
import { useDistrictName } from '@/vocabulary'

import { calendarDay } from './content'

/**
 * Words for profile values, shared by the qualify panel, the matches and the profile page: money in
 * yuan (the API sends fen), certifications and sizes by name, districts by name, sources in words.
 */
export function useProfileWords() {
  const { t, n, d } = useI18n()
  const wordOr = useWordOr()
  const districtName = useDistrictName()

  function word(group: string, value: string): string {
    const key = `enterprise.${group}.${value}`
    return wordOr(key, value)
  }

  function valueText(field: string, value: unknown): string {
    if (value === null || value === undefined || value === '') return t('policy.qualify.noValue')
    if (Array.isArray(value)) {
      const parts = value.map((part) => (field === 'district' ? districtName(String(part)) : word('certifications', String(part))))
      return parts.length ? parts.join(t('policy.listSeparator')) : t('policy.qualify.noValue')
    }
    if (typeof value === 'number') return field.endsWith('_fen') ? n(value / 100, 'yuan') : String(value)
    if (typeof value === 'string') {
      if (field === 'district') return districtName(value)
      if (field === 'size_class') return word('sizes', value)
      if (field === 'certifications') return word('certifications', value)
      if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return d(calendarDay(value), 'short')
      return value
    }
    if (typeof value === 'boolean') return t(value ? 'policy.yes' : 'policy.no')
    return JSON.stringify(value)
  }

  function sourceText(source: string | null | undefined): string {
    if (!source) return ''
    return wordOr(`policy.sources.${source}`, source)
  }

  function day(value: string | null | undefined): string {
    return value ? d(calendarDay(value), 'short') : ''
  }

  return { valueText, sourceText, day, word }
}
