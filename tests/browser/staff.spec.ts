import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { screenshot, settled, signIn } from '#tests/helpers/browser'

/**
 * A tenant admin manages staff in the browser: adds a reviewer by e-mail, changes the role, and
 * removes the membership through the in-page confirmation, by keyboard (focus moves to the
 * question; Escape cancels and returns to the button; confirming removes).
 */
const EMAIL = 'new.reviewer.browser@praha5.example.cz'
const owner = () => db.connection('owner')

async function cleanUp() {
  const user = await owner().from('users').where('email_normalized', EMAIL).first()
  if (!user) return
  await owner().from('tenant_memberships').where('user_id', user.id).delete()
}

test.group('tenant admin / staff', (group) => {
  group.each.setup(cleanUp)
  group.teardown(cleanUp)

  test('adds a reviewer, changes the role and removes them after confirming', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/login')
    await signIn(page, 'admin.praha5@activecity.test')
    await page.goto('/admin/staff')
    await settled(page)

    // Added by e-mail, with a name, as a reviewer.
    await page.locator('#email').fill(EMAIL)
    await page.locator('#fullName').fill('Radka Nováčková')
    await page.locator('#role').selectOption('reviewer')
    await page.locator('section[aria-labelledby=add-staff-heading] button[type=submit]').click()
    const row = page.locator('tbody tr', { hasText: EMAIL })
    await row.waitFor()
    await row.getByRole('link').click()
    await settled(page)
    await page.locator('[data-testid=member-role]').waitFor()

    // The role changes to programme manager.
    await page.locator('#role').selectOption('program_manager')
    await page.locator('section[aria-labelledby=change-role-heading] button[type=submit]').click()
    await settled(page)
    const membership = async () => {
      const user = await owner().from('users').where('email_normalized', EMAIL).first()
      return owner().from('tenant_memberships').where('user_id', user.id).first()
    }
    await page.waitForFunction(
      () =>
        !document
          .querySelector('section[aria-labelledby=change-role-heading] button[type=submit]')
          ?.hasAttribute('disabled')
    )
    assert.equal((await membership())?.role, 'program_manager')

    // Removing asks first: focus on the question, Escape goes back to the button.
    const removeButton = page
      .locator('section[aria-labelledby=remove-member-heading] button')
      .first()
    await removeButton.focus()
    await page.keyboard.press('Enter')
    const confirm = page.locator('[data-testid=confirm-remove]')
    await confirm.waitFor()
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'confirm-remove-heading',
      'focus moves to the question'
    )
    assert.equal(await confirm.getAttribute('role'), 'group')
    await screenshot(page, 'staff-confirm-remove')
    await page.keyboard.press('Escape')
    await confirm.waitFor({ state: 'detached' })
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent?.trim()),
      (await removeButton.textContent())?.trim(),
      'focus returns to the remove button'
    )
    assert.exists(await membership())

    // Confirmed: the membership is gone and the list no longer shows them.
    await page.keyboard.press('Enter')
    await confirm.waitFor()
    await Promise.all([
      page.waitForURL('**/admin/staff'),
      confirm.getByRole('button').first().click(),
    ])
    await settled(page)
    assert.equal(await page.locator('tbody tr', { hasText: EMAIL }).count(), 0)
    assert.notExists(await membership())
  }).timeout(60_000)
})
