import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { fakeApi, problem } from '../../support/api'
import { renderApp } from '../../support/app'

const NO = 'CR-20261120-ABCDEFGHJK'
const VERIFY = `GET /api/credit-reports/${NO}/verify`
const SHA = 'b'.repeat(64)

describe('credit report verification page', () => {
  it('says the report was issued and when, for anyone signed out', async () => {
    const api = fakeApi({ [VERIFY]: { body: { report_no: NO, issued: true, issued_at: '2026-11-20T10:00:00+08:00', sha256_matches: null } } })
    const { wrapper } = await renderApp(`/verify/${NO}`)

    expect(wrapper.find('h1').text()).toBe('信用报告核验')
    expect(wrapper.find('[data-testid="report-no"]').text()).toBe(NO)
    expect(wrapper.find('[data-testid="issued"]').text()).toBe('该报告由平台出具。')
    expect(wrapper.find('[data-testid="issued-at"]').text()).toBe('出具时间：2026-11-20 10:00:00')
    expect(wrapper.find('[data-testid="matches"]').exists()).toBe(false)
    expect(api.called(VERIFY)[0]!.headers.Authorization).toBeUndefined()
    wrapper.unmount()
  })

  it('compares the SHA-256 from the link, and one typed in', async () => {
    const api = fakeApi({
      [VERIFY]: (call) => ({ body: { report_no: NO, issued: true, issued_at: '2026-11-20T10:00:00+08:00',
        sha256_matches: call.url.includes(`sha256=${SHA}`) } }),
    })
    const { wrapper, router } = await renderApp(`/verify/${NO}?sha256=${SHA}`)
    expect(api.called(VERIFY)[0]!.url).toContain(`sha256=${SHA}`)
    expect(wrapper.find('[data-testid="matches"]').text()).toBe('SHA-256 一致：报告内容与平台出具的一致。')

    await wrapper.find('#verify-sha256').setValue('c'.repeat(64))
    await wrapper.find('[data-testid="verify-form"]').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="differs"]').exists()).toBe(true)
    expect(router.currentRoute.value.query.sha256).toBe('c'.repeat(64))

    await wrapper.find('#verify-sha256').setValue('not-a-hash')
    const before = api.called(VERIFY).length
    await wrapper.find('[data-testid="verify-form"]').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="sha256-error"]').text()).toBe('SHA-256 应为 64 位十六进制字符。')
    expect(api.called(VERIFY)).toHaveLength(before)
    wrapper.unmount()
  })

  it('says when the platform issued no such report', async () => {
    fakeApi({ [VERIFY]: problem(404, 'not_found', 'No credit report was issued.') })
    const { wrapper } = await renderApp(`/verify/${NO}`, { locale: 'en' })
    expect(wrapper.find('[data-testid="not-issued"]').text()).toBe(`The platform has issued no report numbered ${NO}.`)
    wrapper.unmount()
  })
})
