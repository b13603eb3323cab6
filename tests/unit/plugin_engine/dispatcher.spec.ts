import { test } from '@japa/runner'
import { definePlugin, type AnyPluginManifest } from '../../../app/plugin_engine/define_plugin.js'
import { HookDispatcher, HookDispatchError } from '../../../app/plugin_engine/dispatcher.js'
import {
  HookRefusal,
  type ApplicationApprovedPayload,
  type NavItemsPayload,
} from '../../../app/plugin_engine/hooks.js'
import { PluginRegistry, UnknownPluginError } from '../../../app/plugin_engine/registry.js'
import { defineSettings, field } from '../../../app/plugin_engine/settings_schema.js'

const L = { cs: 'x', en: 'x', uk: 'x', pl: 'x' }
const settings = defineSettings({
  amount: field.money({ required: true, default: 500, min: 1, label: L }),
})

const APPROVED: ApplicationApprovedPayload = {
  tenantId: 't1',
  programId: 'p1',
  applicationId: 'a1',
  beneficiaryUserId: 'u1',
  childId: 'c1',
  householdId: 'h1',
  periodId: '2026-h1',
  currency: 'CZK',
  householdGrantedMinor: 0,
}
const NAV: NavItemsPayload = { tenantId: 't1', programId: 'p1', area: 'portal' }

/** A test plugin whose receivers log their calls into `calls`. */
function plugin(
  id: string,
  calls: string[],
  options: { order?: number; hooks?: AnyPluginManifest['hooks'] } = {}
) {
  return definePlugin({
    id,
    version: '1.0.0',
    name: L,
    description: L,
    benefitKind: 'credit',
    order: options.order,
    settings,
    hooks: options.hooks ?? {
      'application.approved': (payload, context) => {
        calls.push(id)
        return [
          {
            kind: 'credit',
            amountMinor: context.settings.amount,
            count: 1,
            currency: payload.currency,
            periodId: payload.periodId,
          },
        ]
      },
      'program.nav_items': () => {
        calls.push(id)
        return [{ labelKey: `plugins.${id}.menu`, routeName: `plugins.${id}.portal.index` }]
      },
    },
  })
}

function registryOf(...manifests: AnyPluginManifest[]) {
  return new PluginRegistry(
    manifests.map((manifest) => ({
      manifest,
      folder: `/plugins/${manifest.id}`,
      routeNames: [],
      routes: [],
      tables: [],
    }))
  )
}

const ALL_DEFAULTS = { alpha: {}, beta: {}, gamma: {}, zeta: {} }

