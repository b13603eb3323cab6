import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { Page } from 'playwright'
import type User from '#models/user'
import { demoUser } from '#tests/helpers/auth'
import { screenshot, settled, signIn } from '#tests/helpers/browser'
import {
  clearApplicationsOf,
  makeChild,
  makeCitizen,
  pdfBytes,
  pngBytes,
  programId,
} from '#tests/helpers/applications'

/**
 * The citizen's side of applications in Chromium: offers with a verdict per child, the
 * application form with its live check and documents, the application page (a request for more
 * information answered, the approval, withdrawing), My applications, and the credit and vouchers.
 */
const PASSWORD = 'Test-password-1234'
const CZ_PARENT = {
  email: 'portal.apply.cz@activecity.test',
  fullName: 'Tereza Portálová',
  homeTenant: 'crdm',
  citizenship: 'CZ',
  locale: 'cs' as const,
}
const UA_PARENT = {
  email: 'portal.apply.ua@activecity.test',
  fullName: 'Iryna Kovalenko',
  homeTenant: 'crdm',
  citizenship: 'UA',
  locale: 'uk' as const,
}
const NO_CHILDREN = {
  email: 'portal.apply.none@activecity.test',
  fullName: 'Marek Bezdětný',
  homeTenant: 'crdm',
  citizenship: 'CZ',
  locale: 'en' as const,
}

const owner = () => db.connection('owner')

let cz: User
let ua: User
let none: User
let adela: string
let borek: string
let taras: string
let dkCz: string
let dkUa: string

async function countApplications(user: User) {
  const row = await owner()
    .from('applications')
    .where('applicant_user_id', user.id)
    .count('* as n')
    .first()
  return Number(row.n)
}

/** No horizontal scrolling: the page fits the viewport's width. */
async function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
}

/** Collects script errors of a page, so that a broken page fails with its cause. */
function watchErrors(page: Page) {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    // Failed requests are reported by the response handler below, with their address (the
    // browser's own favicon request, which has no page response, is not the page's concern).
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${message.text()}`)
    }
  })
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`)
  })
  return errors
}

/** A screenshot once Inertia's progress bar is gone (it would be drawn over the page). */
async function shot(page: Page, name: string) {
  await page.waitForFunction(() => !document.documentElement.classList.contains('nprogress-busy'))
  await screenshot(page, name)
}

/** Opens a menu item and waits for its page. */
async function openNav(page: Page, href: string) {
  await Promise.all([
    page.waitForURL((url) => url.pathname === href),
    page.locator(`nav[aria-label] a[href="${href}"]`).first().click(),
  ])
  await settled(page)
}

/** Waits until the live check has answered with the given verdict. */
async function verdict(page: Page, expected: string) {
  await page
    .locator(`[data-testid=check-result][data-state=done][data-verdict=${expected}]`)
    .waitFor()
}

/** Submits the application form and waits for the application's page. */
async function submitApplication(page: Page) {
  await Promise.all([
    page.waitForURL(/\/portal\/applications\/[0-9a-f-]{36}$/),
    page.locator('[data-testid=apply-submit]').click(),
  ])
  await settled(page)
  return page.url().split('/').at(-1)!
}

