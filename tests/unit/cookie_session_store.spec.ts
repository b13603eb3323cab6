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
import emitter from '@adonisjs/core/services/emitter'
import { Session } from '@adonisjs/session'
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

const SESSION_CONFIG = {
  enabled: true,
  cookieName: 'adonis-session',
  clearWithBrowser: false,
  age: '2h',
  cookie: OPTIONS,
  store: 'cookie',
  stores: {},
} as any

/** One request through a real Session with this store: `work` runs between initiate and commit. */
async function visit(cookies: string[], work: (session: Session) => void = () => {}) {
  const ctx = contextWith(cookies.join('; ') || undefined)
  const session = new Session(
    SESSION_CONFIG,
    (context) => new CookieSessionStore(OPTIONS, context, undefined, 'adonis-session'),
    emitter as any,
    ctx
  )
  await session.initiate(false)
  work(session)
  await session.commit()
  const sent = sentCookies(ctx)
  const names = sent.map((pair) => pair.slice(0, pair.indexOf('=')))
  // The browser keeps what it had and takes what it was sent.
  const jar = new Map(cookies.map((pair) => [pair.slice(0, pair.indexOf('=')), pair]))
  for (const pair of sent) jar.set(pair.slice(0, pair.indexOf('=')), pair)
  return { names, cookies: [...jar.values()], sessionId: session.sessionId }
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

  test('with a real Session: the id and data cookies are sent together, and not for a fresh unchanged session', async ({
    assert,
  }) => {
    const first = await visit([], (session) => session.put('auth_web', 'u1'))
    assert.lengthOf(first.names, 2, 'a new session sends its id and its data')
    assert.include(first.names, 'adonis-session')

    const again = await visit(first.cookies, (session) => {
      assert.equal(session.get('auth_web'), 'u1')
    })
    assert.deepEqual(again.names, [], 'nothing is re-sent for a fresh, unchanged session')

    const changed = await visit(first.cookies, (session) => session.put('theme', 'dark'))
    assert.sameMembers(changed.names, ['adonis-session', first.sessionId])

    // Signing in makes a new session id: the new id, its data, and the old data cleared.
    const regenerated = await visit(first.cookies, (session) => session.regenerate())
    assert.notEqual(regenerated.sessionId, first.sessionId)
    assert.sameMembers(regenerated.names, [
      'adonis-session',
      regenerated.sessionId,
      first.sessionId,
    ])
    const after = await visit(regenerated.cookies, (session) => {
      assert.equal(session.get('auth_web'), 'u1')
    })
    assert.deepEqual(after.names, [])
  })
})
