import { test } from '@japa/runner'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { PluginRegistry } from '../../../app/plugin_engine/registry.js'
import {
  pluginScaffoldFiles,
  scaffoldPlugin,
  ScaffoldError,
} from '../../../app/plugin_engine/scaffold.js'
import { ENGINE, removeRoot, temporaryRoot } from './fixtures.js'

test.group('make:plugin scaffolder', (group) => {
  let root: string
  group.each.setup(async () => {
    root = await temporaryRoot()
    return () => removeRoot(root)
  })

  test('writes the plugin folder, and the result passes the registry', async ({ assert }) => {
    const written = await scaffoldPlugin({ root, id: 'swim_pass', engineImport: ENGINE })
    assert.includeMembers(written, [
      'plugins/swim_pass/plugin.ts',
      'plugins/swim_pass/settings.ts',
      'plugins/swim_pass/hooks.ts',
      'plugins/swim_pass/README.md',
      'plugins/swim_pass/lang/cs.json',
      'plugins/swim_pass/lang/pl.json',
      'plugins/swim_pass/tests/unit/settings.spec.ts',
    ])
    for (const file of written) assert.isTrue(existsSync(path.join(root, file)), file)
    const registry = await PluginRegistry.load({ root })
    const manifest = registry.get('swim_pass')
    assert.equal(manifest.version, '0.1.0')
    assert.equal(manifest.name.en, 'Swim pass')
    assert.deepEqual(manifest.settings.form('cs'), [])
    assert.include(
      await readFile(path.join(root, 'plugins/swim_pass/README.md'), 'utf8'),
      '## Settings'
    )
  })

  test('refuses an id that exists, writing nothing', async ({ assert }) => {
    await scaffoldPlugin({ root, id: 'swim_pass', engineImport: ENGINE })
    await assert.rejects(
      () => scaffoldPlugin({ root, id: 'swim_pass', engineImport: ENGINE }),
      'plugins/swim_pass already exists'
    )
  })

  test('refuses bad ids', async ({ assert }) => {
    for (const id of [
      '',
      'a',
      'Swim',
      '1swim',
      'swim-pass',
      'swim pass',
      '../escape',
      'a'.repeat(32),
    ]) {
      const error = await scaffoldPlugin({ root, id }).then(
        () => null,
        (e) => e
      )
      assert.instanceOf(error, ScaffoldError, id)
      assert.include(error.message, 'is not a valid plugin id')
    }
    assert.isFalse(existsSync(path.join(root, 'plugins')))
  })

  test('the scaffold states the conventions of routes, pages, templates and tables', ({
    assert,
  }) => {
    const files = pluginScaffoldFiles('swim_pass')
    const readme = files['README.md']
    assert.include(readme, '`plugins.swim_pass.<area>.<resource>.<action>`')
    assert.include(readme, '`/portal/plugins/swim_pass`')
    assert.include(readme, '`plugins/swim_pass/<area>/<name>` in `pages/<area>/<name>.vue`')
    assert.include(readme, '`tenants/<slug>/templates/plugins/swim_pass/<name>/`')
    assert.include(readme, 'named `swim_pass_…`')
    assert.include(files['hooks.ts'], "routeName: 'plugins.swim_pass.portal.passes.index'")
    // The new plugin is complete as written: no placeholders left to find later.
    assert.notInclude(Object.values(files).join('\n'), 'TODO')
  })

  test('the default scaffold imports the engine relative to plugins/<id>/', ({ assert }) => {
    const files = pluginScaffoldFiles('swim_pass')
    assert.include(files['plugin.ts'], `from '../../app/plugin_engine/define_plugin.js'`)
    assert.include(files['plugin.ts'], `id: 'swim_pass'`)
    assert.include(files['tests/unit/settings.spec.ts'], `from '../../settings.js'`)
  })
})
