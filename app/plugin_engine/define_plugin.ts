/*
 * The plugin manifest: the one contract between a plugin and the platform. A plugin is a folder
 * `plugins/<id>/` whose `plugin.ts` default-exports `definePlugin({ ... })`; a program is an
 * instance of a plugin with the plugin's settings filled in. The registry
 * (`app/plugin_engine/registry.ts`) validates every manifest at boot and refuses to start on a bad
 * one, naming the plugin and the problem.
 */
import type { PluginFactDeclaration } from '../eligibility/fact_catalog.js'
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

/** How a route parameter is matched: a regular expression, or `{ match, cast }` (the router's matchers). */
export type PluginRouteMatcher = RegExp | string | { match: RegExp; cast?: (value: string) => any }

/** A route a plugin registers: the subset of AdonisJS's `Route` a plugin may use. */
export interface PluginRoute {
  /** Names the route: `plugins.<id>.<area>.<resource>.<action>` (area: public, portal or admin). */
  as(name: string): PluginRoute
  /** Adds named or inline middleware (after the sign-in check core adds outside the public area). */
  use(middleware: unknown): PluginRoute
  /** Restricts a parameter (`.where('id', router.matchers.uuid())`): a mismatch is a 404. */
  where(param: string, matcher: PluginRouteMatcher): PluginRoute
}

/**
 * The router a plugin's `routes` function receives: the subset of AdonisJS's router a plugin
 * uses. Patterns are relative to the area's URL prefix, which core adds from the route name
 * (`/portal/plugins/<id>`, `/admin/plugins/<id>`, `/plugins/<id>` for `public`); see
 * app/plugin_engine/plugin_routes.ts. The registry passes a recorder that only collects routes.
 */
export interface PluginRouter {
  get(pattern: string, handler: unknown): PluginRoute
  post(pattern: string, handler: unknown): PluginRoute
  put(pattern: string, handler: unknown): PluginRoute
  patch(pattern: string, handler: unknown): PluginRoute
  delete(pattern: string, handler: unknown): PluginRoute
  /** The router's parameter matchers. */
  matchers: {
    uuid(): PluginRouteMatcher
    number(): PluginRouteMatcher
    slug(): PluginRouteMatcher
  }
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
   * The eligibility facts the plugin adds through `application.eligibility_facts`, by name
   * relative to the plugin id (`used_this_year` is the fact `<id>.used_this_year`), each with the
   * fact catalogue's typed shape: `type` (number, money, date, boolean, enum, string; no lists),
   * `label` in all four locales, optional `description`, `choices` of an enum with labels,
   * `format` of a number, `requirement` sentences of a boolean. Rules of the plugin's programs
   * may read them (validation at save, the rule builder, explanations), and the hook's results
   * are checked against them: a key not declared here, or a value of the wrong type, refuses the
   * evaluation. Names are lowercase snake_case; the registry refuses bad declarations at boot.
   */
  facts?: Record<string, PluginFactDeclaration>

  /**
   * Ordering weight among the plugins enabled for a program (default 100): hooks reach plugins in
   * ascending `order`, then by id. Use it only when one plugin's result must come first.
   */
  order?: number

  /**
   * Registers the plugin's HTTP routes. Every route is named
   * `plugins.<id>.<area>.<resource>.<action>` with area `public`, `portal` or `admin`; its
   * pattern is relative to the area's prefix (`/portal/plugins/<id>`, `/admin/plugins/<id>`,
   * `/plugins/<id>`). Core mounts the routes at boot after its own (start/routes.ts), requires a
   * signed-in person outside `public`, and runs them in the area's tenant scope. Each handler
   * must make an authorization decision (a Bouncer policy) like every core route. Called
   * synchronously, once at boot on a recorder (the registry's checks) and once on the router.
   */
  routes?: (router: PluginRouter) => void

  /**
   * The folder of the plugin's migrations, relative to the plugin folder (usually
   * `database/migrations`). Every table a migration creates must start with `<id>_`; a plugin may
   * reference core tables but never alter them (checked statically at boot). `migration:run`
   * runs them after the core migrations (config/database.ts lists the folder in Lucid's
   * `migrations.paths`); their tables follow the tenancy rules the RLS catalog audit checks.
   */
  migrations?: string

  /**
   * The Inertia pages the plugin renders, by page name `plugins/<id>/<area>/<name>`, each a file
   * `pages/<area>/<name>.vue` in the plugin folder; the client resolves these names
   * (resources/js/pages.ts) in development and in a build.
   */
  pages?: string[]

  /**
   * The folder of the plugin's Handlebars templates, relative to the plugin folder (`templates`),
   * laid out like `resources/mail/<name>/<locale>.<part>.hbs` (a mail has the parts subject, html
   * and text; a document a page shows may have only the part it needs). The mailer
   * (`sendTemplatedMail`) and `renderTemplatePart` find them by the name `plugins.<id>.<name>`; a
   * tenant overrides one in `tenants/<slug>/templates/plugins/<id>/<name>/`, and a part missing in
   * a locale falls back to English (app/services/mail_templates.ts).
   */
  templates?: string

  /**
   * The folder of the plugin's translations, relative to the plugin folder (`lang`), holding
   * `cs.json`, `en.json`, `uk.json` and `pl.json` with the plugin's messages, mounted in the
   * app's i18n under `plugins.<id>.`; the messages under the `ui` key also reach the Vue pages
   * (as `plugins.<id>.ui.<key>`).
   */
  translations?: string

  /**
   * A plugin is enabled for a program while the program is published. `onEnable` is called on
   * every move into `published` (draft → published, and re-publishing a closed program);
   * `onDisable` on every move out of it (published → closed). Archiving calls neither: only a
   * draft or a closed program can be archived, and the plugin is not enabled for either. Both run
   * inside the status change's transaction, after the new status is written, with the settings
   * of the program's current version; they must be idempotent. Throwing refuses the change: the
   * status and anything the callback wrote are rolled back, and the person sees a translated
   * error (the message of a `HookRefusal`).
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
