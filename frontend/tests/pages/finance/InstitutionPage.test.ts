import { describe, expect, it } from 'vitest'

import { fakeApi, problem } from '../../support/api'
import { renderApp } from '../../support/app'
import { institutionAnswer } from './fixtures'

describe('finance institution page', () => {
  it('shows the institution, its branches grouped by district in the official order, and its products', async () => {
    const api = fakeApi({ 'GET /api/finance/institutions/bank-qdccb': { body: institutionAnswer() } })

    const { wrapper } = await renderApp('/finance/institutions/bank-qdccb')

    expect(api.called('GET /api/finance/institutions/bank-qdccb')).toHaveLength(1)
    expect(wrapper.find('h1').text()).toBe('青岛银行')
    expect(wrapper.find('[data-testid="kind"]').text()).toBe('城市商业银行')
    expect(wrapper.find('[data-testid="branch-count"]').text()).toBe('3')
    const districts = wrapper.findAll('[data-testid="district"]')
    expect(districts.map((d) => d.attributes('data-code'))).toEqual(['370202', '370212'])
    expect(districts[0]!.find('h3').text()).toBe('市南区（1个）')
    expect(districts[1]!.find('h3').text()).toBe('崂山区（2个）')
    expect(districts[1]!.findAll('[data-testid="branch"]').map((b) => b.find('.branch__name').text())).toEqual([
      '青岛银行营业部',
      '青岛银行株洲路支行',
    ])
    const cards = wrapper.findAll('[data-testid="product"]')
    expect(cards).toHaveLength(1)
    expect(cards[0]!.find('h3').text()).toBe('青银科创贷')
    expect(cards[0]!.find('[data-testid="institution-link"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="filter-link"]').attributes('href')).toBe('/finance?institution_id=bank-qdccb')
  })

  it('is in English too, with district names in English', async () => {
    fakeApi({ 'GET /api/finance/institutions/bank-qdccb': { body: institutionAnswer() } })
    const { wrapper } = await renderApp('/finance/institutions/bank-qdccb', { locale: 'en' })

    expect(wrapper.find('h1').text()).toBe('Bank of Qingdao')
    expect(wrapper.find('[data-testid="kind"]').text()).toBe('City commercial bank')
    expect(wrapper.findAll('[data-testid="district"] h3').map((h) => h.text())).toEqual([
      'Shinan District (1)',
      'Laoshan District (2)',
    ])
  })

  it('says when there is no such institution', async () => {
    fakeApi({ 'GET /api/finance/institutions/bank-nowhere': problem(404, 'not_found', 'No institution bank-nowhere.') })
    const { wrapper } = await renderApp('/finance/institutions/bank-nowhere')

    expect(wrapper.find('h1').text()).toBe('金融机构')
    expect(wrapper.find('[role="alert"]').exists()).toBe(true)
  })
})
