import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Checks the ledger's invariants across all tenants (platform scope) and exits non-zero when
 * any is broken (app/ledger/invariants.ts, docs/decisions/0013-ledger.md).
 */
export default class LedgerCheck extends BaseCommand {
  static commandName = 'ledger:check'
  static description =
    'Verify the ledger: balanced transactions, cached balances, no negative balances, per-program conservation and budget caps'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Check one tenant only (its id)' })
  declare tenant: string | undefined

  async run() {
    const { withTenantScope, scopedClient } = await import('#tenancy/tenant_context')
    const { checkLedgerInvariants } = await import('#ledger/invariants')
    try {
      const violations = await withTenantScope(
        { tenantId: null, userId: null, platform: true },
        () => checkLedgerInvariants(scopedClient(), this.tenant ? { tenantId: this.tenant } : {})
      )
      for (const violation of violations) {
        this.logger.error(
          `[${violation.invariant}] tenant ${violation.tenantId}, ${violation.subject}: ${violation.detail}`
        )
      }
      if (violations.length) {
        this.logger.error(`ledger:check found ${violations.length} violation(s)`)
        this.exitCode = 1
      } else {
        this.logger.success('ledger:check: every ledger invariant holds')
      }
    } catch (error) {
      this.logger.error(error instanceof Error ? error.message : String(error))
      this.exitCode = 1
    }
  }
}
