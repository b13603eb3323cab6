/*
 * The waiting list: a program that says so keeps approvals the budget cannot cover, and grants
 * them in submission order when the budget grows (or when staff release it), never twice.
 */
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { demoUser, lastMailTo } from '#tests/helpers/auth'
import {
  clearApplicationsOf,
  drawnOf,
  makeChild,
  makeCitizen,
  setCurrentBudget,
  verify,
} from '#tests/helpers/applications'
import { withTenantScope } from '#tenancy/tenant_context'
import { waitlistPosition } from '#actions/applications/application_actions'

const owner = () => db.connection('owner')
/** When the running test started: mail queued before it belongs to another test. */
let testStart = new Date()

/** 500 CZK of credit per child; the budget is set per test. */
function config(budgetMinor: number, whenBudgetExhausted: 'refuse' | 'waitlist' = 'waitlist') {
  return {
    name: { cs: 'Příměstské tábory (pořadník)', en: 'Day camps (waiting list)' },
    applicationOpensAt: '2026-01-01T00:00:00+01:00',
    periods: [
      { key: 'leto', name: { cs: 'Léto', en: 'Summer' }, start: '2027-07-01', end: '2027-08-31' },
    ],
    audience: { scope: 'residents' },
    currency: 'CZK',
    budgetMinor,
    whenBudgetExhausted,
    limits: {},
    coPaymentBp: 0,
    documents: [],
    eligibilityRule: true,
    params: {},
    categories: ['camp'],
    requiresActivityApproval: false,
    pluginSettings: { amountPerChildPerPeriod: 50_000 },
  }
}

const PARENTS = ['anna', 'bohdan', 'cyril', 'dana'].map((name, index) => ({
  email: `${name}.waitlist@activecity.test`,
  fullName: `${name[0].toUpperCase()}${name.slice(1)} Čekatelová`,
  homeTenant: 'praha-5',
  citizenship: 'CZ',
  locale: 'en' as const,
  child: `Dítě${index}`,
}))

let parents: User[] = []
let children: string[] = []
let program: string
let manager: User
let reviewer: User

async function setBudget(client: ApiClient, budgetMinor: number) {
  const response = await client
    .put(`/admin/programs/${program}`)
    .withCsrfToken()
    .header('accept', 'application/json')
    .json({ config: config(budgetMinor) })
    .loginAs(manager)
  response.assertStatus(200)
  return response.body()
}

async function submit(client: ApiClient, index: number) {
  const response = await client
    .post(`/portal/programs/${program}/applications`)
    .withCsrfToken()
    .header('accept', 'application/json')
    .json({ childId: children[index] })
    .loginAs(parents[index])
  response.assertStatus(200)
  return response.body().id as string
}

async function approve(client: ApiClient, id: string) {
  return client
    .post(`/admin/applications/${id}/approve`)
    .withCsrfToken()
    .header('accept', 'application/json')
    .loginAs(reviewer)
}

async function statusOf(id: string) {
  return (await owner().from('applications').where('id', id).first()).status as string
}

async function grantsOf(id: string) {
  return owner().from('ledger_transactions').where('idempotency_key', `application:${id}:grant`)
}

/** What the program has drawn from its budget so far (minor units). */
const drawn = () => drawnOf(program)

