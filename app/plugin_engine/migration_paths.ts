/*
 * Where Lucid finds migrations: the core folder first, then each plugin's declared folder
 * (manifest `migrations`), as paths relative to the app root. config/database.ts puts the list
 * in every connection's `migrations.paths`, so `node ace migration:run` (and the dev and test
 * launchers, which run it as the owner) runs core and plugin migrations alike, in a build too
 * (where the plugins are compiled to `build/plugins/<id>/`). Lucid names each migration by its
 * relative path, so a plugin's rows in `adonis_schema` never collide with core ones.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { PluginRegistry } from './registry.js'

/** The core migrations folder, relative to the app root. */
export const CORE_MIGRATIONS = 'database/migrations'

function relativeFolder(root: string, folder: string): string | null {
  const relative = path.relative(root, folder).split(path.sep).join('/')
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null
  return relative
}

/** Resolves a plugin's declared migrations folder; null unless it is a folder inside the plugin. */
function declaredFolder(pluginFolder: string, declared: unknown): string | null {
  if (typeof declared !== 'string' || declared === '' || path.isAbsolute(declared)) return null
  const folder = path.resolve(pluginFolder, declared)
  if (!folder.startsWith(pluginFolder + path.sep)) return null
  return existsSync(folder) && statSync(folder).isDirectory() ? folder : null
}

/**
 * The migration folders of a loaded registry's plugins, relative to `root`, in plugin folder
 * order (stable whatever the dispatch order).
 */
export function registryMigrationPaths(registry: PluginRegistry, root: string): string[] {
  return registry
    .loaded()
    .map((plugin) => declaredFolder(plugin.folder, plugin.manifest.migrations))
    .filter((folder): folder is string => folder !== null)
    .map((folder) => relativeFolder(root, folder))
    .filter((folder): folder is string => folder !== null)
    .sort()
}

/**
 * The migration folders of the plugins under `<root>/<pluginsDir>`, relative to `root`, read
 * from each manifest (`plugin.ts`, or `plugin.js` in a build), in folder order. It runs while the
 * configuration loads, before the registry validates anything: a plugin whose manifest cannot be
 * loaded is left out here, and the registry then refuses to start, naming the problem.
 */
export async function pluginMigrationPaths(
  root: string,
  pluginsDir = 'plugins'
): Promise<string[]> {
  const base = path.join(root, pluginsDir)
  if (!existsSync(base)) return []
  const folders = readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
  const paths: string[] = []
  for (const name of folders) {
    const folder = path.join(base, name)
    const file = ['plugin.ts', 'plugin.js']
      .map((candidate) => path.join(folder, candidate))
      .find((candidate) => existsSync(candidate))
    if (!file) continue
    let manifest: { migrations?: unknown } | undefined
    try {
      manifest = (await import(pathToFileURL(file).href)).default
    } catch {
      continue
    }
    const migrations = declaredFolder(folder, manifest?.migrations)
    const relative = migrations ? relativeFolder(root, migrations) : null
    if (relative) paths.push(relative)
  }
  return paths
}
