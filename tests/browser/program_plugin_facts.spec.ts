import { test } from '@japa/runner'
import type { Page } from 'playwright'
import db from '@adonisjs/lucid/services/db'
import { createDraftProgram, screenshot, settled, signIn } from '#tests/helpers/browser'
import { installProbe, migrateFixtures } from '#tests/helpers/probe_plugin'

/**
 * A programme manager builds a rule on a fact the programme's plugin declares (the probe fixture
 * plugin, tests/fixtures/plugins/probe/, installed next to the real plugins): the builder lists
 * the plugin's facts in a group named after the plugin, the sentence view uses the fact's label,
 * the live test takes a value for it, and the rule is saved and read back.
 */
const SLUG = `probe-builder-${process.pid}`

async function ruleJson(page: Page) {
  const text = await page.locator('[data-rule-json]').first().textContent()
  return JSON.parse(text ?? 'null')
}

test.group('programme manager / a plugin’s declared facts in the rule builder', (group) => {
  group.setup(async () => {
    const uninstall = await installProbe()
    await migrateFixtures('up')
    return async () => {
      // Archived, the probe's programme stays out of every list once the probe is gone.
      await db
        .connection('owner')
        .from('programs')
        .where('slug', SLUG)
        .update({ status: 'archived' })
      await migrateFixtures('down')
      await uninstall()
    }
  })

  test('the probe’s facts are offered in their own group and a rule on one is saved', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/login')
    await signIn(page, 'admin.crdm@activecity.test')
    await page.goto('/admin/programs')
    await settled(page)

    // A new draft of the probe plugin.
    const programUrl = await createDraftProgram(page, {
      slug: SLUG,
      pluginId: 'probe',
      nameCs: 'Sonda – pravidla',
      nameEn: 'Probe – rules',
      budget: '100000',
    })
    await page.locator('[data-rule-empty]').waitFor()

    // One condition: the probe's score at most 5.
    const root = page.locator('[data-rule-group][data-root]')
    await root.locator(':scope > div > [data-action=add-condition]').click()
    const condition = root.locator('[data-rule-condition]').first()
    const fact = condition.locator('[data-field=fact]')
    assert.equal(
      await fact.locator('optgroup:has(option[value="probe.score"])').getAttribute('label'),
      'Probe',
      'the plugin’s facts are grouped under the plugin’s name'
    )
    assert.deepEqual(
      await fact
        .locator('optgroup:has(option[value="probe.score"]) option')
        .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value).sort()),
      ['probe.member', 'probe.score']
    )
    await fact.selectOption('probe.score')
    await condition.locator('[data-field=operator]').selectOption('lte')
    await condition.locator('[data-field=value] input').fill('5')
    assert.equal(await page.locator('[data-rule-problem]').count(), 0)
    assert.deepEqual(await ruleJson(page), { '<=': [{ var: 'probe.score' }, 5] })
    const sentence = (await page.locator('[data-testid=rule-sentence]').first().textContent()) ?? ''
    assert.match(sentence, /skóre sondy\D+5/i)

    // Save, reload: the condition on the plugin's fact is still there.
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(programUrl)),
      page.locator('[data-action=save-program]').click(),
    ])
    await settled(page)
    await page.locator('[role=status]').first().waitFor()
    assert.equal(await page.locator('[data-field-error]').count(), 0)
    await page.reload()
    await settled(page)
    assert.deepEqual(await ruleJson(page), { '<=': [{ var: 'probe.score' }, 5] })
    assert.equal(
      await page.locator('[data-rule-condition] [data-field=fact]').first().inputValue(),
      'probe.score'
    )
    await page.locator('[data-testid=rule-test]').scrollIntoViewIfNeeded()
    await screenshot(page, 'program-builder-plugin-fact')
  }).timeout(90_000)
})
