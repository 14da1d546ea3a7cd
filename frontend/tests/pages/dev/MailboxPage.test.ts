import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'

import { fakeApi, problem } from '../../support/api'
import { renderApp } from '../../support/app'

const DISPATCHED = {
  recipient: 'org:unit-tax',
  topic: 'appeal.dispatched',
  subject: '青诉即办 · 370200-0000001',
  text: '【青诉即办】诉求 370200-0000001「留抵退税迟迟未到账」已分派至贵单位，请在2小时内联系企业。',
  payload: { appeal_id: 'a1', ticket_no: '370200-0000001' },
  message_id: 'm1',
  at: '2026-11-20T10:00:00+08:00',
}
const WARNED = { ...DISPATCHED, topic: 'appeal.clock_warning', subject: 'warn', text: '即将超时', message_id: 'm2',
  at: '2026-11-20T11:36:00+08:00' }
const PEOPLE = [{ user_id: 'staff-tax', role: 'staff', org_id: 'unit-tax', display_name: '刘强', district: '370200',
  client_id: null, client_secret: null }]

describe('local mailbox page', () => {
  it("shows a recipient's notices newest first, in the words an SMS carries, with a link to the appeal", async () => {
    const api = fakeApi({ 'GET /api/dev/mailbox': { body: [DISPATCHED, WARNED] }, 'GET /api/auth/dev-users': { body: PEOPLE } })

    const { wrapper } = await renderApp('/dev/mailbox?recipient=org:unit-tax')
    await flushPromises()

    expect(api.called('GET /api/dev/mailbox')[0]!.url).toContain('recipient=org%3Aunit-tax')
    const notices = wrapper.findAll('[data-testid=mailbox-notices] li')
    expect(notices.map((n) => n.find('code').text())).toEqual(['appeal.clock_warning', 'appeal.dispatched'])
    expect(notices[1]!.text()).toContain('已分派至贵单位')
    expect(notices[1]!.find('a').attributes('href')).toBe('/appeals/a1')
    const addresses = wrapper.findAll('#mailbox-addresses option').map((o) => o.attributes('value'))
    expect(addresses).toEqual(['org:unit-tax', 'user:staff-tax'])
  })

  it('asks again for a typed recipient, says when there is nothing, and shows a refusal', async () => {
    const api = fakeApi({
      'GET /api/dev/mailbox': (call) =>
        call.url.includes('nobody') ? { body: [] } : problem(422, 'validation_failed', 'recipient is too long'),
      'GET /api/auth/dev-users': { body: [] },
    })

    const { wrapper } = await renderApp('/dev/mailbox?recipient=org:nobody')
    await flushPromises()
    expect(wrapper.text()).toContain('这个收件人还没有收到通知。')

    await wrapper.find('#mailbox-recipient').setValue('x'.repeat(200))
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(api.called('GET /api/dev/mailbox')).toHaveLength(2)
    expect(wrapper.find('[role=alert]').text()).toContain('recipient is too long')
  })
})
