import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { screenshot, settled, signIn } from '#tests/helpers/browser'

/**
 * The plugin's settings of a programme in Chromium: shown in the summary by their translated
 * labels with formatted values, edited in the form generated from the plugin's declaration, saved
 * as a new version of the published programme; a value below the declared minimum is refused
 * with a translated message (by the form itself, and by the server when the form is bypassed),
 * changing nothing. The budget is shown with its progress bar.
 */
const PROGRAM = 'darujeme-krouzky-cz'
const COUNT = '#setting-vouchersPerChildPerPeriod'

async function versions(page: Page) {
  return page
    .locator('[data-testid=program-versions] li')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-version')))
}

async function summarySetting(page: Page, name: string) {
  const item = page.locator(`[data-testid=summary-settings] [data-setting=${name}]`)
  return {
    text: ((await item.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
    value: ((await item.locator('[data-setting-value]').textContent()) ?? '').trim(),
  }
}

/** Saves with the button; resolves once the PUT has been answered and the page has settled. */
async function save(page: Page, programUrl: string) {
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(programUrl)),
    page.locator('[data-action=save-program]').click(),
  ])
  await settled(page)
}

test.group('programme settings', () => {
  test('shows, edits and validates the plugin settings of a published programme', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/login')
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`)
    })
    await signIn(page, 'admin.crdm@activecity.test')
    await page.goto('/admin/programs')
    await settled(page)
    await page.locator(`tr[data-program="${PROGRAM}"] a`).first().click()
    await settled(page)
    await page
      .locator('[data-testid=program-summary]')
      .waitFor()
      .catch(async (error) => {
        const body = (await page.locator('body').innerText()).slice(0, 2000)
        throw new Error(`${error.message}\n${pageErrors.join('\n')}\n${page.url()}\n${body}`)
      })
    const programUrl = new URL(page.url()).pathname
    assert.match(programUrl, /^\/admin\/programs\/[0-9a-f-]{36}$/)
    assert.deepEqual(await versions(page), ['1'])

    const lang = await page.evaluate(() => document.documentElement.lang)
    const money = (major: number) =>
      page.evaluate(
        ([locale, amount]) =>
          new Intl.NumberFormat(locale as string, {
            style: 'currency',
            currency: 'CZK',
            minimumFractionDigits: 0,
            maximumFractionDigits: 0,
          }).format(amount as number),
        [lang, major]
      )

    // The summary: translated labels and formatted values, no raw keys.
    const summary = (await page.locator('[data-testid=summary-settings]').textContent()) ?? ''
    assert.notMatch(summary, /vouchersPerChildPerPeriod|faceValue|spendAt|coPaymentBasisPoints/)
    assert.notMatch(summary, /programs_ui\./)
    const count = await summarySetting(page, 'vouchersPerChildPerPeriod')
    const face = await summarySetting(page, 'faceValue')
    const spendAt = await summarySetting(page, 'spendAt')
    const coPayment = await summarySetting(page, 'coPaymentBasisPoints')
    assert.equal(count.value, '2')
    assert.equal(face.value, await money(1000))
    assert.match(coPayment.value, /^20\s?%$/)
    if (lang === 'cs') {
      assert.match(count.text, /^Počet poukázek na dítě a období: 2/)
      assert.match(face.text, /^Hodnota jedné poukázky:/)
      assert.equal(spendAt.value, 'Katalog aktivit na portálu')
    }
    if (lang === 'en') {
      assert.match(count.text, /^Vouchers per child and period: 2/)
      assert.equal(spendAt.value, 'Activity catalogue on the portal')
    }

    // The budget: cap, drawn, remaining, and a progress bar with its text.
    await page.locator('[data-testid=program-budget]').waitFor()
    assert.equal(
      ((await page.locator('[data-budget=cap]').textContent()) ?? '').trim(),
      await money(20_000_000)
    )
    const bar = page.locator('[data-testid=program-budget] [role=progressbar]')
    assert.equal(await bar.getAttribute('aria-valuemin'), '0')
    assert.equal(await bar.getAttribute('aria-valuemax'), '100')
    const now = Number(await bar.getAttribute('aria-valuenow'))
    assert.isAtLeast(now, 0)
    assert.isAtMost(now, 100)
    assert.isNotEmpty(await bar.getAttribute('aria-valuetext'))
    assert.notMatch((await page.locator('[data-budget=text]').textContent()) ?? '', /programs_ui\./)

    // The generated form: every setting but the co-payment, which follows the programme's.
    const editor = page.locator('[data-testid=program-settings-editor]')
    await editor.waitFor()
    assert.equal(await page.locator(COUNT).inputValue(), '2')
    assert.equal(await page.locator(COUNT).getAttribute('min'), '1')
    assert.equal(await page.locator('#setting-faceValue').inputValue(), '1000')
    assert.isTrue(await page.locator('#setting-spendAt-catalog').isChecked())
    assert.isFalse(await page.locator('#setting-spendAt-till').isChecked())
    assert.isTrue(await page.locator('#setting-allowSeveralOnOneActivity').isChecked())
    assert.equal(await page.locator('#setting-expiresAfterMonths').inputValue(), '')
    assert.equal(await page.locator('#setting-coPaymentBasisPoints').count(), 0)
    assert.match((await editor.locator('[data-setting-follows]').textContent()) ?? '', /20\s?%/)
    // Each control is labelled, its help text linked.
    for (const id of ['setting-vouchersPerChildPerPeriod', 'setting-faceValue']) {
      assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, id)
    }
    const months = page.locator('#setting-expiresAfterMonths')
    const describedBy = (await months.getAttribute('aria-describedby')) ?? ''
    assert.include(describedBy.split(' '), 'setting-expiresAfterMonths-help')

    // 2 → 3 vouchers per child: saved as version 2 of the published programme.
    await page.locator(COUNT).fill('3')
    await save(page, programUrl)
    await page.locator('[role=status]').first().waitFor()
    await page.reload()
    await settled(page)
    assert.equal(await page.locator(COUNT).inputValue(), '3')
    assert.equal((await summarySetting(page, 'vouchersPerChildPerPeriod')).value, '3')
    assert.equal((await summarySetting(page, 'faceValue')).value, await money(1000))
    assert.deepEqual(await versions(page), ['2', '1'])
    assert.match((await page.locator('[data-testid=program-version]').textContent()) ?? '', /2/)

    // 0 vouchers (below the declared minimum of 1): the form says so in the page's language,
    // marks the field and keeps the focus on it; nothing is sent.
    const puts: string[] = []
    const countPuts = (request: { method(): string; url(): string }) => {
      if (request.method() === 'PUT') puts.push(request.url())
    }
    page.on('request', countPuts)
    await page.locator(COUNT).fill('0')
    await page.locator('[data-action=save-program]').click()
    const fieldError = page.locator('[data-setting=vouchersPerChildPerPeriod] [data-field-error]')
    await fieldError.waitFor()
    const message = ((await fieldError.textContent()) ?? '').trim()
    assert.notMatch(message, /programs_ui\.|errors\.|validator\./)
    if (lang === 'cs') assert.equal(message, 'Zadejte alespoň 1.')
    if (lang === 'en') assert.equal(message, 'Enter at least 1.')
    assert.equal(await page.locator(COUNT).getAttribute('aria-invalid'), 'true')
    assert.include(
      ((await page.locator(COUNT).getAttribute('aria-describedby')) ?? '').split(' '),
      'setting-vouchersPerChildPerPeriod-error'
    )
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'setting-vouchersPerChildPerPeriod'
    )
    await page.waitForTimeout(300)
    assert.deepEqual(puts, [])
    await page.locator('[data-testid=program-settings-editor]').scrollIntoViewIfNeeded()
    await screenshot(page, 'program-settings')
    page.off('request', countPuts)

    // The server refuses it too (the form bypassed: 4 typed, 0 sent); its message shows under
    // the field and nothing is saved.
    await page.locator(COUNT).fill('4')
    await page.route(`**${programUrl}`, async (route) => {
      const request = route.request()
      if (request.method() !== 'PUT') return route.continue()
      const body = JSON.parse(request.postData() ?? '{}')
      body.config.pluginSettings.vouchersPerChildPerPeriod = 0
      return route.continue({ postData: JSON.stringify(body) })
    })
    await save(page, programUrl)
    await page.unroute(`**${programUrl}`)
    await fieldError.waitFor()
    const serverMessage = ((await fieldError.textContent()) ?? '').trim()
    assert.isNotEmpty(serverMessage)
    assert.notMatch(serverMessage, /programs_ui\.|^errors\./)
    assert.equal(await page.locator(COUNT).getAttribute('aria-invalid'), 'true')
    await screenshot(page, 'program-settings-server-error')
    await page.reload()
    await settled(page)
    assert.equal(await page.locator(COUNT).inputValue(), '3')
    assert.deepEqual(await versions(page), ['2', '1'])

    // Back to 2, as the demo data has it (a third version).
    await page.locator(COUNT).fill('2')
    await save(page, programUrl)
    await page.locator('[role=status]').first().waitFor()
    await page.reload()
    await settled(page)
    assert.equal(await page.locator(COUNT).inputValue(), '2')
    assert.equal((await summarySetting(page, 'vouchersPerChildPerPeriod')).value, '2')
    assert.deepEqual(await versions(page), ['3', '2', '1'])

    assert.deepEqual(
      pageErrors.filter((e) => e.startsWith('pageerror')),
      []
    )
  })

  test('renders any declared field type: lists, texts per language, dates, choices, percentages', async ({
    visit,
    assert,
  }) => {
    // A plugin declaring more kinds of settings than the two demo plugins: its descriptors are
    // added to the page's props on the way (as the server would send them), nothing else changes.
    const extra = [
      {
        name: 'thresholds',
        type: 'list',
        label: 'Thresholds',
        help: 'Amounts at which the family is told.',
        required: true,
        default: [50000],
        min: null,
        max: null,
        choices: null,
        multiple: false,
        translated: false,
        maxLength: null,
        minItems: 1,
        maxItems: 3,
        of: {
          type: 'money',
          min: 1,
          max: 10_000_000,
          choices: null,
          multiple: false,
          translated: false,
          maxLength: null,
          minItems: null,
          maxItems: null,
        },
      },
      {
        name: 'notice',
        type: 'text',
        label: 'Notice for families',
        help: null,
        required: true,
        default: null,
        min: null,
        max: null,
        choices: null,
        multiple: false,
        translated: true,
        maxLength: 20,
        minItems: null,
        maxItems: null,
        of: null,
      },
      {
        name: 'region',
        type: 'choice',
        label: 'Region',
        help: null,
        required: false,
        default: null,
        min: null,
        max: null,
        choices: [
          { value: 'north', label: 'North' },
          { value: 'south', label: 'South' },
        ],
        multiple: false,
        translated: false,
        maxLength: null,
        minItems: null,
        maxItems: null,
        of: null,
      },
      {
        name: 'startsOn',
        type: 'date',
        label: 'Starts on',
        help: null,
        required: true,
        default: '2026-09-01',
        min: '2026-01-01',
        max: '2027-12-31',
        choices: null,
        multiple: false,
        translated: false,
        maxLength: null,
        minItems: null,
        maxItems: null,
        of: null,
      },
      {
        name: 'bonusShare',
        type: 'percent',
        label: 'Bonus share',
        help: null,
        required: true,
        default: 1250,
        min: 0,
        max: 5000,
        choices: null,
        multiple: false,
        translated: false,
        maxLength: null,
        minItems: null,
        maxItems: null,
        of: null,
      },
    ]
    const page = await visit('/login')
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`))
    await signIn(page, 'admin.crdm@activecity.test')
    await page.goto('/admin/programs')
    await settled(page)
    await page.route(/\/admin\/programs\/[0-9a-f-]{36}$/, async (route) => {
      const request = route.request()
      if (request.method() !== 'GET' || !request.headers()['x-inertia']) return route.continue()
      const response = await route.fetch()
      const body = await response.json()
      body.props.settingsForm = [...(body.props.settingsForm ?? []), ...extra]
      return route.fulfill({ response, json: body })
    })
    await page.locator(`tr[data-program="${PROGRAM}"] a`).first().click()
    await settled(page)
    const editor = page.locator('[data-testid=program-settings-editor]')
    await editor.locator('[data-setting=thresholds]').waitFor()
    const programUrl = new URL(page.url()).pathname

    // Defaults fill what the programme lacks, shown in the unit people type.
    assert.equal(await page.locator('#setting-thresholds-0').inputValue(), '500')
    assert.equal(await page.locator('#setting-bonusShare').inputValue(), '12.5')
    assert.equal(await page.locator('#setting-startsOn').inputValue(), '2026-09-01')
    assert.equal(await page.locator('#setting-startsOn').getAttribute('type'), 'date')
    assert.equal(await page.locator('#setting-region').inputValue(), '')
    // One input per language, each labelled with its language.
    for (const code of ['cs', 'en', 'uk', 'pl']) {
      const input = page.locator(`#setting-notice-${code}`)
      assert.equal(await input.getAttribute('lang'), code)
      assert.isNotEmpty(
        ((await page.locator(`label[for="setting-notice-${code}"]`).textContent()) ?? '').trim()
      )
    }
    // The summary lists every described setting (6 of the voucher plugin, 5 added), unset ones too.
    assert.equal(await page.locator('[data-testid=summary-settings] li').count(), 11)

    // The list, by keyboard: Add puts the focus on the new item; a bad amount is explained.
    await page.locator('#setting-thresholds-add').focus()
    await page.keyboard.press('Enter')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'setting-thresholds-1')
    await page.keyboard.type('12.345')
    await page.keyboard.press('Tab')
    const listError = page.locator('[data-setting=thresholds] [data-field-error]')
    await listError.waitFor()
    assert.match((await listError.textContent()) ?? '', /2\D+\b2\b/)
    assert.equal(await page.locator('#setting-thresholds-1').getAttribute('aria-invalid'), 'true')
    assert.isNull(await page.locator('#setting-thresholds-0').getAttribute('aria-invalid'))
    await page.locator('#setting-thresholds-1').fill('12.34')
    await listError.waitFor({ state: 'detached' })
    // Remove the first item by keyboard: the focus goes to the item now in its place.
    await page.locator('[data-setting=thresholds] [data-list-item="0"] button').focus()
    await page.keyboard.press('Enter')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'setting-thresholds-0')
    assert.equal(await page.locator('#setting-thresholds-0').inputValue(), '12.34')
    assert.equal(await page.locator('[data-setting=thresholds] [data-list-item]').count(), 1)

    // A required text in some language; a percentage; a choice.
    await page.locator('#setting-notice-en').fill('Hello')
    await page.locator('#setting-bonusShare').fill('20')
    await page.locator('#setting-region').selectOption('south')
    // An empty required date is explained on saving, with the focus on it; nothing is sent.
    await page.locator('#setting-startsOn').fill('')
    await page.locator('[data-action=save-program]').click()
    await page.locator('[data-setting=startsOn] [data-field-error]').waitFor()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'setting-startsOn')
    await page.locator('#setting-startsOn').fill('2026-10-01')
    await editor.scrollIntoViewIfNeeded()
    await screenshot(page, 'program-settings-all-types')

    // What is sent: stored units (minor units, basis points), in the settings object.
    let sent: any = null
    await page.route(`**${programUrl}`, async (route) => {
      if (route.request().method() !== 'PUT') return route.continue()
      sent = JSON.parse(route.request().postData() ?? '{}')
      return route.abort()
    })
    await page.locator('[data-action=save-program]').click()
    for (let i = 0; i < 50 && !sent; i++) await page.waitForTimeout(100)
    assert.isNotNull(sent, 'the form was sent')
    const settings = sent.config.pluginSettings
    assert.deepEqual(settings.thresholds, [1234])
    assert.deepEqual(settings.notice, { en: 'Hello' })
    assert.equal(settings.region, 'south')
    assert.equal(settings.startsOn, '2026-10-01')
    assert.equal(settings.bonusShare, 2000)
    assert.equal(settings.vouchersPerChildPerPeriod, 2)
    assert.equal(settings.coPaymentBasisPoints, 2000)
    assert.deepEqual(
      pageErrors.filter((e) => !/abort|network|fail/i.test(e)),
      []
    )
  })
})

