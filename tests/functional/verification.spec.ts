import { test } from '@japa/runner'
import { closedPort } from '#tests/helpers/net'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import User from '#models/user'
import Verification from '#models/verification'
import { demoUser, tenantId } from '#tests/helpers/auth'
import { currentTransaction, withTenantScope } from '#tenancy/tenant_context'
import registerServiceRegistry from '#verification/register_service_registry'
import { HttpPopulationRegister } from '#verification/register_client'

const CITIZEN = 'citizen@activecity.test'
/** A resident of Praha 6 in resources/register/residents.csv, made a citizen of Praha 5 here. */
const PRAHA6_RESIDENT = {
  email: 'jiri.kral.verification@activecity.test',
  fullName: 'Jiří Král',
  birthDate: '1968-04-04',
}

async function testUser() {
  const existing = await User.query({ client: db.connection('owner') })
    .where('emailNormalized', PRAHA6_RESIDENT.email)
    .first()
  if (existing) return existing
  return User.create(
    {
      email: PRAHA6_RESIDENT.email,
      fullName: PRAHA6_RESIDENT.fullName,
      password: 'Test-password-1234',
      locale: 'en',
      homeTenantId: await tenantId('praha-5'),
      citizenship: 'CZ',
      emailVerifiedAt: DateTime.now(),
    },
    { client: db.connection('owner') }
  )
}

async function clearVerifications() {
  const ids = [(await demoUser(CITIZEN)).id, (await demoUser('citizen.ua@activecity.test')).id]
  await db.connection('owner').from('verifications').whereIn('user_id', ids).delete()
  await db
    .connection('owner')
    .from('verifications')
    .whereIn(
      'user_id',
      db
        .connection('owner')
        .from('users')
        .where('email_normalized', PRAHA6_RESIDENT.email)
        .select('id')
    )
    .delete()
}

