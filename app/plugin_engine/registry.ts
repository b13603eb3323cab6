/*
 * The plugin registry: loads every `plugins/<id>/plugin.ts` at boot, validates each manifest and
 * refuses to start on a bad one (after pretix and Medusa). Every problem found, in every plugin,
 * is reported at once, each naming the plugin folder, so one boot tells the whole story.
 *
 * Checked: the module loads and default-exports a manifest; id format, id unique, id equal to
 * the folder name; semver version; names and descriptions in all four locales; benefit kind;
 * settings built by `defineSettings`; hooks only from the catalogue, each a function (and
 * `application.approved` for plugins granting credit or vouchers); route names unique across
 * plugins, of the form `plugins.<id>.<area>.<resource>.<action>`, patterns starting with `/`;
 * migrations creating only `<id>_` tables and never
 * altering or dropping other tables (a static scan of the files); page names under
 * `plugins/<id>/`; declared folders present; eligibility fact declarations (fact_declarations.ts);
 * no unknown manifest fields.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { PluginFactDeclaration, PluginFactTypes } from '../eligibility/fact_catalog.js'
import { HOOK_NAMES, isHookName } from './hooks.js'
import { checkFactDeclarations } from './fact_declarations.js'
import {
  DEFAULT_PLUGIN_ORDER,
  PLUGIN_ID_PATTERN,
  SEMVER_PATTERN,
  type AnyPluginManifest,
  type PluginRoute,
  type PluginRouter,
} from './define_plugin.js'
import { isSettingsSchema, LOCALES } from './settings_schema.js'
import {
  mountedPattern,
  parsePluginRouteName,
  PLUGIN_ROUTE_AREAS,
  type PluginRouteArea,
} from './plugin_routes.js'

/** One problem with one plugin, as the registry reports it. */
export interface PluginProblem {
  /** The plugin folder, relative to the app root (`plugins/credit`). */
  plugin: string
  /** What is wrong, in one sentence. */
  problem: string
}

/** Thrown at boot when any plugin is invalid; the message lists every problem, one per line. */
export class PluginRegistryError extends Error {
  /** Every problem found. */
  readonly problems: PluginProblem[]

  constructor(problems: PluginProblem[]) {
    super(
      `Refusing to start: ${problems.length} plugin problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  ${p.plugin}: ${p.problem}`).join('\n')
    )
    this.name = 'PluginRegistryError'
    this.problems = problems
  }
}

/** Thrown when asking the registry for a plugin that is not installed. */
export class UnknownPluginError extends Error {
  /** The id asked for. */
  readonly pluginId: string

  constructor(pluginId: string) {
    super(`plugin "${pluginId}" is not installed (no plugins/${pluginId}/plugin.ts)`)
    this.name = 'UnknownPluginError'
    this.pluginId = pluginId
  }
}

/** A validated plugin with what the registry learned about it. */
export interface LoadedPlugin {
  /** The validated manifest. */
  manifest: AnyPluginManifest
  /** Absolute path of the plugin folder. */
  folder: string
  /** Names of the routes its `routes` function registers. */
  routeNames: string[]
  /** Its routes as they are mounted: method, name, area and URL pattern (with the area's prefix). */
  routes: PluginRouteInfo[]
  /** Tables its migrations create. */
  tables: string[]
}

/** One route of a plugin, as the registry recorded it. */
export interface PluginRouteInfo {
  method: string
  name: string
  area: PluginRouteArea
  /** The URL pattern it is served at (`/portal/plugins/voucher/vouchers/:id`). */
  pattern: string
}

/** Options of `PluginRegistry.load`. */
export interface LoadPluginsOptions {
  /** Absolute path of the app root (the folder holding `plugins/`). */
  root: string
  /** The plugins folder, relative to the root (default `plugins`). */
  pluginsDir?: string
  /**
   * Whether to check that declared pages, templates and translations exist on disk (default: when
   * loading sources, i.e. `plugin.ts`; a build has no `.vue` files next to the plugin).
   */
  checkFiles?: boolean
}

