// Policy applications, public notices and objections as the API answers them, for the pages' tests.

/** Application `n` as a list shows it (ApplicationSummaryOut). */
export function application(n: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `app-${n}`,
    project_id: 'proj-1',
    project_title: '高新技术企业首次认定奖励',
    department_id: 'unit-science-tech',
    enterprise_uscc: `91370212MA3EK9W5${n}N`.slice(0, 18),
    enterprise_name: `蓝海软件 ${n}`,
    status: 'approved',
    stage_name: null,
    approved_fen: 20_000_000,
    paid_fen: 0,
    submitted_at: '2026-11-20T02:00:00Z',
    updated_at: '2026-11-21T02:00:00Z',
    ...overrides,
  }
}

/** A published project (ItemOut) as GET /api/projects/{id} answers it. */
export function project(overrides: Record<string, unknown> = {}, content: Record<string, unknown> = {}) {
  return {
    id: 'proj-1',
    kind: 'project',
    status: 'open',
    version: 1,
    published_at: '2026-11-01T00:00:00Z',
    content: { title: '高新技术企业首次认定奖励', department_id: 'unit-science-tech', no_application: false, ...content },
    related: [],
    ...overrides,
  }
}

export function entry(n: number, overrides: Record<string, unknown> = {}) {
  return {
    application_id: `app-${n}`,
    enterprise_uscc: `9137021200000000${n}X`.slice(0, 18),
    enterprise_name: `蓝海软件 ${n}`,
    amount_fen: 20_000_000,
    outcome: 'listed',
    ...overrides,
  }
}

/** A public notice (NoticeOut); open until 2099 unless told otherwise. */
export function notice(overrides: Record<string, unknown> = {}) {
  return {
    id: 'pn-20261120-aaaa1111',
    project_id: 'proj-1',
    project_title: '高新技术企业首次认定奖励',
    department_id: 'unit-science-tech',
    status: 'open',
    working_days: 5,
    opened_at: '2026-11-20T02:00:00Z',
    closes_at: '2099-11-27T10:00:00Z',
    closed_at: null,
    open_objections: 0,
    entries: [entry(1), entry(2, { amount_fen: 10_000_050 })],
    ...overrides,
  }
}

export function objection(n: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `obj-${n}`,
    notice_id: 'pn-20261120-aaaa1111',
    application_id: 'app-1',
    by_name: '王敏',
    phone: null,
    reason: '该企业高新技术企业证书已被撤销，请核实。',
    status: 'open',
    response: null,
    at: '2026-11-21T02:00:00Z',
    resolved_at: null,
    ...overrides,
  }
}
