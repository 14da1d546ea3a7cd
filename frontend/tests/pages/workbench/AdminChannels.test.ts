import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { fakeApi, problem } from '../../support/api'
import { renderApp } from '../../support/app'

const CITY_ADMIN = { sub: 'admin-city', role: 'admin', org_id: 'unit-admin', district: '370200', name: '赵强' }
const LAOSHAN_ADMIN = { ...CITY_ADMIN, sub: 'admin-laoshan', district: '370212' }

const hotline = {
  channel_id: 'demo-hotline_12345-370200', channel: 'hotline_12345', district: '370200',
  display_name: '12345政务服务便民热线', enabled: true, created_at: '2026-11-20T10:00:00+08:00', key_rotated_at: null,
}
const laoshan = {
  channel_id: 'demo-district_window-370212', channel: 'district_window', district: '370212',
  display_name: '崂山区政务服务大厅', enabled: false, created_at: '2026-11-20T10:00:00+08:00', key_rotated_at: null,
}
const OTHER_SECTIONS = { 'GET /api/calendar/notices': { body: [] }, 'GET /api/routing-rules': { body: [] } }

function channelsSection(wrapper: Awaited<ReturnType<typeof renderApp>>['wrapper']) {
  return wrapper.find('section[aria-labelledby="channels-title"]')
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('admin page: Open311 channels', () => {
  it('lists the channels with their state and the actions each allows', async () => {
    fakeApi({ 'GET /api/auth/me': { body: CITY_ADMIN }, 'GET /api/open311/channels': { body: [hotline, laoshan] }, ...OTHER_SECTIONS })
    const { wrapper } = await renderApp('/workbench/admin', { token: 't' })
    const section = channelsSection(wrapper)
    expect(section.find('h2').text()).toBe('Open311 接入渠道')
    const rows = section.findAll('[data-testid="channel"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.text()).toContain('12345政务服务便民热线')
    expect(rows[0]!.text()).toContain('12345热线')
    expect(rows[0]!.text()).toContain('启用')
    expect(rows[0]!.find('[data-testid="channel-disable"]').exists()).toBe(true)
    expect(rows[1]!.text()).toContain('崂山区')
    expect(rows[1]!.text()).toContain('已停用')
    expect(rows[1]!.find('[data-testid="channel-enable"]').exists()).toBe(true)
  })

  it('shows an empty state, and an error state that retries', async () => {
    let fail = true
    const api = fakeApi({
      'GET /api/auth/me': { body: CITY_ADMIN },
      'GET /api/open311/channels': () => (fail ? problem(500, 'internal_error', '内部错误') : { body: [] }),
      ...OTHER_SECTIONS,
    })
    const { wrapper } = await renderApp('/workbench/admin', { token: 't' })
    const section = channelsSection(wrapper)
    expect(section.find('[data-testid="channels"]').exists()).toBe(false)
    fail = false
    await section.findAll('button').find((b) => b.text().includes('重试'))!.trigger('click')
    await flushPromises()
    expect(api.called('GET /api/open311/channels')).toHaveLength(2)
    expect(channelsSection(wrapper).text()).toContain('尚未登记接入渠道。')
  })

  it('registers a channel and shows its key once, with a copy button and a warning', async () => {
    const writeText = vi.fn(async () => undefined)
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    let listed = [hotline]
    const created = { ...hotline, channel_id: 'och-0a1b2c3d4e5f', channel: 'department', district: '370212', display_name: '崂山区商务局' }
    const api = fakeApi({
      'GET /api/auth/me': { body: LAOSHAN_ADMIN },
      'GET /api/open311/channels': () => ({ body: listed }),
      'POST /api/open311/channels': () => {
        listed = [hotline, created]
        return { status: 201, body: { channel: created, api_key: 'the-new-secret-key' } }
      },
      ...OTHER_SECTIONS,
    })
    const { wrapper } = await renderApp('/workbench/admin', { token: 't' })
    // A district admin registers channels of its own district only.
    const districts = wrapper.findAll('#channel-district option').map((o) => o.attributes('value'))
    expect(districts.filter(Boolean)).toEqual(['370212'])

    await wrapper.find('#channel-name').setValue('崂山区商务局')
    await wrapper.find('#channel-kind').setValue('department')
    await wrapper.find('#channel-district').setValue('370212')
    await wrapper.find('[data-testid="channel-form"]').trigger('submit')
    await flushPromises()
    expect(api.called('POST /api/open311/channels')[0]!.body).toEqual({ channel: 'department', district: '370212', display_name: '崂山区商务局' })

    const dialog = wrapper.find('[data-testid="channel-key"]')
    expect(dialog.attributes('role')).toBe('alertdialog')
    expect((dialog.find('#channel-key-value').element as HTMLInputElement).value).toBe('the-new-secret-key')
    expect(dialog.text()).toContain('只显示这一次')
    await dialog.find('[data-testid="channel-key-copy"]').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith('the-new-secret-key')
    expect(wrapper.find('[data-testid="channel-key"]').text()).toContain('已复制到剪贴板。')
    expect(channelsSection(wrapper).findAll('[data-testid="channel"]')).toHaveLength(2)

    await wrapper.find('[data-testid="channel-key-close"]').trigger('click')
    expect(wrapper.find('[data-testid="channel-key"]').exists()).toBe(false)
    expect(wrapper.html()).not.toContain('the-new-secret-key')
  })

  it("puts the API's field errors next to their fields", async () => {
    fakeApi({
      'GET /api/auth/me': { body: CITY_ADMIN },
      'GET /api/open311/channels': { body: [] },
      'POST /api/open311/channels': problem(422, 'validation_failed', 'The request is not valid.', [
        { field: 'display_name', message: 'String should have at least 2 characters' },
        { field: 'district', message: '999999 is not a Qingdao division' },
      ]),
      ...OTHER_SECTIONS,
    })
    const { wrapper } = await renderApp('/workbench/admin', { token: 't' })
    await wrapper.find('#channel-name').setValue('x')
    await wrapper.find('[data-testid="channel-form"]').trigger('submit')
    await flushPromises()
    const nameField = wrapper.find('#channel-name').element.closest('.field')!
    expect(nameField.querySelector('.field__error')!.textContent).toContain('at least 2 characters')
    const districtField = wrapper.find('#channel-district').element.closest('.field')!
    expect(districtField.querySelector('.field__error')!.textContent).toContain('not a Qingdao division')
    expect(wrapper.find('[data-testid="channel-key"]').exists()).toBe(false)
  })

  it('disables, enables and rotates, showing the rotated key once', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true)
    let state = [hotline, laoshan]
    const api = fakeApi({
      'GET /api/auth/me': { body: CITY_ADMIN },
      'GET /api/open311/channels': () => ({ body: state }),
      [`POST /api/open311/channels/${hotline.channel_id}/disable`]: () => {
        state = [{ ...hotline, enabled: false }, laoshan]
        return { body: state[0] }
      },
      [`POST /api/open311/channels/${laoshan.channel_id}/enable`]: { body: { ...laoshan, enabled: true } },
      [`POST /api/open311/channels/${hotline.channel_id}/rotate-key`]: {
        body: { channel: { ...hotline, key_rotated_at: '2026-11-20T11:00:00+08:00' }, api_key: 'rotated-secret' },
      },
      ...OTHER_SECTIONS,
    })
    const { wrapper } = await renderApp('/workbench/admin', { token: 't' })
    let rows = channelsSection(wrapper).findAll('[data-testid="channel"]')
    await rows[0]!.find('[data-testid="channel-disable"]').trigger('click')
    await flushPromises()
    expect(api.called(`POST /api/open311/channels/${hotline.channel_id}/disable`)).toHaveLength(1)
    expect(wrapper.text()).toContain('已停用“12345政务服务便民热线”')
    rows = channelsSection(wrapper).findAll('[data-testid="channel"]')
    expect(rows[0]!.find('[data-testid="channel-enable"]').exists()).toBe(true)

    await rows[1]!.find('[data-testid="channel-enable"]').trigger('click')
    await flushPromises()
    expect(api.called(`POST /api/open311/channels/${laoshan.channel_id}/enable`)).toHaveLength(1)

    await rows[0]!.find('[data-testid="channel-rotate"]').trigger('click')
    await flushPromises()
    expect(window.confirm).toHaveBeenCalled()
    expect(api.called(`POST /api/open311/channels/${hotline.channel_id}/rotate-key`)).toHaveLength(1)
    expect((wrapper.find('#channel-key-value').element as HTMLInputElement).value).toBe('rotated-secret')
  })

  it('says why an action was refused', async () => {
    fakeApi({
      'GET /api/auth/me': { body: CITY_ADMIN },
      'GET /api/open311/channels': { body: [hotline] },
      [`POST /api/open311/channels/${hotline.channel_id}/disable`]: problem(404, 'not_found', 'No Open311 channel.'),
      ...OTHER_SECTIONS,
    })
    const { wrapper } = await renderApp('/workbench/admin', { token: 't' })
    await wrapper.find('[data-testid="channel-disable"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="channel-action-problem"]').text()).toContain('No Open311 channel.')
  })

  it('is in English too', async () => {
    fakeApi({ 'GET /api/auth/me': { body: CITY_ADMIN }, 'GET /api/open311/channels': { body: [hotline] }, ...OTHER_SECTIONS })
    const { wrapper } = await renderApp('/workbench/admin', { token: 't', locale: 'en' })
    const section = channelsSection(wrapper)
    expect(section.find('h2').text()).toBe('Open311 channels')
    expect(section.text()).toContain('Rotate key')
  })
})
