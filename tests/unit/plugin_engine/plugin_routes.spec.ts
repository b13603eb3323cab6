import { test } from '@japa/runner'
import { PluginRegistry, PluginRegistryError } from '../../../app/plugin_engine/registry.js'
import {
  mountPluginRoutes,
  parsePluginRouteName,
  pluginRoutePrefix,
  routeArea,
  type MountRouter,
} from '../../../app/plugin_engine/plugin_routes.js'
import { fixtureRegistry } from '#tests/helpers/probe_plugin'
import { manifestSource, removeRoot, temporaryRoot, writePlugin } from './fixtures.js'

/** A stand-in for the router that records what the mount does to each route. */
function recordingRouter() {
  const routes: {
    method: string
    pattern: string
    name?: string
    prefixes: string[]
    middleware: unknown[][]
  }[] = []
  const verb = (method: string) => (pattern: string) => {
    const entry = {
      method,
      pattern,
      name: undefined as string | undefined,
      prefixes: [] as string[],
      middleware: [] as unknown[][],
    }
    routes.push(entry)
    const route = {
      as(name: string) {
        entry.name = name
        return route
      },
      use(middleware: unknown) {
        entry.middleware.push([middleware])
        return route
      },
      where() {
        return route
      },
      prefix(prefix: string) {
        entry.prefixes.push(prefix)
        return route
      },
      getName: () => entry.name,
      getMiddleware: () => entry.middleware,
    }
    return route
  }
  const matcher = () => ({ match: /.+/ })
  const fake: MountRouter = {
    get: verb('GET'),
    post: verb('POST'),
    put: verb('PUT'),
    patch: verb('PATCH'),
    delete: verb('DELETE'),
    matchers: { uuid: matcher, number: matcher, slug: matcher },
  }
  return { fake, routes }
}

test.group('plugin routes: names, areas and prefixes', () => {
  test('a plugin route name gives the plugin, the area and the rest', ({ assert }) => {
    assert.deepEqual(parsePluginRouteName('plugins.voucher.portal.vouchers.show'), {
      pluginId: 'voucher',
      area: 'portal',
      rest: 'vouchers.show',
    })
    for (const name of [
      'plugins.voucher.portal',
      'plugins.voucher.platform.x.y',
      'plugins.voucher.Portal.x',
      'portal.vouchers.show',
      'plugins.voucher.portal.x-y',
      '',
      null,
    ]) {
      assert.isNull(parsePluginRouteName(name), String(name))
    }
  })

  test('the area of a route: the first segment, or the one after the plugin id', ({ assert }) => {
    assert.equal(routeArea('portal.offers'), 'portal')
    assert.equal(routeArea('admin.programs.show'), 'admin')
    assert.equal(routeArea('plugins.voucher.portal.vouchers.show'), 'portal')
    assert.equal(routeArea('plugins.voucher.admin.vouchers.index'), 'admin')
    assert.equal(routeArea('plugins.probe.public.ping'), 'public')
    assert.equal(routeArea(undefined), '')
  })

  test('each area has its own URL prefix', ({ assert }) => {
    assert.equal(pluginRoutePrefix('voucher', 'portal'), '/portal/plugins/voucher')
    assert.equal(pluginRoutePrefix('voucher', 'admin'), '/admin/plugins/voucher')
    assert.equal(pluginRoutePrefix('voucher', 'public'), '/plugins/voucher')
  })
})

test.group('plugin routes: the registry', (group) => {
  let root: string
  group.each.setup(async () => {
    root = await temporaryRoot()
    return () => removeRoot(root)
  })

  test('refuses a name without an area, an unknown area, and a pattern without a slash', async ({
    assert,
  }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource(
        'alpha',
        `routes: (router) => {
          router.get('/a', 'x').as('plugins.alpha.index')
          router.get('/b', 'x').as('plugins.alpha.platform.tenants.index')
          router.get('c', 'x').as('plugins.alpha.portal.c.show')
        },`
      ),
    })
    const error = await PluginRegistry.load({ root }).then(
      () => null,
      (e) => e
    )
    assert.instanceOf(error, PluginRegistryError)
    assert.include(
      error.message,
      'route name "plugins.alpha.index" must read plugins.alpha.<area>.<resource>.<action>, with area public, portal, admin'
    )
    assert.include(error.message, 'route name "plugins.alpha.platform.tenants.index" must read')
    assert.include(error.message, 'route GET c must start with "/"')
  })

  test('records each route with the URL it is mounted at', async ({ assert }) => {
    const registry = await fixtureRegistry()
    assert.deepEqual(registry.details('probe').routes, [
      {
        method: 'GET',
        name: 'plugins.probe.public.ping',
        area: 'public',
        pattern: '/plugins/probe/ping',
      },
      {
        method: 'GET',
        name: 'plugins.probe.admin.notes.show',
        area: 'admin',
        pattern: '/admin/plugins/probe/notes/:id',
      },
    ])
  })
})

test.group('plugin routes: mounting', () => {
  test('prefixes each route by its area and requires sign-in outside the public area, first', async ({
    assert,
  }) => {
    const { fake, routes } = recordingRouter()
    const auth = { name: 'auth' }
    const mounted = mountPluginRoutes(fake, await fixtureRegistry(), { authenticated: auth })
    assert.deepEqual(mounted, [
      { name: 'plugins.probe.public.ping', area: 'public', pattern: '/plugins/probe/ping' },
      {
        name: 'plugins.probe.admin.notes.show',
        area: 'admin',
        pattern: '/admin/plugins/probe/notes/:id',
      },
    ])
    assert.deepEqual(routes[0].prefixes, ['/plugins/probe'])
    assert.deepEqual(routes[0].middleware, [])
    assert.deepEqual(routes[1].prefixes, ['/admin/plugins/probe'])
    assert.deepEqual(routes[1].middleware, [[auth]])
  })

  test('refuses a route named outside its plugin even if the registry was bypassed', async ({
    assert,
  }) => {
    const registry = await fixtureRegistry()
    const probe = registry.details('probe')
    const rogue = new PluginRegistry([
      {
        ...probe,
        manifest: {
          ...probe.manifest,
          routes: (r: any) => r.get('/x', 'x').as('admin.settings.edit'),
        },
      },
    ])
    assert.throws(
      () => mountPluginRoutes(recordingRouter().fake, rogue, { authenticated: {} }),
      /route \/x must be named plugins\.probe\.<area>\.<resource>\.<action>/
    )
  })
})
