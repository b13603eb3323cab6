import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Program from '#models/program'
import type { Workspace } from '#tenancy/workspace'

/**
 * The voucher plugin's pages. Citizens see the vouchers they hold (which ones, row-level
 * security decides: plugins/voucher/vouchers.ts); staff of a voucher program's tenant see the
 * vouchers it issued.
 */
export default class VoucherPolicy extends BasePolicy {
  /** A citizen's own vouchers: anyone with a home tenant (the portal's people). */
  hold(user: User) {
    return !!user.homeTenantId
  }

  /** A program's issued vouchers: any staff role of the program's tenant. */
  viewIssued(_user: User, workspace: Workspace | null, program: Program | null) {
    return (
      workspace?.kind === 'tenant' &&
      workspace.roles.length > 0 &&
      (!program || program.tenantId === workspace.tenant.id)
    )
  }
}
