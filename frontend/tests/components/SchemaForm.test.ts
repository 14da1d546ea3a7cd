import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'

import { ApiProblem } from '@/api/client'
import SchemaForm from '@/components/policy/SchemaForm.vue'
import {
  answersOf,
  answerText,
  checkField,
  fieldsOf,
  formProblems,
  initialValues,
  validateForm,
  type FormValues,
} from '@/components/policy/schemaForm'
import { createAppI18n } from '@/i18n'

import { FORM_SCHEMA } from '../pages/applications/fixtures'

describe('schemaForm: a JSON Schema as form fields', () => {
  it('draws each kind of property, in order, with its title, help and whether it is required', () => {
    const fields = fieldsOf({
      ...FORM_SCHEMA,
      properties: {
        ...FORM_SCHEMA.properties,
        description: { type: 'string', title: '项目简介', maxLength: 1000 },
        energy_saved: { type: 'number', title: '年节能量（吨标准煤）', minimum: 0, maximum: 1e6 },
        items: { type: 'array', items: { type: 'string' } },
      },
    })
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['contact', 'text', true],
      ['phone', 'text', true],
      ['cert_date', 'date', true],
      ['rd_expense', 'integer', true],
      ['scale', 'select', false],
      ['first_time', 'boolean', false],
      ['description', 'textarea', false],
      ['energy_saved', 'number', false],
    ])
    expect(fields[1]).toMatchObject({ label: '联系电话', description: '手机或固定电话', pattern: FORM_SCHEMA.properties.phone.pattern })
    expect(fields[3]).toMatchObject({ label: '上年度研发投入金额（元）', minimum: 0 })
    expect(fields[4]!.options).toEqual(['小型', '中型'])
    expect(fields[7]).toMatchObject({ minimum: 0, maximum: 1e6 })
    expect(fieldsOf(null)).toEqual([])
    expect(fieldsOf({ type: 'object', properties: { x: { type: 'string' } } })[0]!.label).toBe('x')
  })

  it('checks as the server will: required, pattern, lengths, dates, integers, bounds, options', () => {
    const fields = fieldsOf(FORM_SCHEMA)
    const byName = Object.fromEntries(fields.map((f) => [f.name, f]))
    expect(validateForm(fields, initialValues(fields))).toEqual({
      contact: { key: 'required' },
      phone: { key: 'required' },
      cert_date: { key: 'required' },
      rd_expense: { key: 'required' },
    })
    expect(checkField(byName.contact!, '李'.repeat(21))).toEqual({ key: 'maxLength', params: { max: 20 } })
    expect(checkField(byName.phone!, '12345')).toEqual({ key: 'pattern' })
    expect(checkField(byName.phone!, '13912345678')).toBeNull()
    expect(checkField(byName.phone!, '0532-88886666')).toBeNull()
    expect(checkField(byName.cert_date!, '2026-13-01')).toEqual({ key: 'date' })
    expect(checkField(byName.cert_date!, '2026-02-29')).toEqual({ key: 'date' })
    expect(checkField(byName.cert_date!, '2028-02-29')).toBeNull()
    expect(checkField(byName.rd_expense!, '-1')).toEqual({ key: 'minimum', params: { min: 0 } })
    expect(checkField(byName.rd_expense!, '1.5')).toEqual({ key: 'integer' })
    expect(checkField(byName.rd_expense!, '12万')).toEqual({ key: 'integer' })
    expect(checkField(byName.scale!, '大型')).toEqual({ key: 'enum' })
    expect(checkField(byName.scale!, null)).toBeNull() // optional
    expect(checkField(byName.first_time!, false)).toBeNull()
  })

  it('builds the form the API takes: typed answers, empty optional fields left out', () => {
    const fields = fieldsOf(FORM_SCHEMA)
    const values: FormValues = { contact: ' 李娜 ', phone: '13912345678', cert_date: '2026-10-28', rd_expense: '3200000', scale: '', first_time: true }
    expect(answersOf(fields, values)).toEqual({ contact: '李娜', phone: '13912345678', cert_date: '2026-10-28', rd_expense: 3200000, first_time: true })
    // A resubmission starts from the answers given.
    expect(initialValues(fields, { contact: '李娜', rd_expense: 3200000, first_time: true })).toEqual({
      contact: '李娜', phone: '', cert_date: null, rd_expense: '3200000', scale: null, first_time: true,
    })
  })

  it("maps the API's 422 `form.<field>` errors to their fields, the rest above the form", () => {
    const fields = fieldsOf(FORM_SCHEMA)
    const problem = new ApiProblem({
      status: 422, code: 'validation_failed', title: 'Invalid',
      errors: [
        { field: 'form.phone', message: '联系电话: is not in the expected format' },
        { field: 'form.cert_date', message: '认定日期: is not in the expected format' },
        { field: 'form.extra', message: 'is not a field of this form' },
        { field: 'attachments[0]', message: 'is not your upload' },
      ],
    })
    expect(formProblems(problem, fields)).toEqual({
      byField: { phone: '联系电话: is not in the expected format', cert_date: '认定日期: is not in the expected format' },
      others: ['form.extra: is not a field of this form', 'attachments[0]: is not your upload'],
    })
    expect(formProblems(null, fields)).toEqual({ byField: {}, others: [] })
  })

  it('reads answers back as text', () => {
    const words = { yes: '是', no: '否', none: '未填写' }
    const [, , , rd, , first] = fieldsOf(FORM_SCHEMA)
    expect(answerText(rd, 3200000, words)).toBe('3,200,000')
    expect(answerText(first, true, words)).toBe('是')
    expect(answerText(undefined, '', words)).toBe('未填写')
  })
})

