/*
 * The plugin scaffolder behind `node ace make:plugin <id>`: writes a minimal, valid plugin folder
 * (it passes the registry as generated) into any root, so it is testable without spawning ace.
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PLUGIN_ID_PATTERN } from './define_plugin.js'
import { LOCALES } from './settings_schema.js'

/** Refusal to scaffold (bad id, or the plugin exists already). */
export class ScaffoldError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ScaffoldError'
  }
}

/** Options of `scaffoldPlugin`. */
export interface ScaffoldOptions {
  /** Absolute path of the app root (the folder holding `plugins/`). */
  root: string
  /** The new plugin's id (also its folder name). */
  id: string
  /** The plugins folder, relative to the root (default `plugins`). */
  pluginsDir?: string
  /**
   * Module specifier of the plugin engine folder as seen from `plugins/<id>/` (default
   * `../../app/plugin_engine`; switch to `#plugin_engine` once the import alias exists).
   */
  engineImport?: string
}

function title(id: string): string {
  const words = id.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** The files of a new plugin, by path relative to its folder (pure: nothing is written). */
export function pluginScaffoldFiles(
  id: string,
  engineImport = '../../app/plugin_engine'
): Record<string, string> {
  const name = title(id)
  const localized = (text: string) =>
    `{\n${LOCALES.map((l) => `    ${l}: '${text}',`).join('\n')}\n  }`
  return {
    'plugin.ts': `import { definePlugin } from '${engineImport}/define_plugin.js'
import { settings } from './settings.js'
import { hooks } from './hooks.js'

/**
 * ${name}: one sentence on what a program of this plugin gives citizens.
 *
 * The scaffold wrote the English name in every locale: translate \`name\` and \`description\`
 * before a program uses the plugin. Grow the manifest as the plugin needs (docs/plugins.md):
 * \`routes\` (names plugins.${id}.<area>.<resource>.<action>), \`pages\`
 * (plugins/${id}/<area>/<name> in pages/<area>/<name>.vue), \`templates: 'templates'\`,
 * \`migrations: 'database/migrations'\` (tables ${id}_…), \`lifecycle\`, \`facts\` (eligibility facts
 * rules may read, e.g. \`used_this_year: { type: 'number', label: { cs, en, uk, pl } }\`, added
 * by an application.eligibility_facts receiver).
 */
export default definePlugin({
  id: '${id}',
  version: '0.1.0',
  name: ${localized(name)},
  description: ${localized(`${name} program`)},
  benefitKind: 'none',
  settings,
  hooks,
  translations: 'lang',
})
`,
    'settings.ts': `import { defineSettings, type InferSettings } from '${engineImport}/settings_schema.js'

/**
 * Settings of a ${id} program. Declare fields with field.money(), field.integer(), field.percent(),
 * field.boolean(), field.choice(), field.text(), field.date(), field.durationMonths(), field.listOf():
 *
 *   amountPerPerson: field.money({ required: true, default: 50000, min: 1, label: { cs, en, uk, pl } }),
 */
export const settings = defineSettings({})

/** The validated settings of a ${id} program. */
export type Settings = InferSettings<typeof settings>
`,
    'hooks.ts': `import type { PluginHooks } from '${engineImport}/define_plugin.js'
import type { Settings } from './settings.js'

/**
 * Receivers of catalogue hooks (app/plugin_engine/hooks.ts); return data, never side effects:
 *
 *   'program.nav_items': (payload) =>
 *     payload.area === 'portal'
 *       ? [{ labelKey: 'plugins.${id}.ui.nav', routeName: 'plugins.${id}.portal.passes.index', params: { programId: payload.programId } }]
 *       : [],
 */
export const hooks: PluginHooks<Settings> = {}
`,
    'README.md': `# ${name} plugin (\`${id}\`)

What a program of this plugin does, for whom (one paragraph).

## Settings

| name | type | required | default | meaning |
| --- | --- | --- | --- | --- |
| (none yet) | | | | |

## Hooks

| hook | returns |
| --- | --- |
| (none yet) | |

## Routes, pages, templates, tables

None yet. When the plugin grows (docs/plugins.md):

- routes in \`routes.ts\`, named \`plugins.${id}.<area>.<resource>.<action>\` (area \`public\`, \`portal\` or
  \`admin\`), served under \`/plugins/${id}\`, \`/portal/plugins/${id}\` or \`/admin/plugins/${id}\`; each handler
  makes a Bouncer decision, and each route gets a row in tests/functional/route_access.spec.ts;
- pages \`plugins/${id}/<area>/<name>\` in \`pages/<area>/<name>.vue\`, their texts under \`ui\` in \`lang/*.json\`;
- templates in \`templates/<name>/<locale>.<part>.hbs\`, used as \`plugins.${id}.<name>\`, overridden by a tenant
  in \`tenants/<slug>/templates/plugins/${id}/<name>/\`;
- tables created by \`database/migrations/\`, named \`${id}_…\`, with tenant_id and row-level security.

## Tests

\`plugins/${id}/tests/unit/*.spec.ts\` run in the \`unit\` suite (\`npm test -- unit\`); \`tests/functional/\` and
\`tests/browser/\` in theirs.
`,
    ...Object.fromEntries(LOCALES.map((l) => [`lang/${l}.json`, '{}\n'])),
    'tests/unit/settings.spec.ts': `import { test } from '@japa/runner'
import { settings } from '../../settings.js'

test.group('${id} plugin settings', () => {
  test('the defaults are valid settings', async ({ assert }) => {
    assert.deepEqual(await settings.validate(settings.defaults()), settings.defaults() as any)
  })
})
`,
  }
}

/**
 * Writes a new plugin into `<root>/plugins/<id>/` and returns the paths written (relative to the
 * root); throws `ScaffoldError` for a bad id or an existing folder, writing nothing.
 */
export async function scaffoldPlugin(options: ScaffoldOptions): Promise<string[]> {
  const pluginsDir = options.pluginsDir ?? 'plugins'
  if (!PLUGIN_ID_PATTERN.test(options.id)) {
    throw new ScaffoldError(
      `"${options.id}" is not a valid plugin id: use 2 to 31 lowercase letters, digits or _, starting with a letter`
    )
  }
  const folder = path.join(options.root, pluginsDir, options.id)
  if (existsSync(folder)) throw new ScaffoldError(`${pluginsDir}/${options.id} already exists`)
  const written: string[] = []
  for (const [file, content] of Object.entries(
    pluginScaffoldFiles(options.id, options.engineImport)
  )) {
    const target = path.join(folder, file)
    await mkdir(path.dirname(target), { recursive: true })
    await writeFile(target, content, { flag: 'wx' })
    written.push(path.join(pluginsDir, options.id, file))
  }
  return written
}
