import { vi } from 'vitest'

/** One answer of the fake API: a status and a JSON body (problem+json when the status is an error). */
export type Reply = { status?: number; body?: unknown; contentType?: string }
export type Call = { method: string; url: string; path: string; headers: Record<string, string>; body: unknown }
type Handler = Reply | ((call: Call) => Reply)

/**
 * Replaces the global fetch with a fake API answering `"GET /api/path"` keys (path without the
 * query); anything else is a 404 problem. Returns the calls it saw.
 */
export function fakeApi(routes: Record<string, Handler>) {
  const calls: Call[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input)
    const path = url.split('?')[0]!
    const method = (init.method ?? 'GET').toUpperCase()
    const call: Call = {
      method,
      url,
      path,
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    }
    calls.push(call)
    const handler = routes[`${method} ${path}`]
    const reply = typeof handler === 'function' ? handler(call) : handler
    if (!reply) return problemResponse(404, 'not_found', `No resource at ${path}.`)
    const status = reply.status ?? 200
    const contentType = reply.contentType ?? (status >= 400 ? 'application/problem+json' : 'application/json')
    const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)
    return new Response(status === 204 ? null : text, { status, headers: { 'Content-Type': contentType } })
  })
  vi.stubGlobal('fetch', fetch)
  return { calls, fetch, called: (key: string) => calls.filter((c) => `${c.method} ${c.path}` === key) }
}

export function problem(status: number, code: string, detail: string, errors: { field: string; message: string }[] = []) {
  return { status, body: { type: 'about:blank', title: code, status, detail, code, errors } }
}

function problemResponse(status: number, code: string, detail: string): Response {
  return new Response(JSON.stringify(problem(status, code, detail).body), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  })
}

/** fakeApi for a signed-in caller: GET /api/auth/me answers `me`, the rest as `routes`. */
export function signedInAs(me: object, routes: Record<string, Handler> = {}) {
  return fakeApi({ 'GET /api/auth/me': { body: me }, ...routes })
}

/** One page of a cursor-paged list. */
export function listPage(items: unknown[], nextCursor: string | null = null): Reply {
  return { body: { items, next_cursor: nextCursor } }
}
