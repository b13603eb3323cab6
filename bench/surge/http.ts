/*
 * HTTP for the surge benchmark: one undici Pool to the app server (many keep-alive connections,
 * no pipelining), a cookie jar per signed-in citizen (the session cookie and XSRF-TOKEN, updated
 * from every answer as a browser would), and requests that classify what came back.
 */
import { Pool } from 'undici'
import type { Outcome } from './load.js'

/** Cookies of one browser: name → value, as last set by the server. */
export class CookieJar {
  values = new Map<string, string>()

  /** Takes the cookies of an answer's Set-Cookie headers (a cleared cookie is dropped). */
  take(setCookie: string | string[] | undefined) {
    if (!setCookie) return
    for (const line of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const pair = line.split(';', 1)[0]
      const eq = pair.indexOf('=')
      if (eq <= 0) continue
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const expired = /;\s*max-age=0\b/i.test(line) || /expires=thu, 01 jan 1970/i.test(line)
      if (value === '' || expired) this.values.delete(name)
      else this.values.set(name, value)
    }
  }

  header() {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  get(name: string) {
    return this.values.get(name)
  }
}

export function createPool(origin: string, connections: number) {
  return new Pool(origin, {
    connections,
    pipelining: 1,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
    keepAliveTimeout: 10_000,
  })
}

export interface Answer {
  status: number
  text: string
}

/** How long a request may take before it counts as an error (client side). */
export const REQUEST_TIMEOUT_MS = 10_000

/**
 * Sends one request (with the jar's cookies, if any) and reads the whole answer. A request not
 * answered within REQUEST_TIMEOUT_MS is abandoned and fails with code `TIMEOUT`.
 */
export async function send(
  pool: Pool,
  input: {
    method: 'GET' | 'POST'
    path: string
    jar?: CookieJar
    headers?: Record<string, string>
    body?: Buffer | string
  }
): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...input.headers }
  const cookie = input.jar?.header()
  if (cookie) headers.cookie = cookie
  const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
  try {
    const response = await pool.request({
      method: input.method,
      path: input.path,
      headers,
      body: input.body,
      signal,
    })
    input.jar?.take(response.headers['set-cookie'])
    const text = await response.body.text()
    return { status: response.statusCode, text }
  } catch (error) {
    if (signal.aborted) {
      throw Object.assign(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`), {
        code: `timeout > ${REQUEST_TIMEOUT_MS / 1000} s`,
      })
    }
    throw error
  }
}

/** Parses a JSON answer; null when it is not JSON. */
export function json(answer: Answer): any {
  try {
    return JSON.parse(answer.text)
  } catch {
    return null
  }
}

/** An unexpected answer as an Outcome: `HTTP 422 applications.duplicate`, with a sample. */
export function failure(answer: Answer, expected = 200): Outcome {
  const body = json(answer)
  const first = body?.errors?.[0]
  const code = first?.rule ?? first?.code ?? (answer.status === expected ? 'unexpected body' : '')
  return {
    ok: false,
    error: `HTTP ${answer.status}${code ? ` ${code}` : ''}`,
    detail: (first?.message ?? answer.text).slice(0, 200),
  }
}

/** A multipart/form-data body built once in memory (fields, then files). */
export function multipart(
  fields: Record<string, string>,
  files: { field: string; filename: string; contentType: string; bytes: Buffer }[]
) {
  const boundary = `----surge${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
      )
    )
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.contentType}\r\n\r\n`
      ),
      file.bytes,
      Buffer.from('\r\n')
    )
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` }
}
