import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { Browser, Page } from 'playwright'
import { demoUser, tenantId } from '#tests/helpers/auth'
import { screenshot, settled, signIn } from '#tests/helpers/browser'
import {
  clearApplicationsOf,
  makeChild,
  makeCitizen,
  programId,
  currentVersionOf,
  drawnOf,
  setCurrentBudget,
  verify,
} from '#tests/helpers/applications'

/**
 * Two journeys in Chromium, each step by the person who takes it:
 * - an Olomouc senior verifies by the population register, applies for herself to the seniors'
 *   programme (no child, no questions: the register confirmed her birth date), the city approves,
 *   and she holds one 500 CZK voucher;
 * - a Praha 6 family is approved when the camp budget is used up: the application waits on the
 *   waiting list (the parent sees their place), the programme manager raises the budget in the
 *   programme form, and the parent sees the credit granted.
 */
const owner = () => db.connection('owner')
const PASSWORD = 'Test-password-1234'

async function go(page: Page, href: string) {
  await page.goto(href)
  await settled(page)
}

async function shot(page: Page, name: string) {
  await page.waitForFunction(() => !document.documentElement.classList.contains('nprogress-busy'))
  await screenshot(page, name)
}

async function otherPerson(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ baseURL })
  return { context, page: await context.newPage() }
}

async function approveInBrowser(page: Page, applicationId: string, expected: string) {
  await go(page, `/admin/applications/${applicationId}`)
  await page.locator('[data-action=approve]').click()
  await page.locator('[data-action=approve-confirm]').click()
  await page.locator(`[data-testid=application-status] [data-status=${expected}]`).waitFor()
  await settled(page)
}

/** A staff member of one tenant only (so the admin opens in that tenant's workspace). */
async function staffOf(email: string, fullName: string, tenant: string) {
  const user = await makeCitizen({ email, fullName, homeTenant: tenant, citizenship: 'CZ' })
  await owner()
    .table('tenant_memberships')
    .insert({ tenant_id: await tenantId(tenant), user_id: user.id, role: 'tenant_admin' })
    .onConflict(['tenant_id', 'user_id', 'role'])
    .ignore()
  return user
}

