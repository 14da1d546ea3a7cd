/**
 * The Idempotency-Key for a form's POST: the same body sent again (a retry after a lost answer) reuses
 * its key, so the API replays the first result; a changed body gets a new key.
 */
export function useIdempotencyKey(): (body: unknown) => string {
  let lastBody = ''
  let key = ''
  return (body) => {
    const text = JSON.stringify(body)
    if (text !== lastBody) {
      lastBody = text
      key = crypto.randomUUID()
    }
    return key
  }
}
