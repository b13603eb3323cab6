import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import PluginProvider from '../../../app/plugin_engine/plugin_provider.js'
import { PluginRegistry } from '../../../app/plugin_engine/registry.js'
import { HookDispatcher } from '../../../app/plugin_engine/dispatcher.js'

test.group('plugin provider', () => {
  test('boot loads the plugins and binds the registry and the dispatcher', async ({ assert }) => {
    await new PluginProvider(app).boot()
    const registry = await app.container.make(PluginRegistry)
    assert.includeMembers(
      registry.all().map((p) => p.id),
      ['credit', 'voucher']
    )
    const dispatcher = await app.container.make(HookDispatcher)
    const outcome = await dispatcher.dispatch('program.nav_items', {
      pluginIds: ['credit', 'voucher'],
      payload: { tenantId: 't1', programId: 'p1', area: 'portal' },
      settings: { credit: {}, voucher: {} },
    })
    // credit adds no menu entries; voucher links the person's vouchers of the program.
    assert.deepEqual(outcome, {
      results: [
        {
          pluginId: 'voucher',
          result: [
            {
              labelKey: 'plugins.voucher.ui.nav.my_vouchers',
              routeName: 'plugins.voucher.portal.vouchers.index',
              params: { programId: 'p1' },
            },
          ],
        },
      ],
      failures: [],
    })
  })
})