test.group('journeys: a senior applies for herself; a family waits for the budget', () => {
  test('an Olomouc senior verified by the register gets her 500 CZK voucher', async ({
    visit,
    assert,
  }) => {
    const senior = await demoUser('senior@activecity.test')
    await clearApplicationsOf(senior)
    const programIdOf = await programId('olomouc', 'seniori-plavani-kultura-2027')
    try {
      const page = await visit('/login')
      await signIn(page, 'senior@activecity.test')

      // Residence and birth date confirmed by the register (Ludmila Holubová, born 1952).
      await go(page, '/portal/verification')
      await page.locator('#birthDate').fill('1952-03-30')
      await page.locator('[data-testid=verification-form] button[type=submit]').click()
      await page.locator('[data-testid=verification-state][data-state=verified]').waitFor()

      // The programme is offered to her, for herself, and she meets the conditions already.
      await go(page, '/portal/offers')
      const offer = page.locator('[data-offer="seniori-plavani-kultura-2027"]')
      const row = offer.locator('[data-testid=offer-child]')
      assert.equal(await row.count(), 1)
      assert.equal(await row.getAttribute('data-verdict'), 'eligible')
      await shot(page, 'journey-senior-offers')
      await Promise.all([
        page.waitForURL((url) => url.pathname === `/portal/programs/${programIdOf}/apply`),
        row.locator('[data-testid=offer-apply]').click(),
      ])
      await settled(page)
      await page.locator('[data-testid=apply-for-self]').waitFor()
      assert.equal(await page.locator('#childId').count(), 0)
      await page
        .locator('[data-testid=check-result][data-state=done][data-verdict=eligible]')
        .waitFor()
      await shot(page, 'journey-senior-apply')
      await Promise.all([
        page.waitForURL(/\/portal\/applications\/[0-9a-f-]{36}$/),
        page.locator('[data-testid=apply-submit]').click(),
      ])
      await settled(page)
      const applicationId = page.url().split('/').at(-1)!

      // The city approves.
      const staff = await otherPerson(page.context().browser()!, new URL(page.url()).origin)
      await signIn(staff.page, 'admin.olomouc@activecity.test')
      await go(staff.page, `/admin/applications/${applicationId}`)
      await staff.page.locator('[data-testid=child-none]').waitFor()
      await approveInBrowser(staff.page, applicationId, 'approved')
      await staff.context.close()

      // She holds one 500 CZK voucher herself.
      await go(page, '/portal/benefits')
      const values = (await page.locator('[data-testid=voucher-value]').allTextContents()).map(
        (v) => v.replace(/\s/g, '')
      )
      assert.deepEqual(values, ['500Kč'])
      // Her own section, titled with her name.
      assert.equal(
        (await page.locator(`#child-${senior.id}-heading`).textContent())?.trim(),
        'Ludmila Holubová (vy)'
      )
      await shot(page, 'journey-senior-voucher')
    } finally {
      await clearApplicationsOf(senior)
    }
  }).timeout(120_000)

  test('a Praha 6 family waits for the budget, then the manager raises it and they get the credit', async ({
    visit,
    assert,
  }) => {
    const parent = await makeCitizen({
      email: 'journey.waitlist.p6@activecity.test',
      fullName: 'Renata Čekalová',
      homeTenant: 'praha-6',
      citizenship: 'CZ',
      locale: 'en',
    })
    await clearApplicationsOf(parent)
    await verify(parent, 'praha-6')
    await makeChild(parent, 'Oskar', '2016-06-06')
    const manager = await staffOf(
      'journey.waitlist.staff@activecity.test',
      'Vilém Rozpočtový',
      'praha-6'
    )
    const praha6 = await programId('praha-6', 'letni-tabory-praha6-2027')
    // The budget is used up: shrink the current version's cap to what was drawn so far.
    const version = await currentVersionOf(praha6)
    const drawn = await drawnOf(praha6)
    await setCurrentBudget(praha6, drawn)

    let applicationId = ''
    try {
      const page = await visit('/login')
      await signIn(page, parent.email, PASSWORD)
      await go(page, `/portal/programs/${praha6}/apply`)
      const oskar = await page
        .locator('#childId option', { hasText: 'Oskar' })
        .getAttribute('value')
      await page.locator('#childId').selectOption(oskar!)
      await page
        .locator('[data-testid=check-result][data-state=done][data-verdict=eligible]')
        .waitFor()
      await Promise.all([
        page.waitForURL(/\/portal\/applications\/[0-9a-f-]{36}$/),
        page.locator('[data-testid=apply-submit]').click(),
      ])
      await settled(page)
      applicationId = page.url().split('/').at(-1)!

      // The reviewer approves; the budget cannot cover it, so it waits.
      const staff = await otherPerson(page.context().browser()!, new URL(page.url()).origin)
      await signIn(staff.page, manager.email, PASSWORD)
      await approveInBrowser(staff.page, applicationId, 'waitlisted')
      await staff.page.locator('[data-testid=review-waitlisted]').waitFor()
      await shot(staff.page, 'journey-waitlist-reviewer')

      // The parent sees the approval, the waiting list and their place.
      await page.reload()
      await settled(page)
      assert.equal(
        await page.locator('[data-testid=application-status]').getAttribute('data-status'),
        'waitlisted'
      )
      assert.match(
        (await page.locator('[data-testid=waitlist-position]').textContent()) ?? '',
        /: 1$/
      )
      await shot(page, 'journey-waitlist-parent-waiting')

      // The manager sees what the waiting list needs and raises the budget in the form.
      await go(staff.page, `/admin/programs/${praha6}`)
      await staff.page.locator('[data-budget=waiting]').waitFor()
      assert.isTrue(
        await staff.page
          .locator('[data-testid=when-exhausted-choice] input[value=waitlist]')
          .isChecked()
      )
      await shot(staff.page, 'journey-waitlist-programme')
      await staff.page.locator('#budget').fill(String(drawn / 100 + 600))
      await staff.page.locator('[data-action=save-program]').click()
      await staff.page.locator('[data-budget=waiting]').waitFor({ state: 'detached' })
      await staff.context.close()

      // The parent's application is granted: 600 CZK of credit for Oskar.
      await page.reload()
      await settled(page)
      assert.equal(
        await page.locator('[data-testid=application-status]').getAttribute('data-status'),
        'approved'
      )
      await go(page, '/portal/benefits')
      const credit = (await page.locator('[data-testid=credit-amount]').allTextContents()).map(
        (v) => v.replace(/\s/g, '')
      )
      assert.deepEqual(credit, ['CZK600'])
      await shot(page, 'journey-waitlist-parent-granted')
    } finally {
      await clearApplicationsOf(parent)
      // Every version the test touched (the form saved a new one) gets the demo budget back.
      await owner()
        .from('program_versions')
        .where('program_id', praha6)
        .where('budget_minor', '<', version.budget_minor)
        .update({ budget_minor: version.budget_minor })
    }
  }).timeout(120_000)
})
