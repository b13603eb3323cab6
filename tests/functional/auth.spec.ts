import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { demoUser, lastMailTo } from '#tests/helpers/auth'
import { DEMO_PASSWORD } from '#database/demo_people'

function linkIn(text: string, path: string) {
  const match = text.match(new RegExp(`https?://[^\\s]+(${path}/[A-Za-z0-9_-]+)`))
  if (!match) throw new Error(`No ${path} link in: ${text}`)
  return match[1]
}

const valid = {
  fullName: 'Jana Testová',
  password: 'Dlouhe-heslo-123',
  passwordConfirmation: 'Dlouhe-heslo-123',
  citizenship: 'CZ',
  homeTenant: 'crdm',
  privacyAccepted: true,
}

test.group('registration and e-mail verification', () => {
  test('registers a citizen with a home tenant, e-mails a link that verifies the address once', async ({
    client,
    assert,
  }) => {
    const email = `jana.${Date.now()}@example.cz`
    const response = await client
      .post('/register')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ ...valid, email })
    response.assertStatus(200)
    const user = await User.findByOrFail('emailNormalized', email)
    assert.isNull(user.emailVerifiedAt)
    assert.equal(user.citizenship, 'CZ')

    const mail = await lastMailTo(email, 'verify_email')
    assert.equal(mail.template, 'verify_email')
    const link = linkIn(mail.text, '/verify-email')

    const first = await client.get(link).redirects(0)
    first.assertStatus(302)
    await user.refresh()
    assert.isNotNull(user.emailVerifiedAt)

    const second = await client.get(link).withInertia()
    second.assertInertiaComponent('auth/verify_failed')
  })

  test('bad input is answered with translated field errors and creates nothing', async ({
    client,
    assert,
  }) => {
    const before = await db.connection('owner').from('users').count('* as n')
    const cs = await client
      .post('/register')
      .withCsrfToken()
      .header('accept', 'application/json')
      .header('accept-language', 'cs')
      .json({
        fullName: '',
        email: 'not-an-email',
        password: 'short',
        passwordConfirmation: 'x',
        citizenship: 'XX',
        homeTenant: 'nowhere',
      })
    cs.assertStatus(422)
    const fields = cs.body().errors.map((e: any) => e.field)
    for (const field of [
      'fullName',
      'email',
      'password',
      'citizenship',
      'homeTenant',
      'privacyAccepted',
    ]) {
      assert.include(fields, field)
    }
    const emailError = cs.body().errors.find((e: any) => e.field === 'email').message as string
    assert.notMatch(emailError, /^The /, 'Czech message expected')

    const en = await client
      .post('/register')
      .withCsrfToken()
      .header('accept', 'application/json')
      .header('accept-language', 'en')
      .json({ ...valid, email: 'bad' })
    const enError = en.body().errors.find((e: any) => e.field === 'email').message as string
    assert.notEqual(enError, emailError)
    const after = await db.connection('owner').from('users').count('* as n')
    assert.equal(after[0].n, before[0].n)
  })

  test('an e-mail address can hold only one account, also when written differently', async ({
    client,
  }) => {
    const response = await client
      .post('/register')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ ...valid, email: '  Citizen@ActiveCity.test ' })
    response.assertStatus(422)
    response.assertBodyContains({ errors: [{ field: 'email' }] })
  })
})

test.group('sign in, sign out, throttling', () => {
  test('signs in with the right password and out again', async ({ client, assert }) => {
    const login = await client
      .post('/login')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ email: 'citizen@activecity.test', password: DEMO_PASSWORD })
    login.assertStatus(200)
    login.assertBodyContains({ ok: true })
    const user = await demoUser('citizen@activecity.test')
    assert.equal(login.body().id, user.id)
    const page = await client.get('/portal').withInertia().loginAs(user)
    page.assertInertiaComponent('portal/dashboard')
  })

  test('a wrong password is a field error that does not say whether the account exists', async ({
    client,
    assert,
  }) => {
    const known = await client
      .post('/login')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ email: 'reviewer.praha5@activecity.test', password: 'wrong-password-1' })
    const unknown = await client
      .post('/login')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ email: 'nobody@activecity.test', password: 'wrong-password-1' })
    known.assertStatus(422)
    unknown.assertStatus(422)
    assert.equal(known.body().errors[0].message, unknown.body().errors[0].message)
  })

  test('after 5 failed attempts the address is blocked, even with the right password', async ({
    client,
    assert,
  }) => {
    const email = 'manager.praha5@activecity.test'
    for (let i = 0; i < 5; i++) {
      await client
        .post('/login')
        .withCsrfToken()
        .header('accept', 'application/json')
        .json({ email, password: `bad-${i}-password` })
    }
    const blocked = await client
      .post('/login')
      .withCsrfToken()
      .header('accept', 'application/json')
      .header('accept-language', 'en')
      .json({ email, password: DEMO_PASSWORD })
    blocked.assertStatus(422)
    assert.match(blocked.body().errors[0].message, /minute/)
    await db
      .connection('owner')
      .from('rate_limits')
      .where('key', 'like', '%manager.praha5%')
      .delete()
  })

  test('sign out ends the session', async ({ client, assert }) => {
    const user = await demoUser('citizen@activecity.test')
    const signedIn = await client.get('/account').header('accept', 'application/json').loginAs(user)
    assert.property(signedIn.session(), 'auth_web', 'loginAs puts the login in the session')
    const out = await client.post('/logout').withCsrfToken().loginAs(user).redirects(0)
    out.assertStatus(302)
    assert.notProperty(out.session(), 'auth_web')
  })
})

test.group('password reset', () => {
  test('sends a one-time link that sets a new password', async ({ client, assert }) => {
    const email = `reset.${Date.now()}@example.cz`
    await client
      .post('/register')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ ...valid, email })
    const ask = await client
      .post('/forgot-password')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ email })
    ask.assertStatus(200)
    const mail = await lastMailTo(email, 'reset_password')
    assert.equal(mail.template, 'reset_password')
    const token = linkIn(mail.text, '/reset-password').split('/').pop()!

    const reset = await client
      .post('/reset-password')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ token, password: 'Nove-heslo-2026', passwordConfirmation: 'Nove-heslo-2026' })
    reset.assertStatus(200)
    const again = await client
      .post('/reset-password')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ token, password: 'Jine-heslo-2026', passwordConfirmation: 'Jine-heslo-2026' })
    again.assertStatus(422)

    const login = await client
      .post('/login')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ email, password: 'Nove-heslo-2026' })
    login.assertStatus(200)
  })

  test('an unknown address gets the same answer and no e-mail', async ({ client, assert }) => {
    const email = 'nobody-here@example.cz'
    const ask = await client
      .post('/forgot-password')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ email })
    ask.assertStatus(200)
    assert.isNull(await lastMailTo(email, undefined, 500))
  })
})

test.group('language switch', () => {
  test('the chosen language is remembered and used for pages and messages', async ({
    client,
    assert,
  }) => {
    const switched = await client
      .post('/locale')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ locale: 'uk' })
    switched.assertStatus(200)
    const cookie = switched.cookie('ac_locale')
    assert.equal(cookie?.value, 'uk')
    const page = await client.get('/login').withInertia().withPlainCookie('ac_locale', 'uk')
    assert.equal(page.body().props.locale, 'uk')
  })

  test('an unknown language is refused', async ({ client }) => {
    const response = await client
      .post('/locale')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ locale: 'de' })
    response.assertStatus(422)
  })
})
