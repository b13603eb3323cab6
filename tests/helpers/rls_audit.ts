/*
 * The row-level security catalog audit's checks (docs/decisions/0002-row-level-security.md), used
 * by tests/contracts/rls_catalog_audit.spec.ts over the whole database and by the plugin
 * migration test over a plugin's tables while they exist. Each check reads pg_catalog and returns
 * one problem sentence per table, constraint, view or role breaking a tenancy rule. Tables are
 * discovered from the catalog: a "tenant table" is any table in schema public with a `tenant_id`
 * column, so every table a later migration (core or plugin) adds is audited without editing this
 * file. Anything that deliberately breaks a rule must be listed in ALLOWLIST, with the reason.
 */
import db from '@adonisjs/lucid/services/db'

export const ALLOWLIST = {
  /**
   * Tables in public WITHOUT a tenant_id column. Every table must either have tenant_id (and
   * then pass every tenant-table check below) or be listed here as global on purpose, so a
   * new table that simply forgot its tenant_id cannot slip past row-level security.
   */
  globalTables: {
    tenants: 'the tenants themselves; read before any tenant is known (routing, tenants:sync)',
    users: 'people span tenants (architecture guide, point 5)',
    user_tokens: 'belongs to a person (users), not to a tenant',
    organizations: 'providers (clubs, schools) work with several tenants',
    organization_memberships: 'a person’s role in an organisation, not in a tenant',
    // Row-level security is still enabled and forced on it (parent_user_id = app_user_id()).
    children:
      'a citizen’s household spans tenants like the person (database/migrations/0005_household.ts); RLS limits rows to the parent',
    mail_outbox: 'outgoing mail queue of the whole platform (tenant only named by tenant_slug)',
    rate_limits: '@adonisjs/limiter store, keyed by IP/person, checked before any tenant is known',
    cache_generations:
      'one counter per cached data set (database/migrations/0012_cache_generations.ts); no tenant data',
    adonis_schema: 'Lucid migration bookkeeping, written only by the owner connection',
    adonis_schema_versions: 'Lucid migration bookkeeping, written only by the owner connection',
  } as Record<string, string>,

  /**
   * Primary keys, unique constraints and unique indexes of tenant tables that deliberately
   * leave tenant_id out ("table.constraint_or_index").
   */
  globalKeys: {
    'tenant_domains.tenant_domains_pkey':
      'global routing table: a host name is looked up before any tenant is known, so it must map to exactly one tenant across all tenants',
  } as Record<string, string>,

  /** Policies on tenant tables whose USING / WITH CHECK is unconditionally true ("table.policy"). */
  unconditionalPolicies: {
    'tenant_domains.tenant_domains_read':
      'global routing table: every request reads it to find its tenant, before any tenant is known',
  } as Record<string, string>,

  /** Foreign keys between two tenant tables that may leave out tenant_id ("table.constraint"). */
  crossTenantForeignKeys: {} as Record<string, string>,

  /** Views in public that may run with their owner's rights (no security_invoker). */
  definerViews: {} as Record<string, string>,

  /** SECURITY DEFINER functions in public (they run as their owner, past row-level security). */
  securityDefinerFunctions: {
    application_waitlist_position:
      'an applicant’s place on a waiting list counts other people’s applications, which RLS hides; it answers only a number, only for an application of the caller (or in its tenant’s staff or the platform scope), with a fixed search_path (database/migrations/0010_applicant_beneficiary_and_waitlist.ts)',
  } as Record<string, string>,
}

/** A table with a tenant_id column, as the catalog describes it. */
export interface TenantTable {
  oid: number
  name: string
  tenantAttnum: number
  rowSecurity: boolean
  forceRowSecurity: boolean
  policies: number
}

