/*
 * Mounts each plugin's translations (plugins/<id>/lang/<locale>.json) into the app's i18n under
 * `plugins.<id>.<key>`: a plugin's refusal (`HookRefusal('plugins.credit.household_cap_reached')`)
 * and its labels are then translated like any other message.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { LoaderFactory, Translations } from '@adonisjs/i18n/types'

function flatten(prefix: string, value: unknown, into: Record<string, string>) {
  if (typeof value === 'string') into[prefix] = value
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) flatten(`${prefix}.${key}`, inner, into)
  }
}

/** Reads every plugin's `lang/<locale>.json` from `pluginsRoot`. */
export function loadPluginTranslations(pluginsRoot: string): Translations {
  const out: Translations = {}
  if (!existsSync(pluginsRoot)) return out
  for (const entry of readdirSync(pluginsRoot, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const dir = path.join(pluginsRoot, entry.name, 'lang')
    if (!existsSync(dir)) continue
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json')) continue
      const locale = file.slice(0, -'.json'.length)
      out[locale] ??= {}
      flatten(
        `plugins.${entry.name}`,
        JSON.parse(readFileSync(path.join(dir, file), 'utf8')),
        out[locale]
      )
    }
  }
  return out
}

/** An i18n loader for the plugins folder (config/i18n.ts). */
export function pluginTranslations(pluginsRoot: string): LoaderFactory {
  return () => ({ load: async () => loadPluginTranslations(pluginsRoot) })
}
