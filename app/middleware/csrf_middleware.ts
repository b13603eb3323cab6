import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import encryption from '@adonisjs/core/services/encryption'
import { errors as shieldErrors } from '@adonisjs/shield'

/**
 * CSRF protection (docs/decisions/0006-csrf-and-json-api.md and
 * 0019-sessions-and-csrf-cookies.md). The rules are those @adonisjs/shield's CSRF guard applied
 * (and its token format, so its test client's `withCsrfToken()` works); what differs is the
 * cost: the token is made only when a page reads it, and the `XSRF-TOKEN` cookie is sent only
 * when the browser does not already hold a valid one, instead of being encrypted afresh into
 * every response.
 *
 * - A secret per session (`csrf-secret`); a token is `<salt>-<sha1(salt-secret)>` (base64url).
 * - Checked on POST, PUT, PATCH and DELETE, except requests that are not Inertia visits and
 *   either have a JSON body or use a real PUT, PATCH or DELETE (a cross-site page cannot send
 *   those without a CORS preflight, which this app never grants).
 * - The token comes from the `_csrf` field, the `X-CSRF-TOKEN` header, or the `X-XSRF-TOKEN`
 *   header, which Inertia fills from the `XSRF-TOKEN` cookie. That cookie holds a token (it was
 *   encrypted by shield's guard; such a value is still accepted in the header), is readable by
 *   scripts (that is its purpose), SameSite=Lax, and lasts for the browser session: a token is
 *   only good with the session's secret, and a new secret always comes with a new cookie.
 */
export default class CsrfMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    let secret = ctx.session.get(CSRF_SECRET_KEY)
    let created = false
    if (typeof secret !== 'string' || secret.length === 0) {
      secret = newCsrfSecret()
      ctx.session.put(CSRF_SECRET_KEY, secret)
      created = true
    }
    let token: string | undefined
    // Made only when read (Inertia pages pass it to forms; JSON answers never read it).
    Object.defineProperty(ctx.request, 'csrfToken', {
      configurable: true,
      enumerable: true,
      get: () => (token ??= createCsrfToken(secret)),
    })

    const held = ctx.request.plainCookie(XSRF_COOKIE, { encoded: false })
    if (created || !verifyCsrfToken(secret, held)) {
      ctx.response.plainCookie(XSRF_COOKIE, ctx.request.csrfToken, {
        encode: false,
        httpOnly: false,
        // A browser-session cookie: see above.
        maxAge: undefined,
        expires: undefined,
      })
    }

    if (CHECKED_METHODS.has(ctx.request.method()) && !csrfExempt(ctx)) {
      if (!verifyCsrfToken(secret, tokenOf(ctx))) throw new shieldErrors.E_BAD_CSRF_TOKEN()
    }
    return next()
  }
}

/** The session key of the secret (the one shield's guard and its test client plugin use). */
export const CSRF_SECRET_KEY = 'csrf-secret'

/** The cookie Inertia reads the token from (and sends back as X-XSRF-TOKEN). */
export const XSRF_COOKIE = 'XSRF-TOKEN'

const CHECKED_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * True for requests a cross-site page could not have sent without a CORS preflight: not an
 * Inertia visit, and a JSON body or a real PUT/PATCH/DELETE (method spoofing is off).
 */
export function csrfExempt(ctx: HttpContext) {
  return (
    !ctx.request.header('x-inertia') &&
    (ctx.request.is(['json']) === 'json' ||
      ['PUT', 'PATCH', 'DELETE'].includes(ctx.request.method()))
  )
}

/** The token a request sent: form field, X-CSRF-TOKEN, or X-XSRF-TOKEN (from the cookie). */
function tokenOf(ctx: HttpContext): string | null {
  const field = ctx.request.input('_csrf')
  if (typeof field === 'string' && field) return field
  const header = ctx.request.header('x-csrf-token')
  if (header) return header
  const xsrf = ctx.request.header('x-xsrf-token')
  if (!xsrf) return null
  // An XSRF-TOKEN cookie encrypted by shield's guard (browsers that still hold one).
  const decoded = safeDecode(xsrf)
  if (decoded.startsWith('e:')) {
    const token = encryption.decrypt(decoded.slice(2), XSRF_COOKIE)
    return typeof token === 'string' ? token : null
  }
  return decoded
}

function safeDecode(value: string) {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

function base64url(bytes: Buffer) {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function tokenHash(salt: string, secret: string) {
  return base64url(createHash('sha1').update(`${salt}-${secret}`, 'ascii').digest())
}

/** A new secret: 18 random bytes, base64url (the `csrf` package's format). */
export function newCsrfSecret() {
  return base64url(randomBytes(18))
}

const SALT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A token for a secret: `<salt>-<sha1(salt-secret)>`, base64url (the `csrf` package's format). */
export function createCsrfToken(secret: string) {
  // Eight alphanumeric characters: the salt ends at the first '-'.
  let salt = ''
  for (const byte of randomBytes(8)) salt += SALT_ALPHABET[byte % SALT_ALPHABET.length]
  return `${salt}-${tokenHash(salt, secret)}`
}

/** True when the token was made for this secret (constant-time comparison). */
export function verifyCsrfToken(secret: string, token: unknown): boolean {
  if (typeof token !== 'string' || token.length === 0 || token.length > 200) return false
  const index = token.indexOf('-')
  if (index <= 0) return false
  const expected = Buffer.from(
    `${token.slice(0, index)}-${tokenHash(token.slice(0, index), secret)}`
  )
  const given = Buffer.from(token)
  return expected.length === given.length && timingSafeEqual(expected, given)
}
