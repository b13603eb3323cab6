/*
 * Where a tenant's residents are verified online (admin settings, "Population register"): the
 * platform's register, the town hall's own module (URL and an API key stored encrypted), or none.
 * The citizen's verification follows the setting; bad input changes nothing.
 */
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { closedPort } from '#tests/helpers/net'
import db from '@adonisjs/lucid/services/db'
import { demoUser, tenantId } from '#tests/helpers/auth'
import { makeCitizen } from '#tests/helpers/applications'
import registerServiceRegistry from '#verification/register_service_registry'
import Tenant from '#models/tenant'

const ADMIN = 'admin.praha5@activecity.test'
/** Lucie Nováková of Praha 5 as the reference register knows her, with her own account here. */
const RESIDENT = {
  email: 'lucie.register.settings@activecity.test',
  fullName: 'Lucie Nováková',
  homeTenant: 'praha-5',
  citizenship: 'CZ',
  locale: 'en' as const,
}
const owner = () => db.connection('owner')

async function registerColumns() {
  return owner()
    .from('tenants')
    .where('slug', 'praha-5')
    .select('register_mode', 'register_url', 'register_api_key')
    .first()
}

/** Saves the register settings as Praha 5's admin, through the API. */
async function saveRegister(client: ApiClient, body: Record<string, unknown>) {
  return client
    .put('/admin/settings/register')
    .withCsrfToken()
    .header('accept', 'application/json')
    .json(body)
    .loginAs(await demoUser(ADMIN))
}

/** Verifies the resident online, through the API. */
async function verifyOnline(client: ApiClient) {
  return client
    .post('/portal/verification')
    .withCsrfToken()
    .header('accept', 'application/json')
    .json({ birthDate: '1988-04-12' })
    .loginAs(await makeCitizen(RESIDENT))
}

async function resetPraha5() {
  await owner()
    .from('tenants')
    .where('slug', 'praha-5')
    .update({ register_mode: 'platform', register_url: null, register_api_key: null })
  const citizen = await makeCitizen(RESIDENT)
  await owner().from('verifications').where('user_id', citizen.id).delete()
  await owner().from('mail_outbox').where('to_address', RESIDENT.email).delete()
}

