import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'

import { listPage, problem, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { application, notice, project } from '../../support/policyApplications'

const SCIENCE_STAFF = { sub: 'staff-science', role: 'staff', org_id: 'unit-science-tech', district: '370200', name: '李娜' }
const item = (id: string, kind: string, title: string) => ({
  item_id: id,
  kind,
  title,
  status: 'open',
  published_version: 1,
  has_draft: false,
  updated_at: '2026-11-20T02:00:00Z',
})

describe('department projects', () => {
  it("lists only the department's projects, each opening its applications", async () => {
    const api = signedInAs(SCIENCE_STAFF, {
      'GET /api/departments/unit-science-tech/policy-items': listPage([
        item('doc-1', 'document', '关于支持高新技术企业发展的若干政策'),
        item('proj-1', 'project', '高新技术企业首次认定奖励'),
        item('news-1', 'news', '政策解读'),
      ]),
    })
    const { wrapper } = await renderApp('/workbench/policy-projects', { token: 'token-science' })

    expect(api.called('GET /api/departments/unit-science-tech/policy-items')).toHaveLength(1)
    const rows = wrapper.findAll('[data-testid="project-row"]')
    expect(rows).toHaveLength(1)
    expect(rows[0]!.find('a').attributes('href')).toBe('/workbench/policy-projects/proj-1')
    expect(wrapper.find('[data-testid="stats-link"]').attributes('href')).toBe('/workbench/policy-stats')
  })
})

describe('a project of the department', () => {
  it('lists the approved applications and opens a public notice of the chosen ones', async () => {
    const api = signedInAs(SCIENCE_STAFF, {
      'GET /api/projects/proj-1': { body: project() },
      'GET /api/projects/proj-1/applications': listPage([application(1), application(2), application(3)]),
      'POST /api/projects/proj-1/notices': { status: 201, body: notice() },
      'GET /api/policy-notices/pn-20261120-aaaa1111': { body: notice() },
    })
    const { wrapper, router } = await renderApp('/workbench/policy-projects/proj-1', { token: 'token-science' })

    expect(wrapper.find('h1').text()).toBe('高新技术企业首次认定奖励')
    expect(api.called('GET /api/projects/proj-1/applications')[0]!.url).toContain('status=approved')
    const rows = wrapper.findAll('[data-testid="application-row"]')
    expect(rows).toHaveLength(3)
    expect(rows[0]!.find('a').attributes('href')).toBe('/applications/app-1')
    expect(rows[0]!.text()).toContain('200,000.00')
    expect(wrapper.find('[data-testid="confirmed-list"]').exists()).toBe(false)

    await rows[2]!.find('[data-testid="pick"]').setValue(true)
    await rows[0]!.find('[data-testid="pick"]').setValue(true)
    await wrapper.find('[data-testid="working-days"]').setValue('7')
    expect(wrapper.find('[data-testid="selected-count"]').text()).toBe('已选 2 条申报')
    await wrapper.find('[data-testid="open-notice"]').trigger('submit')
    await flushPromises()
    await vi.dynamicImportSettled()
    await flushPromises()

    const posted = api.called('POST /api/projects/proj-1/notices')
    expect(posted).toHaveLength(1)
    expect(posted[0]!.body).toEqual({ application_ids: ['app-3', 'app-1'], working_days: 7 })
    expect(posted[0]!.headers['Idempotency-Key']).toBeTruthy()
    expect(router.currentRoute.value.fullPath).toBe('/notices/pn-20261120-aaaa1111')
  })

  it('asks for a choice and at least five working days before posting, and shows the API refusal in the row', async () => {
    const api = signedInAs(SCIENCE_STAFF, {
      'GET /api/projects/proj-1': { body: project() },
      'GET /api/projects/proj-1/applications': listPage([application(1), application(2)]),
      'POST /api/projects/proj-1/notices': problem(422, 'validation_failed', 'The request is not valid.', [
        { field: 'application_ids[0]', message: 'is not an approved application of this project' },
      ]),
    })
    const { wrapper } = await renderApp('/workbench/policy-projects/proj-1', { token: 'token-science' })

    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('[data-testid="selection-error"]').text()).toBe('请先在上表中勾选要公示的申报。')
    await wrapper.findAll('[data-testid="pick"]')[1]!.setValue(true)
    await wrapper.find('[data-testid="working-days"]').setValue('3')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.text()).toContain('公示期须为 5 至 30 之间的整数。')
    expect(api.called('POST /api/projects/proj-1/notices')).toHaveLength(0)

    await wrapper.find('[data-testid="working-days"]').setValue('5')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const rows = wrapper.findAll('[data-testid="application-row"]')
    expect(rows[1]!.find('[data-testid="row-error"]').text()).toBe('is not an approved application of this project')
    expect(rows[0]!.find('[data-testid="row-error"]').exists()).toBe(false)
  })

  it('reads another status from its tab', async () => {
    const api = signedInAs(SCIENCE_STAFF, {
      'GET /api/projects/proj-1': { body: project() },
      'GET /api/projects/proj-1/applications': (call) =>
        call.url.includes('status=paid') ? listPage([application(4, { status: 'paid', paid_fen: 20_000_000 })]) : listPage([]),
    })
    const { wrapper } = await renderApp('/workbench/policy-projects/proj-1', { token: 'token-science' })
    expect(wrapper.text()).toContain('没有处于此状态的申报。')
    expect(wrapper.find('[data-testid="tab-approved"]').attributes('aria-pressed')).toBe('true')

    await wrapper.find('[data-testid="tab-paid"]').trigger('click')
    await flushPromises()

    expect(api.called('GET /api/projects/proj-1/applications')[1]!.url).toContain('status=paid')
    expect(wrapper.find('[data-testid="tab-paid"]').attributes('aria-pressed')).toBe('true')
    const rows = wrapper.findAll('[data-testid="application-row"]')
    expect(rows).toHaveLength(1)
    expect(rows[0]!.find('[data-testid="pick"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="open-notice"]').exists()).toBe(false)
  })

  it('confirms a 免申即享 list in fen, showing the API errors beside their rows', async () => {
    let refuse = true
    const api = signedInAs(SCIENCE_STAFF, {
      'GET /api/projects/proj-1': { body: project({}, { no_application: true }) },
      'GET /api/projects/proj-1/applications': listPage([]),
      'POST /api/projects/proj-1/confirmed-list': () =>
        refuse
          ? problem(422, 'validation_failed', 'The request is not valid.', [
              { field: 'entries[1].uscc', message: 'is listed twice' },
              { field: 'entries[0].amount_fen', message: 'is above the project cap' },
            ])
          : { status: 201, body: { items: [application(5), application(6)], next_cursor: null } },
    })
    const { wrapper } = await renderApp('/workbench/policy-projects/proj-1', { token: 'token-science' })
    const form = wrapper.find('[data-testid="confirmed-list"]')
    expect(form.exists()).toBe(true)

    // An empty row is caught before anything is sent.
    await form.find('[data-testid="list-submit"]').trigger('submit')
    expect(form.find('[data-testid="list-uscc-error"]').text()).toBe('请输入 18 位统一社会信用代码。')
    expect(form.find('[data-testid="list-amount-error"]').text()).toBe('请输入大于 0 的金额，最多两位小数。')
    expect(api.called('POST /api/projects/proj-1/confirmed-list')).toHaveLength(0)

    await form.find('[data-testid="list-add"]').trigger('click')
    const rows = () => wrapper.findAll('[data-testid="list-row"]')
    expect(rows()).toHaveLength(2)
    await rows()[0]!.find('[data-testid="list-uscc"]').setValue('91370215ma3bx6t2x4 ')
    await rows()[0]!.find('[data-testid="list-amount"]').setValue('100000.5')
    await rows()[1]!.find('[data-testid="list-uscc"]').setValue('91370215MA3BX6T2X4')
    await rows()[1]!.find('[data-testid="list-amount"]').setValue('2,000')
    await wrapper.find('[data-testid="confirmed-list"] form').trigger('submit')
    await flushPromises()

    const posted = api.called('POST /api/projects/proj-1/confirmed-list')
    expect(posted[0]!.body).toEqual({
      entries: [
        { uscc: '91370215MA3BX6T2X4', amount_fen: 10_000_050 },
        { uscc: '91370215MA3BX6T2X4', amount_fen: 200_000 },
      ],
    })
    expect(rows()[1]!.find('[data-testid="list-uscc-error"]').text()).toBe('is listed twice')
    expect(rows()[0]!.find('[data-testid="list-amount-error"]').text()).toBe('is above the project cap')
    expect(rows()[0]!.find('[data-testid="list-uscc-error"]').exists()).toBe(false)
    expect(rows()[0]!.find('[data-testid="list-uscc"]').attributes('aria-invalid')).toBe('false')
    expect(rows()[1]!.find('[data-testid="list-uscc"]').attributes('aria-invalid')).toBe('true')

    refuse = false
    await rows()[1]!.find('[data-testid="list-uscc"]').setValue('91370212MA3EK9W53N')
    await wrapper.find('[data-testid="confirmed-list"] form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="list-done"]').text()).toBe('已确认 2 家企业，已列入“已批准”。')
    expect(rows()).toHaveLength(1)
    // the approved list is read again
    expect(api.called('GET /api/projects/proj-1/applications')).toHaveLength(2)
  })

  it('finds eligible enterprises district by district and adds them to the list with the fixed amount', async () => {
    const candidates = (district: string, items: object[], next: string | null) => ({
      body: { items, district, districts: ['370212', '370215'], next_cursor: next },
    })
    const api = signedInAs(SCIENCE_STAFF, {
      'GET /api/projects/proj-1': { body: project({}, { no_application: true }) },
      'GET /api/projects/proj-1/applications': listPage([]),
      'GET /api/projects/proj-1/candidates': (request: { url: string }) => {
        const query = new URL(request.url, 'http://x').searchParams
        if (query.get('district') === '370215') {
          return candidates('370215', [
            { uscc: '91370215MA3BX6T2X4', name: '青岛恒达精密机械有限公司', listed: false, amount_fen: 10_000_000 },
            { uscc: '91370215MA3BX6T2X5', name: '青岛已列企业有限公司', listed: true, amount_fen: 10_000_000 },
          ], null)
        }
        return query.get('cursor') ? candidates('370212', [], null) : candidates('370212', [], 'c1')
      },
    })
    const { wrapper } = await renderApp('/workbench/policy-projects/proj-1', { token: 'token-science' })
    const finder = wrapper.find('[data-testid="candidates"]')
    await finder.find('[data-testid="candidates-find"]').trigger('click')
    await flushPromises()
    expect(finder.find('[data-testid="candidates-none"]').text()).toContain('继续查找')  // nobody in this batch
    await finder.find('[data-testid="candidates-more"]').trigger('click')
    await flushPromises()
    expect(api.called('GET /api/projects/proj-1/candidates')).toHaveLength(2)

    await finder.find('[data-testid="candidates-district"]').setValue('370215')
    await flushPromises()
    const found = finder.findAll('[data-testid="candidate"]')
    expect(found.map((c) => c.attributes('data-uscc'))).toEqual(['91370215MA3BX6T2X4', '91370215MA3BX6T2X5'])
    expect(found[1]!.find('[data-testid="candidate-add"]').exists()).toBe(false)  // listed already
    await found[0]!.find('[data-testid="candidate-add"]').trigger('click')
    const row = wrapper.find('[data-testid="list-row"]')
    expect((row.find('[data-testid="list-uscc"]').element as HTMLInputElement).value).toBe('91370215MA3BX6T2X4')
    expect((row.find('[data-testid="list-amount"]').element as HTMLInputElement).value).toBe('100000')
    expect(found[0]!.find('[data-testid="candidate-add"]').attributes('disabled')).toBeDefined()
  })
})
