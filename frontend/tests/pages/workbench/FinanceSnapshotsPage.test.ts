import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import type { Schemas } from '@/api/client'

import { problem, signedInAs } from '../../support/api'
import { renderApp } from '../../support/app'
import { SUPERVISOR_ME } from '../../support/people'

type Run = Schemas['SnapshotRunOut']

const CITY_ADMIN = { sub: 'admin-city', role: 'admin', org_id: 'unit-city-admin', district: '370200', name: '赵敏' }
const LAOSHAN_ADMIN = { sub: 'admin-laoshan', role: 'admin', org_id: 'unit-laoshan-approval', district: '370212', name: '王强' }
const QUEUES = { queue: 'dev-credit-snapshots', dead_letter_queue: 'dev-credit-snapshots-dlq' }

function run(month: string, fields: Partial<Run> = {}): Run {
  return {
    month, as_of: `${month}-28T15:59:59Z`, started_at: `${month}-28T17:00:00Z`, last_started_at: null, starts: 1,
    chains: 198, chains_done: 198, written: 0, first: 0, unchanged: 0, pages: 0, failed_pages: 0, failures: [],
    completed_at: null, status: 'completed', ...fields,
  }
}

const COMPLETED = run('2026-10', {
  written: 1234, first: 34, unchanged: 1100, pages: 60, completed_at: '2026-10-31T17:10:00Z', started_at: '2026-10-31T17:00:00Z',
})
const FAILED = run('2026-11', {
  started_at: '2026-11-30T17:00:00Z', last_started_at: '2026-12-01T02:00:00Z', starts: 2, chains_done: 197, written: 900, first: 5,
  unchanged: 880, pages: 40, failed_pages: 1, completed_at: null, status: 'failed',
  failures: [{ district: '370212', segment: 3, page: 2, error: 'ProvisionedThroughputExceededException', at: '2026-11-30T17:05:00Z' }],
})
const RUNNING = run('2026-12', { chains_done: 12, written: 50, pages: 2, status: 'running', started_at: '2026-12-31T17:00:00Z' })

