/*
 * The encrypted cookie session store (app/services/cookie_session_store.ts): sessions round-trip,
 * a changed session is written at once, an unchanged one is re-sent only when its cookie is older
 * than the refresh interval (so the idle timeout still slides), and cookies of the stock store
 * still work.
 */
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { test } from '@japa/runner'
import encryption from '@adonisjs/core/services/encryption'
import { HttpContextFactory, RequestFactory, ResponseFactory } from '@adonisjs/core/factories/http'
import { CookieSessionStore, SESSION_COOKIE_REFRESH_MS } from '#services/cookie_session_store'

const OPTIONS = { path: '/', httpOnly: true, sameSite: 'lax' as const, maxAge: 7200 }

/** A request context whose browser sends `cookie` (a Cookie header). */
function contextWith(cookie?: string) {
  const req = new IncomingMessage(new Socket())
  if (cookie) req.headers.cookie = cookie
  const res = new ServerResponse(req)
  // The app's own encryption (its APP_KEY), for both sides.
  const keys = encryption as any
  const request = new RequestFactory().merge({ req, res, encryption: keys }).create()
  const response = new ResponseFactory().merge({ req, res, encryption: keys, request }).create()
  return new HttpContextFactory().merge({ request, response }).create()
}

/** The cookies a response sets, as `name=value` pairs for the next request's Cookie header. */
function sentCookies(ctx: ReturnType<typeof contextWith>) {
  const header = ctx.response.getHeader('set-cookie')
  const lines = header === undefined ? [] : ([] as string[]).concat(header as string[])
  return lines.map((line) => line.split(';')[0])
}

test.group('cookie session store', () => {
  test('a session written is read back by the next request', ({ assert }) => {
    const first = contextWith()
    new CookieSessionStore(OPTIONS, first).write('sid', { 'auth_web': 'u1', 'csrf-secret': 's' })
    const sent = sentCookies(first)
    assert.lengthOf(sent, 1)
    const next = contextWith(sent[0])
    assert.deepEqual(new CookieSessionStore(OPTIONS, next).read('sid'), {
      'auth_web': 'u1',
      'csrf-secret': 's',
    })
  })

  test('an unchanged session is not re-sent while its cookie is fresh, and is once it is older', ({
    assert,
  }) => {
    const first = contextWith()
    new CookieSessionStore(OPTIONS, first).write('sid', { auth_web: 'u1' })
    const fresh = contextWith(sentCookies(first)[0])
    const store = new CookieSessionStore(OPTIONS, fresh)
    store.read('sid')
    store.touch('sid')
    assert.deepEqual(sentCookies(fresh), [], 'nothing re-encrypted for a fresh cookie')

    // A cookie written longer ago than the refresh interval.
    const old = contextWith()
    old.response.encryptedCookie(
      'sid',
      { v: 2, t: Date.now() - SESSION_COOKIE_REFRESH_MS - 1000, d: { auth_web: 'u1' } },
      OPTIONS
    )
    const stale = contextWith(sentCookies(old)[0])
    const staleStore = new CookieSessionStore(OPTIONS, stale)
    staleStore.read('sid')
    staleStore.touch('sid')
    const refreshed = sentCookies(stale)
    assert.lengthOf(refreshed, 1, 're-sent, so the browser keeps it for another `age`')
    const again = new CookieSessionStore(OPTIONS, contextWith(refreshed[0]))
    assert.deepEqual(again.read('sid'), { auth_web: 'u1' })
  })

  test('a cookie of the stock cookie store (values without envelope) is read and rewritten at the next touch', ({
    assert,
  }) => {
    const stock = contextWith()
    stock.response.encryptedCookie('sid', { auth_web: 'u2' }, OPTIONS)
    const ctx = contextWith(sentCookies(stock)[0])
    const store = new CookieSessionStore(OPTIONS, ctx)
    assert.deepEqual(store.read('sid'), { auth_web: 'u2' })
    store.touch('sid')
    const rewritten = sentCookies(ctx)
    assert.lengthOf(rewritten, 1)
    assert.deepEqual(new CookieSessionStore(OPTIONS, contextWith(rewritten[0])).read('sid'), {
      auth_web: 'u2',
    })
  })

  test('a cookie that does not decrypt with the app key is no session', ({ assert }) => {
    const ctx = contextWith('sid=e:not-a-valid-cookie')
    assert.isNull(new CookieSessionStore(OPTIONS, ctx).read('sid'))
  })
})
