/*
 * CSRF (docs/decisions/0006-csrf-and-json-api.md, 0019-sessions-and-csrf-cookies.md): what is
 * refused and what passes, and when the XSRF-TOKEN cookie is sent. The session's secret is set
 * with `withSession()` (the test client gives every request its own session).
 */
import { test } from '@japa/runner'
import type { ApiRequest, ApiResponse } from '@japa/api-client'
import encryption from '@adonisjs/core/services/encryption'
import {
  CSRF_SECRET_KEY,
  createCsrfToken,
  newCsrfSecret,
  verifyCsrfToken,
} from '#middleware/csrf_middleware'

/** The raw Set-Cookie line of a cookie in a response. */
function setCookie(response: ApiResponse, name: string) {
  const lines = ([] as string[]).concat(response.headers()['set-cookie'] ?? [])
  return lines.find((line) => line.startsWith(`${name}=`))
}

function valueOf(line: string | undefined) {
  return line ? decodeURIComponent(line.slice(line.indexOf('=') + 1).split(';')[0]) : undefined
}

/** Sends a cookie exactly as given (not signed, encrypted or encoded). */
function withRawCookie(request: ApiRequest, name: string, value: string) {
  ;(request as any).cookiesJar[name] = { name, value }
  return request
}

const postLocale = (client: any, secret: string, locale = 'en') =>
  client
    .post('/locale')
    .form({ locale })
    .header('accept', 'application/json')
    .withSession({ [CSRF_SECRET_KEY]: secret })
    .redirects(0)

test.group('CSRF', () => {
  test('a form post needs a token of the session’s secret, from the field or either header', async ({
    client,
    assert,
  }) => {
    const secret = newCsrfSecret()
    const missing = await postLocale(client, secret)
    missing.assertStatus(403)
    assert.equal(missing.body().errors[0].code, 'E_BAD_CSRF_TOKEN')
    assert.isUndefined(setCookie(missing, 'ac_locale'))

    const foreign = await postLocale(client, secret).header(
      'x-xsrf-token',
      createCsrfToken(newCsrfSecret())
    )
    foreign.assertStatus(403)
    assert.isUndefined(setCookie(foreign, 'ac_locale'), 'a token of another secret')

    const tampered = createCsrfToken(secret).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))
    ;(await postLocale(client, secret).header('x-xsrf-token', tampered)).assertStatus(403)

    for (const send of [
      (request: ApiRequest) => request.header('x-xsrf-token', createCsrfToken(secret)),
      (request: ApiRequest) => request.header('x-csrf-token', createCsrfToken(secret)),
      (request: ApiRequest) => request.form({ locale: 'en', _csrf: createCsrfToken(secret) }),
    ]) {
      const accepted = await send(postLocale(client, secret))
      accepted.assertStatus(200)
      assert.equal(accepted.body().locale, 'en')
    }
  })

  test('an XSRF-TOKEN encrypted by the former guard is still accepted in the header', async ({
    client,
  }) => {
    const secret = newCsrfSecret()
    // What shield's guard put in the cookie: the token, encrypted for the purpose XSRF-TOKEN.
    const legacy = `e:${encryption.encrypt(createCsrfToken(secret), undefined, 'XSRF-TOKEN')}`
    const accepted = await postLocale(client, secret, 'pl').header(
      'x-xsrf-token',
      encodeURIComponent(legacy)
    )
    accepted.assertStatus(200)
  })

  test('JSON bodies need no token unless the request is an Inertia visit (0006)', async ({
    client,
  }) => {
    const json = await client
      .post('/locale')
      .json({ locale: 'uk' })
      .header('accept', 'application/json')
    json.assertStatus(200)
    const inertia = await client
      .post('/locale')
      .json({ locale: 'uk' })
      .header('x-inertia', 'true')
      .redirects(0)
    inertia.assertStatus(302)
  })

  test('the XSRF-TOKEN cookie comes with a new secret or instead of an invalid one, not with every answer', async ({
    client,
    assert,
  }) => {
    const fresh = await client.get('/login').header('accept', 'application/json')
    const line = setCookie(fresh, 'XSRF-TOKEN')!.toLowerCase()
    assert.match(valueOf(setCookie(fresh, 'XSRF-TOKEN'))!, /^[A-Za-z0-9]{8}-[\w-]+$/)
    assert.include(line, 'samesite=lax')
    assert.notInclude(line, 'httponly')
    assert.notInclude(line, 'max-age')
    assert.notInclude(line, 'expires')

    const secret = newCsrfSecret()
    const page = (held?: string) => {
      const request = client
        .get('/login')
        .header('accept', 'application/json')
        .withSession({ [CSRF_SECRET_KEY]: secret })
      return held === undefined ? request : withRawCookie(request, 'XSRF-TOKEN', held)
    }
    const valid = await page(createCsrfToken(secret))
    valid.assertStatus(200)
    assert.isUndefined(setCookie(valid, 'XSRF-TOKEN'))

    for (const held of [undefined, 'tossed-by-someone-else', createCsrfToken(newCsrfSecret())]) {
      const replaced = valueOf(setCookie(await page(held), 'XSRF-TOKEN'))
      assert.isTrue(verifyCsrfToken(secret, replaced), `held ${held}`)
    }
  })
})