test.group('identity verification against the population register', (group) => {
  group.each.setup(async () => {
    registerServiceRegistry.restore()
    await clearVerifications()
  })
  group.teardown(async () => {
    registerServiceRegistry.restore()
    await clearVerifications()
    await db
      .connection('owner')
      .from('users')
      .where('email_normalized', PRAHA6_RESIDENT.email)
      .delete()
  })

  test('the launcher started the reference register', ({ assert }) => {
    assert.isString(process.env.REGISTER_URL)
    assert.isTrue(registerServiceRegistry.has('praha-5'))
  })

  test('Lucie Nováková born 1988-04-12 is verified with an expiry', async ({ client, assert }) => {
    const citizen = await demoUser(CITIZEN)
    const response = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ birthDate: '1988-04-12' })
      .loginAs(citizen)
    response.assertStatus(200)
    const verification = response.body().verification
    assert.equal(verification.status, 'verified')
    assert.equal(verification.method, 'register')
    assert.isTrue(verification.valid)
    const expires = DateTime.fromISO(verification.expiresAt)
    const verified = DateTime.fromISO(verification.verifiedAt)
    assert.equal(Math.round(expires.diff(verified, 'months').months), 12)

    const page = await client
      .get('/portal/verification')
      .header('accept', 'application/json')
      .loginAs(citizen)
    page.assertStatus(200)
    assert.equal(page.body().current.status, 'verified')
    assert.equal(page.body().current.id, verification.id)
    assert.isTrue(page.body().registerAvailable)
    // Only the outcome is kept: the register's spelling of the name is not stored.
    const row = await db
      .connection('owner')
      .from('verifications')
      .where('id', verification.id)
      .first()
    assert.notProperty(row, 'name_compared')
    assert.equal(row.tenant_id, await tenantId('praha-5'))
  })

  test('the same address typed by the citizen still verifies', async ({ client, assert }) => {
    const response = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ birthDate: '1988-04-12', city: 'Praha 5', street: 'Štefánikova 12' })
      .loginAs(await demoUser(CITIZEN))
    response.assertStatus(200)
    assert.equal(response.body().verification.status, 'verified')
  })

  test('a wrong birth date is not verified and the page explains it plainly', async ({
    client,
    assert,
  }) => {
    const citizen = await demoUser(CITIZEN)
    const response = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ birthDate: '1988-04-13' })
      .loginAs(citizen)
    response.assertStatus(200)
    assert.equal(response.body().verification.status, 'no_match')
    assert.isFalse(response.body().verification.valid)

    const page = await client
      .get('/portal/verification')
      .header('accept', 'application/json')
      .loginAs(citizen)
    assert.isNull(page.body().current)
    assert.equal(page.body().latest.status, 'no_match')

    const html = await client.get('/portal/verification').loginAs(citizen)
    html.assertStatus(200)
    // The Inertia page carries the outcome; its message is translated from ui.verification.outcome.no_match.
    assert.include(html.text(), 'no_match')
  })

  test('a Praha 6 resident verifying against Praha 5 is told they are not a resident', async ({
    client,
    assert,
  }) => {
    const user = await testUser()
    const response = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ birthDate: PRAHA6_RESIDENT.birthDate })
      .loginAs(user)
    response.assertStatus(200)
    const verification = response.body().verification
    assert.equal(verification.status, 'not_resident')
    assert.equal(verification.residentOf, 'praha-6')
    assert.isString(verification.residentOfName)
    assert.include(verification.reasons, 'municipality_differs')

    const page = await client
      .get('/portal/verification')
      .header('accept', 'application/json')
      .header('accept-language', 'en')
      .loginAs(user)
    assert.isNull(page.body().current)
    assert.equal(page.body().latest.status, 'not_resident')
  })

  test('nobody else sees a person’s verification (row-level security)', async ({
    client,
    assert,
  }) => {
    const citizen = await demoUser(CITIZEN)
    const created = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ birthDate: '1988-04-12' })
      .loginAs(citizen)
    created.assertStatus(200)
    const id = created.body().verification.id

    // Another citizen of the same home tenant: the portal shows them nothing of hers.
    const other = await testUser()
    const page = await client
      .get('/portal/verification')
      .header('accept', 'application/json')
      .loginAs(other)
    page.assertStatus(200)
    assert.isNull(page.body().latest)
    assert.isNull(page.body().current)

    // The database itself: a person in another tenant's scope cannot read her row ...
    const ua = await demoUser('citizen.ua@activecity.test')
    const seenByOther = await withTenantScope(
      { tenantId: await tenantId('praha-6'), userId: ua.id, platform: false },
      () => Verification.query().where('id', id)
    )
    assert.lengthOf(seenByOther, 0)
    // ... nor one with no tenant at all, while she sees her own in any scope.
    const seenByNobody = await withTenantScope(
      { tenantId: null, userId: ua.id, platform: false },
      () => Verification.query().where('id', id)
    )
    assert.lengthOf(seenByNobody, 0)
    const seenByHer = await withTenantScope(
      { tenantId: await tenantId('praha-6'), userId: citizen.id, platform: false },
      () => Verification.query().where('id', id)
    )
    assert.lengthOf(seenByHer, 1)
    // A citizen of the SAME home tenant, in a citizen scope (not staff), reads nothing even with a
    // query that forgets to filter by person; the tenant's staff scope does read it.
    const praha5 = await tenantId('praha-5')
    const sameTenantCitizen = await withTenantScope(
      { tenantId: praha5, userId: other.id, platform: false },
      () => Verification.query().where('id', id)
    )
    assert.lengthOf(sameTenantCitizen, 0)
    const reviewer = await demoUser('reviewer.praha5@activecity.test')
    const seenByStaff = await withTenantScope(
      { tenantId: praha5, userId: reviewer.id, platform: false, staff: true },
      () => Verification.query().where('id', id)
    )
    assert.lengthOf(seenByStaff, 1)
    // And nobody writes a verification into another tenant.
    await assert.rejects(() =>
      withTenantScope({ tenantId: null, userId: ua.id, platform: false }, async () => {
        await Verification.create({
          tenantId: (await tenantId('praha-5'))!,
          userId: ua.id,
          method: 'register',
          status: 'verified',
          reasons: [],
          residentOf: null,
          verifiedAt: DateTime.now(),
          expiresAt: DateTime.now().plus({ months: 12 }),
        })
      })
    )
  })

  test('the register is asked with no database transaction open; the outcome is written after', async ({
    client,
    assert,
  }) => {
    const real = registerServiceRegistry.for('praha-5')!
    const during: Array<{ scoped: boolean; idleInTransaction: number }> = []
    registerServiceRegistry.override('praha-5', {
      async lookup(query) {
        const { rows } = await db.connection('owner').rawQuery(
          `select count(*)::int as n from pg_stat_activity
              where datname = current_database() and state like 'idle in transaction%'`
        )
        during.push({ scoped: currentTransaction() !== undefined, idleInTransaction: rows[0].n })
        return real.lookup(query)
      },
    })
    const citizen = await demoUser(CITIZEN)
    const response = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ birthDate: '1988-04-12' })
      .loginAs(citizen)
    response.assertStatus(200)
    assert.equal(response.body().verification.status, 'verified')
    assert.deepEqual(during, [{ scoped: false, idleInTransaction: 0 }])
    const row = await db
      .connection('owner')
      .from('verifications')
      .where('id', response.body().verification.id)
      .first()
    assert.equal(row.tenant_id, await tenantId('praha-5'))
    assert.equal(row.user_id, citizen.id)
  })

  test('a register that is down answers unavailable, not a 500', async ({ client, assert }) => {
    registerServiceRegistry.override(
      'praha-5',
      new HttpPopulationRegister({
        baseUrl: `http://127.0.0.1:${await closedPort()}/`,
        apiKey: 'irrelevant',
        timeoutMs: 500,
        retries: 1,
        backoffBaseMs: 10,
      })
    )
    const citizen = await demoUser(CITIZEN)
    const response = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ birthDate: '1988-04-12' })
      .loginAs(citizen)
    response.assertStatus(200)
    assert.equal(response.body().verification.status, 'unavailable')
    assert.include(response.body().verification.reasons, 'network_error')

    const page = await client.get('/portal/verification').loginAs(citizen)
    page.assertStatus(200)
    const json = await client
      .get('/portal/verification')
      .header('accept', 'application/json')
      .loginAs(citizen)
    assert.isNull(json.body().current)
    assert.equal(json.body().latest.status, 'unavailable')
  })

  test('without a register the page says so and verifying is refused plainly', async ({
    client,
    assert,
  }) => {
    registerServiceRegistry.override('praha-5', null)
    const citizen = await demoUser(CITIZEN)
    const page = await client
      .get('/portal/verification')
      .header('accept', 'application/json')
      .loginAs(citizen)
    page.assertStatus(200)
    assert.isFalse(page.body().registerAvailable)
    const response = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ birthDate: '1988-04-12' })
      .loginAs(citizen)
    response.assertStatus(422)
    assert.equal(response.body().errors[0].rule, 'verification.register_not_configured')
    assert.notInclude(response.body().errors[0].message, 'errors.')
  })

  test('an invalid or future birth date is a translated field error', async ({
    client,
    assert,
  }) => {
    const citizen = await demoUser(CITIZEN)
    for (const birthDate of ['1988-02-30', DateTime.now().plus({ days: 2 }).toISODate()!]) {
      const response = await client
        .post('/portal/verification')
        .header('accept', 'application/json')
        .json({ birthDate })
        .loginAs(citizen)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'birthDate')
      assert.notInclude(response.body().errors[0].message, 'errors.')
    }
    const [{ n }] = await db
      .connection('owner')
      .from('verifications')
      .where('user_id', citizen.id)
      .count('* as n')
    assert.equal(Number(n), 0)
  })

  test('an expired verification counts as not verified', async ({ client, assert }) => {
    const citizen = await demoUser(CITIZEN)
    await db
      .connection('owner')
      .table('verifications')
      .insert({
        tenant_id: await tenantId('praha-5'),
        user_id: citizen.id,
        method: 'register',
        status: 'verified',
        reasons: JSON.stringify([]),
        verified_at: DateTime.now().minus({ months: 13 }).toJSDate(),
        expires_at: DateTime.now().minus({ months: 1 }).toJSDate(),
        created_at: DateTime.now().minus({ months: 13 }).toJSDate(),
      })
    const page = await client
      .get('/portal/verification')
      .header('accept', 'application/json')
      .loginAs(citizen)
    assert.isNull(page.body().current)
    assert.isTrue(page.body().latest.expired)
  })
})
