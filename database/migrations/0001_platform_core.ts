import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Platform core: tenants, people, organisations, tenant memberships, audit events, mail outbox.
 *
 * Global tables (tenants, users, organizations, organization_memberships, user_tokens,
 * mail_outbox) have no tenant_id: people and organisations span tenants (architecture
 * guide, point 5). Tenant-owned tables carry tenant_id first in every primary, unique and
 * foreign key, and have row-level security enabled and forced (tests/contracts/rls_catalog_audit.spec.ts checks the catalog).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      create table tenants (
        id uuid primary key default gen_random_uuid(),
        slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        kind text not null check (kind in ('city', 'district', 'ngo')),
        name text not null,
        legal_name text,
        country char(2) not null,
        region text,
        parent_slug text,
        nationwide boolean not null default false,
        default_locale text not null check (default_locale in ('cs', 'en', 'uk', 'pl')),
        locales text[] not null,
        currency char(3) not null check (currency in ('CZK', 'PLN', 'EUR')),
        status text not null default 'pending' check (status in ('pending', 'active', 'suspended')),
        branding jsonb not null default '{}'::jsonb,
        contact_email text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (default_locale = any (locales))
      );

      create table users (
        id uuid primary key default gen_random_uuid(),
        email text not null,
        email_normalized text not null unique,
        password text not null,
        full_name text not null,
        locale text not null default 'cs' check (locale in ('cs', 'en', 'uk', 'pl')),
        citizenship char(2),
        home_tenant_id uuid references tenants (id),
        is_platform_admin boolean not null default false,
        email_verified_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );

      create table user_tokens (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references users (id) on delete cascade,
        purpose text not null check (purpose in ('verify_email', 'reset_password')),
        token_hash text not null unique,
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null default now()
      );
      create index user_tokens_user_idx on user_tokens (user_id, purpose);

      create table organizations (
        id uuid primary key default gen_random_uuid(),
        name text not null,
        registration_number text,
        country char(2) not null default 'CZ',
        city text,
        contact_email text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );

      create table organization_memberships (
        organization_id uuid not null references organizations (id) on delete cascade,
        user_id uuid not null references users (id) on delete cascade,
        role text not null check (role in ('provider_admin', 'provider_staff')),
        created_at timestamptz not null default now(),
        primary key (organization_id, user_id)
      );
      create index organization_memberships_user_idx on organization_memberships (user_id);

      -- Host names routed to a tenant. Looked up before any tenant is known, so readable by all;
      -- written only in a platform context (tenants:sync, platform admin).
      create table tenant_domains (
        host text primary key check (host = lower(host)),
        tenant_id uuid not null references tenants (id) on delete cascade,
        created_at timestamptz not null default now()
      );
      create index tenant_domains_tenant_idx on tenant_domains (tenant_id);

      create table tenant_memberships (
        tenant_id uuid not null references tenants (id) on delete cascade,
        id uuid not null default gen_random_uuid(),
        user_id uuid not null references users (id) on delete cascade,
        role text not null check (role in ('tenant_admin', 'program_manager', 'reviewer')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, user_id, role)
      );
      create index tenant_memberships_user_idx on tenant_memberships (user_id);

      create table audit_events (
        tenant_id uuid not null references tenants (id) on delete cascade,
        id uuid not null default gen_random_uuid(),
        actor_user_id uuid references users (id) on delete set null,
        action text not null,
        subject_type text,
        subject_id text,
        data jsonb not null default '{}'::jsonb,
        created_at timestamptz not null default now(),
        primary key (tenant_id, id)
      );
      create index audit_events_created_idx on audit_events (tenant_id, created_at desc);

      create table mail_outbox (
        id uuid primary key default gen_random_uuid(),
        to_address text not null,
        from_address text not null,
        subject text not null,
        html text,
        text text,
        template text,
        tenant_slug text,
        created_at timestamptz not null default now()
      );
      create index mail_outbox_to_idx on mail_outbox (to_address, created_at desc);
    `)

    /*
     * Row-level security. Every policy reads the request's settings with NULLIF, because a
     * transaction-local setting reads back as '' once its transaction has ended.
     */
    this.schema.raw(`
      create or replace function app_tenant_id() returns uuid language sql stable as
        $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
      create or replace function app_user_id() returns uuid language sql stable as
        $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
      create or replace function app_is_platform() returns boolean language sql stable as
        $$ select coalesce(nullif(current_setting('app.platform', true), '') = 'on', false) $$;

      alter table tenant_domains enable row level security;
      alter table tenant_domains force row level security;
      create policy tenant_domains_read on tenant_domains for select using (true);
      create policy tenant_domains_write on tenant_domains for all
        using (app_is_platform()) with check (app_is_platform());

      -- A membership is visible to its tenant, and to its own person (to list the tenants
      -- a staff member can switch to). Only the tenant (or the platform) may change it.
      alter table tenant_memberships enable row level security;
      alter table tenant_memberships force row level security;
      create policy tenant_memberships_read on tenant_memberships for select
        using (tenant_id = app_tenant_id() or user_id = app_user_id() or app_is_platform());
      create policy tenant_memberships_insert on tenant_memberships for insert
        with check (tenant_id = app_tenant_id() or app_is_platform());
      create policy tenant_memberships_update on tenant_memberships for update
        using (tenant_id = app_tenant_id() or app_is_platform())
        with check (tenant_id = app_tenant_id() or app_is_platform());
      create policy tenant_memberships_delete on tenant_memberships for delete
        using (tenant_id = app_tenant_id() or app_is_platform());

      alter table audit_events enable row level security;
      alter table audit_events force row level security;
      create policy audit_events_tenant on audit_events for all
        using (tenant_id = app_tenant_id() or app_is_platform())
        with check (tenant_id = app_tenant_id() or app_is_platform());
    `)
  }

  async down() {
    this.schema.raw(`
      drop table if exists mail_outbox, audit_events, tenant_memberships, tenant_domains,
        organization_memberships, organizations, user_tokens, users, tenants cascade;
      drop function if exists app_tenant_id, app_user_id, app_is_platform;
    `)
  }
}
