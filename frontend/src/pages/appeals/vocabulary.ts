import type { Schemas } from '@/api/client'
import { VOCABULARY } from '@/vocabulary'

export type Category = Schemas['SubmitIn']['category']

/** The kinds of appeal, in the order the form offers them (words: appeals.categories.<code>). */
export const CATEGORIES = VOCABULARY.appeals.categories as readonly Category[]
/** Reports and clues: may be anonymous, and the reporter's identity is sealed. */
export const CONFIDENTIAL_CATEGORIES = VOCABULARY.appeals.confidential_categories as readonly Category[]
export { DISTRICTS } from '@/vocabulary'

/** What POST /api/files accepts: each type and the endings its file's name may have. */
export const ALLOWED_TYPES: Record<string, readonly string[]> = VOCABULARY.files.types
export const MAX_FILE_SIZE = VOCABULARY.files.max_size
export const MAX_ATTACHMENTS = VOCABULARY.appeals.max_attachments
export const ACCEPT = Object.values(ALLOWED_TYPES).flat().join(',')
export const CONTACT_METHODS = VOCABULARY.appeals.contact_methods as readonly Schemas['ContactActionIn']['method'][]
export const MAX_EXTENSION_WORKING_DAYS = VOCABULARY.appeals.max_extension_working_days

/** The content type the API expects for a file, from its name's ending (browsers leave `type` empty for some). */
export function contentTypeOf(file: { name: string; type: string }): string | null {
  const name = file.name.toLowerCase()
  for (const [type, endings] of Object.entries(ALLOWED_TYPES)) {
    if (endings.some((ending) => name.endsWith(ending))) return type
  }
  return null
}

/** Why a file would be refused (a locale key), or null if the API would take it. */
export function fileProblem(file: { name: string; type: string; size: number }): 'fileType' | 'fileSize' | null {
  if (!contentTypeOf(file)) return 'fileType'
  if (file.size < 1 || file.size > MAX_FILE_SIZE) return 'fileSize'
  return null
}

export type SubmissionForm = {
  category: Category | ''
  title: string
  content: string
  district: string
  anonymous: boolean
  contactName: string
  contactPhone: string
}

/** The form's own checks (the API's limits, SubmitIn): field → locale key under appeals.validation. */
export function validateSubmission(form: SubmissionForm): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!form.category) errors.category = 'categoryRequired'
  const title = form.title.trim()
  if (title.length < 2 || title.length > 200) errors.title = 'titleLength'
  const content = form.content.trim()
  if (content.length < 2 || content.length > 5000) errors.content = 'contentLength'
  if (!form.district) errors.district = 'districtRequired'
  // Anonymous needs a report or clue; until a kind is chosen, the kind's own message is enough.
  const anonymous = form.anonymous && (form.category === '' || CONFIDENTIAL_CATEGORIES.includes(form.category))
  if (!anonymous) {
    const name = form.contactName.trim()
    if (name.length < 1 || name.length > 50) errors['contact.name'] = 'nameRequired'
    const phone = form.contactPhone.trim()
    if (!/^[0-9+\-\s()]{5,20}$/.test(phone)) errors['contact.phone'] = 'phoneInvalid'
  }
  return errors
}