test.group('hook dispatcher', () => {
  test('calls only the enabled plugins, in manifest order then id, whatever order they are passed in', async ({
    assert,
  }) => {
    const calls: string[] = []
    const dispatcher = new HookDispatcher(
      registryOf(
        plugin('gamma', calls),
        plugin('beta', calls),
        plugin('zeta', calls, { order: 5 }),
        plugin('alpha', calls)
      )
    )
    const outcome = await dispatcher.dispatch('program.nav_items', {
      pluginIds: ['gamma', 'zeta', 'beta'],
      payload: NAV,
      settings: ALL_DEFAULTS,
    })
    assert.deepEqual(calls, ['zeta', 'beta', 'gamma'])
    assert.deepEqual(
      outcome.results.map((r) => r.pluginId),
      ['zeta', 'beta', 'gamma']
    )
    assert.deepEqual(outcome.results[0].result, [
      { labelKey: 'plugins.zeta.menu', routeName: 'plugins.zeta.portal.index' },
    ])
    assert.deepEqual(outcome.failures, [])
  })

  test('skips enabled plugins that do not receive the hook', async ({ assert }) => {
    const calls: string[] = []
    const dispatcher = new HookDispatcher(
      registryOf(plugin('alpha', calls), plugin('beta', calls, { hooks: {} }))
    )
    const outcome = await dispatcher.dispatch('program.nav_items', {
      pluginIds: ['alpha', 'beta'],
      payload: NAV,
      settings: ALL_DEFAULTS,
    })
    assert.deepEqual(
      outcome.results.map((r) => r.pluginId),
      ['alpha']
    )
  })

  test('gives each receiver its own settings, loaded with defaults filled in', async ({
    assert,
  }) => {
    const calls: string[] = []
    const dispatcher = new HookDispatcher(registryOf(plugin('alpha', calls), plugin('beta', calls)))
    const outcome = await dispatcher.dispatch('application.approved', {
      pluginIds: ['alpha', 'beta'],
      payload: APPROVED,
      settings: { alpha: { amount: 700 }, beta: {} },
    })
    assert.deepEqual(
      outcome.results.map((r) => r.result[0].amountMinor),
      [700, 500]
    )
  })

  test('a blocking hook rejects on the first throwing receiver, naming the plugin; later ones are not called', async ({
    assert,
  }) => {
    const calls: string[] = []
    const failing = plugin('beta', calls, {
      hooks: {
        'application.approved': () => {
          calls.push('beta')
          throw new HookRefusal('plugins.beta.cap_reached', { capMinor: 100 })
        },
      },
    })
    const dispatcher = new HookDispatcher(
      registryOf(plugin('alpha', calls), failing, plugin('gamma', calls))
    )
    const error = await dispatcher
      .dispatch('application.approved', {
        pluginIds: ['alpha', 'beta', 'gamma'],
        payload: APPROVED,
        settings: ALL_DEFAULTS,
      })
      .then(
        () => null,
        (e) => e
      )
    assert.instanceOf(error, HookDispatchError)
    assert.equal(error.pluginId, 'beta')
    assert.equal(error.hook, 'application.approved')
    assert.equal(
      error.message,
      'plugin "beta" failed hook "application.approved": plugins.beta.cap_reached'
    )
    assert.deepEqual(error.refusal.values, { capMinor: 100 })
    assert.deepEqual(calls, ['alpha', 'beta'])
  })

  test('a blocking hook rejects a malformed result', async ({ assert }) => {
    const wrong = plugin('alpha', [], {
      hooks: {
        'application.approved': () => [
          { kind: 'credit', amountMinor: 10.5, count: 2, currency: 'EUR', periodId: '2026-h1' },
        ],
      },
    })
    const error = await new HookDispatcher(registryOf(wrong))
      .dispatch('application.approved', {
        pluginIds: ['alpha'],
        payload: APPROVED,
        settings: ALL_DEFAULTS,
      })
      .then(
        () => null,
        (e) => e
      )
    assert.instanceOf(error, HookDispatchError)
    assert.include(
      error.message,
      'plugin "alpha" failed hook "application.approved": returned a malformed result'
    )
    assert.include(error.message, 'amountMinor must be a positive whole number')
    assert.include(error.message, 'a credit posting has count 1')
    assert.include(error.message, 'currency must be CZK')
    assert.isNull(error.refusal)
  })

  test('a blocking hook rejects when a plugin has invalid or no settings', async ({ assert }) => {
    const dispatcher = new HookDispatcher(registryOf(plugin('alpha', [])))
    const invalid = await dispatcher
      .dispatch('application.approved', {
        pluginIds: ['alpha'],
        payload: APPROVED,
        settings: { alpha: { amount: 0 } },
      })
      .then(
        () => null,
        (e) => e
      )
    assert.include(
      invalid.message,
      'plugin "alpha" failed hook "application.approved": its settings for this program are invalid: amount:'
    )
    const missing = await dispatcher
      .dispatch('application.approved', { pluginIds: ['alpha'], payload: APPROVED, settings: {} })
      .then(
        () => null,
        (e) => e
      )
    assert.include(missing.message, 'no settings were given for plugin "alpha"')
  })

  test('a non-blocking hook collects and logs failures and still calls every receiver', async ({
    assert,
  }) => {
    const calls: string[] = []
    const logged: string[] = []
    const failing = plugin('beta', calls, {
      hooks: {
        'program.nav_items': () => {
          calls.push('beta')
          throw new Error('menu exploded')
        },
      },
    })
    const dispatcher = new HookDispatcher(
      registryOf(plugin('alpha', calls), failing, plugin('gamma', calls)),
      {
        error: (_details, message) => logged.push(message),
      }
    )
    const outcome = await dispatcher.dispatch('program.nav_items', {
      pluginIds: ['alpha', 'beta', 'gamma'],
      payload: NAV,
      settings: ALL_DEFAULTS,
    })
    assert.deepEqual(calls, ['alpha', 'beta', 'gamma'])
    assert.deepEqual(
      outcome.results.map((r) => r.pluginId),
      ['alpha', 'gamma']
    )
    assert.deepEqual(
      outcome.failures.map((f) => [f.pluginId, f.error.message]),
      [['beta', 'menu exploded']]
    )
    assert.deepEqual(logged, ['plugin "beta" failed hook "program.nav_items"'])
  })

  test('a non-blocking hook collects a malformed result as a failure', async ({ assert }) => {
    const wrong = plugin('alpha', [], {
      hooks: { 'program.nav_items': () => [{ label: 'x' }] as any },
    })
    const outcome = await new HookDispatcher(registryOf(wrong)).dispatch('program.nav_items', {
      pluginIds: ['alpha'],
      payload: NAV,
      settings: ALL_DEFAULTS,
    })
    assert.deepEqual(outcome.results, [])
    assert.include(
      outcome.failures[0].error.message,
      'every menu entry needs labelKey and routeName'
    )
  })

  test('refuses a plugin id that is not installed', async ({ assert }) => {
    const dispatcher = new HookDispatcher(registryOf(plugin('alpha', [])))
    await assert.rejects(
      () =>
        dispatcher.dispatch('program.nav_items', {
          pluginIds: ['alpha', 'ghost'],
          payload: NAV,
          settings: ALL_DEFAULTS,
        }),
      UnknownPluginError as any
    )
  })
})
