import type { ApplicationService } from '@adonisjs/core/types'
import { HookDispatcher } from './dispatcher.js'
import { PluginRegistry } from './registry.js'

/**
 * Loads and validates every plugin at boot (the app refuses to start on a bad manifest) and binds
 * the `PluginRegistry` and a `HookDispatcher` in the container.
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
  }
}
