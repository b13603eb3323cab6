import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { DK_CZ_RULE, DK_UA_RULE } from '#eligibility/demo_rules'
import { createDraftProgram, screenshot, settled, signIn, signOut } from '#tests/helpers/browser'

/**
 * The programme manager's journey in Chromium: a new draft programme, its eligibility rule built
 * by clicking in the no-code builder, the live test on sample applicants, save, reload, publish;
 * and another tenant's staff cannot open it.
 */
const BENEFITS = [
  'child_allowance',
  'care_allowance',
  'foster_care_allowance',
  'foster_parent_reward',
]

async function ruleJson(page: Page) {
  const text = await page.locator('[data-rule-json]').first().textContent()
  return JSON.parse(text ?? 'null')
}

test.group('programme manager', () => {
  test('builds the DK CZ rule by clicking, tests it live, saves and publishes', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/login')
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message} ${error.stack}`))
    page.on('console', (message) => {
      if (message.type() === 'error')
        pageErrors.push(`console: ${message.text()} ${JSON.stringify(message.location())}`)
    })
    await signIn(page, 'admin.crdm@activecity.test')
    await page.goto('/admin/programs')
    await settled(page).catch((error) => {
      throw new Error(`${error.message}\n${pageErrors.join('\n')}`)
    })
    await page.locator('tr[data-program="darujeme-krouzky-cz"]').waitFor()
    await screenshot(page, 'programs-index')

    // A new draft, from the form on the list; sent empty first, it shows translated field errors.
    await page.locator('[data-testid=new-program-form] button[type=submit]').click()
    await page.locator('[data-testid=new-program-form] [data-field-error]').first().waitFor()
    const fieldErrors = await page.locator('[data-field-error]').allTextContents()
    assert.isAtLeast(fieldErrors.length, 3, fieldErrors.join(' | '))
    assert.notMatch(fieldErrors.join(' | '), /validator\.|errors\.|programs_ui\./)
    assert.equal(await page.locator('#slug').getAttribute('aria-invalid'), 'true')
    const programUrl = await createDraftProgram(page, {
      slug: 'dk-cz-test',
      pluginId: 'voucher',
      nameCs: 'Darujeme kroužky – zkouška',
      nameEn: 'We give clubs – test',
      budget: '500000',
    })
    assert.equal(
      await page.locator('[data-program-status]').first().getAttribute('data-status'),
      'draft'
    )
    await page.locator('[data-rule-builder], [data-rule-builder-failed]').first().waitFor()
    if (await page.locator('[data-rule-builder-failed]').count()) {
      throw new Error(`The rule builder could not be loaded:\n${pageErrors.join('\n')}`)
    }
    await page.locator('[data-rule-empty]').waitFor()

    // The rule, from scratch: all of (child's age at the period start 3–18; any of four benefits).
    const root = page.locator('[data-rule-group][data-root]')
    await root.locator(':scope > div > [data-action=add-condition]').click()
    const age = root.locator('[data-rule-condition]').first()
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('data-field')),
      'fact',
      'focus moves to the new condition'
    )
    await age.locator('[data-field=fact]').selectOption('child.birth_date')
    await age.locator('[data-field=operator]').selectOption('age_between')
    await age.locator('[data-field=reference]').selectOption('period.start')
    await age.locator('[data-field=min] input').fill('3')
    await age.locator('[data-field=max] input').fill('18')

    await root.locator(':scope > div > [data-action=add-group]').click()
    const group = root.locator('[data-rule-group]:not([data-root])')
    await group.locator('[data-field=combinator]').selectOption('any')
    for (const [i, benefit] of BENEFITS.entries()) {
      if (i > 0) await group.locator(':scope > div > [data-action=add-condition]').click()
      const condition = group.locator('[data-rule-condition]').nth(i)
      await condition.locator('[data-field=fact]').selectOption(`applicant.benefits.${benefit}`)
      await condition.locator('[data-field=operator]').selectOption('is_true')
    }
    assert.equal(await page.locator('[data-rule-problem]').count(), 0)
    assert.deepEqual(await ruleJson(page), DK_CZ_RULE)

    // Moving with the keyboard keeps the focus on the moved node's buttons, and the rule intact.
    await age.locator('[data-action=move-down]').focus()
    await page.keyboard.press('Enter')
    assert.match(String(await page.evaluate(() => document.activeElement?.id)), /-up$/)
    assert.equal(
      await root.locator(':scope > ol > li').first().locator('[data-rule-group]').count(),
      1
    )
    await page.keyboard.press('Enter')
    assert.match(String(await page.evaluate(() => document.activeElement?.id)), /-down$/)
    assert.deepEqual(await ruleJson(page), DK_CZ_RULE)

    // The sentence view names the age range.
    const sentence = (await page.locator('[data-testid=rule-sentence]').first().textContent()) ?? ''
    assert.match(sentence, /3\D+18/)

    // The live test runs by itself once the rule stops changing: the three prepared samples come
    // out eligible / not / not, as expected. Running it on demand gives the same.
    const outcomes = () =>
      page.waitForFunction(() => {
        const status = document
          .querySelector('[data-testid=rule-test-status]')
          ?.getAttribute('data-state')
        const results = [...document.querySelectorAll('[data-testid=sample-result]')]
        return (
          status === 'done' &&
          results.map((r) => r.getAttribute('data-eligible')).join() === 'true,false,false'
        )
      })
    await outcomes()
    await screenshot(page, 'program-builder')
    await page.locator('[data-action=run-test]').click()
    await outcomes()
    const results = page.locator('[data-testid=sample-result]')
    const eligible = await results.evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-eligible'))
    )
    assert.deepEqual(eligible, ['true', 'false', 'false'])
    const matches = await results.evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-matches'))
    )
    assert.deepEqual(matches, ['true', 'true', 'true'])
    assert.equal(await results.nth(0).locator('[data-testid=sample-reasons] li').count(), 0)
    const lang = await page.evaluate(() => document.documentElement.lang)
    for (const i of [1, 2]) {
      const reasons = await results
        .nth(i)
        .locator('[data-testid=sample-reasons] li')
        .allTextContents()
      assert.isAtLeast(reasons.length, 1)
      if (lang === 'cs') assert.match(reasons.join(' '), /musí/)
      if (lang === 'en') assert.match(reasons.join(' '), /must/)
      assert.notMatch(reasons.join(' '), /programs_ui\.|explain\./)
    }
    const childOfTwo = await results.nth(1).locator('[data-testid=sample-reasons]').textContent()
    assert.match(String(childOfTwo), /3\D+18/)
    await results.nth(1).locator('details summary').click()
    await results.nth(1).locator('[data-outcome=failed]').first().waitFor()
    await page.locator('[data-testid=rule-test]').scrollIntoViewIfNeeded()
    await screenshot(page, 'program-live-test')

    // Save, reload: the rule and the versions are still there.
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(programUrl)),
      page.locator('[data-action=save-program]').click(),
    ])
    await settled(page)
    await page.locator('[role=status]').first().waitFor()
    await page.reload()
    await settled(page)
    assert.deepEqual(await ruleJson(page), DK_CZ_RULE)
    assert.equal(await page.locator('[data-rule-condition]').count(), 5)
    assert.equal(await page.locator('[data-rule-unsupported]').count(), 0)
    assert.match(String(await page.locator('[data-testid=summary-rule]').textContent()), /3\D+18/)
    assert.deepEqual(
      await page
        .locator('[data-testid=program-versions] li')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-version'))),
      ['1']
    )

    // Publish.
    await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'PUT' && r.url().endsWith(`${programUrl}/status`)
      ),
      page.locator('[data-status-action=published]').click(),
    ])
    await settled(page)
    await page.locator('[data-program-status][data-status=published]').first().waitFor()
    assert.equal(await page.locator('[data-status-action=closed]').count(), 1)

    // A demo programme whose rule uses a parameter × a fact opens in the builder unchanged.
    await page.goto('/admin/programs')
    await page.locator('tr[data-program="darujeme-krouzky-ua"] a').click()
    await settled(page)
    await page.locator('[data-rule-builder]').waitFor()
    assert.equal(await page.locator('[data-rule-unsupported]').count(), 0)
    assert.equal(await page.locator('[data-rule-condition]').count(), 3)
    assert.deepEqual(await ruleJson(page), DK_UA_RULE)
    assert.equal(
      await page
        .locator('[data-rule-condition][data-operator=lte] [data-field=value] select')
        .count(),
      3
    )
    await page.locator('[data-testid=document-required-when]').first().waitFor()

    // A rule the builder cannot show is shown read-only, and saving keeps it as it is.
    const unsupported = { '==': [{ var: 'applicant.citizenship' }, 'CZ'] }
    const created = await page.request.post('/admin/programs', {
      headers: { Accept: 'application/json' },
      data: {
        slug: 'rule-by-hand',
        pluginId: 'credit',
        config: {
          name: { cs: 'Pravidlo psané ručně' },
          periods: [
            { key: 'p1', name: { cs: 'Rok 2027' }, start: '2027-01-01', end: '2027-12-31' },
          ],
          audience: { scope: 'residents' },
          currency: 'CZK',
          budgetMinor: 100_000_00,
          limits: {},
          coPaymentBp: 0,
          documents: [],
          eligibilityRule: unsupported,
          params: {},
          categories: [],
          requiresActivityApproval: false,
          pluginSettings: {},
        },
      },
    })
    assert.equal(created.status(), 200, await created.text())
    const { id } = (await created.json()) as { id: string }
    await page.goto(`/admin/programs/${id}`)
    await settled(page)
    await page.locator('[data-rule-unsupported]').waitFor()
    assert.deepEqual(await ruleJson(page), unsupported)
    await page.locator('#budget').fill('200000')
    await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'PUT' && r.url().endsWith(`/admin/programs/${id}`)
      ),
      page.locator('[data-action=save-program]').click(),
    ])
    await settled(page)
    await page.reload()
    await settled(page)
    assert.deepEqual(await ruleJson(page), unsupported)
    assert.match(String(await page.locator('[data-testid=summary-budget]').textContent()), /200/)

    await page.goto(programUrl)
    await settled(page)

    // The narrow phone layout of the builder.
    await page.setViewportSize({ width: 360, height: 800 })
    await screenshot(page, 'program-builder-phone')
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth
    )
    assert.isAtMost(overflow, 0, 'nothing is wider than a 360 px screen')
    await page.setViewportSize({ width: 1280, height: 800 })

    // Another tenant's staff cannot see it.
    await signOut(page)
    await signIn(page, 'admin.olomouc@activecity.test')
    const response = await page.goto(programUrl)
    assert.equal(response?.status(), 404)
    await page.locator('[data-error-status="404"]').waitFor()
  })
})
