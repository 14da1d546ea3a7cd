import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { fakeApi, problem } from '../../support/api'
import { renderApp } from '../../support/app'
import { productsAnswer } from './fixtures'

function sent(api: ReturnType<typeof fakeApi>): URLSearchParams {
  return new URL(api.called('GET /api/finance/products').at(-1)!.url, 'http://x').searchParams
}

describe('finance catalogue page', () => {
  it('lists products as cards with amounts in 万元, rates in %, terms and institution links', async () => {
    const api = fakeApi({ 'GET /api/finance/products': { body: productsAnswer() } })

    const { wrapper } = await renderApp('/finance')

    expect(wrapper.find('h1').text()).toBe('金融产品')
    expect(sent(api).get('limit')).toBe('12')
    expect(wrapper.find('[data-testid="total"]').text()).toBe('共 2 款产品')
    const cards = wrapper.findAll('[data-testid="product"]')
    expect(cards).toHaveLength(2)
    expect(cards[0]!.find('h2').text()).toBe('青银科创贷')
    expect(cards[0]!.find('[data-testid="amount"]').text()).toBe('100万元–3000万元')
    expect(cards[0]!.find('[data-testid="rate"]').text()).toBe('2.95%–3.95%')
    expect(cards[0]!.find('[data-testid="term"]').text()).toBe('12–36个月')
    expect(cards[0]!.text()).toContain('科技型企业、专精特新')
    expect(cards[0]!.find('[data-testid="channel"]').text()).toBe('信易贷')
    expect(cards[0]!.find('[data-testid="institution-link"]').attributes('href')).toBe('/finance/institutions/bank-qdccb')
    expect(cards[1]!.find('[data-testid="amount"]').text()).toBe('3万元–300万元')
    expect(cards[1]!.find('[data-testid="category"]').text()).toBe('涉农贷款')
  })

  it('shows facet counts in the choices, and the form puts the filters in the URL and the query', async () => {
    const api = fakeApi({ 'GET /api/finance/products': { body: productsAnswer() } })
    const { wrapper, router } = await renderApp('/finance')

    const category = wrapper.find('select#finance-category')
    expect(wrapper.find('label[for="finance-category"]').text()).toBe('产品类别')
    expect(category.find('option[value="credit"]').text()).toBe('信用贷（67）')
    expect(category.find('option[value="leasing"]').text()).toBe('融资租赁（0）')
    expect(wrapper.find('select#finance-district option[value="370212"]').text()).toBe('崂山区')

    await category.setValue('credit')
    await wrapper.find('select#finance-guarantee').setValue('credit')
    await wrapper.find('select#finance-district').setValue('370212')
    await wrapper.find('input#finance-amount').setValue('200')
    await wrapper.find('input#finance-term').setValue('12')
    await wrapper.find('[data-testid="filters"]').trigger('submit')
    await flushPromises()

    expect(router.currentRoute.value.query).toEqual({
      category: 'credit',
      guarantee: 'credit',
      district: '370212',
      amount_fen: '200000000',
      term_months: '12',
    })
    const query = sent(api)
    expect(query.get('category')).toBe('credit')
    expect(query.get('amount_fen')).toBe('200000000')
    expect(query.get('term_months')).toBe('12')
    expect(query.get('district')).toBe('370212')

    await wrapper.find('[data-testid="clear-filters"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({})
  })

  it('fills the form from the URL, and shows which institution is chosen', async () => {
    fakeApi({ 'GET /api/finance/products': { body: productsAnswer({ items: [productsAnswer().items[0]], total: 1 }) } })
    const { wrapper } = await renderApp('/finance?amount_fen=150000000&term_months=24&institution_id=bank-qdccb')

    expect((wrapper.find('input#finance-amount').element as HTMLInputElement).value).toBe('150')
    expect((wrapper.find('input#finance-term').element as HTMLInputElement).value).toBe('24')
    expect(wrapper.find('[data-testid="institution-filter"]').text()).toContain('仅显示青岛银行的产品')
  })

  it('reads the next page with the cursor', async () => {
    const api = fakeApi({
      'GET /api/finance/products': (call) =>
        call.url.includes('cursor=c2')
          ? { body: productsAnswer({ items: [productsAnswer().items[1]], next_cursor: null }) }
          : { body: productsAnswer({ items: [productsAnswer().items[0]], next_cursor: 'c2' }) },
    })
    const { wrapper } = await renderApp('/finance')

    await wrapper.find('[data-testid="more"]').trigger('click')
    await flushPromises()

    expect(api.called('GET /api/finance/products')).toHaveLength(2)
    expect(wrapper.findAll('[data-testid="product"]')).toHaveLength(2)
    expect(wrapper.find('[data-testid="more"]').exists()).toBe(false)
  })

  it('says when nothing matches, and shows failures with a retry', async () => {
    fakeApi({ 'GET /api/finance/products': { body: productsAnswer({ items: [], total: 0 }) } })
    const { wrapper } = await renderApp('/finance?category=leasing')
    expect(wrapper.text()).toContain('没有符合条件的产品')

    fakeApi({ 'GET /api/finance/products': problem(500, 'internal', 'boom') })
    const failed = await renderApp('/finance')
    expect(failed.wrapper.find('[role="alert"]').text()).toContain('平台暂时无法处理请求')
  })

  it('is in English too, with amounts in yuan', async () => {
    fakeApi({ 'GET /api/finance/products': { body: productsAnswer() } })
    const { wrapper } = await renderApp('/finance', { locale: 'en' })

    expect(wrapper.find('h1').text()).toBe('Financial products')
    const card = wrapper.find('[data-testid="product"]')
    expect(card.find('h2').text()).toBe('Qingyin Tech Innovation Loan')
    expect(card.find('[data-testid="amount"]').text()).toBe('¥1,000,000–¥30,000,000')
    expect(card.find('[data-testid="term"]').text()).toBe('12–36 months')
    expect(card.find('[data-testid="institution-link"]').text()).toBe('Bank of Qingdao')
    expect(wrapper.find('select#finance-category option[value="credit"]').text()).toBe('Unsecured loans (67)')
  })
})
