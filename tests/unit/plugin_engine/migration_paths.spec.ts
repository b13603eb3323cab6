import { test } from '@japa/runner'
import { PluginRegistry } from '../../../app/plugin_engine/registry.js'
import {
  pluginMigrationPaths,
  registryMigrationPaths,
} from '../../../app/plugin_engine/migration_paths.js'
import { manifestSource, removeRoot, temporaryRoot, writePlugin } from './fixtures.js'

const MIGRATION = `import { BaseSchema } from '@adonisjs/lucid/schema'
export default class extends BaseSchema {
  async up() {
    this.schema.raw('create table TABLE (tenant_id uuid not null)')
  }
}
`

test.group('plugin migration paths', (group) => {
  let root: string
  group.each.setup(async () => {
    root = await temporaryRoot()
    return () => removeRoot(root)
  })

  test('lists each declared folder relative to the root, in folder order', async ({ assert }) => {
    await writePlugin(root, 'zeta', {
      'plugin.ts': manifestSource('zeta', `migrations: 'db/migrations',`),
      'db/migrations/0001_zeta.ts': MIGRATION.replace('TABLE', 'zeta_items'),
    })
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource('alpha', `migrations: 'database/migrations',`),
      'database/migrations/0001_alpha.ts': MIGRATION.replace('TABLE', 'alpha_items'),
    })
    await writePlugin(root, 'beta', { 'plugin.ts': manifestSource('beta') })
    const expected = ['plugins/alpha/database/migrations', 'plugins/zeta/db/migrations']
    assert.deepEqual(await pluginMigrationPaths(root), expected)
    assert.deepEqual(registryMigrationPaths(await PluginRegistry.load({ root }), root), expected)
  })

  test('leaves out what the registry refuses at boot: a broken manifest, a folder outside the plugin or missing', async ({
    assert,
  }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource('alpha', `migrations: 'database/migrations',`),
      'database/migrations/0001_alpha.ts': MIGRATION.replace('TABLE', 'alpha_items'),
    })
    await writePlugin(root, 'broken', { 'plugin.ts': 'export default definePlugin(' })
    await writePlugin(root, 'escape', {
      'plugin.ts': manifestSource('escape', `migrations: '../alpha/database/migrations',`),
    })
    await writePlugin(root, 'missing', {
      'plugin.ts': manifestSource('missing', `migrations: 'database/migrations',`),
    })
    assert.deepEqual(await pluginMigrationPaths(root), ['plugins/alpha/database/migrations'])
  })
})
