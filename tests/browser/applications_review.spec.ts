import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { ApiClient } from '@japa/api-client'
import type { Page } from 'playwright'
import type User from '#models/user'
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
 * The reviewers' side in Chromium: the queue filtered by programme, one application with its
 * eligibility trace and documents inline, a request for more information answered by the parent,
 * the approval with a replayable decision; and two clean cases approved together from the queue.
 */
const REVIEWER = 'admin.crdm@activecity.test'
const PARENT = {
  email: 'review.browser.parent@activecity.test',
  fullName: 'Hana Posuzovaná',
  homeTenant: 'crdm',
  citizenship: 'CZ',
  locale: 'en' as const,
}
const CHILD_ALLOWANCE = { 'applicant.benefits.child_allowance': true }

let parent: User
let dkCz: string

async function statusOf(id: string) {
  const row = await db.connection('owner').from('applications').where('id', id).first()
  return row?.status ?? null
}

/** Submits a DK CZ application for a child through the API, as the parent's browser would. */
async function submit(
  client: ApiClient,
  childId: string,
  file = 'rozhodnuti-up.pdf',
  pdf?: Buffer
) {
  const response = await client
    .post(`/portal/programs/${dkCz}/applications`)
    .withCsrfToken()
    .header('accept', 'application/json')
    .field('childId', childId)
    .field('declared', JSON.stringify(CHILD_ALLOWANCE))
    .file('documents[labour_office_decision]', pdf ?? pdfBytes(), { filename: file })
    .loginAs(parent)
  response.assertStatus(200)
  return response.body() as { id: string; reference: string }
}