/** Every table (plain, partitioned, partition) in schema public with a tenant_id column. */
export async function tenantTables(): Promise<TenantTable[]> {
  const { rows } = await db.connection('owner').rawQuery(`
    select c.oid::int as oid, c.relname as name, a.attnum::int as tenant_attnum,
      c.relrowsecurity as row_security, c.relforcerowsecurity as force_row_security,
      (select count(*) from pg_policy p where p.polrelid = c.oid)::int as policies
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and a.attnum > 0 and not a.attisdropped
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`)
  return rows.map((row: any) => ({
    oid: row.oid,
    name: row.name,
    tenantAttnum: row.tenant_attnum,
    rowSecurity: row.row_security,
    forceRowSecurity: row.force_row_security,
    policies: row.policies,
  }))
}

/** The runtime role: current_user of the `app` connection. */
export async function runtimeRole(): Promise<string> {
  const { rows } = await db.connection('app').rawQuery('select current_user as role')
  return rows[0].role
}

/** Parses a Postgres int2vector / smallint[] as returned by pg ("1 2" or "{1,2}" or an array). */
function attnums(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number)
  return String(value)
    .replace(/[{}]/g, '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number)
}

/** The oids as a Postgres array literal (knex would expand a JS array into several bindings). */
function oidArray(tables: TenantTable[]) {
  return `{${tables.map((table) => table.oid).join(',')}}`
}

/** The problems of one check as an assertion message. */
export function report(problems: string[], headline: string) {
  return `${headline}:\n  - ${problems.join('\n  - ')}`
}

/** Tables in public with no tenant_id column that are not allowlisted as global. */
export async function globalTableProblems(): Promise<string[]> {
  const { rows } = await db.connection('owner').rawQuery(`
    select c.relname as name
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
      and not exists (
        select 1 from pg_attribute a
        where a.attrelid = c.oid and a.attname = 'tenant_id' and a.attnum > 0 and not a.attisdropped)
    order by c.relname`)
  return rows
    .map((row: any) => row.name as string)
    .filter((name: string) => !(name in ALLOWLIST.globalTables))
    .map(
      (name: string) =>
        `public.${name} has no tenant_id column and is not in ALLOWLIST.globalTables`
    )
}

/** Tenant tables without enabled and forced row-level security. */
export function rowSecurityProblems(tables: TenantTable[]): string[] {
  return tables
    .filter((table) => !table.rowSecurity || !table.forceRowSecurity)
    .map(
      (table) =>
        `public.${table.name}: relrowsecurity=${table.rowSecurity}, relforcerowsecurity=${table.forceRowSecurity}` +
        ` (needs: alter table ${table.name} enable row level security; alter table ${table.name} force row level security)`
    )
}

/** Tenant tables without any policy. */
export function missingPolicyProblems(tables: TenantTable[]): string[] {
  return tables
    .filter((table) => table.policies === 0)
    .map((table) => `public.${table.name} has no row-level security policy`)
}

/** Permissive policies on tenant tables whose USING or WITH CHECK is unconditionally true. */
export async function unconditionalPolicyProblems(tables: TenantTable[]): Promise<string[]> {
  if (tables.length === 0) return []
  const { rows } = await db.connection('owner').rawQuery(
    `select c.relname as table, p.polname as policy,
       pg_get_expr(p.polqual, p.polrelid) as using_expr,
       pg_get_expr(p.polwithcheck, p.polrelid) as check_expr
     from pg_policy p join pg_class c on c.oid = p.polrelid
     where p.polrelid = any(?::oid[]) and p.polpermissive`,
    [oidArray(tables)]
  )
  const isTrue = (expr: string | null) => expr !== null && /^\(?\s*true\s*\)?$/i.test(expr.trim())
  return rows
    .filter((row: any) => isTrue(row.using_expr) || isTrue(row.check_expr))
    .filter((row: any) => !(`${row.table}.${row.policy}` in ALLOWLIST.unconditionalPolicies))
    .map(
      (row: any) =>
        `policy ${row.policy} on public.${row.table} is unconditionally true (shows/accepts every tenant's rows)`
    )
}

