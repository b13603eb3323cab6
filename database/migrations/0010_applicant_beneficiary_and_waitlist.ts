import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Two things a program may now say (docs/decisions/0022-beneficiary-and-waiting-list.md):
 *
 * 1. **The applicant is the beneficiary** (seniors' swimming passes, a student's exam fee): the
 *    application is for the person applying, not for one of their children. `child_id` becomes
 *    optional; one live application per applicant, program and period is then enforced by a
 *    second partial unique index. The benefit is held by the person: the ledger's holder
 *    reference (`ledger_accounts.owner_ref` of a `child_credit` account, `ledger_vouchers.child_ref`)
 *    is then the person's id, and the person reads their own rows.
 *
 * 2. **A waiting list when the budget is exhausted**: with `when_budget_exhausted = 'waitlist'`
 *    an approval the budget cannot cover is recorded (decision `approved`, no grant yet) and the
 *    application waits (`waitlisted`) until the budget grows; then the waiting applications are
 *    granted in the order they were submitted. A waiting application counts as live (no second
 *    application for the same beneficiary) and can still be withdrawn or rejected.
 *
 * Also: a verification by the register or a census file records the birth date it confirmed,
 * so a rule on the applicant's age reads a verified date rather than a declared one.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      alter table program_versions add column when_budget_exhausted text not null default 'refuse'
        check (when_budget_exhausted in ('refuse', 'waitlist'));

      alter table verifications add column birth_date date;

      alter table applications alter column child_id drop not null;

      -- Status: add 'waitlisted' (approved, waiting for the budget).
      alter table applications drop constraint applications_status_check;
      alter table applications add constraint applications_status_check check (status in (
        'submitted', 'info_requested', 'waitlisted', 'approved', 'rejected', 'withdrawn'));
      do $$
      declare c record;
      begin
        for c in select conname from pg_constraint
                  where conrelid = 'applications'::regclass and contype = 'c'
                    and pg_get_constraintdef(oid) like '%decided_at IS NOT NULL%' loop
          execute format('alter table applications drop constraint %I', c.conname);
        end loop;
      end $$;
      -- A waiting application was decided (approved) by a reviewer; it only lacks its grant. A
      -- withdrawn one may have been (withdrawn from the waiting list) or not.
      alter table applications add constraint applications_decided_check
        check (status not in ('approved', 'rejected', 'waitlisted') or decided_at is not null);
      alter table applications add constraint applications_undecided_check
        check (status not in ('submitted', 'info_requested') or decided_at is null);
      alter table applications add constraint applications_granted_check
        check (status <> 'approved' or grant_transaction_id is not null);

      drop index applications_one_live_per_child;
      create unique index applications_one_live_per_child on applications
        (tenant_id, program_id, child_id, period_key)
        where status in ('submitted', 'info_requested', 'waitlisted', 'approved') and child_id is not null;
      create unique index applications_one_live_per_applicant on applications
        (tenant_id, program_id, applicant_user_id, period_key)
        where status in ('submitted', 'info_requested', 'waitlisted', 'approved') and child_id is null;
      create index applications_waitlist_idx on applications (tenant_id, program_id, submitted_at, id)
        where status = 'waitlisted';

      create or replace function applications_status_graph() returns trigger language plpgsql as $$
      begin
        if new.status is distinct from old.status and not (
             (old.status = 'submitted' and new.status in ('info_requested', 'waitlisted', 'approved', 'rejected', 'withdrawn'))
          or (old.status = 'info_requested' and new.status in ('submitted', 'rejected', 'withdrawn'))
          or (old.status = 'waitlisted' and new.status in ('approved', 'rejected', 'withdrawn'))
        ) then
          raise exception 'applications: status % cannot change to %', old.status, new.status
            using errcode = '23514';
        end if;
        if (new.tenant_id, new.id, new.reference, new.program_id, new.applicant_user_id, new.child_id, new.period_key)
           is distinct from
           (old.tenant_id, old.id, old.reference, old.program_id, old.applicant_user_id, old.child_id, old.period_key) then
          raise exception 'applications: identity of % cannot change', old.id using errcode = '42501';
        end if;
        return new;
      end $$;

      alter table application_events drop constraint application_events_kind_check;
      alter table application_events add constraint application_events_kind_check check (kind in (
        'submitted', 'document_added', 'info_requested', 'info_provided', 'approved', 'rejected',
        'withdrawn', 'approval_refused', 'waitlisted', 'granted'));

      /*
       * Where a waiting application stands: 1 + the waiting applications of the same program
       * submitted before it. The applicant cannot read other people's applications (row-level
       * security), so this runs as its owner; it answers only for an application of the caller
       * (or in a staff or platform scope of its tenant), and only a number.
       */
      create or replace function application_waitlist_position(p_tenant uuid, p_application uuid)
        returns integer language sql stable security definer set search_path = public, pg_temp as $$
        select (select count(*) from applications w
                 where w.tenant_id = a.tenant_id and w.program_id = a.program_id
                   and w.status = 'waitlisted'
                   and (w.submitted_at, w.id) < (a.submitted_at, a.id))::integer + 1
          from applications a
         where a.tenant_id = p_tenant and a.id = p_application and a.status = 'waitlisted'
           and (a.applicant_user_id = app_user_id()
                or (a.tenant_id = app_tenant_id() and app_is_staff())
                or app_is_platform())
      $$;
      -- Not for everyone: only the runtime role, by the schema's default privileges (bin/lib/database_server.ts).
      revoke all on function application_waitlist_position(uuid, uuid) from public;

      -- A person reads the credit and vouchers they hold themselves (the applicant as beneficiary).
      create policy ledger_accounts_self_read on ledger_accounts for select
        using (kind = 'child_credit' and owner_ref = app_user_id()::text);
      create policy ledger_vouchers_self_read on ledger_vouchers for select
        using (child_ref = app_user_id()::text);
    `)
  }

  async down() {
    this.schema.raw(`
      drop policy if exists ledger_vouchers_self_read on ledger_vouchers;
      drop policy if exists ledger_accounts_self_read on ledger_accounts;
      drop function if exists application_waitlist_position(uuid, uuid);
      drop index if exists applications_waitlist_idx;
      drop index if exists applications_one_live_per_applicant;
      alter table program_versions drop column if exists when_budget_exhausted;
      alter table verifications drop column if exists birth_date;
    `)
  }
}
