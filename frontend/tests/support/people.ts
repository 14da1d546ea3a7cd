// Who GET /api/auth/me says the demo people are.
export const ENTERPRISE_ME = {
  sub: 'ent-zhengrixin',
  role: 'enterprise',
  org_id: '91370202MA3C4R7K75',
  district: '370202',
  name: '王敏',
}

export const STAFF_ME = { sub: 'staff-tax', role: 'staff', org_id: 'unit-tax', district: '370200', name: '张磊' }
