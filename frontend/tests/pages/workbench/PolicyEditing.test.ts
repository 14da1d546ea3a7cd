import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { lineDiff } from '@/pages/workbench/policyEditing'

import { listPage, problem, signedInAs, type Call } from '../../support/api'
import { renderApp } from '../../support/app'
import { ENTERPRISE_ME, STAFF_ME } from '../../support/people'

const ID = 'proj-qd-vat-refund'
const PATH = `/workbench/policies/${ID}`
const CONTENT = {
  id: ID,
  title: '增值税期末留抵退税',
  summary: '符合条件的纳税人可申请退还增量留抵税额。',
  department_id: 'unit-tax',
  documents: ['doc-qd-sw-tax-2026-002'],
  topics: ['税收优惠', '留抵退税'],
  eligibility: { all: [{ field: 'tax_credit_rating', op: 'in', value: ['A', 'B'] }] },
  amount: { kind: 'text', text: '按规定退还增量留抵税额' },
  window: { opens_on: null, closes_on: null },
  no_application: false,
  review_stages: [{ name: '市税务局审核', unit_id: 'unit-tax' }],
  form: { type: 'object', properties: {} },
}
const EDITABLE = {
  id: ID,
  kind: 'project',
  department_id: 'unit-tax',
  content: CONTENT,
  has_draft: false,
  published_version: 1,
  status: 'open',
  withdrawn_at: null,
  withdrawn_reason: null,
  updated_at: '2026-11-20T02:00:00Z',
}
const VERSION_1 = {
  version: 1,
  published_at: '2026-11-01T02:00:00Z',
  published_by: 'platform',
  changes: [{ field: 'title', before: null, after: '增值税期末留抵退税' }],
}
const VERSION_2 = {
  version: 2,
  published_at: '2026-11-20T03:00:00Z',
  published_by: 'staff-tax',
  changes: [
    { field: 'title', before: '增值税期末留抵退税', after: '增值税期末留抵退税（2026年修订）' },
    { field: 'summary', before: '第一段\n第二段', after: '第一段\n第二段（修订）\n第三段' },
    { field: 'topics', before: ['税收优惠'], after: ['税收优惠', '留抵退税'] },
  ],
}
const UNITS = [{ id: 'unit-tax', name: '市税务局', name_en: 'Qingdao Tax Bureau', district: '370200', level: 'city', roles: ['staff'] }]

function routes(extra: Record<string, unknown> = {}) {
  return {
    'GET /api/units': { body: UNITS },
    [`GET /api/policy-items/${ID}/draft`]: { body: EDITABLE },
    [`GET /api/policy-items/${ID}/versions`]: { body: { items: [VERSION_1] } },
    ...extra,
  }
}

describe('policy list', () => {
  it("lists the staff member's department's items, newest change first, and offers to start new ones", async () => {
    const api = signedInAs(STAFF_ME, {
      'GET /api/units': { body: UNITS },
      'GET /api/departments/unit-tax/policy-items': listPage([
        { item_id: ID, kind: 'project', title: '增值税期末留抵退税', status: 'open', published_version: 1, has_draft: true, updated_at: '2026-11-20T02:00:00Z' },
        { item_id: 'doc-tax-new', kind: 'document', title: '新通知', status: 'draft', published_version: 0, has_draft: true, updated_at: '2026-11-19T02:00:00Z' },
      ]),
    })
    const { wrapper, router } = await renderApp('/workbench/policies', { token: 'token-staff' })

    expect(wrapper.find('h1').text()).toBe('本单位政策')
    expect(api.called('GET /api/departments/unit-tax/policy-items')[0]!.url).toContain('limit=20')
    const rows = wrapper.findAll('[data-testid="policy-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.find('a').attributes('href')).toBe(PATH)
    expect(rows[0]!.text()).toContain('申报中')
    expect(rows[0]!.text()).toContain('有未发布的修改')
    expect(rows[0]!.text()).toContain('第 1 版')
    expect(rows[1]!.text()).toContain('草稿')
    expect(rows[1]!.text()).toContain('未发布')
    expect(wrapper.find('.workbench-nav').text()).toContain('本单位政策')

    await wrapper.find('[data-testid="new-news"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/workbench/policies/new?kind=news&unit=unit-tax'))
  })

  it('tells an enterprise the page is not for it', async () => {
    const api = signedInAs(ENTERPRISE_ME)
    const { wrapper } = await renderApp('/workbench/policies', { token: 'token-ent' })
    expect(wrapper.text()).toContain('您当前的身份不能使用此页面')
    expect(api.calls.filter((c) => c.path.includes('policy-items'))).toEqual([])
  })
})

