// Who GET /api/auth/me says the demo people are.
export const ENTERPRISE_ME = {
  sub: 'ent-zhengrixin',
  role: 'enterprise',
  org_id: '91370202MA3C4R7K75',
  district: '370202',
  name: '王敏',
}

export const STAFF_ME = { sub: 'staff-tax', role: 'staff', org_id: 'unit-tax', district: '370200', name: '张磊' }

export const SUPERVISOR_ME = { sub: 'sup-1', role: 'supervisor', org_id: 'unit-super', district: '370200', name: '孙伟' }

export const CUSTODIAN_ME = { sub: 'cust-1', role: 'custodian', org_id: 'unit-custody', district: '370200', name: '钱芳' }

// GET /api/units for a supervisor's choice of unit: one without an English name, one with.
export const SUPERVISED_UNITS = [
  { id: 'unit-super', name: '市督查室', name_en: null, district: '370200', level: 'city', roles: ['supervisor'] },
  { id: 'unit-tax', name: '市税务局', name_en: 'Qingdao Tax Bureau', district: '370200', level: 'city', roles: ['staff'] },
]