test.group('applications: the waiting list', (group) => {
  group.setup(async () => {
    manager = await demoUser('manager.praha5@activecity.test')
    reviewer = await demoUser('reviewer.praha5@activecity.test')
    parents = []
    children = []
    for (const parent of PARENTS) {
      const user = await makeCitizen(parent)
      parents.push(user)
      children.push(await makeChild(user, parent.child, '2016-04-04'))
    }
  })
  group.each.setup(async () => {
    testStart = new Date()
    await clearApplicationsOf(...parents)
    for (const parent of parents) await verify(parent, 'praha-5')
  })
  group.teardown(async () => {
    await clearApplicationsOf(...parents)
  })

  test('a program is created with a waiting list and published', async ({ client, assert }) => {
    const created = await client
      .post('/admin/programs')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ slug: 'primestske-tabory-poradnik', pluginId: 'credit', config: config(50_000) })
      .loginAs(manager)
    created.assertStatus(200)
    program = created.body().id
    const published = await client
      .put(`/admin/programs/${program}/status`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ status: 'published' })
      .loginAs(manager)
    published.assertStatus(200)
    const page = await client
      .get(`/admin/programs/${program}`)
      .header('accept', 'application/json')
      .loginAs(manager)
    assert.equal(page.body().config.whenBudgetExhausted, 'waitlist')
  })

  test('approvals past the budget wait in submission order; a budget raise grants them in order', async ({
    client,
    assert,
  }) => {
    // The budget covers what was drawn plus one grant.
    await setBudget(client, (await drawn()) + 50_000)
    const [a, b, c] = [await submit(client, 0), await submit(client, 1), await submit(client, 2)]

    // C is approved first and takes the last of the budget.
    ;(await approve(client, c)).assertStatus(200)
    assert.equal(await statusOf(c), 'approved')

    // B, then A: both wait; A was submitted first, so A is first in line.
    const waitB = await approve(client, b)
    waitB.assertStatus(200)
    assert.equal(waitB.body().status, 'waitlisted')
    assert.equal(waitB.body().position, 1)
    const waitA = await approve(client, a)
    assert.equal(waitA.body().status, 'waitlisted')
    assert.equal(waitA.body().position, 1)
    assert.equal(await statusOf(b), 'waitlisted')
    assert.lengthOf(await grantsOf(a), 0)
    assert.lengthOf(await grantsOf(b), 0)
    const waitingMail = await lastMailTo(
      parents[0].email,
      'application_waitlisted',
      3000,
      testStart
    )
    assert.include(waitingMail.text, 'waiting list: 1')

    // Each parent sees their own place; nobody can read another's.
    const seenByA = await client
      .get(`/portal/applications/${a}`)
      .header('accept', 'application/json')
      .loginAs(parents[0])
    assert.equal(seenByA.body().application.status, 'waitlisted')
    assert.equal(seenByA.body().application.waitlistPosition, 1)
    assert.isTrue(seenByA.body().application.canWithdraw)
    const seenByB = await client
      .get(`/portal/applications/${b}`)
      .header('accept', 'application/json')
      .loginAs(parents[1])
    assert.equal(seenByB.body().application.waitlistPosition, 2)
    const tenant = (await owner().from('programs').where('id', program).first()).tenant_id
    const peek = await withTenantScope(
      { tenantId: tenant, userId: parents[0].id, platform: false },
      () => waitlistPosition({ tenantId: tenant, id: b })
    )
    assert.isNull(peek)

    // The programme page shows the waiting list and what it needs.
    const page = await client
      .get(`/admin/programs/${program}`)
      .header('accept', 'application/json')
      .loginAs(manager)
    assert.equal(page.body().budget.waitingCount, 2)
    assert.equal(page.body().budget.waitingMinor, 100_000)

    // Raising the budget by one grant grants A (first submitted), not B.
    const saved = await setBudget(client, (await drawn()) + 50_000)
    assert.deepEqual(saved.released.stillWaiting, 1)
    assert.equal(await statusOf(a), 'approved')
    assert.equal(await statusOf(b), 'waitlisted')
    assert.lengthOf(await grantsOf(a), 1)
    const grantedMail = await lastMailTo(parents[0].email, 'application_approved', 3000, testStart)
    assert.exists(grantedMail)
    const events = await owner()
      .from('application_events')
      .where('application_id', a)
      .orderBy('seq')
    assert.deepEqual(
      events.map((e) => e.kind),
      ['submitted', 'waitlisted', 'granted']
    )
    const benefits = await client
      .get('/portal/benefits')
      .header('accept', 'application/json')
      .loginAs(parents[0])
    const credit = benefits.body().children.find((x: any) => x.id === children[0]).credits
    assert.deepEqual(
      credit.map((x: any) => x.amountMinor),
      [50_000]
    )

    // B withdraws while waiting: nothing is granted, and the list is empty.
    const withdrawn = await client
      .post(`/portal/applications/${b}/withdraw`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(parents[1])
    withdrawn.assertStatus(200)
    assert.equal(await statusOf(b), 'withdrawn')
    await setBudget(client, (await drawn()) + 500_000)
    assert.lengthOf(await grantsOf(b), 0)
  })

  test('nobody jumps the line: a new approval joins those waiting, granted after them', async ({
    client,
    assert,
  }) => {
    await setBudget(client, await drawn())
    const [a, b] = [await submit(client, 0), await submit(client, 1)]
    assert.equal((await approve(client, a)).body().status, 'waitlisted')

    // Money arrives without a release (e.g. a reversal): the next approval still queues behind A,
    // and the release it triggers grants A first, then B.
    await setCurrentBudget(program, (await drawn()) + 50_000)
    const approvedB = await approve(client, b)
    approvedB.assertStatus(200)
    assert.equal(approvedB.body().status, 'waitlisted')
    assert.equal(await statusOf(a), 'approved')
    assert.equal(await statusOf(b), 'waitlisted')
    assert.lengthOf(await grantsOf(a), 1)
    assert.lengthOf(await grantsOf(b), 0)
  })

  test('staff can release by hand; two releases at once grant each application once', async ({
    client,
    assert,
  }) => {
    await setBudget(client, await drawn())
    const ids = [await submit(client, 0), await submit(client, 1), await submit(client, 2)]
    for (const id of ids) assert.equal((await approve(client, id)).body().status, 'waitlisted')

    await setCurrentBudget(program, (await drawn()) + 100_000)

    const release = () =>
      client
        .post(`/admin/programs/${program}/waitlist/release`)
        .withCsrfToken()
        .header('accept', 'application/json')
        .loginAs(manager)
    const [one, two] = await Promise.all([release(), release()])
    one.assertStatus(200)
    two.assertStatus(200)
    const granted = [...one.body().granted, ...two.body().granted]
    assert.lengthOf(granted, 2)
    assert.equal(new Set(granted).size, 2)
    assert.deepEqual(await Promise.all(ids.map(statusOf)), ['approved', 'approved', 'waitlisted'])
    for (const id of ids.slice(0, 2)) assert.lengthOf(await grantsOf(id), 1)

    // A reviewer may still reject a waiting application, with a reason.
    const rejected = await client
      .post(`/admin/applications/${ids[2]}/reject`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ reason: 'The camp is full for this summer.' })
      .loginAs(reviewer)
    rejected.assertStatus(200)
    assert.equal(await statusOf(ids[2]), 'rejected')

    // A citizen cannot release anything.
    const citizen = await client
      .post(`/admin/programs/${program}/waitlist/release`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(parents[0])
    assert.include([403, 404], citizen.status())
  })

  test('without a waiting list an exhausted budget still refuses', async ({ client, assert }) => {
    const response = await client
      .put(`/admin/programs/${program}`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ config: config(await drawn(), 'refuse') })
      .loginAs(manager)
    response.assertStatus(200)
    const id = await submit(client, 3)
    const refused = await approve(client, id)
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].rule, 'applications.budget_exhausted')
    assert.equal(await statusOf(id), 'submitted')
  })
})
