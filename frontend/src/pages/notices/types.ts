import type { Schemas } from '@/api/client'

/** A public notice (公示) of policy awards, as GET /api/policy-notices/{id} answers it. */
export type PolicyNotice = Schemas['PolicyNoticeOut']
export type NoticeEntry = Schemas['PolicyNoticeEntryOut']
/** One objection to an award on a notice. */
export type Objection = Schemas['ObjectionOut']
