/*
 * Published programs the current scope may see, each with its current version and tenant, in one
 * statement (docs/decisions/0018-fewer-statements-per-request.md): row-level security decides
 * which programs and versions the scope reads; the versions' contents come from the version cache
 * by row version (app/programs/version_cache.ts) and the tenants from the tenant cache
 * (app/tenancy/tenant_cache.ts).
 */
import Program from '#models/program'
import type ProgramVersion from '#models/program_version'
import type Tenant from '#models/tenant'
import { scopedClient } from '#tenancy/tenant_context'
import { cachedTenants } from '#tenancy/tenant_cache'
import { versionRefColumns, versionRefOf, versionsFor } from '#programs/version_cache'

/** A published program with its current version and tenant. */
export interface PublishedProgram {
  program: Program
  version: ProgramVersion
  tenant: Tenant
}

/**
 * The published programs this scope may read, oldest first (optionally one of them), with their
 * current versions and tenants; a program whose version or tenant it cannot read is left out.
 */
export async function publishedPrograms(programId?: string): Promise<PublishedProgram[]> {
  const result = await scopedClient().rawQuery(
    `select p.*, ${versionRefColumns('v')}
       from programs p
       left join program_versions v
         on v.tenant_id = p.tenant_id and v.program_id = p.id and v.version = p.current_version
      where p.status = ?${programId ? ' and p.id = ?' : ''}
      order by p.created_at`,
    // (Always a parameter: a statement with parameters is prepared, see app/services/prepared_statements.ts.)
    programId ? ['published', programId] : ['published']
  )
  const rows = result.rows as Record<string, any>[]
  const refs = rows.map((row) => versionRefOf(row))
  const versions = await versionsFor(refs.filter((ref) => ref !== null))
  const tenants = await cachedTenants(new Set(rows.map((row) => row.tenant_id as string)))
  const published: PublishedProgram[] = []
  rows.forEach((row, index) => {
    const ref = refs[index]
    const version = ref ? versions.get(ref.id) : undefined
    const tenant = tenants.get(row.tenant_id)
    if (!version || !tenant) return
    const columns = { ...row }
    for (const key of ['version_tenant_id', 'version_id', 'version_xmin', 'version_own']) {
      delete columns[key]
    }
    const program = Program.$createFromAdapterResult(columns) as Program
    published.push({ program, version, tenant })
  })
  return published
}
