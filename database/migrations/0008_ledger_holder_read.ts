import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A parent reads their children's credit and vouchers in the portal, whichever tenant granted
 * them (the portal runs in the home tenant's scope; a nationwide NGO's vouchers are the NGO's
 * rows). Read-only: only the program's tenant posts. `owner_ref` / `child_ref` of a child's
 * account or voucher is the child's id (app/applications/grant.ts).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      create policy ledger_accounts_holder_read on ledger_accounts for select
        using (kind = 'child_credit' and exists (
          select 1 from children c where c.id::text = ledger_accounts.owner_ref and c.parent_user_id = app_user_id()));
      create policy ledger_vouchers_holder_read on ledger_vouchers for select
        using (exists (
          select 1 from children c where c.id::text = ledger_vouchers.child_ref and c.parent_user_id = app_user_id()));
    `)
  }

  async down() {
    this.schema.raw(`
      drop policy if exists ledger_accounts_holder_read on ledger_accounts;
      drop policy if exists ledger_vouchers_holder_read on ledger_vouchers;
    `)
  }
}
