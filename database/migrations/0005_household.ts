import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The household: a citizen's children (and young adults) they may apply for.
 *
 * People span tenants, so `children` is a global table (no tenant_id, allowlisted in
 * tests/contracts/rls_catalog_audit.spec.ts). It still holds personal data of one family, so
 * row-level security is enabled and forced: the runtime role sees and changes only the rows
 * of the signed-in parent (parent_user_id = app_user_id()), or everything in the platform scope.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      create table children (
        id uuid primary key default gen_random_uuid(),
        parent_user_id uuid not null references users (id) on delete cascade,
        first_name text not null check (char_length(first_name) between 1 and 100),
        last_name text not null check (char_length(last_name) between 1 and 100),
        birth_date date not null,
        -- Czech birth number, only where a program needs it (YYMMDD/SSS or YYMMDD/SSSC).
        birth_number text check (birth_number ~ '^[0-9]{6}/[0-9]{3,4}$'),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (parent_user_id, first_name, last_name, birth_date)
      );

      alter table children enable row level security;
      alter table children force row level security;
      create policy children_own on children for all
        using (parent_user_id = app_user_id() or app_is_platform())
        with check (parent_user_id = app_user_id() or app_is_platform());
    `)
  }

  async down() {
    this.schema.raw(`drop table if exists children cascade;`)
  }
}
