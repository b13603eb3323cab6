/*
 * Files of public/ are served by URLs with a file extension; other URLs go straight to the routes
 * without a disk lookup (app/middleware/static_files_middleware.ts).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { looksLikeFile } from '#middleware/static_files_middleware'

test.group('static files', () => {
  test('which URLs are looked up on disk', ({ assert }) => {
    for (const path of ['/assets/app-1a2b.js', '/favicon.ico', '/assets/.vite/manifest.json']) {
      assert.isTrue(looksLikeFile(path), path)
    }
    for (const path of [
      '/',
      '/portal/offers',
      '/portal/applications/0b7c1a2e-1d0f-4a55-9a53-0a4f4b0e2a11',
      '/t/praha-5',
      '/.env',
      '/assets/',
      '/assets/x.',
    ]) {
      assert.isFalse(looksLikeFile(path), path)
    }
  })

  test('a file of public/ is served; the same name without its extension is not', async ({
    client,
    assert,
  }) => {
    const name = `static-check-${Date.now()}`
    mkdirSync(app.publicPath(), { recursive: true })
    const file = app.publicPath(`${name}.txt`)
    writeFileSync(file, 'served from public/')
    try {
      const served = await client.get(`/${name}.txt`)
      served.assertStatus(200)
      assert.equal(served.text(), 'served from public/')
      const route = await client.get(`/${name}`).header('accept', 'application/json')
      route.assertStatus(404)
    } finally {
      rmSync(file, { force: true })
    }
  })
})
