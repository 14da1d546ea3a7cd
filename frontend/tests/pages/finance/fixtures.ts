// Answers of the catalogue API as the pages read them (shapes from functions/finance/catalogue_schemas.py).

export function product(overrides: Record<string, unknown> = {}) {
  return {
    id: 'prod-qdccb-01',
    institution_id: 'bank-qdccb',
    institution_name_zh: '青岛银行',
    institution_name_en: 'Bank of Qingdao',
    name_zh: '青银科创贷',
    name_en: 'Qingyin Tech Innovation Loan',
    category: 'credit',
    guarantee: 'credit',
    amount_min_fen: 100_000_000,
    amount_max_fen: 3_000_000_000,
    term_min_months: 12,
    term_max_months: 36,
    annual_rate_min_bp: 295,
    annual_rate_max_bp: 395,
    channel: 'xinyidai',
    targets: ['tech', 'specialized'],
    districts: ['370202', '370212'],
    description_zh: '青岛银行为科技型中小企业打造的信用贷款。',
    ...overrides,
  }
}

export function productsAnswer(overrides: Record<string, unknown> = {}) {
  return {
    items: [
      product(),
      product({
        id: 'prod-qrcb-02',
        institution_id: 'bank-qrcb',
        institution_name_zh: '青岛农商银行',
        institution_name_en: 'Qingdao Rural Commercial Bank',
        name_zh: '金农贷',
        name_en: 'Golden Farm Loan',
        category: 'agricultural',
        channel: 'jinnongtong',
        amount_min_fen: 3_000_000,
        amount_max_fen: 300_000_000,
        term_min_months: 6,
        annual_rate_min_bp: 320,
        annual_rate_max_bp: 450,
        targets: ['agri'],
      }),
    ],
    total: 2,
    facets: {
      category: { credit: 67, agricultural: 48 },
      guarantee: { credit: 90, mortgage: 35 },
      channel: { xinyidai: 55, jinnongtong: 48 },
    },
    next_cursor: null,
    ...overrides,
  }
}

export function institutionAnswer(overrides: Record<string, unknown> = {}) {
  return {
    id: 'bank-qdccb',
    name_zh: '青岛银行',
    name_en: 'Bank of Qingdao',
    short_zh: '青岛银行',
    kind: 'city_commercial',
    district: '370212',
    hotline: '96588',
    branch_count: 3,
    branches_by_district: { '370202': 1, '370212': 2 },
    product_count: 1,
    categories: ['credit'],
    branches: [
      { id: 'bank-qdccb-b002', name_zh: '青岛银行香港中路支行', district: '370202', address_zh: '青岛市市南区香港中路8号', phone: '0532-81234567' },
      { id: 'bank-qdccb-b001', name_zh: '青岛银行营业部', district: '370212', address_zh: '青岛市崂山区海尔路1号', phone: '0532-87654321' },
      { id: 'bank-qdccb-b003', name_zh: '青岛银行株洲路支行', district: '370212', address_zh: '青岛市崂山区株洲路20号', phone: '0532-81112222' },
    ],
    products: [product()],
    ...overrides,
  }
}
