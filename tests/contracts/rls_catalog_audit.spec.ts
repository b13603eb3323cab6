/*
 * Row-level security catalog audit.
 *
 * Reads pg_catalog and fails, naming the table, constraint, view or role, when the schema
 * breaks the tenancy rules of docs/decisions/0002-row-level-security.md. The checks live in
 * tests/helpers/rls_audit.ts (the plugin migration test runs the same checks over a plugin's
 * tables). Tables are discovered from the catalog: a "tenant table" is any table in schema public
 * with a `tenant_id` column, so every table a later migration adds, core or plugin, is audited
 * without editing this file. Anything that deliberately breaks a rule must be listed in
 * ALLOWLIST (tests/helpers/rls_audit.ts), with the reason.
 */
import { test } from '@japa/runner'
import {
  definerViewProblems,
  foreignKeyProblems,
  globalTableProblems,
  materializedViewProblems,
  missingPolicyProblems,
  report,
  rowSecurityProblems,
  runtimeRole,
  runtimeRoleBypassProblems,
  runtimeRoleOwnershipProblems,
  securityDefinerProblems,
  tenantTables,
  unconditionalPolicyProblems,
  uniqueKeyProblems,
  type TenantTable,
} from '#tests/helpers/rls_audit'

test.group('Contracts / RLS catalog audit', (group) => {
  let tables: TenantTable[] = []
  let role = ''

  group.setup(async () => {
    tables = await tenantTables()
    role = await runtimeRole()
  })

  test('discovers the tenant tables from the catalog', ({ assert }) => {
    // Guards the discovery query itself: if it found nothing, every check below would pass.
    const names = tables.map((table) => table.name)
    for (const expected of ['audit_events', 'tenant_domains', 'tenant_memberships']) {
      assert.include(names, expected, `tenant table ${expected} not discovered`)
    }
  })

  test('every table in public either has tenant_id or is an allowlisted global table', async ({
    assert,
  }) => {
    const problems = await globalTableProblems()
    assert.isEmpty(problems, report(problems, 'Tables neither tenant-owned nor declared global'))
  })

  test('row-level security is enabled and forced on every tenant table', ({ assert }) => {
    const problems = rowSecurityProblems(tables)
    assert.isEmpty(
      problems,
      report(problems, 'Tenant tables without enabled + forced row-level security')
    )
  })

  test('every tenant table has at least one policy', ({ assert }) => {
    const problems = missingPolicyProblems(tables)
    assert.isEmpty(problems, report(problems, 'Tenant tables without policies'))
  })

  test('no policy on a tenant table is unconditionally true unless allowlisted', async ({
    assert,
  }) => {
    const problems = await unconditionalPolicyProblems(tables)
    assert.isEmpty(problems, report(problems, 'Unconditional policies on tenant tables'))
  })

  test('the runtime role is not a superuser and cannot bypass row-level security', async ({
    assert,
  }) => {
    const problems = await runtimeRoleBypassProblems(role)
    assert.isEmpty(problems, report(problems, 'Runtime role can bypass row-level security'))
  })

  test('the runtime role owns no table, view or sequence in public', async ({ assert }) => {
    const problems = await runtimeRoleOwnershipProblems(role)
    assert.isEmpty(problems, report(problems, 'Objects owned by the runtime role'))
  })

  test('every view in public runs with security_invoker=true', async ({ assert }) => {
    const problems = await definerViewProblems()
    assert.isEmpty(problems, report(problems, 'Views running with their owner’s rights'))
  })

  test('no materialized view in public with tenant_id is readable by the runtime role', async ({
    assert,
  }) => {
    const problems = await materializedViewProblems(role)
    assert.isEmpty(
      problems,
      report(problems, 'Tenant materialized views readable by the runtime role')
    )
  })

  test('no SECURITY DEFINER function in public unless allowlisted', async ({ assert }) => {
    const problems = await securityDefinerProblems()
    assert.isEmpty(problems, report(problems, 'SECURITY DEFINER functions'))
  })

  test('every primary key, unique constraint and unique index of a tenant table includes tenant_id', async ({
    assert,
  }) => {
    const problems = await uniqueKeyProblems(tables)
    assert.isEmpty(
      problems,
      report(problems, 'Keys of tenant tables that are unique across tenants')
    )
  })

  test('every foreign key between two tenant tables pairs tenant_id with tenant_id', async ({
    assert,
  }) => {
    const problems = await foreignKeyProblems(tables)
    assert.isEmpty(problems, report(problems, 'Foreign keys that can cross tenants'))
  })
})
