import { test } from '@japa/runner'
import { DEMO_PEOPLE } from '#database/demo_people'
import { screenshot, settled, signIn, signOut } from '#tests/helpers/browser'

/**
 * Whole journeys in Chromium, as a person goes through them. Screenshots land in
 * tests/browser/screenshots/.
 */
test.group('citizen registration', () => {
  test('registers, sees translated field errors first, verifies the e-mail from the outbox', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/register')
    await page.locator('form button[type=submit]').click()
    await page.locator('[data-field-error]').first().waitFor()
    const errors = await page.locator('[data-field-error]').allTextContents()
    assert.isAtLeast(errors.length, 4)
    assert.isFalse(
      errors.some((e) => e.includes('validator.') || e.includes('errors.')),
      errors.join(' | ')
    )
    await screenshot(page, 'register-errors')

    const email = `browser.${Date.now()}@example.cz`
    await page.locator('#fullName').fill('Petr Prohlížeč')
    await page.locator('#email').fill(email)
    await page.locator('#password').fill('Bezpecne-heslo-1')
    await page.locator('#passwordConfirmation').fill('Bezpecne-heslo-1')
    await page.locator('#citizenship').selectOption('CZ')
    await page.locator('#homeTenant').selectOption('praha-5')
    await page.locator('#privacyAccepted').check()
    await Promise.all([
      page.waitForURL('**/portal'),
      page.locator('form button[type=submit]').click(),
    ])
    await settled(page)
    await screenshot(page, 'portal-after-registration')

    await page.goto(`/dev/outbox?to=${encodeURIComponent(email)}`)
    await page.locator('main a[href^="/dev/outbox/"]').first().click()
    await page.locator('main a[href*="/verify-email/"]').first().waitFor()
    await screenshot(page, 'outbox-verification-mail')
    await page.locator('main a[href*="/verify-email/"]').first().click()
    await settled(page)
    const flash = await page.locator('[role=status]').first().textContent()
    assert.isTrue(!!flash && flash.length > 3)

    await page.goto('/account')
    await screenshot(page, 'account')
    assert.equal(await page.locator('button:has-text("verify")').count(), 0)
  })
})

test.group('sign in as every demo role', () => {
  const expectations: Record<string, { path: string; nav: string[]; noNav: string[] }> = {
    'platform@activecity.test': {
      path: '/platform',
      nav: ['/platform'],
      noNav: ['/portal', '/admin'],
    },
    'admin.praha5@activecity.test': {
      path: '/admin',
      nav: ['/admin', '/admin/staff', '/admin/settings'],
      noNav: ['/platform', '/portal'],
    },
    'manager.praha5@activecity.test': {
      path: '/admin',
      nav: ['/admin', '/admin/audit'],
      noNav: ['/admin/staff', '/platform'],
    },
    'reviewer.praha5@activecity.test': {
      path: '/admin',
      nav: ['/admin'],
      noNav: ['/admin/staff', '/admin/settings'],
    },
    'admin.crdm@activecity.test': { path: '/admin', nav: ['/admin/staff'], noNav: ['/platform'] },
    'provider.admin@activecity.test': {
      path: '/admin',
      nav: ['/admin/organization'],
      noNav: ['/admin/staff'],
    },
    'provider.staff@activecity.test': {
      path: '/admin',
      nav: ['/admin/organization'],
      noNav: ['/admin/staff', '/admin/settings'],
    },
    'citizen@activecity.test': {
      path: '/portal',
      nav: ['/portal', '/account'],
      noNav: ['/admin', '/platform'],
    },
  }

  for (const person of DEMO_PEOPLE.filter((p) => expectations[p.email])) {
    test(`${person.role}: lands on the right area with the right menu, then signs out`, async ({
      visit,
      assert,
    }) => {
      const want = expectations[person.email]
      const page = await visit('/login')
      await signIn(page, person.email)
      await page.waitForURL(`**${want.path}`)
      await settled(page)
      const links = await page
        .locator('nav[aria-label] a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')))
      for (const href of want.nav) assert.include(links, href, `${person.email} should see ${href}`)
      for (const href of want.noNav)
        assert.notInclude(links, href, `${person.email} should not see ${href}`)
      await screenshot(page, `home-${person.email.split('@')[0]}`)
      await signOut(page)
      await page.goto(want.path)
      await page.waitForURL('**/login')
    })
  }

  test('a wrong password shows a translated field error, in Czech and in English', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/login')
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.locator('#language-switch').selectOption('cs'),
    ])
    await page.waitForFunction(() => document.documentElement.lang === 'cs')
    await page.locator('#main').waitFor()
    await page.locator('#email').fill('citizen@activecity.test')
    await page.locator('#password').fill('spatne-heslo-123')
    await page.locator('form button[type=submit]').click()
    const cs = await page.locator('[data-field-error]').first().textContent()
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.locator('#language-switch').selectOption('en'),
    ])
    await page.waitForFunction(() => document.documentElement.lang === 'en')
    await page.locator('#main').waitFor()
    await page.locator('#email').fill('citizen@activecity.test')
    await page.locator('#password').fill('wrong-password-123')
    await page.locator('form button[type=submit]').click()
    await page.waitForFunction(
      (before) => document.querySelector('[data-field-error]')?.textContent !== before,
      cs
    )
    const en = await page.locator('[data-field-error]').first().textContent()
    assert.isTrue(!!cs && !!en)
    assert.notEqual(cs, en)
    assert.notInclude(String(en), 'errors.')
  })
})

