import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import jsqr from 'jsqr'
import { PNG } from 'pngjs'
import type { Page } from 'playwright'
import type User from '#models/user'
import { demoUser, lastMailTo } from '#tests/helpers/auth'
import { screenshot, settled, signIn } from '#tests/helpers/browser'
import {
  clearApplicationsOf,
  makeChild,
  makeCitizen,
  programId,
  submitWithChildAllowance,
} from '#tests/helpers/applications'

/**
 * The voucher plugin's pages in Chromium: a parent with an approved "Darujeme kroužky dětem"
 * application goes from "Credit and vouchers" to the program's vouchers (the plugin's menu entry)
 * and opens one: the QR code scans to the code printed under it, the page reads well on a phone
 * and prints without the site's chrome, and the voucher can be sent to the parent's e-mail.
 */
const PASSWORD = 'Test-password-1234'
const PARENT = {
  email: 'voucher.browser.parent@activecity.test',
  fullName: 'Hana Poukázková',
  homeTenant: 'praha-5',
  citizenship: 'CZ',
  locale: 'cs' as const,
}

const owner = () => db.connection('owner')

let parent: User
let childId: string
let program: string

/** Collects script errors and failed requests of a page. */
function watchErrors(page: Page) {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`)
  })
  return errors
}

/** A screenshot once Inertia's progress bar is gone. */
async function shot(page: Page, name: string) {
  await page.waitForFunction(() => !document.documentElement.classList.contains('nprogress-busy'))
  await screenshot(page, name)
}

// jsqr is CommonJS: its function is also its `default` export.
const jsQR = jsqr.default

/** What the QR code shown on the page says, read from its pixels. */
async function scanQr(page: Page) {
  const png = PNG.sync.read(await page.locator('[data-testid=voucher-qr]').screenshot())
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null
}

test.group('voucher plugin in the browser', (group) => {
  group.setup(async () => {
    parent = await makeCitizen(PARENT)
    childId = await makeChild(parent, 'Eliška', '2016-02-29')
    program = await programId('crdm', 'darujeme-krouzky-cz')
    await clearApplicationsOf(parent)
    return async () => {
      await clearApplicationsOf(parent)
      await owner().transaction(async (trx) => {
        await trx.rawQuery(`select set_config('app.ledger_maintenance', 'on', true)`)
        await trx.from('users').where('id', parent.id).delete()
      })
    }
  })

  test('a parent opens a voucher from Credit and vouchers, scans, prints and e-mails it', async ({
    visit,
    client,
    assert,
  }) => {
    // An approved application: two vouchers of 1000 CZK for Eliška.
    const submitted = await submitWithChildAllowance(client, parent, program, childId)
    submitted.assertStatus(200)
    const approved = await client
      .post(`/admin/applications/${submitted.body().id}/approve`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(await demoUser('admin.crdm@activecity.test'))
    approved.assertStatus(200)
    const codes = (
      await owner()
        .from('ledger_vouchers')
        .where('child_ref', childId)
        .orderBy('created_at')
        .orderBy('code')
        .select('code')
    ).map((row: any) => row.code as string)
    assert.lengthOf(codes, 2)

    const page = await visit('/login')
    const errors = watchErrors(page)
    await signIn(page, PARENT.email, PASSWORD)
    await settled(page)

    // Credit and vouchers: the program's menu entry from the voucher plugin.
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/portal/benefits'),
      page.locator('nav[aria-label] a[href="/portal/benefits"]').first().click(),
    ])
    await settled(page)
    const entry = page.locator(
      '[data-testid=benefits-program-links] a[data-route="plugins.voucher.portal.vouchers.index"]'
    )
    assert.equal((await entry.textContent())?.trim(), 'Poukázky s QR kódy')
    await shot(page, 'voucher-benefits')
    await Promise.all([
      page.waitForURL((url) => url.pathname.endsWith(`/programs/${program}/vouchers`)),
      entry.click(),
    ])
    await settled(page)
    assert.equal(await page.locator('[data-testid=vouchers] > li').count(), 2)
    await shot(page, 'voucher-list')

    // The first voucher: QR code, the code as text, value, program, period, expiry, status.
    const grouped = codes[0].replace(/(.{4})(?=.)/g, '$1 ')
    await Promise.all([
      page.waitForURL(/\/portal\/plugins\/voucher\/vouchers\/[0-9a-f-]{36}$/),
      page.getByRole('link', { name: `Zobrazit poukázku ${grouped}` }).click(),
    ])
    await settled(page)
    assert.equal(
      (await page.locator('h1').textContent())?.trim(),
      'Poukázka – Darujeme kroužky dětem (CZ)'
    )
    assert.equal((await page.locator('[data-testid=voucher-code]').textContent())?.trim(), grouped)
    assert.equal(
      await page.locator('[data-testid=voucher-qr]').getAttribute('alt'),
      `QR kód poukázky ${grouped}`
    )
    assert.equal(await scanQr(page), codes[0])
    assert.match(
      (await page.locator('[data-testid=voucher-value]').textContent()) ?? '',
      /1\s000\sKč/
    )
    assert.include(
      (await page.locator('[data-testid=voucher-period]').textContent()) ?? '',
      '1. pololetí 2026/27'
    )
    assert.include(
      (await page.locator('[data-testid=voucher-holder]').textContent()) ?? '',
      'Eliška'
    )
    assert.equal(
      await page
        .locator('[data-testid=voucher] [data-voucher-status]')
        .getAttribute('data-voucher-status'),
      'active'
    )
    assert.include(
      (await page.locator('[data-testid=voucher-conditions]').textContent()) ?? '',
      'projektu Darujeme kroužky dětem'
    )
    // No untranslated key anywhere on the page.
    assert.notMatch((await page.locator('#main').textContent()) ?? '', /plugins\.voucher\./)
    await shot(page, 'voucher-page')

    // Printed: the voucher alone, without the site's header, menu, buttons and footer.
    await page.emulateMedia({ media: 'print' })
    assert.isFalse(await page.locator('header').isVisible())
    assert.isFalse(await page.locator('[data-testid=voucher-print]').isVisible())
    assert.isTrue(await page.locator('[data-testid=voucher-qr]').isVisible())
    await shot(page, 'voucher-print')
    await page.emulateMedia({ media: 'screen' })

    // On a phone: no sideways scrolling, and the code still scans.
    await page.setViewportSize({ width: 360, height: 780 })
    assert.isTrue(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
    )
    assert.equal(await scanQr(page), codes[0])
    await shot(page, 'voucher-page-phone')
    await page.setViewportSize({ width: 1280, height: 900 })

    // Sent to the parent's e-mail: a confirmation, and the mail with the code.
    await page.locator('[data-testid=voucher-email]').click()
    await page.locator('[role=status]', { hasText: PARENT.email }).waitFor()
    const mail = await lastMailTo(PARENT.email, 'plugins.voucher.voucher')
    assert.include(mail.text, grouped)
    assert.deepEqual(errors, [])
  })

  test('ČRDM’s staff open the issued vouchers from the program page', async ({ visit, assert }) => {
    const page = await visit('/login')
    const errors = watchErrors(page)
    await signIn(page, 'admin.crdm@activecity.test')
    await settled(page)
    await page.goto(`/admin/programs/${program}`)
    await settled(page)
    const entry = page.locator(
      '[data-testid=program-plugin-links] a[data-route="plugins.voucher.admin.vouchers.index"]'
    )
    assert.equal((await entry.textContent())?.trim(), 'Vydané poukázky')
    await Promise.all([
      page.waitForURL(
        (url) => url.pathname === `/admin/plugins/voucher/programs/${program}/vouchers`
      ),
      entry.click(),
    ])
    await settled(page)
    assert.isAtLeast(Number(await page.locator('[data-count=active]').textContent()), 2)
    const shown = (
      await page.locator('[data-testid=issued-vouchers] tbody th').allTextContents()
    ).map((text) => text.trim())
    assert.isTrue(shown.every((code) => /^•••• •••• •••• [2-9A-Z]{4}$/.test(code)))
    await shot(page, 'voucher-admin-issued')
    assert.deepEqual(errors, [])
  })
})
