import { describe, expect, it } from 'vitest'

import { amountRange, amountText, fenToWan, rateRange, rateText, wanToFen } from '@/pages/finance/format'

describe('finance formats', () => {
  it('writes amounts as a bank would', () => {
    expect(amountText(3_000_000, 'zh-CN')).toBe('3万元')
    expect(amountText(150_000_000_00, 'zh-CN')).toBe('1.5亿元')
    expect(amountText(123_450, 'zh-CN')).toBe('¥1,234.50')
    expect(amountText(3_000_000, 'en')).toBe('¥30,000')
    expect(amountText(123_450, 'en')).toBe('¥1,234.50')
    expect(amountRange(3_000_000, 3_000_000, 'zh-CN')).toBe('3万元')
  })

  it('writes basis points as percentages with two decimals', () => {
    expect(rateText(345)).toBe('3.45%')
    expect(rateText(1200)).toBe('12.00%')
    expect(rateRange(300, 300)).toBe('3.00%')
  })

  it('turns 万元 typed into fen and back', () => {
    expect(wanToFen('200')).toBe(200_000_000)
    expect(wanToFen('0.5')).toBe(500_000)
    expect(wanToFen('')).toBeNull()
    expect(wanToFen('-3')).toBeNull()
    expect(fenToWan(150_000_000)).toBe('150')
  })
})
