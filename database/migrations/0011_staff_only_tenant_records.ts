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

export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      alter policy ledger_accounts_read on ledger_accounts using (${STAFF});
      alter policy ledger_accounts_insert on ledger_accounts with check (${STAFF});
      alter policy ledger_accounts_update on ledger_accounts using (${STAFF}) with check (${STAFF});
      alter policy ledger_transactions_read on ledger_transactions using (${STAFF});
      alter policy ledger_transactions_insert on ledger_transactions with check (${STAFF});
      alter policy ledger_entries_read on ledger_entries using (${STAFF});
      alter policy ledger_entries_insert on ledger_entries with check (${STAFF});
      alter policy ledger_vouchers_read on ledger_vouchers using (${STAFF});
      alter policy ledger_vouchers_insert on ledger_vouchers with check (${STAFF});
      alter policy ledger_vouchers_update on ledger_vouchers using (${STAFF}) with check (${STAFF});

      alter policy audit_events_tenant on audit_events using (${STAFF}) with check (${STAFF});

      alter policy tenant_memberships_read on tenant_memberships
        using (${STAFF} or user_id = app_user_id());
      alter policy tenant_memberships_insert on tenant_memberships with check (${STAFF});
      alter policy tenant_memberships_update on tenant_memberships using (${STAFF}) with check (${STAFF});
      alter policy tenant_memberships_delete on tenant_memberships using (${STAFF});
    `)
  }

  async down() {
    const tenant = `tenant_id = app_tenant_id() or app_is_platform()`
    this.schema.raw(`
      alter policy ledger_accounts_read on ledger_accounts using (${tenant});
      alter policy ledger_accounts_insert on ledger_accounts with check (${tenant});
      alter policy ledger_accounts_update on ledger_accounts using (${tenant}) with check (${tenant});
      alter policy ledger_transactions_read on ledger_transactions using (${tenant});
      alter policy ledger_transactions_insert on ledger_transactions with check (${tenant});
      alter policy ledger_entries_read on ledger_entries using (${tenant});
      alter policy ledger_entries_insert on ledger_entries with check (${tenant});
      alter policy ledger_vouchers_read on ledger_vouchers using (${tenant});
      alter policy ledger_vouchers_insert on ledger_vouchers with check (${tenant});
      alter policy ledger_vouchers_update on ledger_vouchers using (${tenant}) with check (${tenant});
      alter policy audit_events_tenant on audit_events using (${tenant}) with check (${tenant});
      alter policy tenant_memberships_read on tenant_memberships
        using (${tenant} or user_id = app_user_id());
      alter policy tenant_memberships_insert on tenant_memberships with check (${tenant});
      alter policy tenant_memberships_update on tenant_memberships using (${tenant}) with check (${tenant});
      alter policy tenant_memberships_delete on tenant_memberships using (${tenant});
    `)
  }
}
