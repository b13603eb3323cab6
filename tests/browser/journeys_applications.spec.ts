import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { Browser, Page } from 'playwright'
import User from '#models/user'
import { demoUser } from '#tests/helpers/auth'
import { screenshot, settled, signIn } from '#tests/helpers/browser'
import { clearApplicationsOf, pdfBytes, pngBytes, programId } from '#tests/helpers/applications'

/**
 * The whole journeys, every step in Chromium by the person who takes it: a Czech parent
 * registers choosing ČRDM, adds two children, applies for one with the Labour Office decision, the
 * ČRDM reviewer asks for more, the parent adds it, the reviewer approves, the parent holds two
 * 1000 CZK vouchers; a Praha 5 resident verifies by the register, gets 1000 CZK credit from the
 * Praha 5 program after approval, and applies to the nationwide call too.
 */
const owner = () => db.connection('owner')
const PARENT_EMAIL = 'journey.dk.parent@example.cz'
const PASSWORD = 'Bezpecne-heslo-2026'

async function shot(page: Page, name: string) {
  await page.waitForFunction(() => !document.documentElement.classList.contains('nprogress-busy'))
  await screenshot(page, name)
}

async function go(page: Page, href: string) {
  await page.goto(href)
  await settled(page)
}

async function addChild(page: Page, child: Record<string, string>) {
  const before = await page.locator('tbody tr').count()
  for (const [field, value] of Object.entries(child)) await page.locator(`#${field}`).fill(value)
  await page.locator('[data-testid=add-child-form] button[type=submit]').click()
  await page.locator('tbody tr').nth(before).waitFor()
  await settled(page)
}

/** A second person at another computer: their own browser context and page. */
async function otherPerson(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ baseURL })
  return { context, page: await context.newPage() }
}

async function reviewerDecides(
  page: Page,
  applicationId: string,
  action: 'request-info' | 'approve',
  message?: string
) {
  await go(page, `/admin/applications/${applicationId}`)
  if (action === 'request-info') {
    await page.locator('#message').fill(message ?? '')
    await page.locator('[data-testid=request-info-form] button[type=submit]').click()
    await page.locator('[data-testid=application-status] [data-status=info_requested]').waitFor()
  } else {
    await page.locator('[data-action=approve]').click()
    await page.locator('[data-action=approve-confirm]').click()
    await page.locator('[data-testid=application-status] [data-status=approved]').waitFor()
  }
  await settled(page)
}

