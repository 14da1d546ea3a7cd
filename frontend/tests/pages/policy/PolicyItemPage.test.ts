import { describe, expect, it } from 'vitest'

import { fakeApi } from '../../support/api'
import { renderApp } from '../../support/app'
import { DOCUMENT } from './fixtures'

describe('policy item page', () => {
  it('shows a document: 文号, issuer, dates, status, topics, body paragraphs and related projects', async () => {
    fakeApi({ 'GET /api/policies/doc-qd-kj-2025-003': { body: DOCUMENT } })
    const { wrapper } = await renderApp('/policy/items/doc-qd-kj-2025-003')

    expect(wrapper.find('h1').text()).toBe('青岛市高新技术企业培育办法')
    expect(wrapper.find('[data-testid="doc-number"]').text()).toBe('青科规〔2025〕3号')
    expect(wrapper.text()).toContain('青岛市科学技术局 青岛市财政局')
    expect(wrapper.text()).toContain('2025/04/01 起长期有效')
    expect(wrapper.find('[data-testid="status"]').text()).toBe('有效')
    expect(wrapper.findAll('.policy-item__body p')).toHaveLength(2)
    expect(wrapper.find('[data-testid="related-project"] a').attributes('href')).toBe('/policy/projects/proj-laoshan-high-tech-bonus-2026')
  })
})
