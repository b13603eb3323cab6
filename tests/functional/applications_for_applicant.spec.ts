/*
 * Programs whose beneficiary is the applicant (Olomouc's seniors' voucher): offers, the form,
 * submission without a child, duplicates, approval and the benefit held by the person.
 */
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { demoUser, lastMailTo } from '#tests/helpers/auth'
import {
  clearApplicationsOf,
  makeChild,
  makeCitizen,
  programId,
  verify,
} from '#tests/helpers/applications'

const owner = () => db.connection('owner')
/** When the running test started: mail queued before it belongs to another test. */
let testStart = new Date()

const SENIOR = {
  email: 'ludmila.app.senior@activecity.test',
  fullName: 'Ludmila Holubová',
  homeTenant: 'olomouc',
  citizenship: 'CZ',
  locale: 'en' as const,
}
const YOUNGER = {
  email: 'pavel.app.olomouc@activecity.test',
  fullName: 'Pavel Čermák',
  homeTenant: 'olomouc',
  citizenship: 'CZ',
  locale: 'en' as const,
}

let senior: User
let younger: User
let seniors: string

function offerOf(body: any) {
  return body.offers.find((offer: any) => offer.id === seniors)
}

test.group('applications for the applicant themselves (seniors 60+)', (group) => {
  group.setup(async () => {
    senior = await makeCitizen(SENIOR)
    younger = await makeCitizen(YOUNGER)
    // A child in the household changes nothing: the program is for the applicant.
    await makeChild(senior, 'Vnuk', '2015-05-05')
    seniors = await programId('olomouc', 'seniori-plavani-kultura-2027')
  })
  group.each.setup(async () => {
    testStart = new Date()
    await clearApplicationsOf(senior, younger)
  })
  group.teardown(async () => {
    await clearApplicationsOf(senior, younger)
  })

  test('offers show one row for the person, judged on the birth date the register confirmed', async ({
    client,
    assert,
  }) => {
    await verify(senior, 'olomouc', 365, '1952-03-30')
    await verify(younger, 'olomouc', 365, '1970-01-01')

    const mine = await client
      .get('/portal/offers')
      .header('accept', 'application/json')
      .loginAs(senior)
    mine.assertStatus(200)
    const offer = offerOf(mine.body())
    assert.isTrue(offer.forApplicant)
    assert.isNull(offer.closedReason)
    assert.lengthOf(offer.children, 1)
    assert.isNull(offer.children[0].childId)
    assert.equal(offer.children[0].name, SENIOR.fullName)
    assert.equal(offer.children[0].verdict, 'eligible')

    const theirs = await client
      .get('/portal/offers')
      .header('accept', 'application/json')
      .loginAs(younger)
    const refused = offerOf(theirs.body()).children[0]
    assert.equal(refused.verdict, 'not_eligible')
    assert.match(refused.reasons.join(' '), /60/)
  })

  test('the form asks nothing the register confirmed; without it, it asks the birth date', async ({
    client,
    assert,
  }) => {
    await verify(senior, 'olomouc', 365, '1952-03-30')
    const form = await client
      .get(`/portal/programs/${seniors}/apply`)
      .header('accept', 'application/json')
      .loginAs(senior)
    form.assertStatus(200)
    assert.isTrue(form.body().forApplicant)
    assert.deepEqual(form.body().children, [])
    assert.deepEqual(form.body().questions, [])

    // A verification that confirmed no birth date (e.g. by documents): the form asks it.
    await clearApplicationsOf(senior)
    await verify(senior, 'olomouc')
    const asking = await client
      .get(`/portal/programs/${seniors}/apply`)
      .header('accept', 'application/json')
      .loginAs(senior)
    assert.deepEqual(
      asking.body().questions.map((q: any) => q.path),
      ['applicant.birth_date']
    )
    const unanswered = await client
      .post(`/portal/programs/${seniors}/applications`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({})
      .loginAs(senior)
    unanswered.assertStatus(422)
    const count = await owner()
      .from('applications')
      .where('applicant_user_id', senior.id)
      .count('* as n')
      .first()
    assert.equal(Number(count.n), 0)
  })

  test('a verified birth date wins over a declared one', async ({ client, assert }) => {
    await verify(younger, 'olomouc', 365, '1970-01-01')
    const check = await client
      .post(`/portal/programs/${seniors}/check`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ declared: { 'applicant.birth_date': '1940-01-01' } })
      .loginAs(younger)
    check.assertStatus(200)
    assert.isFalse(check.body().eligible)
    const submit = await client
      .post(`/portal/programs/${seniors}/applications`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ declared: { 'applicant.birth_date': '1940-01-01' } })
      .loginAs(younger)
    submit.assertStatus(422)
    assert.equal(submit.body().errors[0].rule, 'applications.not_eligible')
  })

  test('submit without a child, approve, and the person holds one 500 CZK voucher', async ({
    client,
    assert,
  }) => {
    await verify(senior, 'olomouc', 365, '1952-03-30')
    const submitted = await client
      .post(`/portal/programs/${seniors}/applications`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({})
      .loginAs(senior)
    submitted.assertStatus(200)
    const id = submitted.body().id
    const row = await owner().from('applications').where('id', id).first()
    assert.isNull(row.child_id)
    assert.equal(row.facts.applicant.birth_date, '1952-03-30')
    assert.notProperty(row.facts, 'child')
    const received = await lastMailTo(senior.email, 'application_received', 3000, testStart)
    assert.notInclude(received.text, 'Child:')

    const detail = await client
      .get(`/portal/applications/${id}`)
      .header('accept', 'application/json')
      .loginAs(senior)
    assert.isTrue(detail.body().application.forApplicant)
    assert.isNull(detail.body().application.child)

    const reviewer = await demoUser('admin.olomouc@activecity.test')
    const queue = await client
      .get('/admin/applications')
      .header('accept', 'application/json')
      .loginAs(reviewer)
    const queued = queue.body().applications.find((a: any) => a.id === id)
    assert.isTrue(queued.forApplicant)
    assert.equal(queued.applicant, SENIOR.fullName)

    const approve = await client
      .post(`/admin/applications/${id}/approve`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(reviewer)
    approve.assertStatus(200)
    assert.deepEqual(
      approve.body().vouchers.map((v: any) => v.faceValue),
      [50_000]
    )
    const voucher = await owner()
      .from('ledger_vouchers')
      .where('grant_transaction_id', approve.body().transactionId)
      .first()
    assert.equal(voucher.child_ref, senior.id)
    const approved = await lastMailTo(senior.email, 'application_approved', 3000, testStart)
    assert.exists(approved)

    // The person sees their own voucher first; another resident sees nothing of it.
    const benefits = await client
      .get('/portal/benefits')
      .header('accept', 'application/json')
      .loginAs(senior)
    const self = benefits.body().children[0]
    assert.isTrue(self.self)
    assert.equal(self.id, senior.id)
    assert.lengthOf(self.vouchers, 1)
    assert.equal(self.vouchers[0].faceValueMinor, 50_000)
    assert.equal(self.vouchers[0].status, 'active')
    const child = benefits.body().children.find((c: any) => !c.self)
    assert.lengthOf(child.vouchers, 0)

    const others = await client
      .get('/portal/benefits')
      .header('accept', 'application/json')
      .loginAs(younger)
    assert.isFalse(others.body().children.some((c: any) => c.self))

    // One per person and period: a second application is refused plainly.
    const second = await client
      .post(`/portal/programs/${seniors}/applications`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({})
      .loginAs(senior)
    second.assertStatus(422)
    assert.equal(second.body().errors[0].rule, 'applications.duplicate_self')
  })

  test('five racing submissions for oneself: exactly one lands', async ({ client, assert }) => {
    await verify(senior, 'olomouc', 365, '1952-03-30')
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        client
          .post(`/portal/programs/${seniors}/applications`)
          .withCsrfToken()
          .header('accept', 'application/json')
          .json({})
          .loginAs(senior)
      )
    )
    const statuses = responses.map((response) => response.status()).sort()
    assert.deepEqual(statuses, [200, 422, 422, 422, 422])
    for (const response of responses.filter((r) => r.status() === 422)) {
      assert.equal(response.body().errors[0].rule, 'applications.duplicate_self')
    }
    const count = await owner()
      .from('applications')
      .where('applicant_user_id', senior.id)
      .count('* as n')
      .first()
    assert.equal(Number(count.n), 1)
  })

  test('a program for the applicant refuses a rule about a child, by name', async ({
    client,
    assert,
  }) => {
    const manager = await demoUser('admin.olomouc@activecity.test')
    const created = await client
      .post('/admin/programs')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({
        slug: 'seniori-s-vnoucaty',
        pluginId: 'voucher',
        config: {
          name: { cs: 'Senioři s vnoučaty' },
          periods: [
            { key: 'p1', name: { cs: 'Období 1' }, start: '2027-01-01', end: '2027-06-30' },
          ],
          audience: { scope: 'residents', beneficiary: 'applicant' },
          currency: 'CZK',
          budgetMinor: 10_000_000,
          limits: {},
          coPaymentBp: 0,
          documents: [],
          eligibilityRule: {
            '>=': [{ age_on: [{ var: 'child.birth_date' }, { var: 'reference_date' }] }, 3],
          },
          params: {},
          categories: [],
          requiresActivityApproval: false,
          pluginSettings: { faceValue: 50_000 },
        },
      })
      .loginAs(manager)
    created.assertStatus(422)
    const error = created.body().errors.find((e: any) => e.field === 'eligibilityRule')
    assert.exists(error)
    assert.include(error.message, 'child.birth_date')
    const exists = await owner().from('programs').where('slug', 'seniori-s-vnoucaty').first()
    assert.notExists(exists)
  })
})