/** The runtime role, or a role it belongs to, being SUPERUSER or BYPASSRLS. */
export async function runtimeRoleBypassProblems(role: string): Promise<string[]> {
  // Membership counts too: a member of a superuser/BYPASSRLS role could SET ROLE to it.
  const { rows } = await db.connection('owner').rawQuery(
    `select r.rolname as role, r.rolsuper as super, r.rolbypassrls as bypass
     from pg_roles r
     where (r.rolsuper or r.rolbypassrls) and pg_has_role(?, r.oid, 'MEMBER')
     order by r.rolname`,
    [role]
  )
  return rows.map(
    (row: any) =>
      `runtime role ${role} ${row.role === role ? 'is' : `is a member of ${row.role}, which is`}` +
      `${row.super ? ' SUPERUSER' : ''}${row.bypass ? ' BYPASSRLS' : ''}`
  )
}

/** Tables, views and sequences in public owned by the runtime role (or a role it belongs to). */
export async function runtimeRoleOwnershipProblems(role: string): Promise<string[]> {
  // Owning a table (directly or through a role it belongs to) exempts from row-level security
  // unless forced, and lets the owner disable it.
  const { rows } = await db.connection('owner').rawQuery(
    `select c.relname as name, c.relkind as kind, pg_get_userbyid(c.relowner) as owner
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
       and pg_has_role(?, c.relowner, 'MEMBER')
     order by c.relname`,
    [role]
  )
  const kinds: Record<string, string> = {
    r: 'table',
    p: 'partitioned table',
    v: 'view',
    m: 'materialized view',
    S: 'sequence',
    f: 'foreign table',
  }
  return rows.map(
    (row: any) =>
      `${kinds[row.kind] ?? row.kind} public.${row.name} is owned by ${row.owner}` +
      (row.owner === role
        ? ', the runtime role'
        : `, and the runtime role ${role} is a member of ${row.owner}`)
  )
}

/** Views in public running with their owner's rights (no security_invoker). */
export async function definerViewProblems(): Promise<string[]> {
  // A view runs with its owner's rights by default: through it, the runtime role would read
  // the owner's view of the table, past row-level security.
  const { rows } = await db.connection('owner').rawQuery(`
    select c.relname as name, c.reloptions as options
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'v'
    order by c.relname`)
  const invoker = (options: string[] | null) =>
    (options ?? []).some((option) => /^security_invoker=(true|on|yes|1)$/i.test(option))
  return rows
    .filter((row: any) => !invoker(row.options) && !(row.name in ALLOWLIST.definerViews))
    .map(
      (row: any) =>
        `view public.${row.name} lacks security_invoker=true (reloptions: ${JSON.stringify(row.options)})`
    )
}

/** Materialized views with tenant_id the runtime role can read (they have no RLS of their own). */
export async function materializedViewProblems(role: string): Promise<string[]> {
  const { rows } = await db.connection('owner').rawQuery(
    `select c.relname as name
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
     where n.nspname = 'public' and c.relkind = 'm' and has_table_privilege(?, c.oid, 'SELECT')
     order by c.relname`,
    [role]
  )
  return rows.map((row: any) => `materialized view public.${row.name} is readable by ${role}`)
}

/** SECURITY DEFINER functions in public that are not allowlisted. */
export async function securityDefinerProblems(): Promise<string[]> {
  const { rows } = await db.connection('owner').rawQuery(`
    select p.proname as name, pg_get_function_identity_arguments(p.oid) as args
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.prosecdef
    order by p.proname`)
  return rows
    .filter((row: any) => !(row.name in ALLOWLIST.securityDefinerFunctions))
    .map(
      (row: any) =>
        `function public.${row.name}(${row.args}) is SECURITY DEFINER (runs as its owner, past RLS)`
    )
}

