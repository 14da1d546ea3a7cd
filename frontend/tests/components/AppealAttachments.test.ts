import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { problem, signedInAs } from '../support/api'
import { renderApp } from '../support/app'
import { appeal } from '../support/appeals'
import { STAFF_ME } from '../support/people'

// AppealView's attachment list: what the appeal's `attachment_files` says, and a download button
// per file that asks GET /api/appeals/{id}/files/{file_id} for a fresh link and follows it.
const FILES = [
  { id: 'f1', ref: 'file:f1', name: '退税申请表.pdf', content_type: 'application/pdf', size: 12345 },
  {
    id: 'f2',
    ref: 'file:f2',
    name: '报表.xlsx',
    content_type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    size: 3 * 1024 * 1024,
  },
]
const LINK = 'https://qd-test-files.s3.amazonaws.com/uploads/91370202MA3C4R7K75/f1?X-Amz-Signature=abc'

function linkOf(fileId: string, name: string) {
  return {
    body: {
      id: fileId, ref: `file:${fileId}`, name, content_type: 'application/pdf', size: 12345, status: 'attached',
      created_at: '2026-11-20T02:00:00Z', download: { url: LINK, expires_in: 300 },
    },
  }
}

describe("an appeal's attachments", () => {
  afterEach(() => vi.restoreAllMocks())

  it('lists each file with its name, type and size, each with a button named for its file', async () => {
    signedInAs(STAFF_ME, { 'GET /api/appeals/a1': { body: appeal({ attachment_files: FILES }) } })
    const { wrapper } = await renderApp('/appeals/a1', { token: 'token-zl' })

    const list = wrapper.find('[data-testid="attachments"]')
    expect(wrapper.find(`#${list.attributes('aria-labelledby')}`).text()).toBe('附件')
    const items = list.findAll('li')
    expect(items.map((item) => item.find('.attachments__name').text())).toEqual(['退税申请表.pdf', '报表.xlsx'])
    expect(items.map((item) => item.find('.attachments__meta').text())).toEqual(['PDF · 12 KB', 'XLSX · 3.0 MB'])
    const buttons = list.findAll('[data-testid="attachment-download"]')
    // Native buttons: reachable with Tab, pressed with Enter or Space; the name says which file.
    expect(buttons.map((b) => [b.element.tagName, b.attributes('aria-label'), b.text()])).toEqual([
      ['BUTTON', '下载 退税申请表.pdf', '下载'],
      ['BUTTON', '下载 报表.xlsx', '下载'],
    ])
    expect(buttons.every((b) => b.attributes('disabled') === undefined && b.attributes('tabindex') !== '-1')).toBe(true)
  })

  it('speaks English too', async () => {
    signedInAs(STAFF_ME, { 'GET /api/appeals/a1': { body: appeal({ attachment_files: FILES.slice(0, 1) }) } })
    const { wrapper } = await renderApp('/appeals/a1', { token: 'token-zl', locale: 'en' })
    expect(wrapper.find('#appeal-attachments').text()).toBe('Attachments')
    expect(wrapper.find('[data-testid="attachment-download"]').attributes('aria-label')).toBe('Download 退税申请表.pdf')
  })

  it('asks for a fresh link through the appeal when pressed, and follows it', async () => {
    const api = signedInAs(STAFF_ME, {
      'GET /api/appeals/a1': { body: appeal({ attachment_files: FILES }) },
      'GET /api/appeals/a1/files/f1': linkOf('f1', '退税申请表.pdf'),
    })
    const followed: string[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      followed.push(this.href)
    })
    const { wrapper } = await renderApp('/appeals/a1', { token: 'token-zl' })
    expect(api.called('GET /api/appeals/a1/files/f1')).toHaveLength(0) // no link before it is wanted

    await wrapper.findAll('[data-testid="attachment-download"]')[0]!.trigger('click')
    await flushPromises()

    const [call] = api.called('GET /api/appeals/a1/files/f1')
    expect(call!.headers.Authorization).toBe('Bearer token-zl')
    expect(followed).toEqual([LINK])
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
  })

  it('says so next to the file when the link cannot be had', async () => {
    signedInAs(STAFF_ME, {
      'GET /api/appeals/a1': { body: appeal({ attachment_files: FILES }) },
      'GET /api/appeals/a1/files/f2': problem(404, 'not_found', 'No file f2.'),
    })
    const { wrapper } = await renderApp('/appeals/a1', { token: 'token-zl' })
    await wrapper.findAll('[data-testid="attachment-download"]')[1]!.trigger('click')
    await flushPromises()
    const items = wrapper.findAll('[data-testid="attachments"] li')
    expect(items[1]!.find('[role="alert"]').text()).toBe('暂时无法下载该附件，请稍后重试。')
    expect(items[0]!.find('[role="alert"]').exists()).toBe(false)
  })

  it('shows no list for an appeal without files', async () => {
    signedInAs(STAFF_ME, { 'GET /api/appeals/a1': { body: appeal({ attachment_files: [] }) } })
    const { wrapper } = await renderApp('/appeals/a1', { token: 'token-zl' })
    expect(wrapper.find('[data-testid="attachments"]').exists()).toBe(false)
  })
})
