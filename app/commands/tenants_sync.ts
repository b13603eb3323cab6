import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Applies the tenants declared as code in tenants/<slug>/tenant.ts to the database.
 */
export default class TenantsSync extends BaseCommand {
  static commandName = 'tenants:sync'
  static description =
    'Create or update the tenants and program blueprints declared in tenants/<slug>/ (idempotent)'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Only print what would change' })
  declare dryRun: boolean

  async run() {
    const { withTenantScope } = await import('#tenancy/tenant_context')
    const { loadTenantDefinitions, syncTenants } = await import('#tenancy/tenant_sync')
    const { syncPrograms } = await import('#programs/program_sync')
    try {
      const definitions = await loadTenantDefinitions(this.app.makePath())
      const changes = await withTenantScope({ tenantId: null, userId: null, platform: true }, () =>
        syncTenants(definitions, { dryRun: !!this.dryRun })
      )
      for (const change of changes) {
        const detail = change.action === 'update' ? ` (${change.fields.join(', ')})` : ''
        this.logger.info(
          `${this.dryRun ? '[dry run] ' : ''}${change.slug}: ${change.action}${detail}`
        )
      }
      const programChanges = await withTenantScope(
        { tenantId: null, userId: null, platform: true },
        () => syncPrograms(this.app.makePath(), { dryRun: !!this.dryRun })
      )
      for (const change of programChanges) {
        const status = change.status ? `, status ${change.status}` : ''
        this.logger.info(
          `${this.dryRun ? '[dry run] ' : ''}${change.tenant}/${change.slug}: ${change.action}${status}`
        )
      }
    } catch (error) {
      this.logger.error(error instanceof Error ? error.message : String(error))
      this.exitCode = 1
    }
  }
}