test.group('journeys: from registration to benefits', (group) => {
  const cleanup = async () => {
    const parent = await User.query({ client: owner() })
      .where('emailNormalized', PARENT_EMAIL)
      .first()
    if (!parent) return
    await clearApplicationsOf(parent)
    await owner().transaction(async (trx) => {
      await trx.rawQuery(`select set_config('app.ledger_maintenance', 'on', true)`)
      await trx.from('users').where('id', parent.id).delete()
    })
  }
  group.setup(cleanup)
  group.teardown(cleanup)

  test('a Czech parent of ČRDM: register, two children, apply, more information, approved, two vouchers', async ({
    visit,
    assert,
  }) => {
    const dkCz = await programId('crdm', 'darujeme-krouzky-cz')
    // The parent registers and picks the nationwide NGO as their home.
    const page = await visit('/register')
    await page.locator('#fullName').fill('Jana Cestovatelová')
    await page.locator('#email').fill(PARENT_EMAIL)
    await page.locator('#password').fill(PASSWORD)
    await page.locator('#passwordConfirmation').fill(PASSWORD)
    await page.locator('#citizenship').selectOption('CZ')
    await page.locator('#homeTenant').selectOption('crdm')
    await page.locator('#privacyAccepted').check()
    await Promise.all([
      page.waitForURL('**/portal'),
      page.locator('form button[type=submit]').click(),
    ])
    await settled(page)

    // Two children.
    await go(page, '/portal/children')
    await addChild(page, { firstName: 'Matěj', lastName: 'Cestovatel', birthDate: '2016-02-10' })
    await addChild(page, {
      firstName: 'Rozálie',
      lastName: 'Cestovatelová',
      birthDate: '2019-11-03',
    })
    assert.equal(await page.locator('tbody tr').count(), 2)
    await shot(page, 'journey-dk-children')

    // Offers → apply for Matěj with the Labour Office decision.
    await go(page, '/portal/offers')
    const offer = page.locator('[data-offer="darujeme-krouzky-cz"]')
    assert.equal(await offer.locator('[data-testid=offer-child]').count(), 2)
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/portal/programs/${dkCz}/apply`),
      offer
        .locator('[data-testid=offer-child]')
        .first()
        .locator('[data-testid=offer-apply]')
        .click(),
    ])
    await settled(page)
    await page.locator('#applicant-benefits-child_allowance').check()
    await page
      .locator('[data-testid=check-result][data-state=done][data-verdict=eligible]')
      .waitFor()
    await page.locator('#document-labour_office_decision').setInputFiles({
      name: 'oznameni-o-priznani-davky.pdf',
      mimeType: 'application/pdf',
      buffer: pdfBytes('Oznámení o přiznání dávky'),
    })
    await Promise.all([
      page.waitForURL(/\/portal\/applications\/[0-9a-f-]{36}$/),
      page.locator('[data-testid=apply-submit]').click(),
    ])
    await settled(page)
    const applicationId = page.url().split('/').at(-1)!
    await shot(page, 'journey-dk-submitted')

    // The ČRDM reviewer, at their own computer, asks for more information.
    const baseURL = new URL(page.url()).origin
    const reviewer = await otherPerson(page.context().browser()!, baseURL)
    await signIn(reviewer.page, 'admin.crdm@activecity.test')
    await go(reviewer.page, '/admin/applications')
    assert.isAtLeast(
      await reviewer.page.locator(`a[href="/admin/applications/${applicationId}"]`).count(),
      1
    )
    await reviewerDecides(
      reviewer.page,
      applicationId,
      'request-info',
      'Přiložte prosím i stranu s výší přídavku.'
    )
    await shot(reviewer.page, 'journey-dk-reviewer-asked')

    // The parent sees the request and adds the page.
    await page.reload()
    await settled(page)
    assert.include(
      (await page.locator('[data-testid=info-request]').textContent()) ?? '',
      'výší přídavku'
    )
    await page.locator('#note').fill('Přikládám druhou stranu.')
    await page.locator('[data-testid=answer-form] #document-labour_office_decision').setInputFiles({
      name: 'strana-2.png',
      mimeType: 'image/png',
      buffer: pngBytes(),
    })
    await page.locator('[data-testid=answer-submit]').click()
    await page.locator('[data-testid=application-status][data-status=submitted]').waitFor()

    // The reviewer approves.
    await reviewerDecides(reviewer.page, applicationId, 'approve')
    await shot(reviewer.page, 'journey-dk-reviewer-approved')
    await reviewer.context.close()

    // The parent holds two vouchers of 1000 CZK for Matěj.
    await go(page, '/portal/benefits')
    const values = (await page.locator('[data-testid=voucher-value]').allTextContents()).map((v) =>
      v.replace(/\s/g, '')
    )
    // The parent registered from an English browser: "CZK 1,000" (Czech: "1 000 Kč").
    assert.lengthOf(values, 2)
    for (const value of values) assert.match(value, /^(CZK1,000|1000Kč)$/)
    await shot(page, 'journey-dk-vouchers')

    // Matěj has an application: his details stay on record and the page says why instead of
    // offering to remove him; Rozálie, without one, can still be removed.
    await go(page, '/portal/children')
    await page.getByRole('link', { name: 'Matěj Cestovatel' }).click()
    await page.locator('[data-testid=remove-blocked]').waitFor()
    assert.equal(await page.locator('[data-testid=remove-child]').count(), 0)
    await shot(page, 'journey-dk-child-with-application')
    await go(page, '/portal/children')
    await page.getByRole('link', { name: 'Rozálie Cestovatelová' }).click()
    await page.locator('[data-testid=remove-child]').waitFor()
    assert.equal(await page.locator('[data-testid=remove-blocked]').count(), 0)
  }).timeout(120_000)

  test('a Praha 5 resident verified by the register gets 1000 CZK credit and applies nationwide too', async ({
    visit,
    assert,
  }) => {
    const citizen = await demoUser('citizen@activecity.test')
    await clearApplicationsOf(citizen)
    await owner().from('children').where('parent_user_id', citizen.id).delete()
    const praha5 = await programId('praha-5', 'letni-tabory-2027')
    const dkCz = await programId('crdm', 'darujeme-krouzky-cz')
    try {
      const page = await visit('/login')
      await signIn(page, 'citizen@activecity.test')
      await go(page, '/portal/children')
      await addChild(page, { firstName: 'Šimon', lastName: 'Novák', birthDate: '2017-05-05' })

      // Verified by the register (the reference register knows Lucie Nováková, Praha 5).
      await go(page, '/portal/verification')
      await page.locator('#birthDate').fill('1988-04-12')
      await page.locator('[data-testid=verification-form] button[type=submit]').click()
      await page.locator('[data-testid=verification-state][data-state=verified]').waitFor()

      // Both the Praha 5 program and the nationwide call are offered.
      await go(page, '/portal/offers')
      assert.equal(await page.locator('[data-offer="letni-tabory-2027"]').count(), 1)
      assert.equal(await page.locator('[data-offer="darujeme-krouzky-cz"]').count(), 1)
      await go(page, `/portal/programs/${praha5}/apply`)
      await page
        .locator('[data-testid=check-result][data-state=done][data-verdict=eligible]')
        .waitFor()
      await Promise.all([
        page.waitForURL(/\/portal\/applications\/[0-9a-f-]{36}$/),
        page.locator('[data-testid=apply-submit]').click(),
      ])
      await settled(page)
      const applicationId = page.url().split('/').at(-1)!

      const reviewer = await otherPerson(page.context().browser()!, new URL(page.url()).origin)
      await signIn(reviewer.page, 'reviewer.praha5@activecity.test')
      await reviewerDecides(reviewer.page, applicationId, 'approve')
      await reviewer.context.close()

      await go(page, '/portal/benefits')
      const credit = (await page.locator('[data-testid=credit-amount]').allTextContents()).map(
        (v) => v.replace(/\s/g, '')
      )
      assert.lengthOf(credit, 1)
      assert.match(credit[0], /^(CZK1,000|1000Kč)$/)
      await shot(page, 'journey-praha5-credit')

      // And the nationwide call, for the same child.
      await go(page, `/portal/programs/${dkCz}/apply`)
      await page.locator('#applicant-benefits-child_allowance').check()
      await page
        .locator('[data-testid=check-result][data-state=done][data-verdict=eligible]')
        .waitFor()
      await page.locator('#document-labour_office_decision').setInputFiles({
        name: 'rozhodnuti.pdf',
        mimeType: 'application/pdf',
        buffer: pdfBytes(),
      })
      await Promise.all([
        page.waitForURL(/\/portal\/applications\/[0-9a-f-]{36}$/),
        page.locator('[data-testid=apply-submit]').click(),
      ])
      await settled(page)
      assert.equal(
        await page.locator('[data-testid=application-status]').getAttribute('data-status'),
        'submitted'
      )
      await shot(page, 'journey-praha5-nationwide')
    } finally {
      await clearApplicationsOf(citizen)
      await owner().from('children').where('parent_user_id', citizen.id).delete()
    }
  }).timeout(120_000)
})
