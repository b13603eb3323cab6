/*
 * Plugin routes: how a plugin's `routes(router)` reaches the real router.
 *
 * A plugin names every route `plugins.<id>.<area>.<resource>.<action>`. The area (the segment
 * after the id) decides three things, the same way the first segment of a core route name does:
 * - the URL prefix the route is mounted under (`/portal/plugins/<id>`, `/admin/plugins/<id>`,
 *   `/plugins/<id>` for the public area), so a plugin cannot take a core URL or another plugin's;
 * - whether a signed-in person is required (every area but `public`);
 * - the tenant scope the request runs in (app/middleware/tenant_scope_middleware.ts reads the
 *   area with `routeArea`).
 * The registry checks the names at boot (app/plugin_engine/registry.ts); `mountPluginRoutes`
 * registers the routes after the core ones (start/routes.ts). Every route must still make an
 * authorization decision (AuthorizationAuditMiddleware) and appear in the route access test.
 */
import type { PluginRouteMatcher, PluginRouter, PluginRoute } from './define_plugin.js'
import type { PluginRegistry } from './registry.js'

/** The areas a plugin route may belong to. */
export const PLUGIN_ROUTE_AREAS = ['public', 'portal', 'admin'] as const

/** An area of a plugin route. */
export type PluginRouteArea = (typeof PLUGIN_ROUTE_AREAS)[number]

const SEGMENT = /^[a-z][a-z0-9_]*$/

/** A plugin route name split into its parts. */
export interface PluginRouteName {
  pluginId: string
  area: PluginRouteArea
  /** What follows the area (`vouchers.show`). */
  rest: string
}

/**
 * Reads `plugins.<id>.<area>.<rest>`; null when the name is not a well-formed plugin route name
 * (not under `plugins.`, an unknown area, nothing after the area, or a segment that is not
 * lowercase snake_case).
 */
export function parsePluginRouteName(name: string | undefined | null): PluginRouteName | null {
  if (!name) return null
  const segments = name.split('.')
  if (segments.length < 4 || segments[0] !== 'plugins') return null
  if (!segments.every((segment) => SEGMENT.test(segment))) return null
  const area = segments[2] as PluginRouteArea
  if (!PLUGIN_ROUTE_AREAS.includes(area)) return null
  return { pluginId: segments[1], area, rest: segments.slice(3).join('.') }
}

/**
 * The area of a route, from its name: the first segment for core routes (`portal.offers` →
 * `portal`), the segment after the plugin id for plugin routes (`plugins.voucher.portal.…` →
 * `portal`). Empty for an unnamed route.
 */
export function routeArea(name: string | undefined | null): string {
  if (!name) return ''
  const segments = name.split('.')
  return segments[0] === 'plugins' ? (segments[2] ?? '') : segments[0]
}

/** The URL prefix a plugin's routes of an area are mounted under. */
export function pluginRoutePrefix(pluginId: string, area: PluginRouteArea): string {
  return area === 'public' ? `/plugins/${pluginId}` : `/${area}/plugins/${pluginId}`
}

/** The URL pattern a plugin route is served at: the area's prefix, then the plugin's pattern. */
export function mountedPattern(pluginId: string, area: PluginRouteArea, pattern: string): string {
  const prefix = pluginRoutePrefix(pluginId, area)
  return pattern === '/' ? prefix : `${prefix}${pattern}`
}

/** The part of AdonisJS's `Route` the mount uses. */
interface MountableRoute {
  as(name: string): MountableRoute
  use(middleware: any): MountableRoute
  where(param: string, matcher: any): MountableRoute
  prefix(prefix: string): MountableRoute
  getName(): string | undefined
  getMiddleware(): unknown[][]
}

/** The part of AdonisJS's router the mount uses. */
export interface MountRouter {
  get(pattern: string, handler: any): MountableRoute
  post(pattern: string, handler: any): MountableRoute
  put(pattern: string, handler: any): MountableRoute
  patch(pattern: string, handler: any): MountableRoute
  delete(pattern: string, handler: any): MountableRoute
  matchers: {
    uuid(): PluginRouteMatcher
    number(): PluginRouteMatcher
    slug(): PluginRouteMatcher
  }
}

/** What `mountPluginRoutes` needs besides the router and the registry. */
export interface MountOptions {
  /** The middleware that requires a signed-in person (the `auth` named middleware). */
  authenticated: unknown
}

/** One mounted route: its name and where it is served. */
export interface MountedRoute {
  name: string
  area: PluginRouteArea
  pattern: string
}

/**
 * Registers every installed plugin's routes on the real router, in dispatch order: each route
 * is prefixed by its area's URL prefix, and routes outside the public area require a signed-in
 * person (the `authenticated` middleware runs before any middleware the plugin adds). Names were
 * checked at boot by the registry; a name that slipped through is refused here as well.
 */
export function mountPluginRoutes(
  router: MountRouter,
  registry: PluginRegistry,
  options: MountOptions
): MountedRoute[] {
  const mounted: MountedRoute[] = []
  for (const manifest of registry.all()) {
    if (!manifest.routes) continue
    const created: { route: MountableRoute; pattern: string }[] = []
    const verb =
      (method: 'get' | 'post' | 'put' | 'patch' | 'delete') =>
      (pattern: string, handler: unknown): PluginRoute => {
        const route = router[method](pattern, handler)
        created.push({ route, pattern })
        return route as unknown as PluginRoute
      }
    const proxy: PluginRouter = {
      get: verb('get'),
      post: verb('post'),
      put: verb('put'),
      patch: verb('patch'),
      delete: verb('delete'),
      matchers: router.matchers,
    }
    manifest.routes(proxy)
    for (const { route, pattern } of created) {
      const name = route.getName()
      const parsed = parsePluginRouteName(name)
      if (!parsed || parsed.pluginId !== manifest.id) {
        throw new Error(
          `plugin "${manifest.id}": route ${pattern} must be named plugins.${manifest.id}.<area>.<resource>.<action>`
        )
      }
      route.prefix(pluginRoutePrefix(manifest.id, parsed.area))
      // Like a group's middleware: before the route's own, so nothing runs for an anonymous person.
      if (parsed.area !== 'public') route.getMiddleware().unshift([options.authenticated])
      mounted.push({
        name: name!,
        area: parsed.area,
        pattern: mountedPattern(manifest.id, parsed.area, pattern),
      })
    }
  }
  return mounted
}
