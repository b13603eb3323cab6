import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Census file, document review and revocation (docs/decisions/0014-identity-verification.md).
 *
 * - `census_uploads`: a tenant's current census (one row per tenant: count, who, when). Replacing
 *   the census deletes the row (its entries go with it) and inserts the new one, in one
 *   transaction.
 * - `census_entries`: only keyed hashes (HMAC-SHA-256 with a secret derived from APP_KEY and the
 *   tenant id) of the normalised name with the birth date, and of the birth number. No name, no
 *   date, no birth number is stored.
 * - `verifications`: a `pending` state (documents waiting for a reviewer) and `refused` (a
 *   reviewer said no), who decided and why, who revoked and why; at most one pending
 *   verification per person and tenant.
 * - `verification_documents`: the files a citizen uploaded for a verification by documents. The
 *   file itself is on the private drive disk under a key starting with `<tenant_id>/`.
 *
 * All three new tables are tenant tables: PK (tenant_id, id), tenant_id first in every unique
 * and foreign key, row-level security enabled and forced.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      create table census_uploads (
        tenant_id uuid not null references tenants (id) on delete cascade,
        id uuid not null default gen_random_uuid(),
        row_count integer not null check (row_count > 0),
        uploaded_by uuid references users (id) on delete set null,
        uploaded_at timestamptz not null default now(),
        primary key (tenant_id, id),
        -- One current census per tenant: an upload replaces it.
        unique (tenant_id)
      );

      create table census_entries (
        tenant_id uuid not null,
        id uuid not null default gen_random_uuid(),
        upload_id uuid not null,
        person_hash text not null check (person_hash ~ '^[0-9a-f]{64}$'),
        birth_number_hash text check (birth_number_hash ~ '^[0-9a-f]{64}$'),
        primary key (tenant_id, id),
        foreign key (tenant_id, upload_id) references census_uploads (tenant_id, id) on delete cascade
      );
      create index census_entries_person_idx on census_entries (tenant_id, person_hash);
      create index census_entries_birth_number_idx on census_entries (tenant_id, birth_number_hash)
        where birth_number_hash is not null;
      create index census_entries_upload_idx on census_entries (tenant_id, upload_id);

      alter table census_uploads enable row level security;
      alter table census_uploads force row level security;
      -- Read in the tenant's scope (staff, and its citizens' verification requests, which only
      -- compare hashes); written only by the tenant's staff or the platform.
      create policy census_uploads_read on census_uploads for select
        using (tenant_id = app_tenant_id() or app_is_platform());
      create policy census_uploads_write on census_uploads for all
        using ((tenant_id = app_tenant_id() and app_is_staff()) or app_is_platform())
        with check ((tenant_id = app_tenant_id() and app_is_staff()) or app_is_platform());

      alter table census_entries enable row level security;
      alter table census_entries force row level security;
      create policy census_entries_read on census_entries for select
        using (tenant_id = app_tenant_id() or app_is_platform());
      create policy census_entries_write on census_entries for all
        using ((tenant_id = app_tenant_id() and app_is_staff()) or app_is_platform())
        with check ((tenant_id = app_tenant_id() and app_is_staff()) or app_is_platform());

      alter table verifications drop constraint verifications_status_check;
      alter table verifications add constraint verifications_status_check
        check (status in ('verified', 'no_match', 'not_resident', 'name_mismatch', 'unavailable', 'revoked', 'pending', 'refused'));
      alter table verifications
        add column decided_by uuid references users (id) on delete set null,
        add column decided_at timestamptz,
        add column decision_reason text check (char_length(decision_reason) between 1 and 2000),
        add column revoked_by uuid references users (id) on delete set null,
        add column revoke_reason text check (char_length(revoke_reason) between 1 and 2000),
        add constraint verifications_pending_documents
          check (status <> 'pending' or method = 'documents'),
        add constraint verifications_refused_reason
          check (status <> 'refused' or (decision_reason is not null and decided_at is not null)),
        add constraint verifications_revoked_details
          check (status <> 'revoked' or (revoked_at is not null and revoke_reason is not null));
      create unique index verifications_one_pending on verifications (tenant_id, user_id)
        where status = 'pending';

      create table verification_documents (
        tenant_id uuid not null references tenants (id) on delete cascade,
        id uuid not null default gen_random_uuid(),
        verification_id uuid not null,
        user_id uuid not null references users (id) on delete cascade,
        storage_key text not null check (starts_with(storage_key, tenant_id::text || '/')),
        content_type text not null check (content_type in ('application/pdf', 'image/jpeg', 'image/png')),
        size_bytes integer not null check (size_bytes > 0),
        sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
        created_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, storage_key),
        foreign key (tenant_id, verification_id) references verifications (tenant_id, id) on delete cascade
      );
      create index verification_documents_verification_idx
        on verification_documents (tenant_id, verification_id);

      alter table verification_documents enable row level security;
      alter table verification_documents force row level security;
      -- Like verifications: the tenant's staff, the person themselves, or the platform.
      create policy verification_documents_read on verification_documents for select
        using ((tenant_id = app_tenant_id() and app_is_staff()) or user_id = app_user_id() or app_is_platform());
      create policy verification_documents_insert on verification_documents for insert
        with check (
          (tenant_id = app_tenant_id() and (app_is_staff() or user_id = app_user_id())) or app_is_platform()
        );
      create policy verification_documents_update on verification_documents for update
        using ((tenant_id = app_tenant_id() and app_is_staff()) or app_is_platform())
        with check ((tenant_id = app_tenant_id() and app_is_staff()) or app_is_platform());
      create policy verification_documents_delete on verification_documents for delete
        using ((tenant_id = app_tenant_id() and app_is_staff()) or app_is_platform());
    `)
  }

  async down() {
    this.schema.raw(`
      drop table if exists verification_documents cascade;
      drop index if exists verifications_one_pending;
      delete from verifications where status in ('pending', 'refused');
      alter table verifications
        drop constraint if exists verifications_pending_documents,
        drop constraint if exists verifications_refused_reason,
        drop constraint if exists verifications_revoked_details,
        drop column if exists decided_by,
        drop column if exists decided_at,
        drop column if exists decision_reason,
        drop column if exists revoked_by,
        drop column if exists revoke_reason;
      alter table verifications drop constraint verifications_status_check;
      alter table verifications add constraint verifications_status_check
        check (status in ('verified', 'no_match', 'not_resident', 'name_mismatch', 'unavailable', 'revoked'));
      drop table if exists census_entries cascade;
      drop table if exists census_uploads cascade;
    `)
  }
}
