import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A citizen's request runs in their home tenant's scope (the portal), so a policy that admits
 * every row with `tenant_id = app_tenant_id()` admits that citizen too. For the money, the audit
 * log and the staff list that was too wide: a resident of Praha 5 could read (and, bypassing the
 * application's checks, write) Praha 5's whole ledger, audit log and memberships. The application
 * never did, but row-level security is the second wall and must hold on its own.
 *
 * From here on the tenant-wide rows of these tables are the tenant's staff's (a request in the
 * tenant's admin workspace, `app_is_staff()`) or the platform's. What a person may see of them
 * stays as it was: the credit and vouchers they or their children hold (0008, 0010), their own
 * memberships (to choose a workspace). Applications, verifications and their documents already
 * had this shape (0006, 0007, 0009).
 */
const STAFF = `(tenant_id = app_tenant_id() and app_is_staff()) or app_is_platform()`

/** The policies this migration narrows, with `rows` as every clause (up: STAFF; down: as before). */
function policies(rows: string) {
  return `
    alter policy ledger_accounts_read on ledger_accounts using (${rows});
    alter policy ledger_accounts_insert on ledger_accounts with check (${rows});
    alter policy ledger_accounts_update on ledger_accounts using (${rows}) with check (${rows});
    alter policy ledger_transactions_read on ledger_transactions using (${rows});
    alter policy ledger_transactions_insert on ledger_transactions with check (${rows});
    alter policy ledger_entries_read on ledger_entries using (${rows});
    alter policy ledger_entries_insert on ledger_entries with check (${rows});
    alter policy ledger_vouchers_read on ledger_vouchers using (${rows});
    alter policy ledger_vouchers_insert on ledger_vouchers with check (${rows});
    alter policy ledger_vouchers_update on ledger_vouchers using (${rows}) with check (${rows});

    alter policy audit_events_tenant on audit_events using (${rows}) with check (${rows});

    alter policy tenant_memberships_read on tenant_memberships
      using (${rows} or user_id = app_user_id());
    alter policy tenant_memberships_insert on tenant_memberships with check (${rows});
    alter policy tenant_memberships_update on tenant_memberships using (${rows}) with check (${rows});
    alter policy tenant_memberships_delete on tenant_memberships using (${rows});
  `
}

export default class extends BaseSchema {
  async up() {
    this.schema.raw(policies(STAFF))
  }

  async down() {
    this.schema.raw(policies(`tenant_id = app_tenant_id() or app_is_platform()`))
  }
}