describe('SchemaForm', () => {
  function render(serverErrors: Record<string, string> = {}, checked = false) {
    const values = ref<FormValues>(initialValues(fieldsOf(FORM_SCHEMA)))
    const Host = defineComponent(() => () =>
      h(SchemaForm, {
        fields: fieldsOf(FORM_SCHEMA),
        idPrefix: 't',
        checked,
        serverErrors,
        modelValue: values.value,
        'onUpdate:modelValue': (v: FormValues) => (values.value = v),
      }),
    )
    const wrapper = mount(Host, { global: { plugins: [createAppI18n('zh-CN')] }, attachTo: document.body })
    return { wrapper, values }
  }

  it('labels every input, marks the required ones and describes them with their help', async () => {
    const { wrapper, values } = render()
    await flushPromises()
    expect(wrapper.find('label[for="t-contact"]').text()).toContain('联系人')
    expect(wrapper.find('label[for="t-contact"]').text()).toContain('必填')
    expect(wrapper.find('label[for="t-scale"]').text()).not.toContain('必填')
    expect(wrapper.find('input#t-contact').exists()).toBe(true)
    expect(wrapper.find('input#t-phone').attributes('aria-describedby')).toBe('t-phone-help')
    expect(wrapper.find('#t-phone-help').text()).toBe('手机或固定电话')
    expect(wrapper.find('input#t-cert_date').exists()).toBe(true) // the date picker's input
    expect(wrapper.find('input#t-rd_expense').attributes('inputmode')).toBe('numeric')
    expect(wrapper.findComponent({ name: 'ElSelect' }).exists()).toBe(true)

    await wrapper.find('input#t-contact').setValue('李娜')
    await wrapper.find('input#t-first_time').setValue(true)
    expect(values.value).toMatchObject({ contact: '李娜', first_time: true })
  })

  it("shows its own checks once tried, and the API's messages beside their fields", async () => {
    const checked = render({}, true)
    await flushPromises()
    expect(checked.wrapper.find('[data-testid="error-contact"]').text()).toBe('此项必填')
    expect(checked.wrapper.find('input#t-contact').attributes('aria-invalid')).toBe('true')
    checked.wrapper.unmount()

    const server = render({ phone: '联系电话: is not in the expected format' })
    await flushPromises()
    expect(server.wrapper.find('[data-testid="error-phone"]').text()).toBe('联系电话: is not in the expected format')
    expect(server.wrapper.find('input#t-phone').attributes('aria-describedby')).toBe('t-phone-help t-phone-error')
    expect(server.wrapper.find('[data-testid="error-contact"]').exists()).toBe(false)
  })
})
