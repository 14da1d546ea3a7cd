import { describe, expect, it, vi } from 'vitest'

import { ApiClient, ApiProblem } from '@/api/client'

import { fakeApi, problem } from '../support/api'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function signedInClient(token: string | null = 'token-1') {
  const client = new ApiClient()
  const onUnauthorized = vi.fn()
  client.authorize({ token: () => token, onUnauthorized })
  return { client, onUnauthorized }
}

describe('ApiClient', () => {
  it('sends the bearer token and the query, and returns the JSON answer', async () => {
    const api = fakeApi({ 'GET /api/appeals': { body: { items: [], next_cursor: null } } })
    const { client } = signedInClient()

    const page = await client.get('/api/appeals', { query: { limit: 5, cursor: null } })

    expect(page).toEqual({ items: [], next_cursor: null })
    const [call] = api.calls
    expect(call!.url).toBe('/api/appeals?limit=5')
    expect(call!.headers.Authorization).toBe('Bearer token-1')
    expect(call!.headers['Idempotency-Key']).toBeUndefined()
  })

  it('sends no Authorization header when nobody is signed in', async () => {
    const api = fakeApi({ 'GET /api/health': { body: { status: 'ok', stage: 'test', version: 'dev' } } })
    const { client } = signedInClient(null)

    await client.get('/api/health')

    expect(api.calls[0]!.headers.Authorization).toBeUndefined()
  })

  it('puts path parameters in the path, encoded', async () => {
    const api = fakeApi({ 'GET /api/appeals/a%2Fb%20c': { body: { id: 'a/b c' } } })

    await new ApiClient().get('/api/appeals/{appeal_id}', { path: { appeal_id: 'a/b c' } })

    expect(api.calls[0]!.path).toBe('/api/appeals/a%2Fb%20c')
  })

  it('sends a POST body as JSON with a new Idempotency-Key each time', async () => {
    const api = fakeApi({ 'POST /api/auth/dev-login': { body: { access_token: 't', token_type: 'Bearer', expires_in: 3600 } } })
    const { client } = signedInClient(null)

    const grant = await client.post('/api/auth/dev-login', { body: { user_id: 'ent-zhengrixin' } })
    await client.post('/api/auth/dev-login', { body: { user_id: 'ent-zhengrixin' } })

    expect(grant.access_token).toBe('t')
    const [first, second] = api.calls
    expect(first!.headers['Content-Type']).toBe('application/json')
    expect(first!.body).toEqual({ user_id: 'ent-zhengrixin' })
    expect(first!.headers['Idempotency-Key']).toMatch(UUID)
    expect(second!.headers['Idempotency-Key']).toMatch(UUID)
    expect(second!.headers['Idempotency-Key']).not.toBe(first!.headers['Idempotency-Key'])
  })

  it('reuses the Idempotency-Key a retry names', async () => {
    const api = fakeApi({ 'POST /api/appeals/a1/accept': { body: { id: 'a1' } } })

    await new ApiClient().post('/api/appeals/{appeal_id}/accept', {
      path: { appeal_id: 'a1' },
      body: {},
      idempotencyKey: 'same-key-as-before',
    })

    expect(api.calls[0]!.headers['Idempotency-Key']).toBe('same-key-as-before')
  })

  it('turns a problem+json answer into an ApiProblem whose errors name the fields', async () => {
    fakeApi({
      'POST /api/appeals': problem(422, 'validation_failed', 'title: too short; contact.phone: too short', [
        { field: 'title', message: 'String should have at least 2 characters' },
        { field: 'contact.phone', message: 'String should have at least 5 characters' },
        { field: 'district', message: 'unknown division code' },
      ]),
    })
    const { client } = signedInClient()

    const failure = await client
      .post('/api/appeals', {
        body: {
          category: 'help',
          title: 'x',
          content: 'xx',
          district: '1',
          channel: 'web',
          contact: { name: 'a', phone: '1' },
          // The document lists these defaulted fields as required: its request schemas are generated in pydantic's serialization mode.
          received_at: null,
          enterprise_uscc: null,
          anonymous: false,
          subject_unit_id: null,
        },
      })
      .catch((error: unknown) => error)

    expect(failure).toBeInstanceOf(ApiProblem)
    const problemSeen = failure as ApiProblem
    expect(problemSeen.status).toBe(422)
    expect(problemSeen.code).toBe('validation_failed')
    expect(problemSeen.message).toBe('title: too short; contact.phone: too short')
    expect(problemSeen.messageFor('contact.phone')).toBe('String should have at least 5 characters')
    expect(problemSeen.messageFor('content')).toBeUndefined()
    expect(problemSeen.messagesExcept(['title', 'contact.phone'])).toEqual(['district: unknown division code'])
  })

  it('tells the token holder when the API refuses the token', async () => {
    fakeApi({ 'GET /api/auth/me': problem(401, 'unauthenticated', 'The token has expired.') })
    const { client, onUnauthorized } = signedInClient()

    await expect(client.get('/api/auth/me')).rejects.toMatchObject({ status: 401, code: 'unauthenticated' })
    expect(onUnauthorized).toHaveBeenCalledOnce()
  })

  it('makes an ApiProblem of an error answer that is not problem+json', async () => {
    fakeApi({ 'GET /api/health': { status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' } })

    const failure = await new ApiClient().get('/api/health').catch((error: unknown) => error)

    expect(failure).toBeInstanceOf(ApiProblem)
    expect(failure).toMatchObject({ status: 502, code: 'http_error', errors: [] })
  })

  it('makes an ApiProblem with status 0 when the platform cannot be reached', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')))

    await expect(new ApiClient().get('/api/health')).rejects.toMatchObject({ status: 0, code: 'network_error' })
  })

  it('lets an aborted request fail as an abort, not as a problem', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new DOMException('aborted', 'AbortError')))

    await expect(new ApiClient().get('/api/health')).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('answers undefined for an empty body', async () => {
    fakeApi({ 'POST /api/dev/jobs/sweep_clocks/run': { status: 204 } })

    await expect(new ApiClient().post('/api/dev/jobs/{name}/run', { path: { name: 'sweep_clocks' } })).resolves.toBeUndefined()
  })
})
