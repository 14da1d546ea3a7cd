import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'

import { atQingdaoMidnight, createAppI18n, useWindowEnd } from '@/i18n'

function render(end: string): string {
  const Probe = defineComponent({
    setup() {
      const windowEnd = useWindowEnd()
      return () => h('span', windowEnd(end))
    },
  })
  return mount(Probe, { global: { plugins: [createAppI18n('zh-CN')] } }).text()
}

describe('a window’s end in words', () => {
  it('shows an end at midnight in Qingdao as the day before: open through that day', () => {
    expect(atQingdaoMidnight(new Date('2026-12-08T00:00:00+08:00'))).toBe(true)
    expect(render('2026-12-08T00:00:00+08:00')).toBe('2026/12/07')
    expect(render('2026-12-07T16:00:00Z')).toBe('2026/12/07')
  })

  it('shows any other end with its time', () => {
    expect(atQingdaoMidnight(new Date('2026-12-08T00:00:00Z'))).toBe(false)
    expect(render('2026-12-08T10:30:00+08:00')).toBe('2026/12/08 10:30')
  })
})
