import { flushPromises, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { fakeApi, problem, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { ENTERPRISE_ME } from '../../support/people'

const DEADLINES = {
  contact_by: { due: '2026-11-20T04:00:00Z', started: '2026-11-20T02:00:00Z', met_at: null, breached: false, provisional: false },
  feedback_by: { due: '2026-11-21T09:00:00Z', started: '2026-11-20T02:00:00Z', met_at: null, breached: false, provisional: false },
  resolve_by: { due: '2026-12-11T09:00:00Z', started: '2026-11-20T02:00:00Z', met_at: null, breached: false, provisional: true },
}
const SUBMITTED = { id: 'a1', ticket_no: '370200-0000123', status: 'dispatched', duplicate_of: null, deadlines: DEADLINES, assignee_unit: 'unit-tax', receipt_code: null }

function field(wrapper: VueWrapper, selector: string): DOMWrapper<Element> {
  const found = wrapper.find(selector)
  return ['INPUT', 'TEXTAREA'].includes(found.element.tagName) ? found : found.find('input, textarea')
}

async function fill(wrapper: VueWrapper, category = 'help') {
  await wrapper.find(`[data-testid="category-${category}"]`).setValue(true)
  await field(wrapper, '#appeal-title').setValue('留抵退税迟迟未到账')
  await field(wrapper, '#appeal-content').setValue('三个月前申请的留抵退税至今未到账，请帮助催办。')
  await field(wrapper, '#appeal-contact-phone').setValue('13800000000')
}

describe('submit an appeal', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('explains the kinds, preselects the district and submits with an Idempotency-Key', async () => {
    const api = signedInAs(ENTERPRISE_ME, { 'POST /api/appeals': { status: 201, body: SUBMITTED } })
    const { wrapper } = await renderApp('/appeals/new', { token: 'token-wm' })

    expect(wrapper.find('h1').text()).toBe('提交诉求')
    expect(wrapper.text()).toContain('企业在生产经营中遇到困难、需要帮助解决的事项')
    expect(wrapper.text()).toContain('可匿名；反映人信息加密封存')
    await fill(wrapper)
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    const [call] = api.called('POST /api/appeals')
    expect(call!.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/)
    expect(call!.body).toEqual({
      category: 'help',
      title: '留抵退税迟迟未到账',
      content: '三个月前申请的留抵退税至今未到账，请帮助催办。',
      district: '370202',
      channel: 'web',
      anonymous: false,
      contact: { name: '王敏', phone: '13800000000' },
      attachments: [],
    })
    const done = wrapper.find('[data-testid="submitted"]')
    expect(done.find('[data-testid="ticket"]').text()).toBe('370200-0000123')
    expect(done.findAll('[data-testid="deadline"]')).toHaveLength(3)
    expect(done.text()).toContain('15个工作日内办结')
    expect(done.find('a[href="/appeals/a1"]').exists()).toBe(true)
    expect(done.find('[data-testid="receipt-code"]').exists()).toBe(false)
  })

  it("shows a 422 problem's field message next to that field, and resends with a new key only when changed", async () => {
    let fail = true
    const api = signedInAs(ENTERPRISE_ME, {
      'POST /api/appeals': () =>
        fail
          ? problem(422, 'validation_failed', 'The request has invalid fields.', [{ field: 'contact.phone', message: '不是有效的电话号码' }])
          : { status: 201, body: SUBMITTED },
    })
    const { wrapper } = await renderApp('/appeals/new', { token: 'token-wm' })
    await fill(wrapper)
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    const phoneItem = wrapper.find('#appeal-contact-phone').element.closest('.el-form-item')!
    expect(phoneItem.textContent).toContain('不是有效的电话号码')
    expect(wrapper.find('[data-testid="submitted"]').exists()).toBe(false)

    fail = false
    await field(wrapper, '#appeal-contact-phone').setValue('0532-12345678')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const [first, second] = api.called('POST /api/appeals')
    expect(second!.headers['Idempotency-Key']).not.toBe(first!.headers['Idempotency-Key'])
    expect(wrapper.find('[data-testid="ticket"]').text()).toBe('370200-0000123')
  })

  it('checks the form before sending anything', async () => {
    const api = signedInAs(ENTERPRISE_ME)
    const { wrapper } = await renderApp('/appeals/new', { token: 'token-wm' })

    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(api.called('POST /api/appeals')).toEqual([])
    expect(wrapper.text()).toContain('请选择诉求类型')
    expect(wrapper.text()).toContain('标题需 2 至 200 个字')
  })

  it('lets a report go anonymously and shows its receipt code once, to write down', async () => {
    const api = signedInAs(ENTERPRISE_ME, {
      'POST /api/appeals': { status: 201, body: { ...SUBMITTED, receipt_code: 'K7QX-M2PD-9TZR' } },
    })
    const { wrapper } = await renderApp('/appeals/new', { token: 'token-wm' })
    await wrapper.find('[data-testid="category-report"]').setValue(true)
    await wrapper.find('[data-testid="anonymous"]').setValue(true)
    expect(wrapper.find('#appeal-contact-phone').exists()).toBe(false)
    await field(wrapper, '#appeal-title').setValue('某单位违规收费')
    await field(wrapper, '#appeal-content').setValue('办理许可时被要求缴纳无依据的费用。')
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(api.called('POST /api/appeals')[0]!.body).toMatchObject({ category: 'report', anonymous: true, contact: null })
    const receipt = wrapper.find('[data-testid="receipt-code"]')
    expect(receipt.text()).toContain('K7QX-M2PD-9TZR')
    expect(receipt.text()).toContain('只显示这一次')
  })

  it('refuses a file type before uploading, and uploads the rest with progress', async () => {
    const sent: FormData[] = []
    class FakeXhr {
      status = 0
      upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null }
      onload: (() => void) | null = null
      onerror: (() => void) | null = null
      open() {}
      send(data: FormData) {
        sent.push(data)
        this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 })
        setTimeout(() => {
          this.status = 204
          this.onload?.()
        })
      }
    }
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    const api = signedInAs(ENTERPRISE_ME, {
      'POST /api/files': {
        status: 201,
        body: {
          id: 'f'.repeat(32), ref: `file:${'f'.repeat(32)}`, name: 'licence.pdf', content_type: 'application/pdf', size: 4,
          status: 'pending', created_at: '2026-11-20T02:00:00Z',
          upload: { method: 'POST', url: 'https://files.example/', fields: { key: 'uploads/x', policy: 'p' }, expires_in: 900 },
        },
      },
      'POST /api/appeals': { status: 201, body: SUBMITTED },
    })
    const { wrapper } = await renderApp('/appeals/new', { token: 'token-wm' })
    const input = wrapper.find('[data-testid="files"]')
    Object.defineProperty(input.element, 'files', {
      value: [new File(['%PDF'], 'licence.pdf', { type: 'application/pdf' }), new File(['MZ'], 'tool.exe', { type: 'application/x-msdownload' })],
      configurable: true,
    })
    Object.defineProperty(input.element, 'value', { value: '', writable: true, configurable: true })
    await input.trigger('change')
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 5))
    await flushPromises()

    expect(wrapper.text()).toContain('“tool.exe”的文件类型不受支持')
    expect(api.called('POST /api/files').map((c) => c.body)).toEqual([{ filename: 'licence.pdf', content_type: 'application/pdf', size: 4 }])
    expect(sent).toHaveLength(1)
    expect([...sent[0]!.keys()]).toEqual(['key', 'policy', 'file'])
    expect(wrapper.find('[data-testid="attachment-list"]').text()).toContain('licence.pdf')

    await fill(wrapper)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(api.called('POST /api/appeals')[0]!.body).toMatchObject({ attachments: [`file:${'f'.repeat(32)}`] })
  })
})