const MANIFEST_FIELDS = new Set([
  'id',
  'version',
  'name',
  'description',
  'benefitKind',
  'settings',
  'hooks',
  'order',
  'routes',
  'migrations',
  'pages',
  'templates',
  'translations',
  'lifecycle',
  'facts',
])
const BENEFIT_KINDS = ['credit', 'voucher', 'none']
const MIGRATION_EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs', '.sql']

/**
 * The installed plugins, validated. Built once at boot by `PluginRegistry.load` and bound in the
 * container by the plugin provider.
 */
export class PluginRegistry {
  readonly #plugins: Map<string, LoadedPlugin>
  readonly #factTypes: PluginFactTypes

  /** Wraps plugins that were already validated (use `PluginRegistry.load`). */
  constructor(plugins: LoadedPlugin[]) {
    this.#plugins = new Map(sortPlugins(plugins).map((p) => [p.manifest.id, p]))
    const types: Record<string, Readonly<Record<string, PluginFactDeclaration>>> = {}
    for (const { manifest } of this.#plugins.values()) {
      if (manifest.facts && Object.keys(manifest.facts).length > 0)
        types[manifest.id] = Object.freeze({ ...manifest.facts })
    }
    this.#factTypes = Object.freeze(types)
  }

  /**
   * The eligibility facts every installed plugin declares, by plugin id (plugins declaring none
   * are left out); the same object for the registry's lifetime.
   */
  factTypes(): PluginFactTypes {
    return this.#factTypes
  }

