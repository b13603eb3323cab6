import type { HttpContext } from '@adonisjs/core/http'
import type { CookieOptions } from '@adonisjs/core/types/http'
import type { SessionData, SessionStoreContract } from '@adonisjs/session/types'

/**
 * How long a session cookie the browser holds stays good enough: a request whose session did not
 * change re-sends it (moving its expiry on) only when it was written longer ago than this.
 */
export const SESSION_COOKIE_REFRESH_MS = 60_000

/** What the encrypted cookie holds: the session values and when they were written. */
interface Envelope {
  v: 2
  /** Written at, ms since the epoch. */
  t: number
  d: SessionData
}

function isEnvelope(value: unknown): value is Envelope {
  return (
    !!value &&
    typeof value === 'object' &&
    (value as Envelope).v === 2 &&
    typeof (value as Envelope).t === 'number' &&
    !!(value as Envelope).d &&
    typeof (value as Envelope).d === 'object'
  )
}

/**
 * The session in an encrypted cookie (AES-256-GCM with the APP_KEY, as the cookie store of
 * @adonisjs/session), without re-encrypting an unchanged session on every response
 * (docs/decisions/0019-sessions-and-csrf-cookies.md).
 *
 * The stock cookie store's `touch()` decrypts the cookie a second time and encrypts it again on
 * every request, only to move the cookie's expiry on. This store remembers what it read and when
 * that was written (the envelope's `t`), and re-sends an unchanged session only when it is older
 * than SESSION_COOKIE_REFRESH_MS, so the idle timeout (`age` in config/session.ts) still slides,
 * to within that minute. Changed sessions are written at once, as before. A cookie written by the
 * stock store (the values without an envelope) is read as it is and rewritten at the next touch.
 *
 * The session id cookie (signed, the same lifetime) goes with the data cookie: Session#commit()
 * sets it and then always writes, touches or destroys through the store, so the store holds it back
 * and sends it when it sends the data cookie (or clears it), and drops it when a fresh, unchanged
 * session is left as it is. Both cookies so always have the same expiry.
 */
export class CookieSessionStore implements SessionStoreContract {
  #read: { sessionId: string; writtenAt: number } | null = null
  /** The session id cookie Session#commit() set, not sent yet. */
  #heldIdCookie: (() => void) | null = null

  constructor(
    protected config: Partial<CookieOptions>,
    protected ctx: HttpContext,
    protected refreshAfterMs = SESSION_COOKIE_REFRESH_MS,
    /** The session id cookie's name, to hold it back (see above); none: sent as usual. */
    idCookieName?: string
  ) {
    if (idCookieName) {
      const response = ctx.response
      const cookie = response.cookie
      response.cookie = (key: string, value: any, options?: Partial<CookieOptions>) => {
        if (key !== idCookieName) return cookie.call(response, key, value, options)
        this.#heldIdCookie = () => cookie.call(response, key, value, options)
        return response
      }
    }
  }

  /** Sends the held session id cookie (with the data cookie). */
  #sendIdCookie() {
    const send = this.#heldIdCookie
    this.#heldIdCookie = null
    send?.()
  }

  read(sessionId: string): SessionData | null {
    const value = this.ctx.request.encryptedCookie(sessionId)
    if (!value || typeof value !== 'object') return null
    if (isEnvelope(value)) {
      this.#read = { sessionId, writtenAt: value.t }
      return value.d
    }
    // Written before envelopes: the values themselves; rewritten at the next touch.
    this.#read = { sessionId, writtenAt: 0 }
    return value as SessionData
  }

  write(sessionId: string, values: SessionData) {
    const envelope: Envelope = { v: 2, t: Date.now(), d: values }
    this.ctx.response.encryptedCookie(sessionId, envelope, this.config)
    this.#read = { sessionId, writtenAt: envelope.t }
    this.#sendIdCookie()
  }

  destroy(sessionId: string) {
    if (this.ctx.request.cookiesList()[sessionId]) this.ctx.response.clearCookie(sessionId)
    if (this.#read?.sessionId === sessionId) this.#read = null
    this.#sendIdCookie()
  }

  touch(sessionId: string) {
    const known = this.#read?.sessionId === sessionId ? this.#read : null
    const age = known ? Date.now() - known.writtenAt : Number.POSITIVE_INFINITY
    // (A cookie written "in the future" by a server with a fast clock is refreshed.)
    if (age >= 0 && age < this.refreshAfterMs) {
      // Both cookies the browser holds are still good for longer than the refresh interval.
      this.#heldIdCookie = null
      return
    }
    const values = this.read(sessionId)
    if (values) this.write(sessionId, values)
  }
}
