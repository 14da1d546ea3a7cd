import { api } from '@/api/client'
import { useDepartmentName } from '@/pages/policy/departments'

type Noticed = { department_id: string; project_id: string }

/**
 * Department names for notices. Workbench roles have the units directory; anyone else learns a
 * department's name from a document of one of its projects (useDepartmentName), read once per
 * department; until then, or when nothing says, the unit id is shown.
 */
export function useNoticeDepartments() {
  const { departmentName, learnFrom } = useDepartmentName()
  const tried = new Set<string>()

  async function learn(notices: readonly Noticed[]): Promise<void> {
    const pending = notices.filter((notice) => {
      if (tried.has(notice.department_id) || departmentName(notice.department_id) !== notice.department_id) return false
      tried.add(notice.department_id)
      return true
    })
    await Promise.allSettled(
      pending.map(async (notice) => learnFrom(await api.get('/api/projects/{item_id}', { path: { item_id: notice.project_id } }))),
    )
  }

  return { departmentName, learn }
}
