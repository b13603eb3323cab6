import path from 'node:path'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright'
import app from '@adonisjs/core/services/app'
import { DEMO_PASSWORD } from '#database/demo_people'

/** The first segments of translation keys (a key shown as itself means a missing translation). */
let rawKey: RegExp | undefined
function rawKeyPattern() {
  if (!rawKey) {
    const ui = JSON.parse(readFileSync(app.makePath('resources', 'lang', 'en', 'ui.json'), 'utf8'))
    const namespaces = [
      ...new Set([...Object.keys(ui), 'errors', 'validator', 'plugins', 'explain']),
    ]
    rawKey = new RegExp(
      `(?<![\\w@./-])(?:${namespaces.join('|')})\\.[a-z_]+(?:\\.[a-z0-9_]+)*(?![\\w@/-])`
    )
  }
  return rawKey
}
/** `{name}` left unreplaced, or ICU syntax the browser did not format (`{n, plural, …}`). */
const RAW_PLACEHOLDER =
  /\{\s*[A-Za-z_]\w*\s*(?:\}|,\s*(?:plural|select|selectordinal|number|date)\b)/

/**
 * What a person must never read on a page: a translation key instead of its text, or a message
 * template's placeholder. Throws with the offending text.
 */
export async function assertNoRawMessages(page: Page, where: string) {
  const text = await page.locator('body').innerText()
  for (const pattern of [rawKeyPattern(), RAW_PLACEHOLDER]) {
    const found = text.match(pattern)
    if (found) {
      const at = found.index ?? 0
      throw new Error(
        `${where}: the page shows "${found[0]}" (…${text.slice(Math.max(0, at - 60), at + 60)}…)`
      )
    }
  }
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

/**
 * Runs axe-core (Deque's WCAG rules engine) on the page for WCAG 2.1 A and AA and throws with
 * every violation (rule, impact, the elements' selectors).
 */
export async function assertAccessible(page: Page, where: string) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SOURCE })
  const violations = await page.evaluate(async () => {
    const axe = (window as any).axe
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    })
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n: any) => n.target.join(' ')),
    }))
  })
  if (violations.length) {
    throw new Error(
      `${where}: WCAG violations:\n` +
        violations
          .map((v: any) => `- ${v.id} (${v.impact}): ${v.help}\n    ${v.targets.join('\n    ')}`)
          .join('\n')
    )
  }
}

/**
 * Saves a full-page screenshot under tests/browser/screenshots/ (looked at by people, not diffed),
 * after checking that the page shows no raw translation keys or placeholders.
 */
export async function screenshot(page: Page, name: string) {
  await page.waitForLoadState('networkidle')
  await page.locator('#main').waitFor()
  await assertNoRawMessages(page, `screenshot ${name}`)
  await assertAccessible(page, `screenshot ${name}`)
  await page.screenshot({
    path: path.join(app.makePath('tests', 'browser', 'screenshots'), `${name}.png`),
    fullPage: true,
  })
}

/** Signs in through the login form, as a person would. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/login')
  await page.locator('#email').fill(email)
  await page.locator('#password').fill(password)
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/login')),
    page.locator('form button[type=submit]').click(),
  ])
}

/** Signs out with the header button. */
export async function signOut(page: Page) {
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/'),
    page.locator('header button').last().click(),
  ])
}

/** Waits for the Inertia page to be mounted and settled after a visit or form submission. */
export async function settled(page: Page) {
  await page.waitForLoadState('networkidle')
  await page.locator('#main').waitFor()
}

/**
 * Fills the admin's new-programme form (on /admin/programs) with one period (first half of the
 * school year 2026/27) and submits it; returns the new programme page's path.
 */
export async function createDraftProgram(
  page: Page,
  input: { slug: string; pluginId: string; nameCs: string; nameEn: string; budget: string }
) {
  await page.locator('#slug').fill(input.slug)
  await page.locator('#pluginId').selectOption(input.pluginId)
  await page.locator('#nameCs').fill(input.nameCs)
  await page.locator('#nameEn').fill(input.nameEn)
  await page.locator('#periodName').fill('1. pololetí 2026/27')
  await page.locator('#periodStart').fill('2026-09-01')
  await page.locator('#periodEnd').fill('2027-01-31')
  await page.locator('#currency').selectOption('CZK')
  await page.locator('#budget').fill(input.budget)
  await Promise.all([
    page.waitForURL(/\/admin\/programs\/[0-9a-f-]{36}$/).catch(async (error) => {
      const shown = await page.locator('[data-field-error]').allTextContents()
      throw new Error(`${error.message}\n${shown.join('\n')}`)
    }),
    page.locator('[data-testid=new-program-form] button[type=submit]').click(),
  ])
  await settled(page)
  return new URL(page.url()).pathname
}
