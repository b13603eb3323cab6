import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Identity verifications of citizens (docs/decisions/0014-identity-verification.md).
 *
 * A verification belongs to the tenant that verified the person (the citizen's home tenant at
 * the time), so `verifications` is a tenant table: PK (tenant_id, id). Row-level security is
 * enabled and forced: the tenant's scope (its staff) sees its verifications, and the person sees
 * their own in any scope (user_id = app_user_id()). Only the tenant's scope writes. Nothing from
 * the register is kept beyond the outcome: status, reason codes, where the person lives (as a
 * tenant slug), method and times.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      create table verifications (
        tenant_id uuid not null references tenants (id) on delete cascade,
        id uuid not null default gen_random_uuid(),
        user_id uuid not null references users (id) on delete cascade,
        method text not null check (method in ('register', 'census', 'documents')),
        status text not null check (status in ('verified', 'no_match', 'not_resident', 'name_mismatch', 'unavailable', 'revoked')),
        reasons jsonb not null default '[]'::jsonb check (jsonb_typeof(reasons) = 'array'),
        resident_of text,
        verified_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz not null default now(),
        primary key (tenant_id, id),
        check (status <> 'verified' or (verified_at is not null and expires_at is not null)),
        check (expires_at is null or verified_at is null or expires_at > verified_at)
      );
      create index verifications_user_idx on verifications (user_id, created_at desc);

      alter table verifications enable row level security;
      alter table verifications force row level security;
      -- True only in a staff request of the tenant (admin area, tenant workspace): citizens of the
      -- same home tenant never read each other's verifications, even through a query that forgot
      -- to filter by person.
      create or replace function app_is_staff() returns boolean language sql stable as
        $$ select coalesce(nullif(current_setting('app.staff', true), '') = 'on', false) $$;
      create policy verifications_read on verifications for select
        using ((tenant_id = app_tenant_id() and app_is_staff()) or user_id = app_user_id() or app_is_platform());
      create policy verifications_insert on verifications for insert
        with check (
          (tenant_id = app_tenant_id() and (app_is_staff() or user_id = app_user_id())) or app_is_platform()
        );
      create policy verifications_update on verifications for update
        using ((tenant_id = app_tenant_id() and app_is_staff()) or app_is_platform())
        with check ((tenant_id = app_tenant_id() and app_is_staff()) or app_is_platform());
      create policy verifications_delete on verifications for delete
        using ((tenant_id = app_tenant_id() and app_is_staff()) or app_is_platform());
    `)
  }

  async down() {
    this.schema.raw(`drop table if exists verifications cascade;`)
  }
}
