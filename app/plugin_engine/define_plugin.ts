/*
 * The plugin manifest: the one contract between a plugin and the platform. A plugin is a folder
 * `plugins/<id>/` whose `plugin.ts` default-exports `definePlugin({ ... })`; a program is an
 * instance of a plugin with the plugin's settings filled in. The registry
 * (`app/plugin_engine/registry.ts`) validates every manifest at boot and refuses to start on a bad
 * one, naming the plugin and the problem.
 */
import type { HookHandler, HookName } from './hooks.js'
import type { InferSettings, LocalizedText, SettingsSchema } from './settings_schema.js'

/** What a plugin's id must look like: lowercase, starting with a letter, 2 to 31 characters. */
export const PLUGIN_ID_PATTERN = /^[a-z][a-z0-9_]{1,30}$/

/** A semantic version `MAJOR.MINOR.PATCH` with optional pre-release and build parts (semver.org). */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/

/** Ordering weight a manifest gets when it declares none. */
export const DEFAULT_PLUGIN_ORDER = 100

/** The receivers a plugin declares: only hooks of the catalogue, each at most once. */
export type PluginHooks<Settings = Record<string, unknown>> = {
  [H in HookName]?: HookHandler<H, Settings>
}

/** A route a plugin registers: the subset of AdonisJS's `Route` a plugin may use. */
export interface PluginRoute {
  /** Names the route; the name must start with `plugins.<id>.`. */
  as(name: string): PluginRoute
  /** Adds named or inline middleware. */
  use(middleware: unknown): PluginRoute
}

/**
 * The router a plugin's `routes` function receives: the subset of AdonisJS's router used inside a
 * route group (the real group sets the prefix and middleware; the registry passes a recorder that
 * only collects the names).
 */
export interface PluginRouter {
  get(pattern: string, handler: unknown): PluginRoute
  post(pattern: string, handler: unknown): PluginRoute
  put(pattern: string, handler: unknown): PluginRoute
  patch(pattern: string, handler: unknown): PluginRoute
  delete(pattern: string, handler: unknown): PluginRoute
}

/** What `onEnable` and `onDisable` receive. */
export interface LifecycleContext<Settings = Record<string, unknown>> {
  /** The tenant owning the program. */
  tenantId: string
  /** The program the plugin is being enabled for or disabled from. */
  programId: string
  /** The program's settings for this plugin, validated. */
  settings: Settings
}

/**
 * A plugin's manifest (the contract). Every field is checked at boot by the registry.
 *
 * @typeParam S - the plugin's settings schema; receivers and lifecycle callbacks get settings of
 * type `InferSettings<S>`.
 */
export interface PluginManifest<S extends SettingsSchema<any> = SettingsSchema<any>> {
  /**
   * The plugin's identifier: `/^[a-z][a-z0-9_]{1,30}$/`, equal to its folder name
   * (`plugins/<id>/`). It prefixes the plugin's tables (`<id>_`), route names (`plugins.<id>.`),
   * page names (`plugins/<id>/`) and translation keys (`plugins.<id>.`). Programs store it, so it
   * never changes once a program uses the plugin.
   */
  id: string

  /**
   * The plugin's version, semver (`1.4.0`). Raise the major version when stored settings or data
   * need migrating.
   */
  version: string

  /** The plugin's name as program managers see it when creating a program, in all four locales. */
  name: LocalizedText

  /** One or two sentences on what a program of this plugin does, in all four locales. */
  description: LocalizedText

  /**
   * What an approved application grants: `credit` (a balance spent in the provider catalogue),
   * `voucher` (single vouchers with QR codes, spent in the catalogue or at a till) or `none`
   * (programs without money, e.g. activity challenges). A plugin with `credit` or `voucher`
   * must receive `application.approved`.
   */
  benefitKind: 'credit' | 'voucher' | 'none'

  /**
   * The plugin's settings, declared with `defineSettings` (required; `defineSettings({})` when it
   * has none). The same declaration validates settings on save and on load and generates the
   * admin form.
   */
  settings: S

  /**
   * Receivers of catalogue hooks (`app/plugin_engine/hooks.ts`), by hook name. Only names of the
   * catalogue are allowed. Receivers return data and get the plugin's validated settings for the
   * program in their context.
   */
  hooks: PluginHooks<InferSettings<S>>

  /**
   * Ordering weight among the plugins enabled for a program (default 100): hooks reach plugins in
   * ascending `order`, then by id. Use it only when one plugin's result must come first.
   */
  order?: number

  /**
   * Registers the plugin's HTTP routes on the router group it receives. Every route must be named,
   * and names start with `plugins.<id>.` (recommended: `plugins.<id>.<area>.<resource>.<action>`).
   * Not yet mounted into the running app (see docs/plugins.md); the registry checks the names.
   */
  routes?: (router: PluginRouter) => void

  /**
   * The folder of the plugin's migrations, relative to the plugin folder (usually
   * `database/migrations`). Every table a migration creates must start with `<id>_`; a plugin may
   * reference core tables but never alter them. Checked statically at boot; not yet run by
   * `migration:run` (see docs/plugins.md).
   */
  migrations?: string

  /**
   * The Inertia pages the plugin renders, by page name `plugins/<id>/<area>/<name>`, each a file
   * `pages/<area>/<name>.vue` in the plugin folder. Not yet resolved by the client (see
   * docs/plugins.md).
   */
  pages?: string[]

  /**
   * The folder of the plugin's mail templates, relative to the plugin folder (`templates`), laid
   * out like `resources/mail/<name>/<locale>.{subject,html,text}.hbs`. Not yet read by the mailer.
   */
  templates?: string

  /**
   * The folder of the plugin's translations, relative to the plugin folder (`lang`), holding
   * `cs.json`, `en.json`, `uk.json` and `pl.json` with the plugin's messages (keys are used under
   * `plugins.<id>.`). Not yet merged into the app's i18n.
   */
  translations?: string

  /**
   * Called when a program starts using the plugin (`onEnable`) and when it stops (`onDisable`),
   * inside the tenant's transaction. Must be idempotent; throwing refuses the change.
   */
  lifecycle?: {
    onEnable?(context: LifecycleContext<InferSettings<S>>): void | Promise<void>
    onDisable?(context: LifecycleContext<InferSettings<S>>): void | Promise<void>
  }
}

/** Any plugin manifest, whatever its settings. */
export type AnyPluginManifest = PluginManifest<SettingsSchema<any>>

/**
 * Declares a plugin's manifest (the default export of `plugins/<id>/plugin.ts`); typed here,
 * validated by the registry at boot.
 */
export function definePlugin<S extends SettingsSchema<any>>(
  manifest: PluginManifest<S>
): PluginManifest<S> {
  return Object.freeze(manifest)
}