test.group('password reset', () => {
  test('asks for a link, opens it from the outbox, sets a new password and signs in with it', async ({
    visit,
  }) => {
    const page = await visit('/forgot-password')
    await page.locator('#email').fill('citizen.ua@activecity.test')
    await Promise.all([
      page.waitForURL('**/login'),
      page.locator('form button[type=submit]').click(),
    ])
    await page.goto(`/dev/outbox?to=${encodeURIComponent('citizen.ua@activecity.test')}`)
    await page.locator('main a[href^="/dev/outbox/"]').first().click()
    await page.locator('main a[href*="/reset-password/"]').first().click()
    await page.locator('#password').fill('Nove-heslo-olena-1')
    await page.locator('#passwordConfirmation').fill('Nove-heslo-olena-1')
    await Promise.all([
      page.waitForURL('**/login'),
      page.locator('form button[type=submit]').click(),
    ])
    await signIn(page, 'citizen.ua@activecity.test', 'Nove-heslo-olena-1')
    await page.waitForURL('**/portal')
  })
})

test.group('language switch and layouts', () => {
  test('switching the language changes every text and the page language', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/')
    const texts: Record<string, string> = {}
    for (const locale of ['cs', 'en', 'uk', 'pl']) {
      const current = await page.evaluate(() => document.documentElement.lang)
      if (current !== locale) {
        await Promise.all([
          page.waitForNavigation({ waitUntil: 'load' }),
          page.locator('#language-switch').selectOption(locale),
        ])
      }
      await page.waitForFunction((l) => document.documentElement.lang === l, locale)
      await page.locator('#main').waitFor()
      await settled(page)
      texts[locale] = (await page.locator('main').innerText()).slice(0, 400)
      await screenshot(page, `public-home-${locale}`)
    }
    assert.equal(new Set(Object.values(texts)).size, 4)
  })

  test('layouts render on a 360 px phone and on a desktop', async ({ visit, browserContext }) => {
    for (const [name, width] of [
      ['phone', 360],
      ['desktop', 1280],
    ] as const) {
      const page = await visit('/')
      await page.setViewportSize({ width, height: 800 })
      await screenshot(page, `layout-public-${name}`)
      await page.goto('/t/praha-5')
      await screenshot(page, `layout-tenant-${name}`)
      await page.goto('/cities')
      await screenshot(page, `layout-cities-${name}`)
      await page.goto('/this-page-does-not-exist')
      await screenshot(page, `layout-404-${name}`)
      await signIn(page, 'admin.praha5@activecity.test')
      await page.setViewportSize({ width, height: 800 })
      await page.goto('/admin/staff')
      await screenshot(page, `layout-admin-${name}`)
      await signOut(page)
      await browserContext.clearCookies()
    }
  })

  test('the whole public page is usable with the keyboard alone', async ({ visit, assert }) => {
    const page = await visit('/login')
    await page.locator('#main').waitFor()
    await page.keyboard.press('Tab')
    const first = await page.evaluate(() => document.activeElement?.textContent?.trim())
    assert.isTrue(!!first)
    await page.keyboard.press('Enter')
    const focused = await page.evaluate(() => document.activeElement?.id)
    assert.equal(focused, 'main')
  })
})
