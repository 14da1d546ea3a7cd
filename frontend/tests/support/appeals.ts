// Appeals as the API answers them, for the pages' tests: override only what a test is about.

const iso = (time: string | number) => (typeof time === 'string' ? time : new Date(time).toISOString())

/** One deadline clock (DeadlineOut); times as ISO strings or epoch milliseconds. */
export function deadline(started: string | number, due: string | number, overrides: Record<string, unknown> = {}) {
  return {
    started: iso(started),
    due: iso(due),
    met_at: null,
    breached: false,
    provisional: false,
    ...overrides,
  }
}

/** Appeal `n` as a list shows it (AppealSummaryOut): ticket 370200-000000n, title ending in n. */
export function summary(n: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `a${n}`,
    ticket_no: `370200-${String(n).padStart(7, '0')}`,
    status: 'in_progress',
    category: 'help',
    title: `留抵退税迟迟未到账 ${n}`,
    district: '370202',
    channel: 'web',
    submitted_at: '2026-11-20T02:00:00Z',
    received_at: null,
    dispatched_at: '2026-11-20T02:00:01Z',
    assignee_unit: 'unit-tax',
    breached: false,
    duplicate_of: null,
    deadlines: { contact_by: deadline('2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z'), feedback_by: null, resolve_by: null },
    ...overrides,
  }
}

/** An appeal as GET /api/appeals/{id} answers it (AppealOut). */
export function appeal(overrides: Record<string, unknown> = {}) {
  const clock = (more = {}) => deadline('2026-11-20T02:00:00Z', '2099-12-11T09:00:00Z', more)
  return {
    id: 'a1',
    ticket_no: '370200-0000123',
    status: 'resolved',
    category: 'help',
    title: '留抵退税迟迟未到账',
    content: '三个月前申请的留抵退税至今未到账。',
    district: '370202',
    channel: 'web',
    channels: [],
    submitted_at: '2026-11-20T02:00:00Z',
    received_at: null,
    enterprise_uscc: '91370202MA3C4R7K75',
    contact: { name: '王敏', phone: '13800000000' },
    anonymous: false,
    confidential: false,
    assignee_unit: 'unit-tax',
    assignee_unit_name: '市南区税务局',
    co_units: [],
    deadlines: {
      contact_by: clock({ due: '2026-11-20T04:00:00Z', met_at: '2026-11-20T03:00:00Z' }),
      feedback_by: clock({ due: '2026-11-21T09:00:00Z', met_at: '2026-11-21T01:00:00Z' }),
      resolve_by: clock(),
    },
    confirm_by: null,
    breached: false,
    duplicate_of: null,
    merged_ids: [],
    pending_extension: null,
    feedback: '已联系主管税务所核实。',
    resolution: '退税款已于今日到账。',
    satisfied: null,
    closed_reason: null,
    rating: null,
    reopen_count: 0,
    return_count: 0,
    extension_count: 0,
    timeline: [
      { at: '2026-11-20T03:00:00Z', action: 'contact', text: '承办单位已电话联系企业', internal: false },
      { at: '2026-11-20T02:00:00Z', action: 'submit', text: '企业提交诉求', internal: false },
      { at: '2026-11-20T02:30:00Z', action: 'note', text: '内部备注：转交税源管理科', internal: true },
    ],
    available_actions: ['confirm'],
    ...overrides,
  }
}