  /**
   * The fact declarations a rule of a program of plugin `id` may read: `{ [id]: facts }`, or
   * `{}` when it declares none; throws `UnknownPluginError`.
   */
  factsFor(id: string): PluginFactTypes {
    this.details(id)
    return Object.hasOwn(this.#factTypes, id) ? { [id]: this.#factTypes[id] } : {}
  }

  /** Loads and validates every plugin under `<root>/plugins`; throws `PluginRegistryError` on any problem. */
  static async load(options: LoadPluginsOptions): Promise<PluginRegistry> {
    return new PluginRegistry(await loadPlugins(options))
  }

  /** The manifest of an installed plugin; throws `UnknownPluginError` when there is none. */
  get(id: string): AnyPluginManifest {
    return this.details(id).manifest
  }

  /** The manifest of a plugin, or `undefined` when it is not installed. */
  find(id: string): AnyPluginManifest | undefined {
    return this.#plugins.get(id)?.manifest
  }

  /** Whether a plugin is installed. */
  has(id: string): boolean {
    return this.#plugins.has(id)
  }

  /** Every installed plugin's manifest, in dispatch order (`order`, then id). */
  all(): AnyPluginManifest[] {
    return [...this.#plugins.values()].map((p) => p.manifest)
  }

  /** The folder, routes and tables of an installed plugin; throws `UnknownPluginError`. */
  details(id: string): LoadedPlugin {
    const plugin = this.#plugins.get(id)
    if (!plugin) throw new UnknownPluginError(id)
    return plugin
  }

  /**
   * Absolute path of a folder a plugin declares (`migrations`, `templates` or `translations`),
   * or null when it declares none; throws `UnknownPluginError`.
   */
  folderOf(id: string, key: 'migrations' | 'templates' | 'translations'): string | null {
    const plugin = this.details(id)
    const declared = plugin.manifest[key]
    return typeof declared === 'string' ? path.resolve(plugin.folder, declared) : null
  }

  /** Every installed plugin with what the registry learned about it, in dispatch order. */
  loaded(): LoadedPlugin[] {
    return [...this.#plugins.values()]
  }

  /** The given plugins' manifests in dispatch order (`order`, then id); throws on an unknown id. */
  inOrder(ids: readonly string[]): AnyPluginManifest[] {
    const unique = [...new Set(ids)]
    return sortPlugins(unique.map((id) => this.details(id))).map((p) => p.manifest)
  }
}

function sortPlugins(plugins: LoadedPlugin[]): LoadedPlugin[] {
  const orderOf = (p: LoadedPlugin) => p.manifest.order ?? DEFAULT_PLUGIN_ORDER
  return [...plugins].sort(
    (a, b) =>
      orderOf(a) - orderOf(b) ||
      (a.manifest.id < b.manifest.id ? -1 : a.manifest.id > b.manifest.id ? 1 : 0)
  )
}

/**
 * Loads every `<root>/plugins/<folder>/plugin.ts` (or `.js` in a build), validates them and
 * returns them; throws `PluginRegistryError` listing every problem found.
 */
export async function loadPlugins(options: LoadPluginsOptions): Promise<LoadedPlugin[]> {
  const pluginsDir = options.pluginsDir ?? 'plugins'
  const base = path.join(options.root, pluginsDir)
  const problems: PluginProblem[] = []
  const loaded: LoadedPlugin[] = []
  const folderOfId = new Map<string, string>()
  const routeOwner = new Map<string, string>()

  const folders = existsSync(base)
    ? readdirSync(base, { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort()
    : []

  for (const folderName of folders) {
    const label = `${pluginsDir}/${folderName}`
    const folder = path.join(base, folderName)
    const report = (problem: string) => problems.push({ plugin: label, problem })
    const file = ['plugin.ts', 'plugin.js']
      .map((f) => path.join(folder, f))
      .find((f) => existsSync(f))
    if (!file) {
      report('no plugin.ts: every folder under plugins/ is one plugin with one manifest')
      continue
    }
    let manifest: unknown
    try {
      manifest = (await import(pathToFileURL(file).href)).default
    } catch (error) {
      report(
        `plugin.ts cannot be loaded: ${error instanceof Error ? error.message : String(error)}`
      )
      continue
    }
    const checkFiles = options.checkFiles ?? file.endsWith('.ts')
    const result = checkManifest(manifest, { folder, folderName, checkFiles })
    result.problems.forEach(report)
    if (!isObject(manifest)) continue

    const id = typeof manifest.id === 'string' ? manifest.id : undefined
    if (id !== undefined && PLUGIN_ID_PATTERN.test(id)) {
      const other = folderOfId.get(id)
      if (other !== undefined)
        report(`duplicate plugin id "${id}" (also declared by ${pluginsDir}/${other})`)
      else folderOfId.set(id, folderName)
    }
    for (const name of result.routeNames) {
      const owner = routeOwner.get(name)
      if (owner !== undefined && owner !== label)
        report(`duplicate route name "${name}" (also registered by ${owner})`)
      else routeOwner.set(name, label)
    }
    if (result.problems.length === 0) {
      loaded.push({
        manifest: manifest as unknown as AnyPluginManifest,
        folder,
        routeNames: result.routeNames,
        routes: result.routes,
        tables: result.tables,
      })
    }
  }
  if (problems.length > 0) throw new PluginRegistryError(problems)
  return loaded
}

/** What `checkManifest` found: problems, plus the routes and tables it read. */
export interface ManifestCheck {
  problems: string[]
  routeNames: string[]
  routes: PluginRouteInfo[]
  tables: string[]
}

/**
 * Checks one manifest on its own (everything but duplicates across plugins): returns each problem
 * as a sentence, with the route names and migration tables found.
 */
export function checkManifest(
  manifest: unknown,
  where: { folder: string; folderName: string; checkFiles: boolean }
): ManifestCheck {
  const problems: string[] = []
  const result: ManifestCheck = { problems, routeNames: [], routes: [], tables: [] }
  if (!isObject(manifest)) {
    problems.push('plugin.ts must default-export a manifest: export default definePlugin({ ... })')
    return result
  }
  for (const key of Object.keys(manifest)) {
    if (!MANIFEST_FIELDS.has(key)) problems.push(`unknown manifest field "${key}"`)
  }

  const id = manifest.id
  const validId = typeof id === 'string' && PLUGIN_ID_PATTERN.test(id)
  if (!validId) {
    problems.push(`id ${JSON.stringify(id)} is not valid: it must match ${PLUGIN_ID_PATTERN}`)
  } else if (id !== where.folderName) {
    problems.push(`id "${id}" must equal the folder name "${where.folderName}"`)
  }
  const prefixId = validId ? (id as string) : where.folderName

  if (typeof manifest.version !== 'string' || !SEMVER_PATTERN.test(manifest.version)) {
    problems.push(
      `version ${JSON.stringify(manifest.version)} is not a semantic version (e.g. 1.0.0)`
    )
  }
  for (const key of ['name', 'description'] as const) {
    const text = manifest[key]
    const missing = isObject(text)
      ? LOCALES.filter((l) => typeof text[l] !== 'string' || (text[l] as string).trim() === '')
      : [...LOCALES]
    if (missing.length > 0)
      problems.push(
        `${key} is missing the locale${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`
      )
  }
  if (!BENEFIT_KINDS.includes(manifest.benefitKind as string)) {
    problems.push(
      `benefitKind ${JSON.stringify(manifest.benefitKind)} must be one of ${BENEFIT_KINDS.join(', ')}`
    )
  }
  if (!isSettingsSchema(manifest.settings)) {
    problems.push(
      'settings schema missing: declare settings with defineSettings() (defineSettings({}) for none)'
    )
  }
  if (
    manifest.order !== undefined &&
    !(
      Number.isSafeInteger(manifest.order) &&
      (manifest.order as number) >= 0 &&
      (manifest.order as number) <= 1000
    )
  ) {
    problems.push('order must be a whole number from 0 to 1000')
  }

  if (!isObject(manifest.hooks)) {
    problems.push('hooks must be an object of receivers by hook name ({} for none)')
  } else {
    for (const [name, handler] of Object.entries(manifest.hooks)) {
      if (!isHookName(name))
        problems.push(`unknown hook "${name}" (the catalogue has: ${HOOK_NAMES.join(', ')})`)
      else if (typeof handler !== 'function') problems.push(`hook "${name}" must be a function`)
    }
    if (
      (manifest.benefitKind === 'credit' || manifest.benefitKind === 'voucher') &&
      typeof manifest.hooks['application.approved'] !== 'function'
    ) {
      problems.push(
        `benefitKind "${manifest.benefitKind}" needs a receiver of application.approved to grant it`
      )
    }
  }

  if (manifest.routes !== undefined) {
    if (typeof manifest.routes !== 'function')
      problems.push('routes must be a function receiving the router group')
    else {
      const recorded = recordRoutes(manifest.routes as (router: PluginRouter) => void)
      if (recorded.error) problems.push(`routes() failed: ${recorded.error}`)
      const seen = new Set<string>()
      for (const route of recorded.routes) {
        if (!route.name) {
          problems.push(
            `route ${route.method} ${route.pattern} has no name (name it .as('plugins.${prefixId}.…'))`
          )
          continue
        }
        const parsed = parsePluginRouteName(route.name)
        if (
          !route.name.startsWith(`plugins.${prefixId}.`) ||
          route.name.length <= `plugins.${prefixId}.`.length
        ) {
          problems.push(`route name "${route.name}" must start with "plugins.${prefixId}."`)
        } else if (!parsed) {
          problems.push(
            `route name "${route.name}" must read plugins.${prefixId}.<area>.<resource>.<action>, with area ${PLUGIN_ROUTE_AREAS.join(', ')} (lowercase, snake_case)`
          )
        }
        if (!route.pattern.startsWith('/')) {
          problems.push(`route ${route.method} ${route.pattern} must start with "/"`)
        }
        if (parsed && parsed.pluginId === prefixId) {
          result.routes.push({
            method: route.method,
            name: route.name,
            area: parsed.area,
            pattern: mountedPattern(prefixId, parsed.area, route.pattern),
          })
        }
        if (seen.has(route.name)) problems.push(`duplicate route name "${route.name}"`)
        seen.add(route.name)
        result.routeNames.push(route.name)
      }
    }
  }

  if (manifest.migrations !== undefined) {
    const dir = folderProblem('migrations', manifest.migrations, where.folder, problems)
    if (dir) {
      for (const file of listFiles(dir).filter((f) =>
        MIGRATION_EXTENSIONS.includes(path.extname(f))
      )) {
        const relative = path.relative(where.folder, file)
        const scan = scanMigration(readFileSync(file, 'utf8'))
        for (const table of scan.created) {
          if (!table.startsWith(`${prefixId}_`)) {
            problems.push(
              `migration ${relative} creates table "${table}": a plugin's tables must start with "${prefixId}_"`
            )
          } else result.tables.push(table)
        }
        for (const table of scan.changed) {
          if (!table.startsWith(`${prefixId}_`)) {
            problems.push(
              `migration ${relative} alters or drops table "${table}": a plugin may reference core tables, never change them`
            )
          }
        }
        for (const expression of scan.unresolved) {
          problems.push(
            `migration ${relative}: cannot tell which table ${expression} names (use a string literal or a tableName = '...' property)`
          )
        }
      }
    }
  }

  if (manifest.pages !== undefined) {
    if (!Array.isArray(manifest.pages) || manifest.pages.some((p) => typeof p !== 'string')) {
      problems.push('pages must be a list of page names')
    } else {
      for (const page of manifest.pages as string[]) {
        const match = new RegExp(
          `^plugins/${prefixId}/([a-z][a-z0-9_]*(?:/[a-z][a-z0-9_]*)+)$`
        ).exec(page)
        if (!match) {
          problems.push(
            `page "${page}" must be named plugins/${prefixId}/<area>/<name> (lowercase, snake_case)`
          )
        } else if (
          where.checkFiles &&
          !existsSync(path.join(where.folder, 'pages', `${match[1]}.vue`))
        ) {
          problems.push(`page "${page}" has no file pages/${match[1]}.vue`)
        }
      }
    }
  }

  for (const key of ['templates', 'translations'] as const) {
    if (manifest[key] === undefined) continue
    if (!where.checkFiles) {
      if (typeof manifest[key] !== 'string')
        problems.push(`${key} must be a folder path relative to the plugin folder`)
      continue
    }
    const dir = folderProblem(key, manifest[key], where.folder, problems)
    if (dir && key === 'translations') {
      for (const locale of LOCALES) {
        const file = path.join(dir, `${locale}.json`)
        if (!existsSync(file))
          problems.push(`translations lack ${path.relative(where.folder, file)}`)
        else {
          try {
            JSON.parse(readFileSync(file, 'utf8'))
          } catch (error) {
            problems.push(
              `translations ${path.relative(where.folder, file)} is not valid JSON: ${(error as Error).message}`
            )
          }
        }
      }
    }
  }

  if (manifest.facts !== undefined)
    problems.push(...checkFactDeclarations(manifest.facts, prefixId))

  if (manifest.lifecycle !== undefined) {
    if (!isObject(manifest.lifecycle)) problems.push('lifecycle must be { onEnable?, onDisable? }')
    else {
      for (const [key, value] of Object.entries(manifest.lifecycle)) {
        if (key !== 'onEnable' && key !== 'onDisable')
          problems.push(`unknown lifecycle callback "${key}"`)
        else if (typeof value !== 'function') problems.push(`lifecycle.${key} must be a function`)
      }
    }
  }
  return result
}

/** Resolves a declared folder inside the plugin; records a problem and returns null when it is wrong. */
function folderProblem(
  key: string,
  value: unknown,
  pluginFolder: string,
  problems: string[]
): string | null {
  if (typeof value !== 'string' || value === '' || path.isAbsolute(value)) {
    problems.push(`${key} must be a folder path relative to the plugin folder`)
    return null
  }
  const dir = path.resolve(pluginFolder, value)
  if (dir !== pluginFolder && !dir.startsWith(pluginFolder + path.sep)) {
    problems.push(`${key} folder "${value}" is outside the plugin folder`)
    return null
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.push(`${key} folder "${value}" does not exist`)
    return null
  }
  return dir
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) =>
      e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]
    )
}

interface RecordedRoute {
  method: string
  pattern: string
  name?: string
}

/** Calls a plugin's `routes` with a recorder instead of the real router, collecting the routes. */
function recordRoutes(register: (router: PluginRouter) => void): {
  routes: RecordedRoute[]
  error?: string
} {
  const routes: RecordedRoute[] = []
  const method =
    (verb: string) =>
    (pattern: string): PluginRoute => {
      const route: RecordedRoute = { method: verb, pattern }
      routes.push(route)
      const api: PluginRoute = {
        as(name) {
          route.name = name
          return api
        },
        use() {
          return api
        },
        where() {
          return api
        },
      }
      return api
    }
  const matcher = () => ({ match: /.*/ })
  const router: PluginRouter = {
    get: method('GET'),
    post: method('POST'),
    put: method('PUT'),
    patch: method('PATCH'),
    delete: method('DELETE'),
    matchers: { uuid: matcher, number: matcher, slug: matcher },
  }
  try {
    const returned: unknown = register(router)
    if (returned instanceof Promise) return { routes, error: 'routes must register synchronously' }
  } catch (error) {
    return { routes, error: error instanceof Error ? error.message : String(error) }
  }
  return { routes }
}

/** What a migration's source creates and changes, as far as a static scan can tell. */
export interface MigrationScan {
  /** Tables it creates. */
  created: string[]
  /** Tables it alters, drops or renames, or indexes. */
  changed: string[]
  /** Table arguments the scan could not resolve to a name (e.g. a template literal). */
  unresolved: string[]
}

const SQL_NAME = String.raw`((?:"[^"]+"|[a-zA-Z_][\w$]*)(?:\s*\.\s*(?:"[^"]+"|[a-zA-Z_][\w$]*))?)`

/**
 * Scans a migration's source for the tables it creates (`createTable`, `createTableIfNotExists`,
 * `createTableLike`, SQL `CREATE TABLE`) and the tables it changes (`alterTable`, `table`,
 * `dropTable`, `renameTable`, SQL `ALTER`/`DROP TABLE`, `CREATE INDEX ... ON`).
 */
export function scanMigration(source: string): MigrationScan {
  const scan: MigrationScan = { created: [], changed: [], unresolved: [] }
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1')

  const resolve = (argument: string): string | null => {
    const literal = /^(['"`])([^'"`$]+)\1$/.exec(argument.trim())
    if (literal) return literal[2]
    const identifier = /^(?:this\.)?([A-Za-z_$][\w$]*)$/.exec(argument.trim())
    if (identifier) {
      const assigned = new RegExp(
        `\\b${identifier[1]}\\s*(?::\\s*string\\s*)?=\\s*(['"\`])([^'"\`$]+)\\1`
      ).exec(code)
      if (assigned) return assigned[2]
    }
    return null
  }
  const collect = (pattern: RegExp, into: string[]) => {
    for (const match of code.matchAll(pattern)) {
      const name = resolve(match[1])
      if (name === null) scan.unresolved.push(match[1].trim())
      else into.push(name.includes('.') ? name.split('.').pop()! : name)
    }
  }
  collect(/\.createTable(?:IfNotExists|Like)?\s*\(\s*([^,)]+)/g, scan.created)
  collect(
    /\.(?:alterTable|table|dropTable|dropTableIfExists|renameTable)\s*\(\s*([^,)]+)/g,
    scan.changed
  )

  const sqlName = (raw: string) => raw.split('.').pop()!.trim().replace(/^"|"$/g, '')
  const sql = (pattern: RegExp, into: string[]) => {
    for (const match of code.matchAll(pattern)) into.push(sqlName(match[1]))
  }
  sql(
    new RegExp(
      String.raw`\bcreate\s+(?:(?:global|local)\s+)?(?:unlogged\s+|temp\s+|temporary\s+)?table\s+(?:if\s+not\s+exists\s+)?` +
        SQL_NAME,
      'gi'
    ),
    scan.created
  )
  sql(
    new RegExp(
      String.raw`\b(?:alter|drop)\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?` + SQL_NAME,
      'gi'
    ),
    scan.changed
  )
  sql(
    new RegExp(
      String.raw`\bcreate\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:[\w$"]+\s+)?on\s+(?:only\s+)?` +
        SQL_NAME,
      'gi'
    ),
    scan.changed
  )
  return {
    created: [...new Set(scan.created)],
    changed: [...new Set(scan.changed)],
    unresolved: [...new Set(scan.unresolved)],
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