test.group('applications in the citizen portal', (group) => {
  group.setup(async () => {
    cz = await makeCitizen(CZ_PARENT)
    ua = await makeCitizen(UA_PARENT)
    none = await makeCitizen(NO_CHILDREN)
    adela = await makeChild(cz, 'Adéla', '2015-03-02')
    borek = await makeChild(cz, 'Bořek', '2018-06-20')
    taras = await makeChild(ua, 'Taras', '2014-01-15')
    dkCz = await programId('crdm', 'darujeme-krouzky-cz')
    dkUa = await programId('crdm', 'darujeme-krouzky-ua')
    await clearApplicationsOf(cz, ua, none)
  })
  group.teardown(async () => {
    await clearApplicationsOf(cz, ua, none)
    // The children and the accounts go with the people (the ledger keeps its own history). The
    // append-only triggers fire on the foreign keys' "set null" even when no row is left, hence
    // the explicit maintenance switch, as for the applications themselves.
    await owner().transaction(async (trx) => {
      await trx.rawQuery(`select set_config('app.ledger_maintenance', 'on', true)`)
      await trx.from('users').whereIn('id', [cz.id, ua.id, none.id]).delete()
    })
  })

  test('a Czech parent applies for a child with a document, answers a request, gets vouchers and withdraws another application', async ({
    visit,
    client,
    assert,
  }) => {
    const page = await visit('/login')
    const errors = watchErrors(page)
    await signIn(page, CZ_PARENT.email, PASSWORD)
    await settled(page)

    // Offers: the Czech call with both children; the Ukrainian call closed, with the reason.
    await openNav(page, '/portal/offers')
    const offer = page.locator('[data-offer="darujeme-krouzky-cz"]')
    await offer.waitFor()
    assert.equal(await offer.locator('[data-testid=offer-child]').count(), 2)
    assert.deepEqual(
      await offer
        .locator('[data-testid=offer-child]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-verdict'))),
      ['answers_needed', 'answers_needed']
    )
    const closed = page.locator('[data-offer="darujeme-krouzky-ua"] [data-testid=offer-closed]')
    assert.match((await closed.textContent()) ?? '', /Ukrajin/)
    assert.notMatch((await page.locator('#main').textContent()) ?? '', /offers\.|apply\./)
    await shot(page, 'applications-offers')

    // The form for Adéla, preselected; the rule as a sentence; the live check.
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/portal/programs/${dkCz}/apply`),
      offer.locator(`[data-child-id="${adela}"] [data-testid=offer-apply]`).click(),
    ])
    await settled(page)
    assert.equal(await page.locator('#childId').inputValue(), adela)
    assert.isNotEmpty(
      ((await page.locator('[data-testid=program-rule]').textContent()) ?? '').trim()
    )
    await verdict(page, 'incomplete')

    await page.locator('#applicant-benefits-child_allowance').check()
    await verdict(page, 'eligible')
    const decision = page.locator('[data-document=labour_office_decision]')
    assert.equal(await decision.getAttribute('data-required'), 'true')
    assert.isTrue(await decision.locator('[data-testid=document-required]').isVisible())
    assert.include(
      (await page.locator('[data-testid=check-documents]').textContent()) ?? '',
      'Rozhodnutí Úřadu práce'
    )
    assert.equal(
      await page.locator('#document-labour_office_decision').getAttribute('name'),
      'documents[labour_office_decision]'
    )
    await shot(page, 'applications-apply')

    // Sent without the document: the error summary takes the focus and links to the field.
    await page.locator('[data-testid=apply-submit]').click()
    await page.locator('[data-testid=error-summary]').waitFor()
    await page.waitForFunction(() => document.activeElement?.id === 'apply-errors')
    assert.equal(
      await page.locator('#document-labour_office_decision').getAttribute('aria-invalid'),
      'true'
    )
    assert.include(
      (await page.locator('#document-labour_office_decision').getAttribute('aria-describedby')) ??
        '',
      'document-labour_office_decision-error'
    )
    assert.equal(await countApplications(cz), 0)
    await shot(page, 'applications-apply-errors')
    await page.locator('[data-testid=error-summary] a').first().click()
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'document-labour_office_decision'
    )

    // With the PDF: submitted, on the application's page.
    await page.locator('#document-labour_office_decision').setInputFiles({
      name: 'rozhodnuti.pdf',
      mimeType: 'application/pdf',
      buffer: pdfBytes(),
    })
    const id = await submitApplication(page)
    const status = page.locator('[data-testid=application-status]')
    assert.equal(await status.getAttribute('data-status'), 'submitted')
    assert.include((await status.textContent()) ?? '', 'Podáno')
    const link = page.locator('[data-testid=application-documents] a')
    assert.equal(await link.count(), 1)
    assert.equal(await link.getAttribute('target'), '_blank')
    const stored = await owner().from('application_documents').where('application_id', id).first()
    assert.equal(
      await link.getAttribute('href'),
      `/portal/applications/${id}/documents/${stored.id}`
    )
    assert.equal(await page.locator('[data-testid=application-history] li').count(), 1)
    await shot(page, 'applications-show')

    // My applications lists it with its status.
    await openNav(page, '/portal/applications')
    const row = page.locator(`tr[data-application-id="${id}"]`)
    await row.waitFor()
    assert.equal(
      await row.locator('[data-application-status]').getAttribute('data-status'),
      'submitted'
    )
    assert.match((await row.locator('th').textContent()) ?? '', /A-\d{4}-\d{6}/)
    await shot(page, 'applications-index')

    // The reviewer asks for more; the parent answers with a note and a PNG.
    const reviewer = await demoUser('admin.crdm@activecity.test')
    const ask = await client
      .post(`/admin/applications/${id}/request-info`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ message: 'Přiložte prosím i druhou stranu rozhodnutí s výší dávky.' })
      .loginAs(reviewer)
    ask.assertStatus(200)
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/portal/applications/${id}`),
      row.locator('th a').click(),
    ])
    await settled(page)
    assert.equal(await status.getAttribute('data-status'), 'info_requested')
    assert.include(
      (await page.locator('[data-testid=info-request]').textContent()) ?? '',
      'druhou stranu'
    )
    await shot(page, 'applications-info-requested')
    await page.locator('#note').fill('Posílám druhou stranu.')
    await page.locator('[data-testid=answer-form] #document-labour_office_decision').setInputFiles({
      name: 'strana2.png',
      mimeType: 'image/png',
      buffer: pngBytes(),
    })
    await page.locator('[data-testid=answer-submit]').click()
    await page.locator('[data-testid=application-status][data-status=submitted]').waitFor()
    await settled(page)
    assert.equal(await page.locator('[data-testid=application-documents] a').count(), 2)
    assert.deepEqual(
      await page
        .locator('[data-testid=application-history] li')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-event'))),
      ['submitted', 'info_requested', 'info_provided']
    )

    // Approved: what was granted, and the vouchers on the benefits page.
    const approve = await client
      .post(`/admin/applications/${id}/approve`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(reviewer)
    approve.assertStatus(200)
    await page.reload()
    await settled(page)
    assert.equal(await status.getAttribute('data-status'), 'approved')
    assert.match((await page.locator('[data-testid=granted]').textContent()) ?? '', /2 ×.*1\s000/)
    assert.equal(await page.locator('[data-testid=withdraw]').count(), 0)
    await shot(page, 'applications-approved')
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/portal/benefits'),
      page.locator('[aria-labelledby=granted-heading] a[href="/portal/benefits"]').click(),
    ])
    await settled(page)
    const vouchers = page.locator(
      `[data-child-id="${adela}"] [data-testid=benefits-vouchers] tbody tr`
    )
    assert.equal(await vouchers.count(), 2)
    assert.deepEqual(
      (
        await page
          .locator(`[data-child-id="${adela}"] [data-testid=voucher-value]`)
          .allTextContents()
      ).map((text) => text.replace(/\s/g, '')),
      ['1000Kč', '1000Kč']
    )
    assert.equal(
      await page.locator(`[data-child-id="${adela}"] [data-voucher-status=active]`).count(),
      2
    )
    await shot(page, 'applications-benefits')

    // On a 360 px phone: Bořek's application, then withdrawn through the confirmation step.
    await page.setViewportSize({ width: 360, height: 800 })
    await page.goto(`/portal/programs/${dkCz}/apply?child=${borek}`)
    await settled(page)
    assert.equal(await page.locator('#childId').inputValue(), borek)
    await page.locator('#applicant-benefits-care_allowance').check()
    await verdict(page, 'eligible')
    await page.locator('#document-labour_office_decision').setInputFiles({
      name: 'prispevek.pdf',
      mimeType: 'application/pdf',
      buffer: pdfBytes('Care allowance'),
    })
    assert.isTrue(await fitsWidth(page), 'the form fits 360 px')
    await shot(page, 'applications-apply-phone')
    const second = await submitApplication(page)
    assert.isTrue(await fitsWidth(page), 'the application fits 360 px')
    await page.locator('[data-testid=withdraw]').click()
    await page.locator('[data-testid=confirm-withdraw]').waitFor()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'confirm-withdraw-heading')
    await shot(page, 'applications-withdraw-confirm')
    await page.locator('[data-testid=confirm-withdraw-yes]').click()
    await page.locator('[data-testid=application-status][data-status=withdrawn]').waitFor()
    await settled(page)
    const secondRow = await owner().from('applications').where('id', second).first()
    assert.equal(secondRow.status, 'withdrawn')
    assert.equal(await page.locator('[data-testid=withdraw]').count(), 0)
    await shot(page, 'applications-withdrawn')

    // Offers now link Adéla's application and offer Bořek a new one.
    await page.setViewportSize({ width: 1280, height: 900 })
    await openNav(page, '/portal/offers')
    const adelaRow = offer.locator(`[data-child-id="${adela}"]`)
    assert.equal(await adelaRow.getAttribute('data-verdict'), 'applied')
    assert.equal(await adelaRow.locator('a').getAttribute('href'), `/portal/applications/${id}`)
    assert.equal(
      await offer.locator(`[data-child-id="${borek}"]`).getAttribute('data-verdict'),
      'answers_needed'
    )
    assert.deepEqual(errors, [])
  }).timeout(120_000)

  test('a Ukrainian parent over the income limit is told why and cannot submit', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/login')
    const errors = watchErrors(page)
    await signIn(page, UA_PARENT.email, PASSWORD)
    await settled(page)
    await openNav(page, '/portal/offers')
    const offer = page.locator('[data-offer="darujeme-krouzky-ua"]')
    await offer.waitFor()
    assert.equal(
      await offer.locator(`[data-child-id="${taras}"]`).getAttribute('data-verdict'),
      'answers_needed'
    )
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/portal/programs/${dkUa}/apply`),
      offer.locator(`[data-child-id="${taras}"] [data-testid=offer-apply]`).click(),
    ])
    await settled(page)
    await verdict(page, 'incomplete')

    await page.locator('#applicant-protection_status-temporary_protection').check()
    await page.locator('#household-monthly_income').fill('71176')
    await page.locator('#household-subsistence_minimum').fill('13490')
    await verdict(page, 'not_eligible')
    const reasons = (await page.locator('[data-testid=check-reasons]').textContent()) ?? ''
    assert.match(reasons, /3[.,]4/)
    // The protection status asks for the protection document.
    assert.equal(
      await page.locator('[data-document=protection_document]').getAttribute('data-required'),
      'true'
    )
    await shot(page, 'applications-apply-not-eligible')

    // Submitting is refused with the same reason, and nothing is written.
    await page.locator('[data-testid=apply-submit]').click()
    const summary = page.locator('[data-testid=error-summary]')
    await summary.waitFor()
    await settled(page)
    assert.match((await summary.textContent()) ?? '', /3[.,]4/)
    assert.equal(new URL(page.url()).pathname, `/portal/programs/${dkUa}/apply`)
    assert.equal(await countApplications(ua), 0)
    await shot(page, 'applications-apply-refused')
    assert.deepEqual(errors, [])
  }).timeout(60_000)

  test('a parent without children is sent to add them first', async ({ visit, assert }) => {
    const page = await visit('/login')
    await signIn(page, NO_CHILDREN.email, PASSWORD)
    await settled(page)
    await openNav(page, '/portal/offers')
    const notice = page.locator('[data-testid=offers-no-children]')
    await notice.waitFor()
    assert.equal(await notice.locator('a').getAttribute('href'), '/portal/children')
    assert.equal(await page.locator('[data-testid=offer-apply]').count(), 0)
    await shot(page, 'applications-offers-no-children')
    await openNav(page, '/portal/applications')
    await page.locator('[data-testid=applications-empty]').waitFor()
    await openNav(page, '/portal/benefits')
    await page.locator('[data-testid=benefits-no-children]').waitFor()
    assert.equal(
      await page.locator('[data-testid=benefits-no-children] a').getAttribute('href'),
      '/portal/children'
    )
  }).timeout(60_000)
})
