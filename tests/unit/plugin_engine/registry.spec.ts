import { test } from '@japa/runner'
import {
  PluginRegistry,
  PluginRegistryError,
  scanMigration,
  UnknownPluginError,
} from '../../../app/plugin_engine/registry.js'
import { manifestSource, PROJECT_ROOT, removeRoot, temporaryRoot, writePlugin } from './fixtures.js'

/** Loads the registry of `root` and returns the refusal's message (fails when it loads). */
async function refusal(root: string): Promise<{ message: string; error: PluginRegistryError }> {
  try {
    await PluginRegistry.load({ root })
  } catch (error) {
    if (error instanceof PluginRegistryError) return { message: error.message, error }
    throw error
  }
  throw new Error('expected the registry to refuse to start')
}

const MIGRATION = (body: string) => `import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  ${body}
}
`

test.group('plugin registry: loading', (group) => {
  let root: string
  group.each.setup(async () => {
    root = await temporaryRoot()
    return () => removeRoot(root)
  })

  test('loads valid plugins and lists them in dispatch order (order, then id)', async ({
    assert,
  }) => {
    await writePlugin(root, 'zeta', { 'plugin.ts': manifestSource('zeta', 'order: 10,') })
    await writePlugin(root, 'beta', { 'plugin.ts': manifestSource('beta') })
    await writePlugin(root, 'alpha', { 'plugin.ts': manifestSource('alpha') })
    const registry = await PluginRegistry.load({ root })
    assert.deepEqual(
      registry.all().map((p) => p.id),
      ['zeta', 'alpha', 'beta']
    )
    assert.equal(registry.get('beta').version, '1.0.0')
    assert.isTrue(registry.has('alpha'))
    assert.isUndefined(registry.find('gamma'))
    assert.throws(() => registry.get('gamma'), UnknownPluginError as any)
    assert.deepEqual(
      registry.inOrder(['beta', 'zeta']).map((p) => p.id),
      ['zeta', 'beta']
    )
  })

  test('no plugins folder means no plugins', async ({ assert }) => {
    assert.deepEqual((await PluginRegistry.load({ root })).all(), [])
  })

  test('records route names and the tables the migrations create', async ({ assert }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource(
        'alpha',
        `migrations: 'database/migrations',
        routes: (router) => {
          router.get('/alpha', 'x').as('plugins.alpha.portal.index')
          router.post('/alpha', 'x').as('plugins.alpha.portal.store').use('auth')
        },`
      ),
      'database/migrations/0001_alpha.ts': MIGRATION(`protected tableName = 'alpha_entries'
  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('tenant_id').references('id').inTable('tenants')
    })
    this.schema.raw('CREATE TABLE IF NOT EXISTS public.alpha_log (id bigint)')
  }`),
    })
    const registry = await PluginRegistry.load({ root })
    assert.deepEqual(registry.details('alpha').routeNames, [
      'plugins.alpha.portal.index',
      'plugins.alpha.portal.store',
    ])
    assert.deepEqual(registry.details('alpha').tables, ['alpha_entries', 'alpha_log'])
  })

  test('the built-in plugins pass', async ({ assert }) => {
    const registry = await PluginRegistry.load({ root: PROJECT_ROOT })
    assert.includeMembers(
      registry.all().map((p) => p.id),
      ['credit', 'voucher']
    )
    assert.equal(registry.get('credit').benefitKind, 'credit')
    assert.equal(registry.get('voucher').benefitKind, 'voucher')
  })
})

