import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { fakeApi, problem } from '../../support/api'
import { renderApp } from '../../support/app'
import { searchAnswer } from './fixtures'

describe('policy search page', () => {
  it('searches for the words in the URL and shows marked titles, highlights and facts', async () => {
    const api = fakeApi({ 'GET /api/policies/search': { body: searchAnswer() } })

    const { wrapper } = await renderApp('/policy?q=高新技术企业')

    const call = new URL(api.called('GET /api/policies/search')[0]!.url, 'http://x')
    expect(call.searchParams.get('q')).toBe('高新技术企业')
    expect(wrapper.find('h1').text()).toBe('政策查询')
    expect((wrapper.find('input[data-testid="policy-search-input"]').element as HTMLInputElement).value).toBe('高新技术企业')
    expect(wrapper.find('[data-testid="total"]').text()).toContain('共找到 2 条结果')
    const hits = wrapper.findAll('[data-testid="hit"]')
    expect(hits).toHaveLength(2)
    expect(hits[0]!.find('h2 mark').text()).toBe('高新技术企业')
    expect(hits[0]!.find('h2 a').attributes('href')).toBe('/policy/projects/proj-laoshan-high-tech-bonus-2026')
    expect(hits[0]!.find('[data-testid="highlight"] mark').exists()).toBe(true)
    expect(hits[0]!.text()).toContain('申报中')
    expect(hits[0]!.text()).toContain('2026/12/25')
    expect(hits[1]!.find('h2 a').attributes('href')).toBe('/policy/items/doc-qd-kj-2025-003')
    expect(hits[1]!.text()).toContain('青科规〔2025〕3号')
    expect(hits[1]!.text()).toContain('市级')
  })

  it('shows facet counts as filters that change the query, and a filter chosen is sent and can be cleared', async () => {
    const api = fakeApi({ 'GET /api/policies/search': { body: searchAnswer() } })
    const { wrapper, router } = await renderApp('/policy?q=高新')

    const kind = wrapper.find('[data-facet="kind"] a[data-value="project"]')
    expect(kind.text()).toBe('申报项目（1）')
    expect(wrapper.find('[data-facet="closing_within"] a[data-value="30"]').text()).toBe('30天内截止（1）')
    await kind.trigger('click')
    await flushPromises()

    expect(router.currentRoute.value.query).toEqual({ q: '高新', kind: 'project' })
    const sent = new URL(api.called('GET /api/policies/search').at(-1)!.url, 'http://x')
    expect(sent.searchParams.get('kind')).toBe('project')
    expect(sent.searchParams.get('q')).toBe('高新')
    const chosen = wrapper.find('[data-facet="kind"] a[data-value="project"]')
    expect(chosen.attributes('aria-current')).toBe('true')

    await wrapper.find('[data-facet="closing_within"] a[data-value="30"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ q: '高新', kind: 'project', closing_within: '30' })
    expect(new URL(api.called('GET /api/policies/search').at(-1)!.url, 'http://x').searchParams.get('closing_within')).toBe('30')

    await wrapper.find('[data-testid="clear-filters"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({ q: '高新' })
  })

  it('a new search from the box keeps the filters and puts the words in the URL', async () => {
    fakeApi({ 'GET /api/policies/search': { body: searchAnswer() } })
    const { wrapper, router } = await renderApp('/policy?kind=document')

    await wrapper.find('input[data-testid="policy-search-input"]').setValue('工信部企业〔2022〕63号')
    await wrapper.find('[data-testid="policy-search"]').trigger('submit')
    await flushPromises()

    expect(router.currentRoute.value.query).toEqual({ kind: 'document', q: '工信部企业〔2022〕63号' })
  })

  it('reads the next page with the cursor when asked for more', async () => {
    const api = fakeApi({
      'GET /api/policies/search': (call) =>
        call.url.includes('cursor=c2')
          ? { body: searchAnswer({ items: [{ ...searchAnswer().items[1], id: 'doc-more' }], next_cursor: null }) }
          : { body: searchAnswer({ next_cursor: 'c2' }) },
    })
    const { wrapper } = await renderApp('/policy?q=高新')

    await wrapper.find('[data-testid="more"]').trigger('click')
    await flushPromises()

    expect(api.called('GET /api/policies/search')).toHaveLength(2)
    expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(3)
    expect(wrapper.find('[data-testid="more"]').exists()).toBe(false)
  })

  it('says when nothing was found', async () => {
    fakeApi({ 'GET /api/policies/search': { body: searchAnswer({ items: [], total: 0, facets: {}, closing_within: {} }) } })
    const { wrapper } = await renderApp('/policy?q=不存在的词')

    expect(wrapper.text()).toContain('没有找到符合条件的政策')
  })

  it('while the index is first built (503) says it is being prepared, and retries', async () => {
    let building = true
    fakeApi({
      'GET /api/policies/search': () =>
        building ? problem(503, 'index_building', 'The search index is being built.') : { body: searchAnswer() },
    })
    const { wrapper } = await renderApp('/policy?q=高新')

    const preparing = wrapper.find('[data-testid="preparing"]')
    expect(preparing.text()).toContain('政策库正在准备中')
    expect(preparing.text()).toContain('请一分钟后再试')
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)

    building = false
    await preparing.find('button').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="preparing"]').exists()).toBe(false)
    expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(2)
  })

  it('shows other failures as an error with a retry', async () => {
    fakeApi({ 'GET /api/policies/search': problem(500, 'internal', 'boom') })
    const { wrapper } = await renderApp('/policy?q=高新')

    expect(wrapper.find('[role="alert"]').text()).toContain('平台暂时无法处理请求')
  })

  it('is in English too', async () => {
    fakeApi({ 'GET /api/policies/search': { body: searchAnswer() } })
    const { wrapper } = await renderApp('/policy?q=高新', { locale: 'en' })

    expect(wrapper.find('h1').text()).toBe('Policy search')
    expect(wrapper.find('[data-facet="kind"] a[data-value="project"]').text()).toBe('Funding project (1)')
    expect(document.title).toBe('Policy search - Qingdao Enterprise Service Platform')
  })
})
