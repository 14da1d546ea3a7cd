import { describe, expect, it } from 'vitest'

import en from '@/locales/en'
import zhCN from '@/locales/zh-CN'
import { CATEGORIES, CHANNELS, GUARANTEES, TARGETS } from '@/pages/finance/filters'

describe('finance catalogue words', () => {
  it('name every category, guarantee type, channel and target the filters offer, in both languages', () => {
    for (const messages of [zhCN, en]) {
      expect(Object.keys(messages.finance.categories).sort()).toEqual([...CATEGORIES].sort())
      expect(Object.keys(messages.finance.guarantees).sort()).toEqual([...GUARANTEES].sort())
      expect(Object.keys(messages.finance.channels).sort()).toEqual([...CHANNELS].sort())
      expect(Object.keys(messages.finance.targets).sort()).toEqual([...TARGETS].sort())
    }
  })
})
