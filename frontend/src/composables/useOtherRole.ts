import { computed, type ComputedRef } from 'vue'

import { useWordOr } from '@/i18n'
import { useAuthStore } from '@/stores/auth'

/** On an enterprise's own pages (my appeals, applications, demands, consents): the role of a signed-in
 * caller who is not an enterprise (null for an enterprise or nobody), and its word, for the note that
 * says the page is an enterprise's. */
export function useOtherRole(): { otherRole: ComputedRef<string | null>; otherRoleWord: ComputedRef<string> } {
  const auth = useAuthStore()
  const wordOr = useWordOr()
  const otherRole = computed(() => (auth.me && auth.me.role !== 'enterprise' ? auth.me.role : null))
  const otherRoleWord = computed(() => (otherRole.value ? wordOr(`roles.${otherRole.value}`, otherRole.value) : ''))
  return { otherRole, otherRoleWord }
}