/** Primary keys, unique constraints and unique indexes of tenant tables without tenant_id. */
export async function uniqueKeyProblems(tables: TenantTable[]): Promise<string[]> {
  if (tables.length === 0) return []
  const byOid = new Map(tables.map((table) => [table.oid, table]))
  const oids = oidArray(tables)
  const { rows: constraints } = await db.connection('owner').rawQuery(
    `select con.conname as name, con.conrelid::int as table_oid, con.contype as type, con.conkey as columns
     from pg_constraint con
     where con.contype in ('p', 'u') and con.conrelid = any(?::oid[])`,
    [oids]
  )
  // Unique indexes created without a constraint (create unique index ...) count the same.
  const { rows: indexes } = await db.connection('owner').rawQuery(
    `select ic.relname as name, i.indrelid::int as table_oid, 'i' as type, i.indkey::text as columns
     from pg_index i join pg_class ic on ic.oid = i.indexrelid
     where i.indisunique and i.indrelid = any(?::oid[])
       and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid)`,
    [oids]
  )
  const labels: Record<string, string> = {
    p: 'primary key',
    u: 'unique constraint',
    i: 'unique index',
  }
  return [...constraints, ...indexes]
    .filter((row: any) => {
      const table = byOid.get(row.table_oid)!
      return (
        !attnums(row.columns).includes(table.tenantAttnum) &&
        !(`${table.name}.${row.name}` in ALLOWLIST.globalKeys)
      )
    })
    .map(
      (row: any) =>
        `${labels[row.type]} ${row.name} on public.${byOid.get(row.table_oid)!.name} lacks tenant_id`
    )
    .sort()
}

/**
 * Foreign keys between two tenant tables that do not pair tenant_id with tenant_id. A foreign
 * key from a tenant table to another tenant table (including itself) must have tenant_id in both
 * column lists, at the same position, so a row can only ever point at a row of its own tenant. A
 * foreign key to a global table (users, tenants) is fine: it names a row that is not
 * tenant-owned. `among` are the tables the keys may point at (default: `tables`).
 */
export async function foreignKeyProblems(
  tables: TenantTable[],
  among: TenantTable[] = tables
): Promise<string[]> {
  if (tables.length === 0) return []
  const byOid = new Map([...among, ...tables].map((table) => [table.oid, table]))
  const { rows } = await db.connection('owner').rawQuery(
    `select con.conname as name, con.conrelid::int as source_oid, con.confrelid::int as target_oid,
       con.conkey as columns, con.confkey as target_columns
     from pg_constraint con
     where con.contype = 'f' and con.conrelid = any(?::oid[]) and con.confrelid = any(?::oid[])`,
    [oidArray(tables), oidArray([...byOid.values()])]
  )
  return rows
    .filter((row: any) => {
      const source = byOid.get(row.source_oid)!
      const target = byOid.get(row.target_oid)!
      const at = attnums(row.columns).indexOf(source.tenantAttnum)
      const paired = at >= 0 && attnums(row.target_columns)[at] === target.tenantAttnum
      return !paired && !(`${source.name}.${row.name}` in ALLOWLIST.crossTenantForeignKeys)
    })
    .map(
      (row: any) =>
        `foreign key ${row.name} from public.${byOid.get(row.source_oid)!.name} to public.${byOid.get(row.target_oid)!.name}` +
        ' does not map tenant_id to tenant_id'
    )
    .sort()
}

/**
 * The tenant-table checks for some tables (a plugin's, say): row-level security enabled and
 * forced, at least one policy, no unconditional policy, tenant_id in every key, foreign keys to
 * tenant tables pairing tenant_id. Returns every problem found.
 */
export async function tenantTableProblems(names: readonly string[]): Promise<string[]> {
  const all = await tenantTables()
  const tables = all.filter((table) => names.includes(table.name))
  const missing = names.filter((name) => !tables.some((table) => table.name === name))
  return [
    ...missing.map((name) => `public.${name} is not a tenant table (no tenant_id column)`),
    ...rowSecurityProblems(tables),
    ...missingPolicyProblems(tables),
    ...(await unconditionalPolicyProblems(tables)),
    ...(await uniqueKeyProblems(tables)),
    ...(await foreignKeyProblems(tables, all)),
  ]
}
