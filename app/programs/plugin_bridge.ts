import app from '@adonisjs/core/services/app'
import { PluginRegistry } from '#plugin_engine/registry'
import type { ConfigProblem, ProgramConfig } from '#programs/program_config'

/** The registry bound at boot by the plugin provider. */
async function registry(): Promise<PluginRegistry> {
  return app.container.make(PluginRegistry)
}

/**
 * Checks that the program's plugin exists and that its settings are valid for it (the
 * plugin's own declared schema, defaults filled in place).
 */
export async function checkPluginSettings(
  pluginId: string,
  config: ProgramConfig
): Promise<ConfigProblem[]> {
  const plugin = (await registry()).find(pluginId)
  if (!plugin)
    return [{ field: 'pluginId', key: 'programs.unknown_plugin', values: { plugin: pluginId } }]
  const problems: ConfigProblem[] = []
  // The co-payment share is the program's own (core) setting: a plugin that declares the same
  // setting receives the program's value, so the two can never disagree.
  if (
    'coPaymentBasisPoints' in
    (plugin.settings.form('en') as any[]).reduce((o: any, f: any) => ({ ...o, [f.name]: true }), {})
  ) {
    config.pluginSettings = { ...config.pluginSettings, coPaymentBasisPoints: config.coPaymentBp }
  }
  try {
    // Declared defaults fill what is missing; the normalised settings are what is stored.
    config.pluginSettings = (await plugin.settings.load(config.pluginSettings)) as Record<
      string,
      unknown
    >
  } catch (error: any) {
    for (const message of error.messages ?? [{ field: '', message: String(error.message) }]) {
      problems.push({
        field: `pluginSettings.${message.field}`,
        key: 'programs.plugin_settings',
        values: { detail: `${message.field}: ${message.message}` },
      })
    }
  }
  return problems
}

/** The settings form of a plugin in a locale (drives the generic settings form). */
export async function pluginSettingsForm(pluginId: string, locale: string) {
  const plugin = (await registry()).find(pluginId)
  return plugin ? plugin.settings.form(locale as any) : []
}
