import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { demoUser } from '#tests/helpers/auth'
import { lastMailTo } from '#tests/helpers/auth'
import {
  CHILD_ALLOWANCE,
  clearApplicationsOf,
  submitWithChildAllowance,
  makeChild,
  makeCitizen,
  pdfBytes,
  pngBytes,
  programId,
  verify,
} from '#tests/helpers/applications'

const owner = () => db.connection('owner')

const CZ_PARENT = {
  email: 'petra.app.cz@activecity.test',
  fullName: 'Petra Dvořáková',
  homeTenant: 'crdm',
  citizenship: 'CZ',
  locale: 'en' as const,
}
const UA_PARENT = {
  email: 'oksana.app.ua@activecity.test',
  fullName: 'Oksana Bondarenko',
  homeTenant: 'crdm',
  citizenship: 'UA',
  locale: 'en' as const,
}
const P5_PARENT = {
  email: 'karel.app.p5@activecity.test',
  fullName: 'Karel Novák',
  homeTenant: 'praha-5',
  citizenship: 'CZ',
  locale: 'en' as const,
}

let cz: User
let ua: User
let p5: User
let czChild: string
let czChild2: string
let uaChild: string
let p5Child: string
let dkCz: string
let dkUa: string
let praha5: string

async function statusOf(id: string) {
  const row = await owner().from('applications').where('id', id).first()
  return row?.status ?? null
}

/** A parent's submission to the Czech call with the child allowance and a PDF decision. */
function submitToCzechCall(client: ApiClient, parent: User, childId: string, program: string) {
  return submitWithChildAllowance(client, parent, program, childId)
}

async function countApplications(user: User) {
  const row = await owner()
    .from('applications')
    .where('applicant_user_id', user.id)
    .count('* as n')
    .first()
  return Number(row.n)
}