test.group('tenant settings: the population register', (group) => {
  group.each.setup(async () => {
    registerServiceRegistry.restore()
    await resetPraha5()
  })
  group.teardown(resetPraha5)

  test('with no register, residents are told so and verifying online is refused', async ({
    client,
    assert,
  }) => {
    const saved = await saveRegister(client, { mode: 'none' })
    saved.assertStatus(200)
    assert.equal((await registerColumns()).register_mode, 'none')

    const citizen = await makeCitizen(RESIDENT)
    const page = await client
      .get('/portal/verification')
      .header('accept', 'application/json')
      .loginAs(citizen)
    assert.isFalse(page.body().registerAvailable)
    const attempt = await verifyOnline(client)
    attempt.assertStatus(422)
    assert.lengthOf(await owner().from('verifications').where('user_id', citizen.id), 0)

    const audit = await owner()
      .from('audit_events')
      .where({ tenant_id: await tenantId('praha-5'), action: 'tenant.register_changed' })
      .orderBy('created_at', 'desc')
      .first()
    assert.equal(audit.data.mode, 'none')
  })

  test('the town hall’s own module: its key is stored encrypted, never shown, and used', async ({
    client,
    assert,
  }) => {
    const admin = await demoUser(ADMIN)
    const url = process.env.REGISTER_URL!
    const apiKey = process.env.REGISTER_API_KEY!
    const saved = await saveRegister(client, { mode: 'own', url, apiKey })
    saved.assertStatus(200)
    const row = await registerColumns()
    assert.equal(row.register_mode, 'own')
    assert.equal(row.register_url, new URL(url).href)
    assert.notInclude(row.register_api_key, apiKey)

    const page = await client
      .get('/admin/settings')
      .header('accept', 'application/json')
      .loginAs(admin)
    page.assertStatus(200)
    assert.deepInclude(page.body().register, { mode: 'own', hasKey: true })
    assert.notInclude(JSON.stringify(page.body()), apiKey)
    assert.notInclude(JSON.stringify(page.body()), row.register_api_key)

    // The citizen is verified through the tenant's own client, not the platform's.
    const tenant = await Tenant.findByOrFail('slug', 'praha-5', { client: owner() })
    assert.notStrictEqual(
      registerServiceRegistry.forTenant(tenant),
      registerServiceRegistry.for('praha-5')
    )
    const verified = await verifyOnline(client)
    verified.assertStatus(200)
    assert.equal(verified.body().verification.status, 'verified')

    // Saving again without a key keeps the stored one.
    const again = await saveRegister(client, { mode: 'own', url })
    again.assertStatus(200)
    assert.equal((await registerColumns()).register_api_key, row.register_api_key)
  })

  test('a wrong key makes verification unavailable for the citizen, not a server error', async ({
    client,
    assert,
  }) => {
    const saved = await saveRegister(client, {
      mode: 'own',
      url: process.env.REGISTER_URL!,
      apiKey: 'not-the-right-key',
    })
    saved.assertStatus(200)
    const attempt = await verifyOnline(client)
    attempt.assertStatus(200)
    assert.equal(attempt.body().verification.status, 'unavailable')
    assert.include(attempt.body().verification.reasons, 'unauthorized')
  })

  test('bad input is refused with a translated error and changes nothing', async ({
    client,
    assert,
  }) => {
    const admin = await demoUser(ADMIN)
    const put = (body: Record<string, unknown>) =>
      client
        .put('/admin/settings/register')
        .withCsrfToken()
        .header('accept', 'application/json')
        .header('accept-language', 'cs')
        .json(body)
        .loginAs(admin)
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ mode: 'own', apiKey: 'a-long-enough-key' }, 'url'],
      [{ mode: 'own', url: 'not a url', apiKey: 'a-long-enough-key' }, 'url'],
      [{ mode: 'own', url: 'http://regina.example.org/', apiKey: 'a-long-enough-key' }, 'url'],
      [{ mode: 'own', url: 'https://regina.example.org/' }, 'apiKey'],
      [{ mode: 'own', url: 'https://regina.example.org/', apiKey: 'short' }, 'apiKey'],
      [{ mode: 'everywhere' }, 'mode'],
    ]
    for (const [body, field] of cases) {
      const response = await put(body)
      response.assertStatus(422)
      const error = response.body().errors.find((e: any) => e.field === field)
      assert.exists(error, `${JSON.stringify(body)} → ${JSON.stringify(response.body())}`)
      assert.notMatch(error.message, /^(errors|validator)\./)
    }
    const https = await put({
      mode: 'own',
      url: 'http://regina.example.org/',
      apiKey: 'x'.repeat(9),
    })
    assert.match(https.body().errors[0].message, /HTTPS/)
    const row = await registerColumns()
    assert.deepEqual(
      [row.register_mode, row.register_url, row.register_api_key],
      ['platform', null, null]
    )
  })

  test('checking the saved connection says whether it works, and why not', async ({
    client,
    assert,
  }) => {
    const admin = await demoUser(ADMIN)
    const check = () =>
      client
        .post('/admin/settings/register/check')
        .withCsrfToken()
        .header('accept', 'application/json')
        .loginAs(admin)
    const save = (body: Record<string, unknown>) => saveRegister(client, body)

    ;(await check()).assertStatus(200)

    ;(
      await save({ mode: 'own', url: process.env.REGISTER_URL!, apiKey: 'not-the-right-key' })
    ).assertStatus(200)
    const refused = await check()
    refused.assertStatus(422)
    assert.match(refused.body().errors[0].message, /nepřijal klíč API/)

    ;(
      await save({
        mode: 'own',
        url: `http://127.0.0.1:${await closedPort()}/`,
        apiKey: 'some-api-key',
      })
    ).assertStatus(200)
    const unreachable = await check()
    unreachable.assertStatus(422)
    assert.match(unreachable.body().errors[0].message, /neodpověděl/)

    ;(await save({ mode: 'none' })).assertStatus(200)
    const none = await check()
    none.assertStatus(422)
    assert.match(none.body().errors[0].message, /Není co ověřit/)
  }).timeout(30_000)

  test('a tenant declared without a register (Bydgoszcz) has none after tenants:sync', async ({
    assert,
  }) => {
    const row = await owner()
      .from('tenants')
      .where('slug', 'bydgoszcz')
      .select('register_mode')
      .first()
    assert.equal(row.register_mode, 'none')
  })
})
