import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { Page } from 'playwright'
import { demoUser } from '#tests/helpers/auth'
import { screenshot, settled, signIn } from '#tests/helpers/browser'
import { composeBirthNumber } from '#verification/birth_number'

const CITIZEN = 'citizen@activecity.test'

async function clearChildren() {
  const user = await demoUser(CITIZEN)
  await db.connection('owner').from('children').where('parent_user_id', user.id).delete()
}

/** Fills and sends the add form, then waits for the new row and the emptied form. */
async function addChild(page: Page, child: Record<string, string>) {
  const before = await page.locator('tbody tr').count()
  for (const [field, value] of Object.entries(child)) await page.locator(`#${field}`).fill(value)
  await page.locator('[data-testid=add-child-form] button[type=submit]').click()
  await page.locator('tbody tr').nth(before).waitFor()
  await page.waitForFunction(
    () => (document.querySelector('#firstName') as HTMLInputElement | null)?.value === ''
  )
  await settled(page)
}

/** No horizontal scrolling: the page fits the viewport's width. */
async function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
}

test.group('household in the citizen portal', (group) => {
  group.each.setup(clearChildren)
  group.teardown(clearChildren)

  test('a citizen adds two children, edits one and removes one with the confirmation, on a 360 px phone', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/login')
    await page.setViewportSize({ width: 360, height: 800 })
    await signIn(page, CITIZEN)
    await settled(page)
    await Promise.all([
      page.waitForURL('**/portal/children'),
      page.locator('nav[aria-label] a[href="/portal/children"]').first().click(),
    ])
    await settled(page)
    await page.locator('[data-testid=children-empty]').waitFor()

    // Nothing filled in: translated errors under the fields, nothing saved.
    await page.locator('[data-testid=add-child-form] button[type=submit]').click()
    await page.locator('[data-field-error]').first().waitFor()
    const errors = await page.locator('[data-field-error]').allTextContents()
    assert.isAtLeast(errors.length, 3)
    assert.isFalse(
      errors.some((e) => /validator\.|errors\.|household\./.test(e)),
      errors.join(' | ')
    )
    assert.equal(await page.locator('#firstName').getAttribute('aria-invalid'), 'true')
    assert.equal(
      await page.locator('#birthNumber').getAttribute('aria-describedby'),
      'birthNumber-hint'
    )

    const birthNumber = composeBirthNumber({ birthDate: '2015-03-12', sex: 'female', serial: 7 })!
    await addChild(page, {
      firstName: 'Anna',
      lastName: 'Nováková',
      birthDate: '2015-03-12',
      birthNumber,
    })
    await addChild(page, { firstName: 'Jakub', lastName: 'Novák', birthDate: '2019-11-02' })
    const rows = page.locator('tbody tr')
    await rows.nth(1).waitFor()
    const names = await page.locator('tbody th').allTextContents()
    assert.deepEqual(
      names.map((n) => n.trim()),
      ['Anna Nováková', 'Jakub Novák']
    )
    assert.equal(await page.locator('[data-field-error]').count(), 0)
    assert.isTrue(await fitsWidth(page), 'the list fits 360 px')
    await screenshot(page, 'household')

    // Edit Jakub.
    await Promise.all([
      page.waitForURL(/\/portal\/children\/[0-9a-f-]{36}$/),
      page.locator('tbody th a', { hasText: 'Jakub' }).click(),
    ])
    await settled(page)
    await page.locator('#firstName').fill('Jakub Petr')
    await page.locator('[data-testid=edit-child-form] button[type=submit]').click()
    await settled(page)
    await page.locator('h1', { hasText: 'Jakub Petr Novák' }).waitFor()
    assert.isTrue(await fitsWidth(page), 'the detail fits 360 px')
    await screenshot(page, 'household-child')

    // Remove him, through the in-page confirmation (focus moves to it).
    await page.locator('[data-testid=remove-child]').click()
    const confirm = page.locator('[data-testid=confirm-remove]')
    await confirm.waitFor()
    const focused = await page.evaluate(() => document.activeElement?.id)
    assert.equal(focused, 'confirm-remove-heading')
    await screenshot(page, 'household-confirm-remove')
    await Promise.all([
      page.waitForURL('**/portal/children'),
      page.locator('[data-testid=confirm-remove-yes]').click(),
    ])
    await settled(page)
    const left = await page.locator('tbody th').allTextContents()
    assert.deepEqual(
      left.map((n) => n.trim()),
      ['Anna Nováková']
    )
  }).timeout(60_000)
})