test.group('applications: submit, review, grant', (group) => {
  group.setup(async () => {
    cz = await makeCitizen(CZ_PARENT)
    ua = await makeCitizen(UA_PARENT)
    p5 = await makeCitizen(P5_PARENT)
    czChild = await makeChild(cz, 'Adam', '2015-03-02')
    czChild2 = await makeChild(cz, 'Bára', '2017-06-20')
    uaChild = await makeChild(ua, 'Mykola', '2014-01-15')
    p5Child = await makeChild(p5, 'Ema', '2016-09-09')
    dkCz = await programId('crdm', 'darujeme-krouzky-cz')
    dkUa = await programId('crdm', 'darujeme-krouzky-ua')
    praha5 = await programId('praha-5', 'letni-tabory-2027')
  })
  group.each.setup(async () => {
    await clearApplicationsOf(cz, ua, p5)
  })
  group.teardown(async () => {
    await clearApplicationsOf(cz, ua, p5)
  })

  test('offers list the nationwide call with a verdict per child', async ({ client, assert }) => {
    const response = await client
      .get('/portal/offers')
      .header('accept', 'application/json')
      .loginAs(cz)
    response.assertStatus(200)
    const offer = response.body().offers.find((o: any) => o.id === dkCz)
    assert.exists(offer)
    assert.isNull(offer.closedReason)
    const adam = offer.children.find((c: any) => c.childId === czChild)
    assert.equal(adam.verdict, 'answers_needed')
    // The UA call is for Ukrainian citizens: shown closed to a Czech parent, with the reason.
    const uaOffer = response.body().offers.find((o: any) => o.id === dkUa)
    assert.match(uaOffer.closedReason, /Ukra/)
    // Praha 5's residents' program is not an offer for a ČRDM citizen at all.
    assert.notExists(response.body().offers.find((o: any) => o.id === praha5))
  })

  test('the Czech call: documents, more information, approval with two vouchers', async ({
    client,
    assert,
  }) => {
    const reviewer = await demoUser('admin.crdm@activecity.test')

    // The live check names the document the answers make necessary.
    const check = await client
      .post(`/portal/programs/${dkCz}/check`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ childId: czChild, declared: CHILD_ALLOWANCE })
      .loginAs(cz)
    check.assertStatus(200)
    assert.isTrue(check.body().eligible)
    assert.isTrue(
      check.body().documents.find((d: any) => d.key === 'labour_office_decision').required
    )

    // Without the document: refused, nothing written.
    const missing = await client
      .post(`/portal/programs/${dkCz}/applications`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ childId: czChild, declared: CHILD_ALLOWANCE })
      .loginAs(cz)
    missing.assertStatus(422)
    assert.equal(missing.body().errors[0].field, 'documents.labour_office_decision')
    assert.equal(await countApplications(cz), 0)

    const submitted = await client
      .post(`/portal/programs/${dkCz}/applications`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .field('childId', czChild)
      .field('declared', JSON.stringify(CHILD_ALLOWANCE))
      .file('documents[labour_office_decision]', pdfBytes(), { filename: 'rozhodnuti.pdf' })
      .loginAs(cz)
    submitted.assertStatus(200)
    const id = submitted.body().id
    assert.match(submitted.body().reference, /^A-\d{4}-\d{6}$/)
    assert.equal(await statusOf(id), 'submitted')
    const received = await lastMailTo(cz.email, 'application_received')
    assert.exists(received)

    // The reviewers' queue shows it as a clean case.
    const queue = await client
      .get('/admin/applications')
      .header('accept', 'application/json')
      .loginAs(reviewer)
    queue.assertStatus(200)
    const row = queue.body().applications.find((a: any) => a.id === id)
    assert.isTrue(row.clean)

    // The reviewer's page: facts, trace, the document inline.
    const page = await client
      .get(`/admin/applications/${id}`)
      .header('accept', 'application/json')
      .loginAs(reviewer)
    page.assertStatus(200)
    const detail = page.body().application
    assert.isTrue(detail.verdict.eligible)
    assert.isAbove(detail.verdict.trace.length, 0)
    assert.lengthOf(detail.documents, 1)
    const file = await client
      .get(`/admin/applications/${id}/documents/${detail.documents[0].id}`)
      .loginAs(reviewer)
    file.assertStatus(200)
    file.assertHeader('content-type', 'application/pdf')
    file.assertHeader('x-content-type-options', 'nosniff')
    assert.match(file.header('content-disposition') ?? '', /^inline/)

    // More information requested: the parent is e-mailed and answers with another document.
    const ask = await client
      .post(`/admin/applications/${id}/request-info`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ message: 'Please add the page with the amount of the benefit.' })
      .loginAs(reviewer)
    ask.assertStatus(200)
    assert.equal(await statusOf(id), 'info_requested')
    const asked = await lastMailTo(cz.email, 'application_info_requested')
    assert.include(asked.text, 'page with the amount')

    // Approving now is refused: it waits for the parent.
    const early = await client
      .post(`/admin/applications/${id}/approve`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(reviewer)
    early.assertStatus(422)

    const answer = await client
      .post(`/portal/applications/${id}/answer`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .field('note', 'Second page attached.')
      .file('documents[labour_office_decision]', pngBytes(), { filename: 'page2.png' })
      .loginAs(cz)
    answer.assertStatus(200)
    assert.equal(await statusOf(id), 'submitted')

    const approve = await client
      .post(`/admin/applications/${id}/approve`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(reviewer)
    approve.assertStatus(200)
    assert.lengthOf(approve.body().vouchers, 2)
    assert.deepEqual(
      approve.body().vouchers.map((v: any) => v.faceValue),
      [100_000, 100_000]
    )
    assert.equal(await statusOf(id), 'approved')
    const approvedMail = await lastMailTo(cz.email, 'application_approved')
    assert.exists(approvedMail)

    // Approving twice does not grant twice.
    const again = await client
      .post(`/admin/applications/${id}/approve`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(reviewer)
    again.assertStatus(422)

    // The parent sees two 1000 CZK vouchers for Adam.
    const benefits = await client
      .get('/portal/benefits')
      .header('accept', 'application/json')
      .loginAs(cz)
    benefits.assertStatus(200)
    const adam = benefits.body().children.find((c: any) => c.id === czChild)
    assert.lengthOf(adam.vouchers, 2)
    assert.isTrue(
      adam.vouchers.every((v: any) => v.faceValueMinor === 100_000 && v.status === 'active')
    )

    // The history tells the whole story; the decision replays to the same verdict.
    const mine = await client
      .get(`/portal/applications/${id}`)
      .header('accept', 'application/json')
      .loginAs(cz)
    assert.deepEqual(
      mine.body().application.events.map((e: any) => e.kind),
      ['submitted', 'info_requested', 'info_provided', 'approved']
    )
    const decisions = (
      await client
        .get(`/admin/applications/${id}`)
        .header('accept', 'application/json')
        .loginAs(reviewer)
    ).body().application.decisions
    assert.lengthOf(decisions, 1)
    const replay = await client
      .get(`/admin/applications/${id}/decisions/${decisions[0].id}/replay`)
      .header('accept', 'application/json')
      .loginAs(reviewer)
    replay.assertStatus(200)
    assert.isTrue(replay.body().same)
  })

  test('bad files are refused by content, size and count, and nothing is written', async ({
    client,
    assert,
  }) => {
    const disguised = await client
      .post(`/portal/programs/${dkCz}/applications`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .field('childId', czChild)
      .field('declared', JSON.stringify(CHILD_ALLOWANCE))
      .file('documents[labour_office_decision]', Buffer.from('just some text, not a PDF at all'), {
        filename: 'decision.pdf',
        contentType: 'application/pdf',
      })
      .loginAs(cz)
    disguised.assertStatus(422)
    assert.equal(disguised.body().errors[0].rule, 'documents.bad_type')
    assert.include(disguised.body().errors[0].message, 'decision.pdf')

    const big = Buffer.concat([pdfBytes(), Buffer.alloc(11 * 1024 * 1024, 32)])
    const oversize = await client
      .post(`/portal/programs/${dkCz}/applications`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .field('childId', czChild)
      .field('declared', JSON.stringify(CHILD_ALLOWANCE))
      .file('documents[labour_office_decision]', big, { filename: 'big.pdf' })
      .loginAs(cz)
    oversize.assertStatus(422)
    assert.equal(oversize.body().errors[0].rule, 'documents.too_large')
    assert.equal(await countApplications(cz), 0)
  })

  test('one live application per child, program and period, also when requests race', async ({
    client,
    assert,
  }) => {
    const submit = () => submitToCzechCall(client, cz, czChild2, dkCz)
    const responses = await Promise.all([submit(), submit(), submit(), submit(), submit()])
    const statuses = responses.map((r) => r.status()).sort()
    assert.deepEqual(statuses, [200, 422, 422, 422, 422])
    const refused = responses.find((r) => r.status() === 422)!
    assert.equal(refused.body().errors[0].rule, 'applications.duplicate')
    assert.equal(await countApplications(cz), 1)

    // Withdrawn, it no longer blocks a new application; withdrawing twice is refused.
    const id = responses.find((r) => r.status() === 200)!.body().id
    const withdraw = await client
      .post(`/portal/applications/${id}/withdraw`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(cz)
    withdraw.assertStatus(200)
    assert.equal(await statusOf(id), 'withdrawn')
    const twice = await client
      .post(`/portal/applications/${id}/withdraw`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(cz)
    twice.assertStatus(422)
    ;(await submit()).assertStatus(200)
  })

  test('a Ukrainian parent over the income limit is told why, and cannot submit', async ({
    client,
    assert,
  }) => {
    const declared = {
      'applicant.protection_status': 'temporary_protection',
      'household.monthly_income': 7_117_600,
      'household.subsistence_minimum': 1_349_000,
    }
    const check = await client
      .post(`/portal/programs/${dkUa}/check`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .header('accept-language', 'en')
      .json({ childId: uaChild, declared })
      .loginAs(ua)
    check.assertStatus(200)
    assert.isFalse(check.body().eligible)
    assert.match(check.body().reasons.join(' '), /3\.4/)

    const submit = await client
      .post(`/portal/programs/${dkUa}/applications`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ childId: uaChild, declared })
      .loginAs(ua)
    submit.assertStatus(422)
    assert.equal(submit.body().errors[0].rule, 'applications.not_eligible')
    assert.equal(await countApplications(ua), 0)
  })

  test('residents only: no verification, an expired one, then a valid one', async ({
    client,
    assert,
  }) => {
    const apply = () =>
      client
        .post(`/portal/programs/${praha5}/applications`)
        .withCsrfToken()
        .header('accept', 'application/json')
        .json({ childId: p5Child })
        .loginAs(p5)
    const none = await apply()
    none.assertStatus(422)
    assert.equal(none.body().errors[0].rule, 'applications.verification_required')

    await verify(p5, 'praha-5', -1)
    const expired = await apply()
    expired.assertStatus(422)
    assert.equal(expired.body().errors[0].rule, 'applications.verification_expired')
    assert.equal(await countApplications(p5), 0)

    await verify(p5, 'praha-5')
    ;(await apply()).assertStatus(200)
  })

  test('an exhausted budget refuses the approval and changes nothing', async ({
    client,
    assert,
  }) => {
    await verify(p5, 'praha-5')
    const submitted = await client
      .post(`/portal/programs/${praha5}/applications`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ childId: p5Child })
      .loginAs(p5)
    submitted.assertStatus(200)
    const id = submitted.body().id
    const version = await owner()
      .from('program_versions as pv')
      .join('programs as p', (join) => {
        join
          .on('p.tenant_id', 'pv.tenant_id')
          .andOn('p.id', 'pv.program_id')
          .andOn('p.current_version', 'pv.version')
      })
      .where('p.id', praha5)
      .select('pv.id', 'pv.budget_minor', 'pv.tenant_id')
      .firstOrFail()
    const issued = await owner()
      .from('ledger_accounts')
      .where('program_id', praha5)
      .where('kind', 'program_funding')
      .select('cached_balance')
      .first()
    const alreadyFunded = issued ? -Number(issued.cached_balance) : 0
    const remaining = await owner()
      .from('ledger_accounts')
      .where('program_id', praha5)
      .where('kind', 'program_budget')
      .select('cached_balance')
      .first()
    const unissued = remaining ? Number(remaining.cached_balance) : 0
    // Shrink the budget to what was already granted plus 100 CZK: the next 1000 CZK cannot fit.
    const budget = alreadyFunded - unissued + 10_000
    await owner().from('program_versions').where('id', version.id).update({ budget_minor: budget })
    try {
      const staff = await demoUser('reviewer.praha5@activecity.test')
      const refused = await client
        .post(`/admin/applications/${id}/approve`)
        .withCsrfToken()
        .header('accept', 'application/json')
        .loginAs(staff)
      refused.assertStatus(422)
      assert.equal(refused.body().errors[0].rule, 'applications.budget_exhausted')
      assert.equal(await statusOf(id), 'submitted')
      const grants = await owner()
        .from('ledger_transactions')
        .whereRaw(`idempotency_key = ?`, [`application:${id}:grant`])
      assert.lengthOf(grants, 0)
    } finally {
      await owner()
        .from('program_versions')
        .where('id', version.id)
        .update({ budget_minor: version.budget_minor })
    }
  })

  test("another tenant's application is not found; another parent's neither", async ({
    client,
    assert,
  }) => {
    const submitted = await submitToCzechCall(client, cz, czChild, dkCz)
    submitted.assertStatus(200)
    const id = submitted.body().id
    const praha5Reviewer = await demoUser('reviewer.praha5@activecity.test')
    for (const path of [`/admin/applications/${id}`]) {
      const response = await client
        .get(path)
        .header('accept', 'application/json')
        .loginAs(praha5Reviewer)
      response.assertStatus(404)
    }
    const approve = await client
      .post(`/admin/applications/${id}/approve`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(praha5Reviewer)
    approve.assertStatus(404)
    const other = await client
      .get(`/portal/applications/${id}`)
      .header('accept', 'application/json')
      .loginAs(ua)
    other.assertStatus(404)
    const withdraw = await client
      .post(`/portal/applications/${id}/withdraw`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(ua)
    withdraw.assertStatus(404)
    assert.equal(await statusOf(id), 'submitted')
    // A child of another parent cannot be applied for.
    const foreign = await client
      .post(`/portal/programs/${dkCz}/applications`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ childId: uaChild, declared: CHILD_ALLOWANCE })
      .loginAs(cz)
    foreign.assertStatus(404)
  })

  test('reject needs a reason; the parent is told it', async ({ client, assert }) => {
    const reviewer = await demoUser('admin.crdm@activecity.test')
    const submitted = await submitToCzechCall(client, cz, czChild, dkCz)
    const id = submitted.body().id
    const empty = await client
      .post(`/admin/applications/${id}/reject`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ reason: '   ' })
      .loginAs(reviewer)
    empty.assertStatus(422)
    assert.equal(await statusOf(id), 'submitted')
    const rejected = await client
      .post(`/admin/applications/${id}/reject`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ reason: 'The decision is for another child.' })
      .loginAs(reviewer)
    rejected.assertStatus(200)
    assert.equal(await statusOf(id), 'rejected')
    const mail = await lastMailTo(cz.email, 'application_rejected')
    assert.include(mail.text, 'another child')
  })

  test('bulk approve approves clean cases and reports the others', async ({ client, assert }) => {
    const reviewer = await demoUser('admin.crdm@activecity.test')
    const ids: string[] = []
    for (const child of [czChild, czChild2]) {
      const response = await submitToCzechCall(client, cz, child, dkCz)
      response.assertStatus(200)
      ids.push(response.body().id)
    }
    await client
      .post(`/admin/applications/${ids[1]}/request-info`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ message: 'Which club?' })
      .loginAs(reviewer)
    const bulk = await client
      .post('/admin/applications/bulk-approve')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ ids })
      .loginAs(reviewer)
    bulk.assertStatus(200)
    assert.equal(bulk.body().approved, 1)
    assert.equal(await statusOf(ids[0]), 'approved')
    assert.equal(await statusOf(ids[1]), 'info_requested')
    assert.isString(bulk.body().outcomes[1].error)
  })

  test("the rule builder's impact counts the program's existing applications", async ({
    client,
    assert,
  }) => {
    const manager = await demoUser('admin.crdm@activecity.test')
    const submitted = await submitToCzechCall(client, cz, czChild, dkCz)
    submitted.assertStatus(200)
    const stricter = {
      and: [
        { '===': [{ var: 'applicant.benefits.care_allowance' }, true] },
        { '<=': [3, { age_on: [{ var: 'child.birth_date' }, { var: 'period.start' }] }, 18] },
      ],
    }
    const response = await client
      .post(`/admin/programs/${dkCz}/rule-test`)
      .header('accept', 'application/json')
      .json({ rule: stricter, samples: [] })
      .loginAs(manager)
    response.assertStatus(200)
    const impact = response.body().impact
    assert.isAtLeast(impact.total, 1)
    assert.isAtLeast(impact.eligibleBefore, 1)
    assert.isAtLeast(impact.changed, 1)
    assert.equal(impact.eligibleBefore - impact.eligibleNow, impact.changed)
  })

  test('a verified Praha 5 resident gets 1000 CZK credit and may also apply nationwide', async ({
    client,
    assert,
  }) => {
    await verify(p5, 'praha-5')
    const reviewer = await demoUser('reviewer.praha5@activecity.test')
    const offers = await client
      .get('/portal/offers')
      .header('accept', 'application/json')
      .loginAs(p5)
    const ids = offers.body().offers.map((o: any) => o.id)
    assert.includeMembers(ids, [praha5, dkCz])
    const submitted = await client
      .post(`/portal/programs/${praha5}/applications`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ childId: p5Child })
      .loginAs(p5)
    submitted.assertStatus(200)
    const approve = await client
      .post(`/admin/applications/${submitted.body().id}/approve`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(reviewer)
    approve.assertStatus(200)
    assert.equal(approve.body().credit, 100_000)
    const benefits = await client
      .get('/portal/benefits')
      .header('accept', 'application/json')
      .loginAs(p5)
    const ema = benefits.body().children.find((c: any) => c.id === p5Child)
    assert.deepEqual(
      ema.credits.map((c: any) => [c.amountMinor, c.currency]),
      [[100_000, 'CZK']]
    )
    const nationwide = await submitToCzechCall(client, p5, p5Child, dkCz)
    nationwide.assertStatus(200)
  })

  test('a child with an application, even a withdrawn one, cannot be removed from the household', async ({
    client,
    assert,
  }) => {
    const submitted = await submitToCzechCall(client, cz, czChild2, dkCz)
    submitted.assertStatus(200)
    const withdraw = await client
      .post(`/portal/applications/${submitted.body().id}/withdraw`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(cz)
    withdraw.assertStatus(200)

    const page = await client
      .get(`/portal/children/${czChild2}`)
      .header('accept', 'application/json')
      .loginAs(cz)
    page.assertStatus(200)
    assert.equal(page.body().applicationCount, 1)

    const remove = await client
      .delete(`/portal/children/${czChild2}`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(cz)
    remove.assertStatus(422)
    assert.match(remove.body().errors[0].message, /has applications for contributions/)
    assert.exists(await owner().from('children').where('id', czChild2).first())
    assert.equal(await statusOf(submitted.body().id), 'withdrawn')

    // A child without applications is removed as before.
    const other = await makeChild(cz, 'Cyril', '2016-01-01')
    const otherPage = await client
      .get(`/portal/children/${other}`)
      .header('accept', 'application/json')
      .loginAs(cz)
    assert.equal(otherPage.body().applicationCount, 0)
    const removed = await client
      .delete(`/portal/children/${other}`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(cz)
    removed.assertStatus(200)
    assert.notExists(await owner().from('children').where('id', other).first())
  })
})