test.group('plugin registry: refuses to start', (group) => {
  let root: string
  group.each.setup(async () => {
    root = await temporaryRoot()
    return () => removeRoot(root)
  })

  test('on an unknown hook name', async ({ assert }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource('alpha', `hooks: { 'application.rejected': () => [] },`),
    })
    const { message, error } = await refusal(root)
    assert.include(message, 'plugins/alpha: unknown hook "application.rejected"')
    assert.deepEqual(
      error.problems.map((p) => p.plugin),
      ['plugins/alpha']
    )
  })

  test('on a duplicate plugin id', async ({ assert }) => {
    await writePlugin(root, 'alpha', { 'plugin.ts': manifestSource('alpha') })
    await writePlugin(root, 'beta', { 'plugin.ts': manifestSource('alpha') })
    const { message } = await refusal(root)
    assert.include(
      message,
      'plugins/beta: duplicate plugin id "alpha" (also declared by plugins/alpha)'
    )
  })

  test('on an id that is not the folder name', async ({ assert }) => {
    await writePlugin(root, 'alpha', { 'plugin.ts': manifestSource('other') })
    assert.include(
      (await refusal(root)).message,
      'plugins/alpha: id "other" must equal the folder name "alpha"'
    )
  })

  test('on an id of the wrong form', async ({ assert }) => {
    await writePlugin(root, 'Alpha', { 'plugin.ts': manifestSource('Alpha') })
    assert.include((await refusal(root)).message, 'plugins/Alpha: id "Alpha" is not valid')
  })

  test('on a route name without the plugin prefix', async ({ assert }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource(
        'alpha',
        `routes: (router) => { router.get('/x', 'x').as('admin.x.index') },`
      ),
    })
    assert.include(
      (await refusal(root)).message,
      'plugins/alpha: route name "admin.x.index" must start with "plugins.alpha."'
    )
  })

  test('on a route without a name', async ({ assert }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource('alpha', `routes: (router) => { router.get('/x', 'x') },`),
    })
    assert.include((await refusal(root)).message, 'plugins/alpha: route GET /x has no name')
  })

  test('on a route name used by two plugins', async ({ assert }) => {
    const routes = `routes: (router) => { router.get('/x', 'x').as('plugins.alpha.portal.x') },`
    await writePlugin(root, 'alpha', { 'plugin.ts': manifestSource('alpha', routes) })
    await writePlugin(root, 'beta', { 'plugin.ts': manifestSource('beta', routes) })
    const { message } = await refusal(root)
    assert.include(
      message,
      'plugins/beta: duplicate route name "plugins.alpha.portal.x" (also registered by plugins/alpha)'
    )
    assert.include(
      message,
      'plugins/beta: route name "plugins.alpha.portal.x" must start with "plugins.beta."'
    )
  })

  test('on a route name used twice in one plugin', async ({ assert }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource(
        'alpha',
        `routes: (router) => { router.get('/x', 'x').as('plugins.alpha.x'); router.post('/x', 'x').as('plugins.alpha.x') },`
      ),
    })
    assert.include(
      (await refusal(root)).message,
      'plugins/alpha: duplicate route name "plugins.alpha.x"'
    )
  })

  test('on a migration creating a table without the plugin prefix', async ({ assert }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource('alpha', `migrations: 'database/migrations',`),
      'database/migrations/0001_accounts.ts': MIGRATION(`async up() {
    this.schema.createTable('accounts', (table) => { table.increments('id') })
  }`),
    })
    assert.include(
      (await refusal(root)).message,
      'plugins/alpha: migration database/migrations/0001_accounts.ts creates table "accounts": a plugin\'s tables must start with "alpha_"'
    )
  })

  test('on a migration creating such a table in SQL or through tableName', async ({ assert }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource('alpha', `migrations: 'database/migrations',`),
      'database/migrations/0001_raw.ts': MIGRATION(`async up() {
    await this.db.rawQuery(\`create unlogged table if not exists "ledger" (id int)\`)
  }`),
      'database/migrations/0002_prop.ts': MIGRATION(`protected tableName = 'beta_things'
  async up() { this.schema.createTable(this.tableName, () => {}) }`),
    })
    const { message } = await refusal(root)
    assert.include(message, 'creates table "ledger"')
    assert.include(message, 'creates table "beta_things"')
  })

  test('on a migration altering a core table', async ({ assert }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource('alpha', `migrations: 'database/migrations',`),
      'database/migrations/0001_users.ts': MIGRATION(`async up() {
    this.schema.alterTable('users', (table) => { table.string('alpha_flag') })
  }`),
    })
    assert.include(
      (await refusal(root)).message,
      'alters or drops table "users": a plugin may reference core tables, never change them'
    )
  })

  test('on a missing settings schema', async ({ assert }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource('alpha', 'settings: undefined,'),
    })
    assert.include((await refusal(root)).message, 'plugins/alpha: settings schema missing')
  })

  test('on settings that are not built by defineSettings', async ({ assert }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource('alpha', 'settings: { count: 1 },'),
    })
    assert.include((await refusal(root)).message, 'plugins/alpha: settings schema missing')
  })

  test('on a version that is not semver', async ({ assert }) => {
    await writePlugin(root, 'alpha', { 'plugin.ts': manifestSource('alpha', `version: '1.0',`) })
    assert.include(
      (await refusal(root)).message,
      'plugins/alpha: version "1.0" is not a semantic version'
    )
  })

  test('on a settings declaration error while loading plugin.ts', async ({ assert }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource(
        'alpha',
        `settings: defineSettings({ n: field.integer({ default: -1, min: 0, label: L }) }),`
      ),
    })
    const { message } = await refusal(root)
    assert.include(
      message,
      'plugins/alpha: plugin.ts cannot be loaded: invalid settings declaration: n: default -1 is outside 0..'
    )
  })

  test('on a folder without plugin.ts', async ({ assert }) => {
    await writePlugin(root, 'alpha', { 'README.md': '# nothing' })
    assert.include((await refusal(root)).message, 'plugins/alpha: no plugin.ts')
  })

  test('on a voucher plugin that grants nothing, missing locales, unknown fields and bad pages', async ({
    assert,
  }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource(
        'alpha',
        `benefitKind: 'voucher', name: { cs: 'Alfa' }, colour: 'red', pages: ['admin/alpha/index', 'plugins/alpha/admin/index'],`
      ),
    })
    const { message, error } = await refusal(root)
    assert.include(message, 'benefitKind "voucher" needs a receiver of application.approved')
    assert.include(message, 'name is missing the locales en, uk, pl')
    assert.include(message, 'unknown manifest field "colour"')
    assert.include(message, 'page "admin/alpha/index" must be named plugins/alpha/<area>/<name>')
    assert.include(message, 'page "plugins/alpha/admin/index" has no file pages/admin/index.vue')
    assert.lengthOf(error.problems, 5)
  })

  test('on translations missing a locale', async ({ assert }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource('alpha', `translations: 'lang',`),
      'lang/cs.json': '{}',
      'lang/en.json': '{}',
      'lang/uk.json': '{ not json',
    })
    const { message } = await refusal(root)
    assert.include(message, 'translations lack lang/pl.json')
    assert.include(message, 'translations lang/uk.json is not valid JSON')
  })

  test('reports the problems of every plugin at once', async ({ assert }) => {
    await writePlugin(root, 'alpha', { 'plugin.ts': manifestSource('alpha', `version: 'one',`) })
    await writePlugin(root, 'beta', {
      'plugin.ts': manifestSource('beta', `hooks: { 'booking.created': () => [] },`),
    })
    const { error } = await refusal(root)
    assert.deepEqual(
      error.problems.map((p) => p.plugin),
      ['plugins/alpha', 'plugins/beta']
    )
    assert.match(error.message, /^Refusing to start: 2 plugin problems:/)
  })
})

test.group('plugin registry: migration scan', () => {
  test('finds created and changed tables in schema builder calls and SQL', ({ assert }) => {
    const scan = scanMigration(`
      // this.schema.createTable('commented_out')
      /* create table also_commented (id int) */
      protected tableName = 'credit_accounts'
      const TABLE = 'credit_entries'
      this.schema.createTable(this.tableName, (t) => { t.uuid('user_id').references('id').inTable('users') })
      this.schema.createTableIfNotExists(TABLE, () => {})
      this.schema.withSchema('public').createTable("credit_moves", () => {})
      this.schema.table('tenants', () => {})
      this.schema.dropTableIfExists('credit_old')
      this.schema.raw('CREATE TABLE "public"."credit_raw" (id int); ALTER TABLE ONLY users ADD x int')
      this.schema.raw('create unique index credit_idx on organizations (name)')
      this.schema.createTable(\`\${prefix}_x\`, () => {})
    `)
    assert.deepEqual(scan.created, [
      'credit_accounts',
      'credit_entries',
      'credit_moves',
      'credit_raw',
    ])
    assert.deepEqual(scan.changed, ['tenants', 'credit_old', 'users', 'organizations'])
    assert.deepEqual(scan.unresolved, ['`${prefix}_x`'])
  })
})