/** A one-page PDF that a PDF viewer can show (the text in Helvetica, ASCII only). */
function onePagePdf(text: string) {
  const content = `BT /F1 20 Tf 72 760 Td (${text}) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let pdf = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((body, i) => {
    offsets.push(pdf.length)
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = pdf.length
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(pdf, 'latin1')
}

/** Where a screenshot of part of a page goes (beside the full-page ones). */
function screenshotPath(name: string) {
  return app.makePath('tests', 'browser', 'screenshots', `${name}.png`)
}

/**
 * The application page shows its PDFs in frames, and Chromium's PDF viewer frame never reports the
 * network as idle: on that page, wait for the document and the Inertia root instead.
 */
async function loaded(page: Page) {
  await page.waitForLoadState('load')
  await page.locator('#main').waitFor()
}

/** A full-page screenshot without waiting for the network to go idle (see `loaded`). */
async function fullShot(page: Page, name: string) {
  await loaded(page)
  await page.screenshot({ path: screenshotPath(name), fullPage: true })
}

/** No horizontal scrolling: the page fits the viewport's width. */
async function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
}

/**
 * Collects script errors of the page and answers of the app that failed (console messages are not
 * collected: the dev server's hot-reload socket may log there when another run holds its port).
 */
function watchErrors(page: Page) {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('response', (response) => {
    // The app has no favicon yet; the browser asks for one anyway.
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) {
      errors.push(`${response.status()} ${response.url()}`)
    }
  })
  return errors
}

/** The queue filtered by the DK CZ programme through the filter form. */
async function openQueueFilteredByProgram(page: Page) {
  await Promise.all([
    page.waitForURL('**/admin/applications'),
    page.locator('nav[aria-label] a[href="/admin/applications"]').first().click(),
  ])
  await settled(page)
  await page.locator('#program').selectOption(dkCz)
  await Promise.all([
    page.waitForURL((url) => url.searchParams.get('program') === dkCz),
    page.locator('[data-testid=queue-filters] button[type=submit]').click(),
  ])
  await settled(page)
}

test.group('reviewers: the queue and one application', (group) => {
  group.setup(async () => {
    parent = await makeCitizen(PARENT)
    dkCz = await programId('crdm', 'darujeme-krouzky-cz')
  })
  group.each.setup(() => clearApplicationsOf(parent))
  group.teardown(() => clearApplicationsOf(parent))

  test('filters the queue, reads the trace and the PDF, asks for more, approves and replays', async ({
    visit,
    client,
    assert,
  }) => {
    const childId = await makeChild(parent, 'Adéla', '2015-03-02')
    const application = await submit(
      client,
      childId,
      'rozhodnuti-up.pdf',
      onePagePdf('Labour Office decision: child allowance granted')
    )

    const page = await visit('/login')
    const errors = watchErrors(page)
    await page.setViewportSize({ width: 1280, height: 900 })
    await signIn(page, REVIEWER)
    await settled(page)

    // The queue, filtered by programme through the GET form (the query string follows).
    await openQueueFilteredByProgram(page)
    assert.equal(new URL(page.url()).searchParams.get('status'), 'submitted')
    const row = page.locator(`tr[data-application="${application.reference}"]`)
    await row.waitFor()
    assert.equal(await row.getAttribute('data-clean'), 'true')
    assert.equal(await row.locator('[data-clean-badge]').count(), 1)
    assert.equal(await row.locator('input[type=checkbox][data-select]').count(), 1)
    assert.include((await row.textContent()) ?? '', 'Hana Posuzovaná')
    assert.include((await row.textContent()) ?? '', 'Adéla Testová')
    // A filter that matches nothing: waiting at least 30 days.
    await page.locator('#olderThanDays').fill('30')
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('olderThanDays') === '30'),
      page.locator('[data-testid=queue-filters] button[type=submit]').click(),
    ])
    await settled(page)
    await page.locator('[data-testid=queue-empty]').waitFor()
    assert.equal(new URL(page.url()).searchParams.get('program'), dkCz, 'filters are kept')
    await page.locator('#olderThanDays').fill('')
    await Promise.all([
      page.waitForURL((url) => !url.searchParams.has('olderThanDays')),
      page.locator('[data-testid=queue-filters] button[type=submit]').click(),
    ])
    await settled(page)
    await row.waitFor()
    await screenshot(page, 'review-queue')

    // The application: header, facts, verdict with each condition, the PDF inline.
    await Promise.all([
      page.waitForURL(`**/admin/applications/${application.id}`),
      row.locator('a', { hasText: application.reference }).click(),
    ])
    await loaded(page)
    assert.equal(
      (await page.locator('[data-testid=application-reference]').textContent())?.trim(),
      application.reference
    )
    assert.equal(
      await page.locator('[data-application-status]').first().getAttribute('data-status'),
      'submitted'
    )
    assert.equal(
      (await page.locator('[data-testid=child-name]').textContent())?.trim(),
      'Adéla Testová'
    )
    assert.equal(await page.locator('[data-testid=verdict]').getAttribute('data-eligible'), 'true')
    const nodes = page.locator('[data-testid=eligibility-trace] [data-trace-node]')
    assert.isAbove(await nodes.count(), 2)
    assert.isAbove(await page.locator('[data-trace-node][data-outcome=passed]').count(), 0)
    // Each outcome is written out, not only coloured.
    const outcomes = await page.locator('[data-trace-outcome]').allTextContents()
    assert.isTrue(
      outcomes.every((text) => text.trim().length > 2),
      outcomes.join(' | ')
    )
    const declared = await page
      .locator('[data-testid=declared-facts] [data-fact="applicant.benefits.child_allowance"]')
      .textContent()
    assert.equal(declared?.trim(), 'Ano')
    const pdf = page.locator('[data-document][data-content-type="application/pdf"]')
    const frame = pdf.locator('iframe')
    assert.include((await frame.getAttribute('title')) ?? '', 'rozhodnuti-up.pdf')
    const src = (await frame.getAttribute('src'))!
    assert.match(src, new RegExp(`^/admin/applications/${application.id}/documents/[0-9a-f-]{36}$`))
    const file = await page.request.get(src)
    assert.equal(file.status(), 200)
    assert.equal(file.headers()['content-type'], 'application/pdf')
    // The page frames the document (same site): a document that forbids any framing stays blank.
    assert.notEqual(
      file.headers()['x-frame-options']?.toUpperCase(),
      'DENY',
      'documents are sent with X-Frame-Options: DENY, so the PDF cannot show inline'
    )
    assert.equal(await pdf.locator('a[data-open-document]').getAttribute('href'), src)
    assert.equal(await pdf.locator('a[data-open-document]').getAttribute('target'), '_blank')
    // Chromium's PDF viewer draws the page a moment after the frame loads (for the screenshot).
    await frame.scrollIntoViewIfNeeded()
    await page.waitForTimeout(2000)
    await pdf.screenshot({ path: screenshotPath('review-document-pdf') })
    await fullShot(page, 'review-application')

    // Asking for more information: empty first (the error sits at the field), then a message.
    await page.locator('[data-testid=request-info-form] button[type=submit]').click()
    await page.locator('#message-error').waitFor()
    assert.equal(await page.locator('#message').getAttribute('aria-invalid'), 'true')
    assert.equal(await page.locator('#message').getAttribute('aria-describedby'), 'message-error')
    assert.notMatch((await page.locator('#message-error').textContent()) ?? '', /errors\.|review\./)
    await page.locator('#message').fill('Prosíme o stranu rozhodnutí s výší dávky.')
    await page.locator('[data-testid=request-info-form] button[type=submit]').click()
    await page.locator('[data-application-status][data-status=info_requested]').first().waitFor()
    await loaded(page)
    assert.equal(await statusOf(application.id), 'info_requested')
    assert.include(
      (await page.locator('[data-testid=info-request]').textContent()) ?? '',
      'výší dávky'
    )
    assert.equal(await page.locator('[data-action=approve]').count(), 0)
    assert.equal(await page.locator('[data-testid=reject-form]').count(), 1)

    // The parent answers with a scan of the second page.
    const answer = await client
      .post(`/portal/applications/${application.id}/answer`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .field('note', 'Posílám druhou stranu.')
      .file('documents[labour_office_decision]', pngBytes(), { filename: 'strana-2.png' })
      .loginAs(parent)
    answer.assertStatus(200)

    await page.reload()
    await loaded(page)
    assert.equal(
      await page.locator('[data-application-status]').first().getAttribute('data-status'),
      'submitted'
    )
    assert.deepEqual(
      await page
        .locator('[data-testid=history] [data-event]')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-event'))),
      ['submitted', 'info_requested', 'info_provided']
    )
    const image = page.locator('[data-document][data-content-type="image/png"] img')
    assert.include((await image.getAttribute('alt')) ?? '', 'strana-2.png')
    await image.scrollIntoViewIfNeeded()
    await page.waitForFunction(
      () => (document.querySelector('[data-document] img') as HTMLImageElement | null)?.complete
    )
    assert.isAbove(await image.evaluate((img) => (img as HTMLImageElement).naturalWidth), 0)

    // Approving: a confirmation step that takes the focus, then the status and the decision.
    await page.locator('[data-action=approve]').click()
    await page.locator('[data-testid=confirm-approve]').waitFor()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'confirm-approve-heading')
    await page.keyboard.press('Escape')
    await page.locator('[data-action=approve]').waitFor()
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('data-action')),
      'approve'
    )
    await page.locator('[data-action=approve]').click()
    await page.locator('[data-action=approve-confirm]').click()
    await page.locator('[data-application-status][data-status=approved]').first().waitFor()
    await loaded(page)
    assert.equal(await statusOf(application.id), 'approved')
    assert.equal(await page.locator('[data-testid=decide-heading], #decide-heading').count(), 0)
    const decision = page.locator('[data-decision][data-outcome=approved]')
    assert.equal(await decision.count(), 1)
    assert.include((await decision.textContent()) ?? '', 'Jana Dárcová')
    assert.equal(await page.locator('[data-testid=granted] li').count(), 1)

    // Replaying the decision gives the same verdict.
    await decision.locator('[data-action=replay]').click()
    const replay = decision.locator('[data-testid=replay-result][data-state=done]')
    await replay.waitFor()
    assert.equal(await replay.getAttribute('data-same'), 'true')
    await fullShot(page, 'review-application-approved')

    // On a phone the page still fits its width.
    await page.setViewportSize({ width: 360, height: 800 })
    assert.isTrue(await fitsWidth(page), 'the application fits 360 px')
    await fullShot(page, 'review-application-phone')

    assert.deepEqual(errors, [])
  }).timeout(90_000)

  test('approves two clean cases together from the queue', async ({ visit, client, assert }) => {
    const first = await submit(client, await makeChild(parent, 'Bohdan', '2016-05-10'), 'b.pdf')
    const second = await submit(client, await makeChild(parent, 'Cecílie', '2018-11-23'), 'c.pdf')

    const page = await visit('/login')
    const errors = watchErrors(page)
    await page.setViewportSize({ width: 360, height: 800 })
    await signIn(page, REVIEWER)
    await settled(page)
    await openQueueFilteredByProgram(page)
    assert.isTrue(await fitsWidth(page), 'the queue fits 360 px')

    const approve = page.locator('[data-action=bulk-approve]')
    assert.isTrue(await approve.isDisabled(), 'nothing selected yet')
    for (const application of [first, second]) {
      const box = page.locator(`tr[data-application="${application.reference}"] input[data-select]`)
      await box.check()
    }
    assert.include((await page.locator('[data-testid=selected-count]').textContent()) ?? '', '2')
    await screenshot(page, 'review-queue-selected')
    await approve.click()
    await page.locator('[data-testid=bulk-confirm]').waitFor()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'bulk-confirm-heading')
    await page.locator('[data-action=bulk-approve-confirm]').click()
    await page.locator('main [role=status]', { hasText: '2' }).first().waitFor()
    await settled(page)
    assert.equal(await statusOf(first.id), 'approved')
    assert.equal(await statusOf(second.id), 'approved')
    assert.equal(await page.locator('[data-testid=bulk-failures]').count(), 0)
    assert.equal(await page.locator(`tr[data-application="${first.reference}"]`).count(), 0)
    await screenshot(page, 'review-queue-bulk-approved')

    // Both are listed under "approved", no longer selectable.
    await page.locator('#status').selectOption('approved')
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('status') === 'approved'),
      page.locator('[data-testid=queue-filters] button[type=submit]').click(),
    ])
    await settled(page)
    for (const application of [first, second]) {
      const row = page.locator(`tr[data-application="${application.reference}"]`)
      await row.waitFor()
      assert.equal(await row.locator('input[data-select]').count(), 0)
    }
    assert.deepEqual(errors, [])
  }).timeout(90_000)
})
