import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { problem, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { STAFF_ME } from '../../support/people'
import { application, BLUESEA_ME, DOCUMENT, PROJECT_ID, PROJECT_WITH_FORM } from './fixtures'

const PATH = `/policy/projects/${PROJECT_ID}/apply`
const ROUTES = {
  [`GET /api/projects/${PROJECT_ID}`]: { body: PROJECT_WITH_FORM },
  'GET /api/policies/doc-qd-kj-2025-003': { body: DOCUMENT },
}

async function fill(wrapper: VueWrapper) {
  await wrapper.find('input#apply-contact').setValue('李娜')
  await wrapper.find('input#apply-phone').setValue('13912345678')
  // A date may be typed into the picker's input, as YYYY-MM-DD.
  const date = wrapper.find('input#apply-cert_date')
  await date.setValue('2026-10-28')
  await date.trigger('change')
  await wrapper.find('input#apply-rd_expense').setValue('3200000')
  await flushPromises()
}

describe('apply for a project', { timeout: 20_000 }, () => {
  afterEach(() => vi.unstubAllGlobals())

  it("draws the project's form, refuses what the schema would, and posts the answers", async () => {
    const api = signedInAs(BLUESEA_ME, {
      ...ROUTES,
      [`POST /api/projects/${PROJECT_ID}/applications`]: { status: 201, body: application() },
      'GET /api/applications/app-1': { body: application() },
      [`GET /api/projects/${PROJECT_ID}/eligibility`]: { body: {} },
    })
    const { wrapper, router } = await renderApp(PATH, { token: 'token-bluesea' })

    expect(wrapper.find('h1').text()).toBe('申报：崂山区2026年高新技术企业叠加奖励')
    expect(wrapper.find('label[for="apply-phone"]').text()).toContain('联系电话')
    expect(wrapper.find('label[for="apply-files"]').exists()).toBe(true)

    await wrapper.find('input#apply-phone').setValue('12345')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(api.called(`POST /api/projects/${PROJECT_ID}/applications`)).toEqual([])
    expect(wrapper.find('[data-testid="check-fields"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="error-contact"]').text()).toBe('此项必填')
    expect(wrapper.find('[data-testid="error-phone"]').text()).toBe('格式不正确')

    await fill(wrapper)
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    const [call] = api.called(`POST /api/projects/${PROJECT_ID}/applications`)
    expect(call!.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/)
    expect(call!.body).toEqual({
      form: { contact: '李娜', phone: '13912345678', cert_date: '2026-10-28', rd_expense: 3200000, first_time: false },
      attachments: [],
    })
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/applications/app-1?submitted=1'), { timeout: 8000 })
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="submitted"]').exists()).toBe(true), { timeout: 8000 })
  })

  it("shows the API's 422 beside each field and its 409 as it says it", async () => {
    let answer = problem(422, 'validation_failed', 'Invalid.', [
      { field: 'form.phone', message: '联系电话: is not in the expected format' },
      { field: 'form.extra', message: 'is not a field of this form' },
    ])
    const api = signedInAs(BLUESEA_ME, { ...ROUTES, [`POST /api/projects/${PROJECT_ID}/applications`]: () => answer })
    const { wrapper } = await renderApp(PATH, { token: 'token-bluesea' })
    await fill(wrapper)
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(wrapper.find('[data-testid="error-phone"]').text()).toBe('联系电话: is not in the expected format')
    expect(wrapper.find('[data-testid="other-errors"]').text()).toContain('form.extra')

    answer = problem(409, 'conflict', 'The enterprise does not meet the project\'s conditions: 企业须为有效期内的高新技术企业')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(api.called(`POST /api/projects/${PROJECT_ID}/applications`)).toHaveLength(2)
    expect(wrapper.find('[role="alert"]').text()).toContain('企业须为有效期内的高新技术企业')
    expect(wrapper.find('[data-testid="error-phone"]').exists()).toBe(false)
  })

  it('says so when the project needs no application, is not open, or the caller is not an enterprise', async () => {
    signedInAs(BLUESEA_ME, {
      ...ROUTES,
      [`GET /api/projects/${PROJECT_ID}`]: { body: { ...PROJECT_WITH_FORM, content: { ...PROJECT_WITH_FORM.content, no_application: true } } },
    })
    let view = await renderApp(PATH, { token: 'token-bluesea' })
    expect(view.wrapper.find('[data-testid="no-application"]').text()).toContain('免申即享')
    expect(view.wrapper.find('form').exists()).toBe(false)
    view.wrapper.unmount()

    signedInAs(BLUESEA_ME, { ...ROUTES, [`GET /api/projects/${PROJECT_ID}`]: { body: { ...PROJECT_WITH_FORM, status: 'closed' } } })
    view = await renderApp(PATH, { token: 'token-bluesea' })
    expect(view.wrapper.find('[data-testid="not-open"]').exists()).toBe(true)
    view.wrapper.unmount()

    signedInAs(STAFF_ME, ROUTES)
    view = await renderApp(`/projects/${PROJECT_ID}/apply`, { token: 'token-zl' })
    expect(view.wrapper.find('[data-testid="not-enterprise"]').text()).toContain('工作人员')
  })

  it('uploads attachments first and sends their references', async () => {
    class FakeXhr {
      status = 0
      upload = { onprogress: null as null | ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) }
      onload: (() => void) | null = null
      onerror: (() => void) | null = null
      open() {}
      send() {
        setTimeout(() => {
          this.status = 204
          this.onload?.()
        })
      }
    }
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    const api = signedInAs(BLUESEA_ME, {
      ...ROUTES,
      'POST /api/files': {
        status: 201,
        body: {
          id: 'f1', ref: 'file:f1', name: '证书.pdf', content_type: 'application/pdf', size: 4, status: 'pending', created_at: '2026-11-20T02:00:00Z',
          upload: { method: 'POST', url: 'https://files.example/', fields: { key: 'uploads/x' }, expires_in: 900 },
        },
      },
      [`POST /api/projects/${PROJECT_ID}/applications`]: { status: 201, body: application() },
      'GET /api/applications/app-1': { body: application() },
    })
    const { wrapper } = await renderApp(PATH, { token: 'token-bluesea' })
    const input = wrapper.find('[data-testid="apply-files-input"]')
    Object.defineProperty(input.element, 'files', { value: [new File(['%PDF'], '证书.pdf', { type: 'application/pdf' })], configurable: true })
    Object.defineProperty(input.element, 'value', { value: '', writable: true, configurable: true })
    await input.trigger('change')
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 5))
    await flushPromises()
    expect(wrapper.find('[data-testid="attachment-list"]').text()).toContain('证书.pdf')

    await fill(wrapper)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(api.called(`POST /api/projects/${PROJECT_ID}/applications`)[0]!.body).toMatchObject({ attachments: ['file:f1'] })
  })
})

