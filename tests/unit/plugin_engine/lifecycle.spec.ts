import { test } from '@japa/runner'
import { PluginRegistry } from '../../../app/plugin_engine/registry.js'
import {
  lifecycleEventFor,
  LifecycleError,
  runLifecycle,
} from '../../../app/plugin_engine/lifecycle.js'
import { manifestSource, removeRoot, temporaryRoot, writePlugin } from './fixtures.js'

const TARGET = { pluginId: 'alpha', tenantId: 't1', programId: 'p1' }

test.group('plugin lifecycle', (group) => {
  let root: string
  group.each.setup(async () => {
    root = await temporaryRoot()
    return () => removeRoot(root)
  })

  test('which status change calls which callback', ({ assert }) => {
    const cases: [string, string, string | null][] = [
      ['draft', 'published', 'onEnable'],
      ['closed', 'published', 'onEnable'],
      ['published', 'closed', 'onDisable'],
      ['draft', 'archived', null],
      ['closed', 'archived', null],
      ['published', 'published', null],
    ]
    for (const [from, to, expected] of cases) {
      assert.equal(lifecycleEventFor(from, to), expected, `${from} -> ${to}`)
    }
  })

  test('calls the callback with the settings loaded through the schema', async ({ assert }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource(
        'alpha',
        `lifecycle: {
          onEnable: (context) => { (globalThis as any).alphaEnabled = context },
        },`
      ),
    })
    const registry = await PluginRegistry.load({ root })
    assert.isTrue(await runLifecycle(registry, 'onEnable', { ...TARGET, settings: {} }))
    assert.deepEqual((globalThis as any).alphaEnabled, {
      tenantId: 't1',
      programId: 'p1',
      settings: { count: 1 },
    })
    // No onDisable declared: nothing to call.
    assert.isFalse(await runLifecycle(registry, 'onDisable', { ...TARGET, settings: {} }))
    delete (globalThis as any).alphaEnabled
  })

  test('a refusal, a bug and bad stored settings reject with LifecycleError', async ({
    assert,
  }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource(
        'alpha',
        `lifecycle: {
          onEnable: async () => {
            const { HookRefusal } = await import('${new URL('../../../app/plugin_engine/hooks.js', import.meta.url).href}')
            throw new HookRefusal('plugins.alpha.not_ready', { level: 2 })
          },
          onDisable: () => { throw new Error('boom') },
        },`
      ),
    })
    const registry = await PluginRegistry.load({ root })
    const refusal = await runLifecycle(registry, 'onEnable', { ...TARGET, settings: {} }).catch(
      (e) => e
    )
    assert.instanceOf(refusal, LifecycleError)
    assert.equal(refusal.event, 'onEnable')
    assert.equal(refusal.refusal?.key, 'plugins.alpha.not_ready')
    assert.deepEqual(refusal.refusal?.values, { level: 2 })

    const bug = await runLifecycle(registry, 'onDisable', { ...TARGET, settings: {} }).catch(
      (e) => e
    )
    assert.instanceOf(bug, LifecycleError)
    assert.isNull(bug.refusal)
    assert.include(bug.message, 'plugin "alpha" failed onDisable: boom')

    const corrupt = await runLifecycle(registry, 'onDisable', {
      ...TARGET,
      settings: { count: 'many' },
    }).catch((e) => e)
    assert.instanceOf(corrupt, LifecycleError)
    assert.isNull(corrupt.refusal)
  })
})
