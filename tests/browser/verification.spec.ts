import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { Page } from 'playwright'
import { demoUser } from '#tests/helpers/auth'
import { screenshot, settled, signIn } from '#tests/helpers/browser'

const CITIZEN = 'citizen@activecity.test'

async function clearVerifications() {
  const user = await demoUser(CITIZEN)
  await db.connection('owner').from('verifications').where('user_id', user.id).delete()
}

/** No horizontal scrolling: the page fits the viewport's width. */
async function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
}

test.group('identity verification in the citizen portal', (group) => {
  group.each.setup(clearVerifications)
  group.teardown(clearVerifications)

  test('a citizen verifies against the population register on a 360 px phone', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/login')
    await page.setViewportSize({ width: 360, height: 800 })
    await signIn(page, CITIZEN)
    await settled(page)
    await Promise.all([
      page.waitForURL('**/portal/verification'),
      page.locator('nav[aria-label] a[href="/portal/verification"]').first().click(),
    ])
    await settled(page)
    const state = page.locator('[data-testid=verification-state]')
    assert.equal(await state.getAttribute('data-state'), 'not_verified')

    // A wrong birth date first: a plain, translated explanation and the next steps.
    await page.locator('#birthDate').fill('1988-04-13')
    await page.locator('[data-testid=verification-form] button[type=submit]').click()
    const outcome = page.locator('[data-testid=verification-outcome]')
    await outcome.waitFor()
    await settled(page)
    assert.equal(await outcome.getAttribute('data-status'), 'no_match')
    const text = (await outcome.textContent()) ?? ''
    assert.notMatch(text, /verification\.|errors\./)
    assert.isAbove(await page.locator('[data-testid=verification-next] li').count(), 0)

    // The right birth date: verified, with the method and the expiry.
    await page.locator('#birthDate').fill('1988-04-12')
    await page.locator('[data-testid=verification-form] button[type=submit]').click()
    await page.locator('[data-testid=verification-state][data-state=verified]').waitFor()
    await settled(page)
    assert.equal(await page.locator('[data-testid=verification-outcome]').count(), 0)
    assert.isNotEmpty(
      ((await page.locator('[data-testid=verification-expires]').textContent()) ?? '').trim()
    )
    assert.notMatch(
      (await page.locator('[data-testid=verification-method]').textContent()) ?? '',
      /verification\./
    )
    assert.isTrue(await fitsWidth(page), 'the page fits 360 px')
    await screenshot(page, 'verification')
  })
})
