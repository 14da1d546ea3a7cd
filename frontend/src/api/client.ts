/**
 * The one way pages talk to the API: typed by the OpenAPI document (schema.d.ts), JSON in and out,
 * the signed-in person's bearer token, an Idempotency-Key on every POST, and every failure turned
 * into an ApiProblem (RFC 9457), whose `errors` name the fields a form should mark.
 */
import type { components, paths } from './schema'

export type Schemas = components['schemas']
export type FieldProblem = { field: string; message: string }

type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch'
/** The document's paths that answer `method`. */
export type PathsFor<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends { [K in M]: infer Op } ? ([Op] extends [undefined] ? never : P) : never
}[keyof paths]
type OperationOf<P extends keyof paths, M extends HttpMethod> = paths[P] extends { [K in M]: infer Op } ? Op : never

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : undefined
type Success<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201 | 202 | 204>]> : never
type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? ([Q] extends [undefined] ? never : Q) : never
type PathParamsOf<Op> = Op extends { parameters: { path: infer P } } ? P : never
type BodyOf<Op> = Op extends { requestBody: { content: { 'application/json': infer B } } } ? B : never

type Common = {
  headers?: Record<string, string>
  signal?: AbortSignal
  /** A POST retried after a lost answer must reuse its key, so the API replays the first result. */
  idempotencyKey?: string
}
type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[]
type Query = Record<string, QueryValue>
/** What a call needs besides its path: its query, path parameters and body, each only where the route has one. */
export type RequestOptions<Op> = Common &
  ([QueryOf<Op>] extends [never] ? { query?: undefined } : { query?: QueryOf<Op> }) &
  ([PathParamsOf<Op>] extends [never] ? { path?: undefined } : { path: PathParamsOf<Op> }) &
  ([BodyOf<Op>] extends [never] ? { body?: undefined } : { body: BodyOf<Op> })
type Args<Op> = object extends RequestOptions<Op> ? [options?: RequestOptions<Op>] : [options: RequestOptions<Op>]

/** A failed call, as the API's problem+json describes it (or as close as a network failure gets). */
export class ApiProblem extends Error {
  readonly status: number
  readonly type: string
  readonly title: string
  readonly detail: string | undefined
  readonly code: string
  readonly instance: string | undefined
  readonly errors: FieldProblem[]

  constructor(problem: {
    status: number
    title: string
    code: string
    type?: string
    detail?: string
    instance?: string
    errors?: FieldProblem[]
  }) {
    super(problem.detail || problem.title)
    this.name = 'ApiProblem'
    this.status = problem.status
    this.type = problem.type ?? 'about:blank'
    this.title = problem.title
    this.detail = problem.detail
    this.code = problem.code
    this.instance = problem.instance
    this.errors = problem.errors ?? []
  }

  /** The API's message for one field (`contact.phone`, `attachments[0]`), for the form item that shows it. */
  messageFor(field: string): string | undefined {
    const messages = this.errors.filter((error) => error.field === field).map((error) => error.message)
    return messages.length ? messages.join('; ') : undefined
  }

  /** Messages for fields no form item names, to show above the form. */
  messagesExcept(fields: readonly string[]): string[] {
    return this.errors.filter((error) => !fields.includes(error.field)).map((e) => `${e.field}: ${e.message}`)
  }
}

export type ClientOptions = {
  /** Where /api lives; the page and the API share one origin, so normally ''. */
  baseUrl?: string
  /** Defaults to the global fetch, looked up at call time (so tests can stub it). */
  fetch?: typeof fetch
}
export type Authorization = {
  token: () => string | null
  /** The API refused the token (expired, revoked): the holder forgets it. */
  onUnauthorized: () => void
}

function isProblemBody(value: unknown): value is ConstructorParameters<typeof ApiProblem>[0] {
  return typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'number'
}

export class ApiClient {
  private authorization: Authorization | null = null

  constructor(private readonly options: ClientOptions = {}) {}

  /** Called once by the auth store: where the bearer token comes from. */
  authorize(authorization: Authorization | null): void {
    this.authorization = authorization
  }

  get<P extends PathsFor<'get'>>(path: P, ...[options]: Args<OperationOf<P, 'get'>>) {
    return this.request<Success<OperationOf<P, 'get'>>>('GET', path, options as RawOptions)
  }

  post<P extends PathsFor<'post'>>(path: P, ...[options]: Args<OperationOf<P, 'post'>>) {
    return this.request<Success<OperationOf<P, 'post'>>>('POST', path, options as RawOptions)
  }

  put<P extends PathsFor<'put'>>(path: P, ...[options]: Args<OperationOf<P, 'put'>>) {
    return this.request<Success<OperationOf<P, 'put'>>>('PUT', path, options as RawOptions)
  }

  /**
   * For a route the committed document does not have yet (another team is adding it): the caller
   * states the answer's type. Switch to get/post once `make api-types` has brought the route in.
   */
  async request<T>(method: string, path: string, options: RawOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' }
    const token = this.authorization?.token() ?? null
    if (token) headers.Authorization = `Bearer ${token}`
    let body: string | undefined
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(options.body)
    }
    if (method === 'POST') headers['Idempotency-Key'] = options.idempotencyKey ?? crypto.randomUUID()
    Object.assign(headers, options.headers)

    const url = (this.options.baseUrl ?? '') + buildPath(path, options.path) + buildQuery(options.query)
    const fetcher = this.options.fetch ?? globalThis.fetch
    let response: Response
    try {
      response = await fetcher(url, { method, headers, body, signal: options.signal })
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error
      throw new ApiProblem({ status: 0, code: 'network_error', title: 'The platform could not be reached' })
    }
    const payload = await readBody(response)
    if (response.ok) return payload as T
    if (response.status === 401 && token) this.authorization?.onUnauthorized()
    throw isProblemBody(payload)
      ? new ApiProblem({ ...payload, status: response.status })
      : new ApiProblem({ status: response.status, code: 'http_error', title: response.statusText || `HTTP ${response.status}` })
  }
}

export type RawOptions = Common & {
  query?: Query
  path?: Record<string, string | number>
  body?: unknown
}

function buildPath(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined || value === '') throw new Error(`path parameter ${name} of ${template} is missing`)
    return encodeURIComponent(String(value))
  })
}

function buildQuery(query: Query | undefined): string {
  if (!query) return ''
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item))
  }
  const text = search.toString()
  return text ? `?${text}` : ''
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text()
  if (!text) return undefined
  const type = response.headers.get('Content-Type') ?? ''
  if (!type.includes('json')) return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** The app's client; the auth store hands it the token (stores/auth.ts). */
export const api = new ApiClient()
