import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { demoUser } from '#tests/helpers/auth'
import { composeBirthNumber } from '#verification/birth_number'
import { withTenantScope } from '#tenancy/tenant_context'
import Child from '#models/child'

const PARENT = 'citizen@activecity.test'
const OTHER_PARENT = 'citizen.ua@activecity.test'

/** Removes every child of the demo parents this spec uses (owner connection: past RLS). */
async function clearChildren() {
  const ids = [(await demoUser(PARENT)).id, (await demoUser(OTHER_PARENT)).id]
  await db.connection('owner').from('children').whereIn('parent_user_id', ids).delete()
}

async function countChildren(email: string) {
  const user = await demoUser(email)
  const [{ n }] = await db
    .connection('owner')
    .from('children')
    .where('parent_user_id', user.id)
    .count('* as n')
  return Number(n)
}

const today = () => DateTime.now().toISODate()!

test.group('household: children of a citizen', (group) => {
  group.each.setup(clearChildren)
  group.teardown(clearChildren)

  test('a citizen adds two children and reads them through the JSON API', async ({
    client,
    assert,
  }) => {
    const parent = await demoUser(PARENT)
    const birthNumber = composeBirthNumber({ birthDate: '2015-03-12', sex: 'female', serial: 123 })!
    const first = await client
      .post('/portal/children')
      .header('accept', 'application/json')
      .json({ firstName: ' Anna ', lastName: 'Nováková', birthDate: '2015-03-12', birthNumber })
      .loginAs(parent)
    first.assertStatus(200)
    const second = await client
      .post('/portal/children')
      .header('accept', 'application/json')
      .json({ firstName: 'Jakub', lastName: 'Novák', birthDate: '2019-11-02' })
      .loginAs(parent)
    second.assertStatus(200)

    const list = await client
      .get('/portal/children')
      .header('accept', 'application/json')
      .loginAs(parent)
    list.assertStatus(200)
    const children = list.body().children
    assert.deepEqual(
      children.map((c: any) => [c.firstName, c.lastName, c.birthDate, c.birthNumber]),
      [
        ['Anna', 'Nováková', '2015-03-12', birthNumber],
        ['Jakub', 'Novák', '2019-11-02', null],
      ]
    )
    const expectedAge = Math.floor(
      DateTime.fromISO(today()).diff(DateTime.fromISO('2015-03-12'), 'years').years
    )
    assert.equal(children[0].age, expectedAge)

    const shown = await client
      .get(`/portal/children/${second.body().id}`)
      .header('accept', 'application/json')
      .loginAs(parent)
    shown.assertStatus(200)
    assert.equal(shown.body().child.firstName, 'Jakub')

    const updated = await client
      .put(`/portal/children/${second.body().id}`)
      .header('accept', 'application/json')
      .json({ firstName: 'Jakub', lastName: 'Novák', birthDate: '2019-11-03', birthNumber: null })
      .loginAs(parent)
    updated.assertStatus(200)
    const row = await db.connection('owner').from('children').where('id', second.body().id).first()
    assert.equal(DateTime.fromJSDate(row.birth_date).toISODate(), '2019-11-03')

    const removed = await client
      .delete(`/portal/children/${first.body().id}`)
      .header('accept', 'application/json')
      .loginAs(parent)
    removed.assertStatus(200)
    assert.equal(await countChildren(PARENT), 1)
  })

  test('bad input gets translated field errors and nothing is saved', async ({
    client,
    assert,
  }) => {
    const parent = await demoUser(PARENT)
    for (const locale of ['cs', 'en', 'uk', 'pl']) {
      const response = await client
        .post('/portal/children')
        .header('accept', 'application/json')
        .header('accept-language', locale)
        .plainCookie('ac_locale', locale)
        .json({
          firstName: '',
          lastName: 'x'.repeat(101),
          birthDate: '12. 3. 2015',
          birthNumber: 'abc',
        })
        .loginAs(parent)
      response.assertStatus(422)
      const errors = response.body().errors as { field: string; message: string }[]
      assert.deepEqual(
        errors.map((e) => e.field).sort(),
        ['birthDate', 'birthNumber', 'firstName', 'lastName'],
        locale
      )
      for (const error of errors) {
        assert.notMatch(error.message, /validator\.|errors\.|household\./, error.message)
        assert.notMatch(error.message, /[{}]/, error.message)
      }
    }
    const en = await client
      .post('/portal/children')
      .header('accept', 'application/json')
      .plainCookie('ac_locale', 'en')
      .json({ firstName: '', lastName: 'Novák', birthDate: '2015-03-12' })
      .loginAs(parent)
    en.assertStatus(422)
    assert.include(en.body().errors[0].message, 'First name')
    assert.equal(await countChildren(PARENT), 0)
  })

  test('a birth date in the future, or more than 26 years ago, or not a real day is refused', async ({
    client,
    assert,
  }) => {
    const parent = await demoUser(PARENT)
    const cases = [
      DateTime.now().plus({ days: 1 }).toISODate()!,
      DateTime.now().minus({ years: 27 }).toISODate()!,
      '2015-02-30',
    ]
    for (const birthDate of cases) {
      const response = await client
        .post('/portal/children')
        .header('accept', 'application/json')
        .plainCookie('ac_locale', 'en')
        .json({ firstName: 'Ema', lastName: 'Nová', birthDate })
        .loginAs(parent)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'birthDate', birthDate)
      assert.notInclude(response.body().errors[0].message, 'errors.')
    }
    const future = await client
      .post('/portal/children')
      .header('accept', 'application/json')
      .plainCookie('ac_locale', 'en')
      .json({ firstName: 'Ema', lastName: 'Nová', birthDate: cases[0] })
      .loginAs(parent)
    assert.include(future.body().errors[0].message, 'future')
    const newborn = await client
      .post('/portal/children')
      .header('accept', 'application/json')
      .json({ firstName: 'Ema', lastName: 'Nová', birthDate: today() })
      .loginAs(parent)
    newborn.assertStatus(200)
    assert.equal(await countChildren(PARENT), 1)
  })

  test('an invalid birth number, or one for another date, is refused', async ({
    client,
    assert,
  }) => {
    const parent = await demoUser(PARENT)
    const valid = composeBirthNumber({ birthDate: '2016-05-20', sex: 'male', serial: 41 })!
    const lastDigit = Number(valid.slice(-1))
    const badChecksum = `${valid.slice(0, -1)}${(lastDigit + 1) % 10}`
    for (const [birthNumber, rule] of [
      [badChecksum, 'household.birth_number_invalid'],
      ['160520', 'household.birth_number_invalid'],
      [valid, 'household.birth_number_mismatch'],
    ]) {
      const response = await client
        .post('/portal/children')
        .header('accept', 'application/json')
        .plainCookie('ac_locale', 'cs')
        .json({ firstName: 'Petr', lastName: 'Novák', birthDate: '2016-05-21', birthNumber })
        .loginAs(parent)
      response.assertStatus(422)
      const error = response.body().errors[0]
      assert.equal(error.field, 'birthNumber', birthNumber)
      assert.equal(error.rule, rule, birthNumber)
      assert.notInclude(error.message, 'errors.')
    }
    assert.equal(await countChildren(PARENT), 0)
    const ok = await client
      .post('/portal/children')
      .header('accept', 'application/json')
      .json({
        firstName: 'Petr',
        lastName: 'Novák',
        birthDate: '2016-05-20',
        birthNumber: valid.replace('/', ''),
      })
      .loginAs(parent)
    ok.assertStatus(200)
    const row = await db.connection('owner').from('children').where('id', ok.body().id).first()
    assert.equal(row.birth_number, valid)
  })

  test('the same child twice is refused, on add and on update', async ({ client, assert }) => {
    const parent = await demoUser(PARENT)
    const add = (body: Record<string, unknown>) =>
      client
        .post('/portal/children')
        .header('accept', 'application/json')
        .plainCookie('ac_locale', 'pl')
        .json(body)
        .loginAs(parent)
    const first = await add({ firstName: 'Eva', lastName: 'Nová', birthDate: '2014-01-01' })
    first.assertStatus(200)
    const again = await add({ firstName: 'eva', lastName: 'NOVÁ', birthDate: '2014-01-01' })
    again.assertStatus(422)
    assert.equal(again.body().errors[0].field, 'firstName')
    assert.equal(again.body().errors[0].rule, 'household.duplicate_child')
    assert.notInclude(again.body().errors[0].message, 'errors.')

    const other = await add({ firstName: 'Eva', lastName: 'Nová', birthDate: '2014-01-02' })
    other.assertStatus(200)
    const clash = await client
      .put(`/portal/children/${other.body().id}`)
      .header('accept', 'application/json')
      .json({ firstName: 'Eva', lastName: 'Nová', birthDate: '2014-01-01' })
      .loginAs(parent)
    clash.assertStatus(422)
    assert.equal(clash.body().errors[0].rule, 'household.duplicate_child')
    assert.equal(await countChildren(PARENT), 2)
  })

  test("another parent's child answers 404 on read, update and delete, and is unchanged", async ({
    client,
    assert,
  }) => {
    const parent = await demoUser(PARENT)
    const stranger = await demoUser(OTHER_PARENT)
    const added = await client
      .post('/portal/children')
      .header('accept', 'application/json')
      .json({ firstName: 'Tereza', lastName: 'Nováková', birthDate: '2012-06-30' })
      .loginAs(parent)
    added.assertStatus(200)
    const id = added.body().id

    const read = await client
      .get(`/portal/children/${id}`)
      .header('accept', 'application/json')
      .loginAs(stranger)
    read.assertStatus(404)
    const update = await client
      .put(`/portal/children/${id}`)
      .header('accept', 'application/json')
      .json({ firstName: 'X', lastName: 'Y', birthDate: '2012-06-30' })
      .loginAs(stranger)
    update.assertStatus(404)
    const remove = await client
      .delete(`/portal/children/${id}`)
      .header('accept', 'application/json')
      .loginAs(stranger)
    remove.assertStatus(404)
    const list = await client
      .get('/portal/children')
      .header('accept', 'application/json')
      .loginAs(stranger)
    list.assertStatus(200)
    assert.deepEqual(list.body().children, [])

    const row = await db.connection('owner').from('children').where('id', id).first()
    assert.equal(row.first_name, 'Tereza')

    // Row-level security alone hides and protects the row from the runtime role.
    const scope = (userId: string | null) => ({ tenantId: null, userId, platform: false })
    const seen = await withTenantScope(scope(stranger.id), async () => ({
      one: await Child.find(id),
      deleted: await Child.query().where('id', id).delete(),
    }))
    assert.isNull(seen.one)
    assert.deepEqual(seen.deleted, [0])
    assert.isNull(await withTenantScope(scope(null), () => Child.find(id)))
    const own = await withTenantScope(scope(parent.id), () => Child.find(id))
    assert.equal(own?.firstName, 'Tereza')
    await assert.rejects(() =>
      withTenantScope(scope(stranger.id), () =>
        Child.create({
          parentUserId: parent.id,
          firstName: 'Podvrh',
          lastName: 'Cizí',
          birthDate: '2013-01-01',
        })
      )
    )
  })

  test('staff without a home tenant cannot keep a household', async ({ client }) => {
    const admin = await demoUser('admin.praha5@activecity.test')
    const response = await client
      .get('/portal/children')
      .header('accept', 'application/json')
      .loginAs(admin)
    response.assertStatus(403)
  })
})