describe('policy editor', () => {
  afterEach(() => vi.useRealTimers())

  it('fills the form from the published content, with the rule, form and stages as JSON text', async () => {
    signedInAs(STAFF_ME, routes())
    const { wrapper } = await renderApp(PATH, { token: 'token-staff' })

    expect(wrapper.find('h1').text()).toBe('增值税期末留抵退税')
    expect((wrapper.find('#policy-title').element as HTMLInputElement).value).toBe('增值税期末留抵退税')
    expect((wrapper.find('#policy-documents').element as HTMLInputElement).value).toBe('doc-qd-sw-tax-2026-002')
    expect((wrapper.find('#policy-topics').element as HTMLInputElement).value).toBe('税收优惠、留抵退税')
    expect((wrapper.find('#policy-amount_kind').element as HTMLSelectElement).value).toBe('text')
    expect((wrapper.find('#policy-amount_text').element as HTMLInputElement).value).toBe('按规定退还增量留抵税额')
    expect(JSON.parse((wrapper.find('#policy-eligibility').element as HTMLTextAreaElement).value)).toEqual(CONTENT.eligibility)
    expect(JSON.parse((wrapper.find('#policy-review_stages').element as HTMLTextAreaElement).value)).toEqual(CONTENT.review_stages)
    // Every field has a label a screen reader reads.
    for (const id of ['policy-title', 'policy-summary', 'policy-opens_on', 'policy-closes_on', 'policy-eligibility', 'policy-form', 'policy-review_stages']) {
      expect(wrapper.find(`label[for="${id}"]`).exists(), id).toBe(true)
    }
    expect(wrapper.find('[data-testid="publish"]').text()).toBe('发布为第 2 版')
    expect(wrapper.find('[data-testid="withdraw-form"]').exists()).toBe(true)
  })

  it('saves a draft and shows the API’s field errors beside the fields they name', async () => {
    const api = signedInAs(
      STAFF_ME,
      routes({
        [`PUT /api/policy-items/${ID}/draft`]: problem(422, 'validation_failed', 'The request is not valid.', [
          { field: 'content.title', message: 'is required' },
          { field: 'content.window.closes_on', message: 'must be a date YYYY-MM-DD' },
          { field: 'content.eligibility.all[0].op', message: 'must be one of ==, !=' },
          { field: 'content.mystery', message: 'is odd' },
        ]),
      }),
    )
    const { wrapper } = await renderApp(PATH, { token: 'token-staff' })

    await wrapper.find('#policy-title').setValue('')
    await wrapper.find('[data-testid="save"]').trigger('submit')
    await flushPromises()

    const sent = api.called(`PUT /api/policy-items/${ID}/draft`)[0]!.body as { content: Record<string, unknown> }
    expect(sent.content.title).toBeUndefined()
    expect(sent.content.eligibility).toEqual(CONTENT.eligibility) // JSON text sent as JSON
    expect(sent.content.amount).toEqual(CONTENT.amount)
    expect(sent.content.department_id).toBe('unit-tax')

    expect(wrapper.find('[data-testid="error-title"]').text()).toBe('is required')
    expect(wrapper.find('#policy-title').attributes('aria-invalid')).toBe('true')
    expect(wrapper.find('#policy-title').attributes('aria-describedby')).toContain('policy-title-error')
    expect(wrapper.find('[data-testid="error-closes_on"]').text()).toContain('must be a date')
    expect(wrapper.find('[data-testid="error-eligibility"]').text()).toContain('must be one of ==, !=')
    expect(wrapper.find('[data-testid="error-eligibility"]').text()).toContain('content.eligibility.all[0].op')
    expect(wrapper.find('[data-testid="other-errors"]').text()).toContain('content.mystery: is odd')
    expect(wrapper.find('[data-testid="note"]').text()).toBe('请先修改标出的问题。')
  })

  it('refuses JSON that does not parse before sending anything', async () => {
    const api = signedInAs(STAFF_ME, routes())
    const { wrapper } = await renderApp(PATH, { token: 'token-staff' })

    await wrapper.find('#policy-form').setValue('{"type": "object",')
    await wrapper.find('[data-testid="save"]').trigger('submit')
    await flushPromises()

    expect(api.called(`PUT /api/policy-items/${ID}/draft`)).toEqual([])
    expect(wrapper.find('[data-testid="error-form"]').text()).toContain('不是有效的 JSON')
    expect(wrapper.find('#policy-form').attributes('aria-invalid')).toBe('true')
  })

  it('publishes the edited title: saves the draft, publishes, and shows version 2 with the change before → after', async () => {
    let published = false
    const api = signedInAs(
      STAFF_ME,
      routes({
        [`PUT /api/policy-items/${ID}/draft`]: (call: Call) => ({
          body: { id: ID, kind: 'project', draft: (call.body as { content: unknown }).content, published_version: 1 },
        }),
        [`POST /api/policy-items/${ID}/publish`]: () => {
          published = true
          return { body: { items: [VERSION_2] } }
        },
        [`GET /api/policy-items/${ID}/draft`]: () => ({
          body: published ? { ...EDITABLE, published_version: 2, content: { ...CONTENT, title: '增值税期末留抵退税（2026年修订）' } } : EDITABLE,
        }),
        [`GET /api/policy-items/${ID}/versions`]: () => ({ body: { items: published ? [VERSION_2, VERSION_1] : [VERSION_1] } }),
      }),
    )
    const { wrapper } = await renderApp(PATH, { token: 'token-staff' })

    await wrapper.find('#policy-title').setValue('增值税期末留抵退税（2026年修订）')
    expect(wrapper.find('[data-testid="unsaved"]').exists()).toBe(true)
    await wrapper.find('[data-testid="publish"]').trigger('click')
    await flushPromises()

    const puts = api.called(`PUT /api/policy-items/${ID}/draft`)
    expect(puts).toHaveLength(1)
    // Only the title changed: every other field goes back exactly as it was loaded.
    expect(puts[0]!.body).toEqual({ content: { ...CONTENT, title: '增值税期末留抵退税（2026年修订）' } })
    expect(api.called(`POST /api/policy-items/${ID}/publish`)).toHaveLength(1)
    expect(wrapper.find('[data-testid="note"]').text()).toBe('已发布第 2 版。')
    expect(wrapper.find('[data-testid="publish"]').text()).toBe('发布为第 3 版')

    const versions = wrapper.findAll('[data-testid="version"]')
    expect(versions.map((v) => v.attributes('data-version'))).toEqual(['2', '1'])
    expect(versions[0]!.attributes('open')).toBeDefined()
    expect(versions[0]!.find('summary').text()).toContain('第 2 版')
    expect(versions[0]!.find('summary').text()).toContain('staff-tax')
    const title = versions[0]!.find('[data-field="title"]')
    expect(title.find('h3').text()).toBe('标题')
    expect(title.find('[data-testid="before"]').text()).toContain('增值税期末留抵退税')
    expect(title.find('[data-testid="after"]').text()).toContain('增值税期末留抵退税（2026年修订）')
    // Long text as the lines removed and added.
    const summary = versions[0]!.find('[data-field="summary"] [data-testid="diff"]')
    expect(summary.findAll('.policy-change__line--removed').map((l) => l.find('del').text())).toEqual(['第二段'])
    expect(summary.findAll('.policy-change__line--added').map((l) => l.find('ins').text())).toEqual(['第二段（修订）', '第三段'])
    expect(versions[0]!.find('[data-field="topics"] [data-testid="after"]').text()).toContain('留抵退税')
  })

  it('withdraws with a reason, and asks for one when it is missing', async () => {
    let withdrawn = false
    const api = signedInAs(
      STAFF_ME,
      routes({
        [`POST /api/policy-items/${ID}/withdraw`]: () => {
          withdrawn = true
          return { body: { id: ID, kind: 'project', draft: null, published_version: 1 } }
        },
        [`GET /api/policy-items/${ID}/draft`]: () => ({
          body: withdrawn ? { ...EDITABLE, status: 'withdrawn', withdrawn_at: '2026-11-20T03:00:00Z', withdrawn_reason: '政策到期' } : EDITABLE,
        }),
      }),
    )
    const { wrapper } = await renderApp(PATH, { token: 'token-staff' })

    await wrapper.find('[data-testid="withdraw-form"]').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="error-reason"]').text()).toContain('请填写撤回原因')
    expect(api.called(`POST /api/policy-items/${ID}/withdraw`)).toEqual([])

    await wrapper.find('[data-testid="withdraw-reason"]').setValue('政策到期')
    await wrapper.find('[data-testid="withdraw-form"]').trigger('submit')
    await flushPromises()
    expect(api.called(`POST /api/policy-items/${ID}/withdraw`)[0]!.body).toEqual({ reason: '政策到期' })
    expect(wrapper.find('[data-testid="status"]').text()).toBe('已撤回')
    expect(wrapper.find('[data-testid="withdrawn"]').text()).toContain('政策到期')
    expect(wrapper.find('[data-testid="withdraw-form"]').exists()).toBe(false)
  })

  it('creates a new item: its id is made on the first save and the page moves to it', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-20T02:00:00Z'), toFake: ['Date'] })
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const NEW_ID = 'news-tax-20261120-i00000'
    const api = signedInAs(STAFF_ME, {
      'GET /api/units': { body: UNITS },
      [`PUT /api/policy-items/${NEW_ID}/draft`]: (call: Call) => ({
        body: { id: NEW_ID, kind: 'news', draft: (call.body as { content: unknown }).content, published_version: 0 },
      }),
    })
    const { wrapper, router } = await renderApp('/workbench/policies/new?kind=news&unit=unit-tax', { token: 'token-staff' })

    expect(wrapper.find('h1').text()).toBe('新政策资讯')
    expect(wrapper.find('[data-testid="versions"]').exists()).toBe(false)
    await wrapper.find('#policy-title').setValue('《办法》政策解读')
    await wrapper.find('#policy-news_kind').setValue('interpretation')
    await wrapper.find('#policy-published_on').setValue('2026-11-20')
    await wrapper.find('#policy-body').setValue('一、出台背景')
    await wrapper.find('[data-testid="save"]').trigger('submit')
    await flushPromises()

    expect(api.called(`PUT /api/policy-items/${NEW_ID}/draft`)[0]!.body).toEqual({
      content: { title: '《办法》政策解读', kind: 'interpretation', published_on: '2026-11-20', body: '一、出台背景', department_id: 'unit-tax' },
    })
    expect(router.currentRoute.value.path).toBe(`/workbench/policies/${NEW_ID}`)
    expect(wrapper.find('[data-testid="note"]').text()).toBe('草稿已保存。')
    expect(wrapper.find('h1').text()).toBe('《办法》政策解读')
  })

  it('reads in English', async () => {
    signedInAs(STAFF_ME, routes())
    const { wrapper } = await renderApp(PATH, { token: 'token-staff', locale: 'en' })
    expect(wrapper.find('[data-testid="publish"]').text()).toBe('Publish as version 2')
    expect(wrapper.find('label[for="policy-eligibility"]').text()).toBe('Eligibility (rule)')
    expect(wrapper.find('[data-testid="version"] summary').text()).toContain('Version 1')
  })
})

describe('line diff', () => {
  it('keeps common lines and marks the rest removed or added', () => {
    expect(lineDiff('a\nb\nc', 'a\nc\nd')).toEqual([
      { op: 'same', text: 'a' },
      { op: 'removed', text: 'b' },
      { op: 'same', text: 'c' },
      { op: 'added', text: 'd' },
    ])
    expect(lineDiff('x\n'.repeat(3000), 'y\n'.repeat(3000))).toBeNull()
  })
})
