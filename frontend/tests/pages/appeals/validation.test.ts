import { describe, expect, it } from 'vitest'

import { actionBody, validateAction } from '@/pages/appeals/actions'
import { fileProblem, MAX_FILE_SIZE, validateSubmission, type SubmissionForm } from '@/pages/appeals/vocabulary'

const good: SubmissionForm = {
  category: 'help',
  title: '留抵退税迟迟未到账',
  content: '三个月前申请的留抵退税至今未到账。',
  district: '370202',
  anonymous: false,
  contactName: '王敏',
  contactPhone: '13800000000',
}

describe('submission form checks', () => {
  it('accepts a complete form', () => {
    expect(validateSubmission(good)).toEqual({})
  })

  it('names each field that is missing or out of bounds', () => {
    expect(
      validateSubmission({ ...good, category: '', title: 'x', content: '', district: '', contactName: ' ', contactPhone: 'abc' }),
    ).toEqual({
      category: 'categoryRequired',
      title: 'titleLength',
      content: 'contentLength',
      district: 'districtRequired',
      'contact.name': 'nameRequired',
      'contact.phone': 'phoneInvalid',
    })
    expect(validateSubmission({ ...good, title: 'x'.repeat(201) })).toEqual({ title: 'titleLength' })
  })

  it('needs no contact for an anonymous report, but does for an "anonymous" help request', () => {
    const anonymous = { ...good, anonymous: true, contactName: '', contactPhone: '' }
    expect(validateSubmission({ ...anonymous, category: 'report' })).toEqual({})
    expect(validateSubmission({ ...anonymous, category: 'business_environment_clue' })).toEqual({})
    expect(Object.keys(validateSubmission({ ...anonymous, category: 'help' }))).toEqual(['contact.name', 'contact.phone'])
  })

  it('refuses files the API would refuse: type and size', () => {
    expect(fileProblem({ name: '营业执照.pdf', type: 'application/pdf', size: 1000 })).toBeNull()
    expect(fileProblem({ name: 'photo.JPG', type: '', size: 1000 })).toBeNull()
    expect(fileProblem({ name: 'virus.exe', type: 'application/octet-stream', size: 1000 })).toBe('fileType')
    expect(fileProblem({ name: 'big.png', type: 'image/png', size: MAX_FILE_SIZE + 1 })).toBe('fileSize')
    expect(fileProblem({ name: 'empty.png', type: 'image/png', size: 0 })).toBe('fileSize')
  })
})

describe('action form checks', () => {
  it('requires a choice to confirm and every score to rate', () => {
    expect(validateAction('confirm', { satisfied: null, comment: '' })).toEqual({ satisfied: { key: 'choose' } })
    expect(validateAction('confirm', { satisfied: false, comment: '' })).toEqual({})
    expect(Object.keys(validateAction('rate', { speed: 5, attitude: null, outcome: 0, comment: '' }))).toEqual(['attitude', 'outcome'])
  })

  it('checks text lengths and the extension bounds', () => {
    expect(validateAction('return', { reason: '不是' })).toEqual({ reason: { key: 'length', min: 5, max: 1000 } })
    expect(validateAction('feedback', { text: '' })).toEqual({ text: { key: 'required' } })
    expect(validateAction('request-extension', { working_days: 16, reason: '需要现场核查' }).working_days?.key).toBe('between')
    expect(validateAction('request-extension', { working_days: 5, reason: '需要现场核查' })).toEqual({})
  })

  it('builds the bodies the API takes', () => {
    expect(actionBody('confirm', { satisfied: false, comment: '' })).toEqual({ satisfied: false, comment: null })
    expect(actionBody('rate', { speed: 5, attitude: 4, outcome: 3, comment: '很好' })).toEqual({ speed: 5, attitude: 4, outcome: 3, comment: '很好' })
    expect(actionBody('dispatch', { unit_id: 'unit-tax', co_unit_ids: 'unit-a, unit-b' })).toEqual({ unit_id: 'unit-tax', co_unit_ids: ['unit-a', 'unit-b'] })
    expect(actionBody('dispatch', { unit_id: 'unit-tax', co_unit_ids: ['unit-a', 'unit-b'] })).toEqual({ unit_id: 'unit-tax', co_unit_ids: ['unit-a', 'unit-b'] })
    expect(actionBody('dispatch', { unit_id: 'unit-tax', co_unit_ids: [] })).toEqual({ unit_id: 'unit-tax', co_unit_ids: [] })
    expect(validateAction('dispatch', { unit_id: '', co_unit_ids: [] })).toEqual({ unit_id: { key: 'choose' } })
    expect(actionBody('decide-extension', { approve: true })).toEqual({ approve: true })
  })
})
