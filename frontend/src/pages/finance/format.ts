// How the catalogue shows money, terms and rates: the API gives integer fen and basis points; a bank
// writes amounts in 万元 (or 亿元) in Chinese and in yuan in English, and rates as percentages.

const FEN_PER_YUAN = 100
const YUAN_PER_WAN = 10_000
const YUAN_PER_YI = 100_000_000
/** 1万元 in fen: the unit the amount filter is typed in. */
export const FEN_PER_WAN = FEN_PER_YUAN * YUAN_PER_WAN

/** A count of 万 or 亿 as a Chinese bank writes it: no thousands separator, at most two decimals. */
function plain(value: number): string {
  return new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2, useGrouping: false }).format(value)
}

/** One amount: "300万元", "1.5亿元", "¥1,234.50" (zh); "¥3,000,000", "¥1,234.50" (en). */
export function amountText(fen: number, locale: string): string {
  const yuan = fen / FEN_PER_YUAN
  const cents = fen % FEN_PER_YUAN !== 0
  if (locale !== 'en' && !cents) {
    if (yuan >= YUAN_PER_YI && yuan % (YUAN_PER_YI / 100) === 0) return `${plain(yuan / YUAN_PER_YI)}亿元`
    if (yuan >= YUAN_PER_WAN && yuan % 100 === 0) return `${plain(yuan / YUAN_PER_WAN)}万元`
  }
  const digits = cents ? 2 : 0
  const number = new Intl.NumberFormat(locale === 'en' ? 'en' : 'zh-CN', {
    minimumFractionDigits: digits,
    maximumFractionDigits: 2,
  }).format(yuan)
  return `¥${number}`
}

/** A range of amounts: "10万元–300万元", "¥100,000–¥3,000,000"; one amount when both ends are equal. */
export function amountRange(minFen: number, maxFen: number, locale: string): string {
  if (minFen === maxFen) return amountText(minFen, locale)
  return `${amountText(minFen, locale)}–${amountText(maxFen, locale)}`
}

/** Basis points as a percentage with two decimals: 345 → "3.45%". */
export function rateText(bp: number): string {
  return `${(bp / 100).toFixed(2)}%`
}

export function rateRange(minBp: number, maxBp: number): string {
  return minBp === maxBp ? rateText(minBp) : `${rateText(minBp)}–${rateText(maxBp)}`
}

/** What was typed as 万元 in the amount filter, as fen for the API (null: nothing usable typed). */
export function wanToFen(typed: string): number | null {
  const value = Number(typed.trim())
  if (!typed.trim() || !Number.isFinite(value) || value <= 0) return null
  return Math.round(value * FEN_PER_WAN)
}

/** Fen from the URL, back as 万元 for the amount filter's box. */
export function fenToWan(fen: number): string {
  return String(Math.round((fen / FEN_PER_WAN) * 100) / 100)
}
