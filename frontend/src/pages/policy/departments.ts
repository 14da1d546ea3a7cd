import { shallowRef } from 'vue'

import { api } from '@/api/client'
import { useUnits } from '@/composables/useUnits'
import { hasRole, WORKBENCH_ROLES } from '@/pages/workbench/roles'
import { useAuthStore } from '@/stores/auth'

import type { DocumentContent, Item } from './content'

/**
 * A department's name for its unit id. The units directory (GET /api/units) is for workbench roles
 * only; for everyone else the name is taken from the issuer printed on a related document the
 * department owns (its first issuer, where several issued it jointly), or else the id is shown.
 */
export function useDepartmentName() {
  const auth = useAuthStore()
  const units = useUnits({ immediate: false })
  if (hasRole(auth.role, WORKBENCH_ROLES)) void units.ensure()
  const issuers = shallowRef(new Map<string, string>())

  /** Read the related documents of `item` for the issuers of the departments they belong to. */
  async function learnFrom(item: Item): Promise<void> {
    const documents = item.related.filter((related) => related.kind === 'document')
    const answers = await Promise.allSettled(
      documents.map((document) => api.get('/api/policies/{item_id}', { path: { item_id: document.id } })),
    )
    const known = new Map(issuers.value)
    for (const answer of answers) {
      if (answer.status !== 'fulfilled') continue
      const content = answer.value.content as DocumentContent
      const issuer = content.issuer?.split(/\s+/)[0]
      if (content.department_id && issuer && !known.has(content.department_id)) known.set(content.department_id, issuer)
    }
    issuers.value = known
  }

  function departmentName(id: string | null | undefined): string {
    if (!id) return ''
    const name = units.unitName(id)
    return name !== id ? name : (issuers.value.get(id) ?? id)
  }

  return { departmentName, learnFrom }
}