test.group('programme parameters', () => {
  test('a parameter value the rule uses is edited and saved as a new version', async ({
    visit,
    assert,
  }) => {
    const program = 'darujeme-krouzky-ua'
    const page = await visit('/login')
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`))
    await signIn(page, 'admin.crdm@activecity.test')
    await page.goto('/admin/programs')
    await settled(page)
    await page.locator(`tr[data-program="${program}"] a`).first().click()
    await settled(page)
    const field = page.locator('#param-income_multiplier')
    await field.waitFor()
    const programUrl = new URL(page.url()).pathname
    assert.match(programUrl, /^\/admin\/programs\/[0-9a-f-]{36}$/)
    assert.equal(await field.inputValue(), '3.4')
    const before = await versions(page)

    const setTo = async (value: string) => {
      await field.fill(value)
      await save(page, programUrl)
      const stored = await page.request.get(programUrl, { headers: { accept: 'application/json' } })
      return (await stored.json()).config.params.income_multiplier.value
    }
    try {
      assert.equal(await setTo('3.6'), 3.6, pageErrors.join('\n'))
      // The new version appears in the list once the page has re-rendered after the save.
      await page.locator('[data-testid=program-versions] li').nth(before.length).waitFor()
      assert.equal((await versions(page)).length, before.length + 1)
      assert.equal(await page.locator('#param-income_multiplier').inputValue(), '3.6')
      await screenshot(page, 'program-params')
    } finally {
      assert.equal(await setTo('3.4'), 3.4)
    }
  })
})
