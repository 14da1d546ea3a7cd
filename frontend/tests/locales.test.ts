import { describe, expect, it } from 'vitest'

import document from '@/api/openapi.json'
import en from '@/locales/en'
import zhCN from '@/locales/zh-CN'
import { PLATFORM_NAMES } from '@/platforms'

type Tree = { [key: string]: string | Tree }

/** Every leaf of a message tree, as dotted keys. */
function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  )
}

function leaves(tree: Tree): [string, string][] {
  return keys(tree).map((key) => [key, key.split('.').reduce<string | Tree>((node, part) => (node as Tree)[part]!, tree) as string])
}

const LANGUAGES: Record<string, Tree> = { 'zh-CN': zhCN, en }

describe('locales', () => {
  it('zh-CN and en have exactly the same keys', () => {
    const zhKeys = new Set(keys(zhCN))
    const enKeys = new Set(keys(en))
    expect([...zhKeys].filter((key) => !enKeys.has(key)), 'keys missing in en').toEqual([])
    expect([...enKeys].filter((key) => !zhKeys.has(key)), 'keys missing in zh-CN').toEqual([])
  })

  it.each(Object.keys(LANGUAGES))('%s has no empty message', (language) => {
    const empty = leaves(LANGUAGES[language]!).filter(([, text]) => !text.trim()).map(([key]) => key)
    expect(empty).toEqual([])
  })

  it('has words for exactly the appeal statuses the API sends', () => {
    const statuses = document.components.schemas.AppealSummaryOut.properties.status.enum
    for (const language of Object.values(LANGUAGES)) {
      expect(Object.keys((language.appeals as Tree).statuses as Tree).sort()).toEqual([...statuses].sort())
    }
  })

  it('has a name and a summary for every platform the home page can show', () => {
    for (const language of Object.values(LANGUAGES)) {
      expect(Object.keys(language.platforms as Tree).sort()).toEqual([...PLATFORM_NAMES].sort())
    }
  })
})