describe("the project page's way in", () => {
  it('offers a signed-in enterprise "apply online" while the project is open; 免申即享 needs none', async () => {
    signedInAs(BLUESEA_ME, { ...ROUTES, [`GET /api/projects/${PROJECT_ID}/eligibility`]: { body: null } })
    let view = await renderApp(`/policy/projects/${PROJECT_ID}`, { token: 'token-bluesea' })
    expect(view.wrapper.find('[data-testid="apply-link"]').attributes('href')).toBe(PATH)
    expect(view.wrapper.find('[data-testid="applications-link"]').attributes('href')).toBe('/applications')
    view.wrapper.unmount()

    signedInAs(BLUESEA_ME, {
      ...ROUTES,
      [`GET /api/projects/${PROJECT_ID}`]: { body: { ...PROJECT_WITH_FORM, content: { ...PROJECT_WITH_FORM.content, no_application: true } } },
    })
    view = await renderApp(`/policy/projects/${PROJECT_ID}`, { token: 'token-bluesea' })
    expect(view.wrapper.find('[data-testid="apply-link"]').exists()).toBe(false)
    expect(view.wrapper.find('[data-testid="apply-not-needed"]').text()).toBe('免申即享，无需申报')
    view.wrapper.unmount()

    signedInAs(STAFF_ME, ROUTES)
    view = await renderApp(`/policy/projects/${PROJECT_ID}`, { token: 'token-zl' })
    expect(view.wrapper.find('[data-testid="apply-link"]').exists()).toBe(false)
    expect(view.wrapper.find('[data-testid="applications-link"]').exists()).toBe(false)
  })
})