describe('credit snapshot runs page', () => {
  it('lists the runs newest first with status, progress and counts; a failed run shows its failures and the dead-letter queue', async () => {
    const api = signedInAs(SUPERVISOR_ME, { 'GET /api/finance/snapshots': { body: { items: [COMPLETED, RUNNING, FAILED], ...QUEUES } } })
    const { wrapper } = await renderApp('/workbench/finance/snapshots', { token: 'token-sup' })

    expect(wrapper.find('h1').text()).toBe('信用快照')
    expect(api.called('GET /api/finance/snapshots')).toHaveLength(1)
    const runs = wrapper.findAll('[data-testid="snapshot-run"]')
    expect(runs.map((r) => r.attributes('data-month'))).toEqual(['2026-12', '2026-11', '2026-10'])
    expect(runs.map((r) => r.find('[data-testid="snapshot-status"]').text())).toEqual(['进行中', '失败', '已完成'])

    const done = wrapper.find('[data-month="2026-10"]')
    expect(done.find('[data-testid="snapshot-progress"]').text()).toContain('198 / 198')
    expect(done.find('[data-testid="snapshot-written"]').text()).toContain('1,234')
    expect(done.find('[data-testid="snapshot-written"]').text()).toContain('其中首份 34，无变化 1,100')
    expect(done.text()).toContain('2026/11/01 01:10') // completed, on Qingdao's clock
    expect(done.find('[data-testid="snapshot-failures"]').exists()).toBe(false)
    expect(wrapper.find('[data-month="2026-12"]').text()).toContain('尚未完成')
    expect(wrapper.find('[data-month="2026-12"] progress').attributes('value')).toBe('12')

    const failed = wrapper.find('[data-month="2026-11"]')
    expect(failed.find('[data-testid="snapshot-progress"]').text()).toContain('197 / 198')
    expect(failed.text()).toContain('共开始 2 次')
    const dlq = failed.find('[data-testid="snapshot-dlq"]')
    expect(dlq.text()).toContain('死信队列 dev-credit-snapshots-dlq')
    expect(dlq.text()).toContain('1 页')
    const failures = failed.findAll('[data-testid="snapshot-failure"]')
    expect(failures).toHaveLength(1)
    expect(failures[0]!.find('[data-testid="failure-district"]').text()).toBe('崂山区')
    expect(failures[0]!.text()).toContain('第 3 段')
    expect(failures[0]!.text()).toContain('ProvisionedThroughputExceededException')
    expect(failures[0]!.text()).toContain('2026/12/01 01:05')
    expect(wrapper.find('[data-testid="snapshots-queues"]').text()).toContain('dev-credit-snapshots-dlq')

    // a supervisor reads, and cannot start a run
    expect(wrapper.find('[data-testid="snapshots-run-again"]').exists()).toBe(false)
    expect(wrapper.find('.workbench-nav').text()).toContain('信用快照')
  })

  it('says so when no run has been taken, in English too', async () => {
    signedInAs(SUPERVISOR_ME, { 'GET /api/finance/snapshots': { body: { items: [], ...QUEUES } } })
    const { wrapper } = await renderApp('/workbench/finance/snapshots', { token: 'token-sup', locale: 'en' })
    expect(wrapper.find('h1').text()).toBe('Credit snapshots')
    expect(wrapper.find('[data-testid="snapshots-empty"]').text()).toContain('No credit snapshots have been taken yet.')
    expect(wrapper.find('[data-testid="snapshots-table"]').exists()).toBe(false)
  })

  it("lets the city's admin take last month's snapshots again after confirming, shows the 202 answer and reloads", async () => {
    let items: Run[] = [COMPLETED]
    const api = signedInAs(CITY_ADMIN, {
      'GET /api/finance/snapshots': () => ({ body: { items, ...QUEUES } }),
      'POST /api/finance/snapshots/run': () => {
        items = [RUNNING, COMPLETED]
        return { status: 202, body: { month: '2026-12', again: true, messages: 198 } }
      },
    })
    const { wrapper } = await renderApp('/workbench/finance/snapshots', { token: 'token-admin' })

    const button = wrapper.find('[data-testid="snapshots-run-again"]')
    expect(button.text()).toBe('再次生成上月快照')
    await button.trigger('click')
    await flushPromises()
    expect(api.called('POST /api/finance/snapshots/run')).toHaveLength(0) // not before confirming
    expect(wrapper.find('[data-testid="snapshots-confirm"]').text()).toContain('已生成的快照不会改写')

    // cancelling sends nothing
    await wrapper.find('[data-testid="snapshots-run-cancel"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="snapshots-confirm"]').exists()).toBe(false)
    expect(api.called('POST /api/finance/snapshots/run')).toHaveLength(0)

    await wrapper.find('[data-testid="snapshots-run-again"]').trigger('click')
    await flushPromises()
    await wrapper.find('[data-testid="snapshots-run-confirm"]').trigger('click')
    await flushPromises()
    const posts = api.called('POST /api/finance/snapshots/run')
    expect(posts).toHaveLength(1)
    expect(posts[0]!.headers['Idempotency-Key']).toBeTruthy()
    const started = wrapper.find('[data-testid="snapshots-started"]')
    expect(started.attributes('role')).toBe('status')
    expect(started.text()).toContain('已再次开始生成 2026-12 的快照')
    expect(started.text()).toContain('198 条消息')
    expect(api.called('GET /api/finance/snapshots')).toHaveLength(2) // the list again
    expect(wrapper.findAll('[data-testid="snapshot-run"]').map((r) => r.attributes('data-month'))).toEqual(['2026-12', '2026-10'])
  })

  it('shows a refused start as a problem and keeps the confirm step', async () => {
    signedInAs(CITY_ADMIN, {
      'GET /api/finance/snapshots': { body: { items: [], ...QUEUES } },
      'POST /api/finance/snapshots/run': problem(403, 'forbidden', '只有市级管理员可以生成快照。'),
    })
    const { wrapper } = await renderApp('/workbench/finance/snapshots', { token: 'token-admin' })
    await wrapper.find('[data-testid="snapshots-run-again"]').trigger('click')
    await flushPromises()
    await wrapper.find('[data-testid="snapshots-run-confirm"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toContain('只有市级管理员可以生成快照。')
    expect(wrapper.find('[data-testid="snapshots-confirm"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="snapshots-started"]').exists()).toBe(false)
  })

  it("offers a district's admin neither the page's data nor its link", async () => {
    const api = signedInAs(LAOSHAN_ADMIN)
    const { wrapper } = await renderApp('/workbench/finance/snapshots', { token: 'token-admin' })
    expect(api.called('GET /api/finance/snapshots')).toHaveLength(0)
    expect(wrapper.find('[role="note"]').text()).toContain('信用快照覆盖全市')
    expect(wrapper.find('[data-testid="snapshots-run-again"]').exists()).toBe(false)
    expect(wrapper.find('.workbench-nav').text()).not.toContain('信用快照')
    expect(wrapper.find('.workbench-nav').text()).toContain('融资统计')
  })
})
