import { createI18n, useI18n } from 'vue-i18n'

import en from './locales/en'
import zhCN, { type Messages } from './locales/zh-CN'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'
const LOCALE_KEY = 'qd.locale'

// Times are shown as Qingdao's clock shows them, whatever the browser's zone.
const dateTime = {
  short: { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Shanghai' },
  long: {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Shanghai',
  },
} as const
// Money is integer fen in the API: n(fen / 100, 'yuan').
const numbers = { yuan: { style: 'currency', currency: 'CNY' } } as const

function savedLocale(): Locale {
  try {
    const saved = localStorage.getItem(LOCALE_KEY)
    return LOCALES.find((locale) => locale === saved) ?? DEFAULT_LOCALE
  } catch {
    return DEFAULT_LOCALE
  }
}

export function createAppI18n(locale: Locale = savedLocale()) {
  document.documentElement.lang = locale
  return createI18n<[Messages], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: DEFAULT_LOCALE,
    messages: { 'zh-CN': zhCN, en },
    datetimeFormats: { 'zh-CN': dateTime, en: dateTime },
    numberFormats: { 'zh-CN': numbers, en: numbers },
  })
}

/** Switch the page's language (`current`: useI18n()'s locale), remember it, and tell assistive technology (<html lang>). */
export function setLocale(current: { value: string }, locale: Locale): void {
  current.value = locale
  document.documentElement.lang = locale
  try {
    localStorage.setItem(LOCALE_KEY, locale)
  } catch {
    // storage disabled: the choice lasts as long as the page
  }
}

/** `t(key)` where the locale has the key, else `fallback`: the words for codes that come from data (a
 * status, a role, a field name) and may be newer than the page, which then shows the code itself. */
export function useWordOr(): (key: string, fallback: string) => string {
  const { t, te } = useI18n()
  return (key, fallback) => (te(key) ? t(key) : fallback)
}

/** The last moment a window is open, in words: windows and deadlines end exclusively (API.md), so an end
 * at 00:00 in Qingdao means "through the day before", shown as that day; any other end, as date and time.
 * (A notice open "至 12/08 00:00" reads as one day too long.) */
export function useWindowEnd(): (exclusiveEnd: string) => string {
  const { d } = useI18n()
  return (exclusiveEnd) => {
    const end = new Date(exclusiveEnd)
    return atQingdaoMidnight(end) ? d(new Date(end.getTime() - 1), 'short') : d(end, 'long')
  }
}

export function atQingdaoMidnight(moment: Date): boolean {
  // Qingdao keeps UTC+8 all year: midnight there is 16:00 UTC.
  return moment.getUTCHours() === 16 && moment.getUTCMinutes() === 0 && moment.getUTCSeconds() === 0 && moment.getUTCMilliseconds() === 0
}
