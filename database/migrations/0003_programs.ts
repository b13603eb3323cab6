import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Programs (calls for contributions) and their versions.
 *
 * A program belongs to one tenant and is an instance of a plugin. Its configuration lives
 * in program_versions: a draft version is edited in place; once the program is published,
 * each edit creates a new version, and everything decided later records the version it used.
 *
 * Visibility (row-level security): a tenant sees its own programs; everyone sees the
 * published programs of a nationwide tenant (an NGO call open to citizens of every city).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      create table programs (
        tenant_id uuid not null references tenants (id) on delete cascade,
        id uuid not null default gen_random_uuid(),
        slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]{1,80}$'),
        plugin_id text not null,
        status text not null default 'draft' check (status in ('draft', 'published', 'closed', 'archived')),
        nationwide boolean not null default false,
        current_version integer not null default 1,
        published_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, slug)
      );

      create table program_versions (
        tenant_id uuid not null,
        id uuid not null default gen_random_uuid(),
        program_id uuid not null,
        version integer not null check (version > 0),
        name jsonb not null,
        description jsonb not null default '{}'::jsonb,
        application_opens_at timestamptz,
        application_closes_at timestamptz,
        periods jsonb not null default '[]'::jsonb,
        audience jsonb not null,
        currency char(3) not null check (currency in ('CZK', 'PLN', 'EUR')),
        budget_minor bigint not null check (budget_minor >= 0),
        limits jsonb not null default '{}'::jsonb,
        co_payment_bp integer not null default 0 check (co_payment_bp between 0 and 9999),
        documents jsonb not null default '[]'::jsonb,
        eligibility_rule jsonb not null default 'true'::jsonb,
        params jsonb not null default '{}'::jsonb,
        categories text[] not null default '{}',
        requires_activity_approval boolean not null default false,
        plugin_settings jsonb not null default '{}'::jsonb,
        created_by uuid references users (id) on delete set null,
        created_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, program_id, version),
        foreign key (tenant_id, program_id) references programs (tenant_id, id) on delete cascade,
        check (application_closes_at is null or application_opens_at is null or application_closes_at > application_opens_at)
      );

      alter table programs enable row level security;
      alter table programs force row level security;
      create policy programs_read on programs for select
        using (tenant_id = app_tenant_id() or app_is_platform() or (nationwide and status = 'published'));
      create policy programs_insert on programs for insert
        with check (tenant_id = app_tenant_id() or app_is_platform());
      create policy programs_update on programs for update
        using (tenant_id = app_tenant_id() or app_is_platform())
        with check (tenant_id = app_tenant_id() or app_is_platform());
      create policy programs_delete on programs for delete
        using (tenant_id = app_tenant_id() or app_is_platform());

      alter table program_versions enable row level security;
      alter table program_versions force row level security;
      create policy program_versions_read on program_versions for select
        using (
          tenant_id = app_tenant_id() or app_is_platform()
          or exists (select 1 from programs p where p.tenant_id = program_versions.tenant_id
                     and p.id = program_versions.program_id and p.nationwide and p.status = 'published')
        );
      create policy program_versions_insert on program_versions for insert
        with check (tenant_id = app_tenant_id() or app_is_platform());
      -- Versions are immutable once written, except the draft being edited (checked in the app).
      create policy program_versions_update on program_versions for update
        using (tenant_id = app_tenant_id() or app_is_platform())
        with check (tenant_id = app_tenant_id() or app_is_platform());
      create policy program_versions_delete on program_versions for delete
        using (tenant_id = app_tenant_id() or app_is_platform());
    `)
  }

  async down() {
    this.schema.raw('drop table if exists program_versions, programs cascade')
  }
}
