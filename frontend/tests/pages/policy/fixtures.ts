// Answers of the policy API as the pages read them (shapes from functions/policy/schemas.py).

export const BLUESEA_ME = {
  sub: 'ent-bluesea-soft',
  role: 'enterprise',
  org_id: '91370212MA3BLUE01X',
  district: '370212',
  name: '蓝海软件',
}

export function searchAnswer(overrides: Record<string, unknown> = {}) {
  return {
    items: [
      {
        id: 'proj-laoshan-high-tech-bonus-2026',
        kind: 'project',
        title: '崂山区2026年<mark>高新技术企业</mark>叠加奖励',
        highlights: ['对首次认定的<mark>高新技术企业</mark>再给予10万元叠加奖励。'],
        level: null,
        department: 'unit-science-tech',
        doc_number: null,
        status: 'open',
        topics: ['高新技术企业认定奖励'],
        closes_on: '2026-12-25',
        published_on: null,
      },
      {
        id: 'doc-qd-kj-2025-003',
        kind: 'document',
        title: '青岛市<mark>高新技术企业</mark>培育办法',
        highlights: [],
        level: 'municipal',
        department: 'unit-science-tech',
        doc_number: '青科规〔2025〕3号',
        status: 'effective',
        topics: ['高新技术企业认定奖励'],
        closes_on: null,
        published_on: '2025-03-01',
      },
    ],
    total: 2,
    mode: 'all',
    facets: {
      kind: { project: 1, document: 1 },
      level: { municipal: 1 },
      status: { open: 1, effective: 1 },
      topic: { 高新技术企业认定奖励: 2 },
      department: { 'unit-science-tech': 2 },
      district: {},
    },
    closing_within: { '7': 0, '30': 1 },
    next_cursor: null,
    ...overrides,
  }
}

export const PROJECT = {
  id: 'proj-laoshan-high-tech-bonus-2026',
  kind: 'project',
  status: 'open',
  version: 1,
  published_at: '2026-11-01T00:00:00Z',
  content: {
    title: '崂山区2026年高新技术企业叠加奖励',
    summary: '在市级奖励基础上，崂山区对首次认定的高新技术企业再给予10万元叠加奖励。',
    department_id: 'unit-science-tech',
    documents: ['doc-qd-kj-2025-003'],
    topics: ['高新技术企业认定奖励'],
    amount: { kind: 'fixed', amount_fen: 10000000 },
    window: { opens_on: '2026-11-15', closes_on: '2026-12-25' },
    no_application: false,
    review_stages: [{ name: '崂山区科技创新局初审', unit_id: 'unit-science-tech' }],
  },
  related: [{ id: 'doc-qd-kj-2025-003', kind: 'document', title: '青岛市高新技术企业培育办法', status: 'effective' }],
}

export const DOCUMENT = {
  id: 'doc-qd-kj-2025-003',
  kind: 'document',
  status: 'effective',
  version: 1,
  published_at: '2025-03-01T00:00:00Z',
  content: {
    level: 'municipal',
    issuer: '青岛市科学技术局 青岛市财政局',
    department_id: 'unit-science-tech',
    doc_number: '青科规〔2025〕3号',
    title: '青岛市高新技术企业培育办法',
    issued_on: '2025-03-01',
    effective_from: '2025-04-01',
    effective_to: null,
    topics: ['高新技术企业认定奖励'],
    body: '第一条 为培育高新技术企业，制定本办法。\n第二条 本办法自2025年4月1日起施行。',
  },
  related: [{ id: 'proj-laoshan-high-tech-bonus-2026', kind: 'project', title: '崂山区2026年高新技术企业叠加奖励', status: 'open' }],
}

export function condition(status: 'met' | 'failed' | 'missing_data', extra: Record<string, unknown> = {}) {
  return {
    path: `eligibility.all[${status}]`,
    field: 'certifications',
    op: 'contains',
    status,
    label: { zh: '企业须为有效期内的高新技术企业', en: 'The enterprise must hold a valid high-tech enterprise certificate' },
    actual: null,
    source: null,
    as_of: null,
    fix: null,
    ...extra,
  }
}

export function match(id: string, title: string, eligible: boolean | null, conditions: unknown[]) {
  return { project_id: id, title, department_id: 'unit-science-tech', closes_on: '2026-12-25', no_application: false, eligible, conditions }
}
