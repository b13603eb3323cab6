/*
 * A program's menu entries from its plugin (`program.nav_items`), as links: the admin program
 * page asks for area `admin`, the portal's "Credit and vouchers" page for area `portal`. An
 * entry whose route does not exist, is not a GET route or lacks a parameter is left out and
 * logged, like a receiver that throws (the hook is non-blocking).
 */
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import logger from '@adonisjs/core/services/logger'
import Program from '#models/program'
import ProgramVersion from '#models/program_version'
import { HookDispatcher } from '#plugin_engine/dispatcher'
import { PluginRegistry } from '#plugin_engine/registry'
import type { NavItemsPayload } from '#plugin_engine/hooks'

/** A link of a program's menu, ready for a page. */
export interface ProgramLink {
  /** The plugin that added it. */
  pluginId: string
  /** The route it points to. */
  routeName: string
  /** Its label, translated. */
  label: string
  href: string
}

/** The URL of a GET route by name; throws when there is none or a parameter is missing. */
function hrefOf(routeName: string, params: Record<string, string | number> = {}) {
  const urlFor = router.urlBuilder.urlFor as unknown as {
    get(name: string, params: Record<string, string | number>): { url: string }
  }
  return urlFor.get(routeName, params).url
}

/**
 * The menu links of each program (by program id) in `area`, in the order the plugin gave them;
 * `translate` turns a label key into text in the person's language.
 */
export async function programLinks(
  programs: readonly { program: Program; version: ProgramVersion }[],
  area: NavItemsPayload['area'],
  translate: (key: string) => string
): Promise<Record<string, ProgramLink[]>> {
  const registry = await app.container.make(PluginRegistry)
  const dispatcher = await app.container.make(HookDispatcher)
  const links: Record<string, ProgramLink[]> = {}
  for (const { program, version } of programs) {
    links[program.id] = []
    if (!registry.has(program.pluginId)) {
      logger.error(
        { programId: program.id },
        `program's plugin "${program.pluginId}" is not installed`
      )
      continue
    }
    const outcome = await dispatcher.dispatch('program.nav_items', {
      pluginIds: [program.pluginId],
      settings: { [program.pluginId]: version.pluginSettings ?? {} },
      payload: { tenantId: program.tenantId, programId: program.id, area },
    })
    for (const { pluginId, result } of outcome.results) {
      for (const item of result) {
        try {
          links[program.id].push({
            pluginId,
            routeName: item.routeName,
            label: translate(item.labelKey),
            href: hrefOf(item.routeName, item.params),
          })
        } catch (error) {
          logger.error(
            { err: error, pluginId, routeName: item.routeName },
            `plugin "${pluginId}" returned a menu entry that cannot be linked`
          )
        }
      }
    }
  }
  return links
}

/** The programs of `ids` this scope can read, each with its current version. */
export async function currentVersionsOf(ids: readonly string[]) {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return []
  const programs = await Program.query().whereIn('id', unique).orderBy('createdAt')
  const loaded: { program: Program; version: ProgramVersion }[] = []
  // One after the other: these share the request's transaction (one connection).
  for (const program of programs) {
    const version = await ProgramVersion.query()
      .where('tenantId', program.tenantId)
      .where('programId', program.id)
      .where('version', program.currentVersion)
      .first()
    if (version) loaded.push({ program, version })
  }
  return loaded
}
