import { args, BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Scaffolds a new plugin folder plugins/<id>/ with a minimal valid manifest (see docs/plugins.md).
 */
export default class MakePlugin extends BaseCommand {
  static commandName = 'make:plugin'
  static description =
    'Create plugins/<id>/ with a minimal valid manifest, settings, hooks, README and tests'
  static options: CommandOptions = { startApp: false }

  @args.string({
    description:
      'Plugin id: lowercase letters, digits and _, starting with a letter (2-31 characters)',
  })
  declare id: string

  async run() {
    const { scaffoldPlugin } = await import('../plugin_engine/scaffold.js')
    try {
      const files = await scaffoldPlugin({ root: this.app.makePath(), id: this.id })
      for (const file of files) this.logger.action(`create ${file}`).succeeded()
      this.logger.info(
        `Plugin "${this.id}" created. Translate its name and description, fill in its README, then its settings and hooks; routes, pages, templates and migrations: docs/plugins.md.`
      )
    } catch (error) {
      this.logger.error(error instanceof Error ? error.message : String(error))
      this.exitCode = 1
    }
  }
}
