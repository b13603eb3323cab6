import path from 'node:path'
import type { Page } from 'playwright'
import app from '@adonisjs/core/services/app'
import { DEMO_PASSWORD } from '#database/demo_people'

/** Saves a full-page screenshot under tests/browser/screenshots/ (looked at by people, not diffed). */
export async function screenshot(page: Page, name: string) {
  await page.waitForLoadState('networkidle')
  await page.locator('#main').waitFor()
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
