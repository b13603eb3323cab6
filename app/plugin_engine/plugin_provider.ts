import type { ApplicationService } from '@adonisjs/core/types'
import { usePluginTemplateFolders } from '#services/mail_templates'
import { HookDispatcher } from './dispatcher.js'
import { usePluginFacts } from './fact_declarations.js'
import { PluginRegistry } from './registry.js'

/**
 * Loads and validates every plugin at boot (the app refuses to start on a bad manifest), binds
 * the `PluginRegistry` and a `HookDispatcher` in the container, points the mail templates at
 * each plugin's templates folder and tells evaluations the plugins' declared eligibility facts. Routes are mounted by start/routes.ts, migrations listed by
 * config/database.ts, translations loaded by config/i18n.ts, pages resolved by the client.
 */
export default class PluginProvider {
  /** Receives the application (AdonisJS provider contract). */
  constructor(protected app: ApplicationService) {}

  /** Loads the registry; throws `PluginRegistryError` (stopping the boot) on any plugin problem. */
  async boot() {
    const registry = await PluginRegistry.load({ root: this.app.makePath() })
    this.app.container.bindValue(PluginRegistry, registry)
    const logger = await this.app.container.make('logger')
    this.app.container.bindValue(HookDispatcher, new HookDispatcher(registry, logger))
    usePluginTemplateFolders((id) => (registry.has(id) ? registry.folderOf(id, 'templates') : null))
    usePluginFacts(registry.factTypes())
  }
}
