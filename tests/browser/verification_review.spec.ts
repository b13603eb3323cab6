import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { demoUser } from '#tests/helpers/auth'
import { screenshot, settled, signIn, signOut } from '#tests/helpers/browser'
import {
  clearCensus,
  clearVerificationsOf,
  pngBytes,
  testCitizen,
  TEST_PASSWORD,
} from '#tests/helpers/verification'
import registerServiceRegistry from '#verification/register_service_registry'

/**
 * Verification beyond the register, in Chromium: a tenant admin uploads the census and a
 * resident verifies against it; a citizen sends a document, a reviewer opens it and verifies
 * them, and the citizen sees it.
 */
const HANA = {
  email: 'hana.census@activecity.test',
  fullName: 'Hana Navrátilová',
  birthDate: '1985-07-15',
}
const CENSUS = [
  'Jméno;Příjmení;Datum narození;Rodné číslo',
  'Hana;Navrátilová;15. 7. 1985;855715/2241',
  'Pavel;Čermák;1970-01-01;700101/2612',
].join('\r\n')

/** Collects the page's script errors, to show them when a wait fails. */
function watchErrors(page: Page) {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`)
  })
  return errors
}

async function openFromMenu(page: Page, href: string) {
  await Promise.all([
    page.waitForURL(`**${href}`),
    page.locator(`nav[aria-label] a[href="${href}"]`).first().click(),
  ])
  await settled(page)
}

test.group('verification by census and by documents', (group) => {
  group.each.setup(async () => {
    registerServiceRegistry.restore()
    await clearCensus('olomouc')
    const hana = await testCitizen({
      email: HANA.email,
      fullName: HANA.fullName,
      tenant: 'olomouc',
    })
    const lucie = await demoUser('citizen@activecity.test')
    await clearVerificationsOf([hana.id, lucie.id])
  })
  group.teardown(async () => {
    registerServiceRegistry.restore()
    await clearCensus('olomouc')
    const hana = await testCitizen({
      email: HANA.email,
      fullName: HANA.fullName,
      tenant: 'olomouc',
    })
    const lucie = await demoUser('citizen@activecity.test')
    await clearVerificationsOf([hana.id, lucie.id])
  })

  test('the admin uploads the census, then a resident verifies against it', async ({
    visit,
    assert,
  }) => {
    // Olomouc without a register: the census is its online method.
    registerServiceRegistry.override('olomouc', null)
    const page = await visit('/login')
    const errors = watchErrors(page)
    await signIn(page, 'admin.olomouc@activecity.test')
    await settled(page)
    await openFromMenu(page, '/admin/census')
    assert.equal(await page.locator('[data-testid=census-none]').count(), 1)

    // A file with the wrong columns first: the mistakes are listed, nothing is stored.
    await page.locator('#file').setInputFiles({
      name: 'obyvatele.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('jmeno_a_prijmeni;email\nHana Navrátilová;hana@example.cz\n'),
    })
    await page.locator('[data-testid=census-form] button[type=submit]').click()
    await page
      .locator('[data-census-line-error]')
      .first()
      .waitFor()
      .catch((error) => {
        throw new Error(`${error.message}\n${errors.join('\n')}`)
      })
    assert.equal(await page.locator('#file').getAttribute('aria-invalid'), 'true')
    assert.include(
      (await page.locator('#file').getAttribute('aria-describedby')) ?? '',
      'file-error'
    )
    const listed = (await page.locator('[data-census-line-error]').allTextContents()).join(' ')
    assert.notMatch(listed, /errors\.|census\./)
    assert.equal(await page.locator('[data-testid=census-none]').count(), 1)
    await screenshot(page, 'census-errors')

    // The right file, by keyboard: focus the file field and submit with Enter on the button.
    await page.locator('#file').setInputFiles({
      name: 'obyvatele.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${CENSUS}`),
    })
    await page.locator('[data-testid=census-form] button[type=submit]').focus()
    await page.keyboard.press('Enter')
    await page.locator('[data-testid=census-count]').waitFor()
    await settled(page)
    assert.equal((await page.locator('[data-testid=census-count]').textContent())?.trim(), '2')
    assert.equal(await page.locator('[data-census-line-error]').count(), 0)
    await screenshot(page, 'census-uploaded')
    await signOut(page)

    // Hana verifies herself: a wrong date first, then the right one.
    await signIn(page, HANA.email, TEST_PASSWORD)
    await settled(page)
    await openFromMenu(page, '/portal/verification')
    const form = page.locator('[data-testid=verification-form]')
    assert.equal(await form.getAttribute('data-method'), 'census')
    await page.locator('#birthDate').fill('1985-07-16')
    await form.locator('button[type=submit]').click()
    const outcome = page.locator('[data-testid=verification-outcome]')
    await outcome.waitFor()
    await settled(page)
    assert.equal(await outcome.getAttribute('data-status'), 'no_match')
    assert.equal(await outcome.getAttribute('data-method'), 'census')
    assert.notMatch((await outcome.textContent()) ?? '', /verification\./)
    await screenshot(page, 'verification-census-no-match')

    await page.locator('#birthDate').fill(HANA.birthDate)
    await page.locator('#birthNumber').fill('855715/2241')
    await form.locator('button[type=submit]').click()
    await page.locator('[data-testid=verification-state][data-state=verified]').waitFor()
    await settled(page)
    assert.notMatch(
      (await page.locator('[data-testid=verification-method]').textContent()) ?? '',
      /verification\./
    )
    await screenshot(page, 'verification-census-verified')
  })

  test('a citizen sends a document, a reviewer opens it and verifies, the citizen sees it', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/login')
    const errors = watchErrors(page)
    await signIn(page, 'citizen@activecity.test')
    await settled(page)
    await openFromMenu(page, '/portal/verification')

    // A "PDF" that is really text is refused by its content, with the error tied to the field.
    const documents = page.locator('[data-testid=verification-documents-form]')
    await page.locator('#document').setInputFiles({
      name: 'obcansky-prukaz.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('Just text pretending to be a PDF.'),
    })
    await documents.locator('button[type=submit]').click()
    await documents
      .locator('[data-field-error]')
      .waitFor()
      .catch((error) => {
        throw new Error(`${error.message}\n${errors.join('\n')}`)
      })
    assert.equal(await page.locator('#document').getAttribute('aria-invalid'), 'true')
    assert.include(
      (await page.locator('#document').getAttribute('aria-describedby')) ?? '',
      'document-error'
    )
    assert.notMatch((await documents.textContent()) ?? '', /errors\.|verification\./)
    await screenshot(page, 'verification-document-refused-type')

    // A real scan (PNG): the request now waits for review.
    await page.locator('#document').setInputFiles({
      name: 'obcansky-prukaz.png',
      mimeType: 'image/png',
      buffer: pngBytes(480, 300),
    })
    await documents.locator('button[type=submit]').click()
    await page.locator('[data-testid=verification-state][data-state=pending]').waitFor()
    await settled(page)
    assert.equal(await page.locator('[data-testid=verification-documents-form]').count(), 0)
    await screenshot(page, 'verification-document-pending')
    await signOut(page)

    // The reviewer finds it in the queue, sees the document inline and verifies.
    await signIn(page, 'reviewer.praha5@activecity.test')
    await settled(page)
    await openFromMenu(page, '/admin/verifications')
    const lucie = await demoUser('citizen@activecity.test')
    const row = page.locator('tbody tr').filter({ hasText: lucie.fullName }).first()
    await screenshot(page, 'verifications-queue')
    await Promise.all([
      page.waitForURL(/\/admin\/verifications\/[0-9a-f-]{36}$/),
      row.locator('a').first().click(),
    ])
    await settled(page)
    const preview = page.locator('[data-testid=verification-document-preview]')
    await preview.waitFor()
    await page.waitForFunction(() => {
      const image = document.querySelector(
        '[data-testid=verification-document-preview]'
      ) as HTMLImageElement | null
      return !!image && image.complete && image.naturalWidth > 0
    })
    assert.equal(await preview.evaluate((image: HTMLImageElement) => image.naturalWidth), 480)
    assert.isNotEmpty((await preview.getAttribute('alt')) ?? '')
    await screenshot(page, 'verification-review')
    await page.locator('[data-testid=verification-verify]').click()
    await page
      .locator('[data-testid=verification-status] [data-status=verified]')
      .waitFor()
      .catch((error) => {
        throw new Error(`${error.message}\n${errors.join('\n')}`)
      })
    await settled(page)
    await screenshot(page, 'verification-review-verified')
    await signOut(page)

    // The citizen sees that she is verified, by documents.
    await signIn(page, 'citizen@activecity.test')
    await settled(page)
    await page.goto('/portal/verification')
    await page.locator('[data-testid=verification-state][data-state=verified]').waitFor()
    await settled(page)
    assert.notMatch(
      (await page.locator('[data-testid=verification-method]').textContent()) ?? '',
      /verification\./
    )
    await screenshot(page, 'verification-document-verified')
    await signOut(page)

    // The reviewer revokes it with a reason; the citizen reads it and can verify again by keyboard.
    await signIn(page, 'reviewer.praha5@activecity.test')
    await settled(page)
    await page.goto('/admin/verifications?status=verified')
    await settled(page)
    await Promise.all([
      page.waitForURL(/\/admin\/verifications\/[0-9a-f-]{36}$/),
      page.locator('tbody tr').filter({ hasText: lucie.fullName }).first().locator('a').click(),
    ])
    await settled(page)
    const revokeForm = page.locator('[data-testid=verification-revoke-form]')
    await revokeForm.locator('button[type=submit]').click()
    await revokeForm.locator('[data-field-error]').waitFor()
    assert.equal(await page.locator('#revokeReason').getAttribute('aria-invalid'), 'true')
    const reason = 'Podle evidence jste se odstěhovala. Ověřte se prosím znovu.'
    await page.locator('#revokeReason').fill(reason)
    await revokeForm.locator('button[type=submit]').click()
    await page.locator('[data-testid=verification-status] [data-status=revoked]').waitFor()
    await settled(page)
    await signOut(page)

    await signIn(page, 'citizen@activecity.test')
    await settled(page)
    await page.goto('/portal/verification')
    await page.locator('[data-testid=verification-state][data-state=revoked]').waitFor()
    await settled(page)
    assert.equal(
      (await page.locator('[data-testid=verification-revoke-reason]').textContent())?.trim(),
      reason
    )
    await screenshot(page, 'verification-revoked')
    await page.locator('[data-testid=verification-again]').focus()
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.activeElement?.id === 'birthDate')
  })
})