describe('submit an appeal, in English', () => {
  it('has every word in English', async () => {
    signedInAs(ENTERPRISE_ME)
    const { wrapper } = await renderApp('/appeals/new', { token: 'token-wm', locale: 'en' })

    expect(wrapper.find('h1').text()).toBe('Submit an appeal')
    expect(wrapper.text()).toContain('may be anonymous; the reporter’s identity is sealed')
    expect(wrapper.text()).not.toMatch(/appeals\.\w+/)
  })
})

describe('an anonymous report, signed out', () => {
  it('offers only reports and clues, asks for no contact, and shows the receipt code', async () => {
    const api = fakeApi({
      'GET /api/auth/dev-users': { body: [] },
      'POST /api/appeals': { status: 201, body: { ...SUBMITTED, receipt_code: 'ANON-CODE-1' } },
    })
    const { wrapper, router } = await renderApp('/appeals/new')

    expect(router.currentRoute.value.name).toBe('appeal-new')
    expect(wrapper.findAll('.kind')).toHaveLength(2)
    expect(wrapper.find('[data-testid="files"]').exists()).toBe(false)
    await wrapper.find('[data-testid="category-business_environment_clue"]').setValue(true)
    expect(wrapper.find('#appeal-contact-phone').exists()).toBe(false)
    await field(wrapper, '#appeal-title').setValue('某窗口要求重复提交材料')
    await field(wrapper, '#appeal-content').setValue('同一份材料被要求提交三次。')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.text()).toContain('请选择所在区（市）')
    expect(api.called('POST /api/appeals')).toEqual([])

    await wrapper.find('.el-select__wrapper').trigger('click')
    await flushPromises()
    const option = [...document.querySelectorAll<HTMLElement>('.el-select-dropdown__item')].find((o) => o.textContent?.includes('崂山区'))!
    option.click()
    await flushPromises()
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    const [call] = api.called('POST /api/appeals')
    expect(call!.headers.Authorization).toBeUndefined()
    expect(call!.body).toMatchObject({ category: 'business_environment_clue', district: '370212', anonymous: true, contact: null, attachments: [] })
    expect(wrapper.find('[data-testid="receipt-code"]').text()).toContain('ANON-CODE-1')
    expect(wrapper.find('a[href="/appeals/receipt"]').exists()).toBe(true)
  })
})
