import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { screenshot, settled, signIn, signOut } from '#tests/helpers/browser'

/**
 * A tenant admin sets where residents are verified online: the town hall's own register module
 * (address and key), then no register; a resident then sees the verification page without the
 * register form and with documents as the way to verify.
 */
const owner = () => db.connection('owner')

async function reset() {
  await owner()
    .from('tenants')
    .where('slug', 'praha-5')
    .update({ register_mode: 'platform', register_url: null, register_api_key: null })
}

test.group('tenant admin / population register settings', (group) => {
  group.each.setup(reset)
  group.teardown(reset)

  test('own module, then none; the resident’s verification page follows', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/login')
    await signIn(page, 'admin.praha5@activecity.test')
    await page.goto('/admin/settings')
    await settled(page)
    const form = page.locator('[data-testid=register-form]')
    assert.isTrue(await form.locator('input[value=platform]').isChecked())

    // The town hall's own module: an address that is not HTTPS is refused, with the reason.
    await form.locator('input[value=own]').check()
    await page.locator('#registerUrl').fill('http://regina.example.org/')
    await page.locator('#registerApiKey').fill('a-long-enough-key')
    await form.locator('button[type=submit]').click()
    await page.locator('#registerUrl-error').waitFor()
    assert.match(String(await page.locator('#registerUrl-error').textContent()), /HTTPS/)
    assert.equal(await page.locator('#registerUrl').getAttribute('aria-invalid'), 'true')

    await page.locator('#registerUrl').fill(process.env.REGISTER_URL!)
    await page.locator('#registerApiKey').fill(process.env.REGISTER_API_KEY!)
    await form.locator('button[type=submit]').click()
    await page
      .locator('#registerApiKey-hint')
      .filter({ hasText: /stored|uložen/ })
      .waitFor()
    // The key field is emptied once saved (the key is never shown again).
    await page.waitForFunction(
      () => (document.getElementById('registerApiKey') as HTMLInputElement | null)?.value === ''
    )
    // The saved connection works.
    await page.locator('[data-action=register-check]').click()
    await page.getByText(/spojení funguje|connection works/).waitFor()
    assert.equal(await page.locator('[data-testid=register-check-error]').count(), 0)
    await screenshot(page, 'settings-register-own')

    // No register: saved, and the resident is offered documents instead.
    await form.locator('input[value=none]').check()
    await form.locator('button[type=submit]').click()
    await settled(page)
    await page.reload()
    await settled(page)
    assert.isTrue(await form.locator('input[value=none]').isChecked())
    await signOut(page)

    await signIn(page, 'citizen@activecity.test')
    await page.goto('/portal/verification')
    await settled(page)
    assert.equal(await page.locator('#verification-register').count(), 0)
    await page.locator('#document').waitFor()
    await screenshot(page, 'verification-no-register')
  }).timeout(90_000)
})
