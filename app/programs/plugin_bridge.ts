import app from '@adonisjs/core/services/app'
import { HttpContext } from '@adonisjs/core/http'
import i18nManager from '@adonisjs/i18n/services/main'
import { PluginRegistry } from '#plugin_engine/registry'
import type { ConfigProblem, ProgramConfig } from '#programs/program_config'
import type { PluginFactTypes } from '#eligibility/fact_catalog'

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
  if (plugin.settings.form('en').some((field) => field.name === 'coPaymentBasisPoints')) {
    config.pluginSettings = { ...config.pluginSettings, coPaymentBasisPoints: config.coPaymentBp }
  }
  try {
    // Declared defaults fill what is missing; the normalised settings are what is stored.
    // Messages in the language of the request (the person saving); Czech for commands.
    const i18n = HttpContext.get()?.i18n ?? i18nManager.locale(i18nManager.defaultLocale)
    config.pluginSettings = (await plugin.settings.load(config.pluginSettings, {
      messagesProvider: i18n.createMessagesProvider(),
    })) as Record<string, unknown>
  } catch (error: any) {
    // The plugin's own translated label names the field, not its key.
    const i18n = HttpContext.get()?.i18n ?? i18nManager.locale(i18nManager.defaultLocale)
    const labels = new Map(plugin.settings.form(i18n.locale as any).map((f) => [f.name, f.label]))
    for (const message of error.messages ?? [{ field: '', message: String(error.message) }]) {
      const label = labels.get(String(message.field).split('.')[0])
      const detail = label
        ? String(message.message).split(message.field).join(label)
        : message.message
      problems.push({
        field: `pluginSettings.${message.field}`,
        key: 'programs.plugin_settings',
        values: { detail },
      })
    }
  }
  return problems
}

/**
 * The plugin facts a rule of a program of this plugin may read (`{ [pluginId]: declarations }`,
 * `{}` for a plugin declaring none or not installed).
 */
export async function programPluginFacts(pluginId: string): Promise<PluginFactTypes> {
  const installed = await registry()
  return installed.has(pluginId) ? installed.factsFor(pluginId) : {}
}

/**
 * What the rule builder lists as the program's plugin facts: the plugin's name in the locale
 * (the group's label) and its declarations, or null when it declares none.
 */
export async function builderPluginFacts(pluginId: string, locale: string) {
  const installed = await registry()
  const plugin = installed.find(pluginId)
  const facts = installed.has(pluginId) ? installed.factsFor(pluginId) : {}
  if (!plugin || !Object.hasOwn(facts, pluginId)) return null
  const name = plugin.name as Record<string, string>
  return { pluginId, name: name[locale] ?? name.en, facts: facts[pluginId] }
}

/** The settings form of a plugin in a locale (drives the generic settings form). */
export async function pluginSettingsForm(pluginId: string, locale: string) {
  const plugin = (await registry()).find(pluginId)
  return plugin ? plugin.settings.form(locale as any) : []
}

/**
 * The program types a manager can choose when creating a program: every installed plugin, with
 * its name and description in the locale, so a new plugin needs no page code to be offered.
 */
export async function pluginChoices(locale: string) {
  return (await registry()).all().map((plugin) => {
    const name = plugin.name as Record<string, string>
    const description = plugin.description as Record<string, string> | undefined
    return {
      id: plugin.id,
      name: name[locale] ?? name.en,
      description: description ? (description[locale] ?? description.en ?? null) : null,
    }
  })
}
