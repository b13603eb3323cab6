import { test } from '@japa/runner'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { pageFile } from '../../../resources/js/page_files.js'
import { PluginRegistry } from '../../../app/plugin_engine/registry.js'
import { PROJECT_ROOT } from './fixtures.js'

test.group('page files (the client’s page resolution)', () => {
  test('core pages under resources/js/pages, plugin pages in their plugin folder', ({ assert }) => {
    assert.equal(
      pageFile('portal/applications/benefits'),
      './pages/portal/applications/benefits.vue'
    )
    assert.equal(
      pageFile('plugins/voucher/portal/voucher'),
      '../../plugins/voucher/pages/portal/voucher.vue'
    )
    // A name that is not a well-formed plugin page stays a core page name (and is not found).
    assert.equal(pageFile('plugins/voucher'), './pages/plugins/voucher.vue')
    assert.equal(pageFile('plugins/../x/portal/y'), './pages/plugins/../x/portal/y.vue')
  })

  test('every page a plugin declares resolves to its file', async ({ assert }) => {
    const registry = await PluginRegistry.load({ root: PROJECT_ROOT })
    let count = 0
    for (const manifest of registry.all()) {
      for (const page of manifest.pages ?? []) {
        const file = path.join(PROJECT_ROOT, 'resources', 'js', pageFile(page))
        assert.isTrue(existsSync(file), `${page} -> ${file}`)
        count++
      }
    }
    assert.isAtLeast(count, 3)
  })
})
