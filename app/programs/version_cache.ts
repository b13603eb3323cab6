/*
 * Program versions cached in the process, keyed by row version
 * (docs/decisions/0017-request-path-caches.md).
 *
 * A program version is a large row (names and descriptions in four languages, periods, documents,
 * the rule and its parameters, plugin settings) read by almost every citizen request, and it
 * changes rarely: only a draft's version is edited in place. Callers never get a version they
 * could not read: they first ask PostgreSQL, under row-level security and in their own
 * transaction, for the `id` and `xmin` of the versions they need (`xmin`, the id of the
 * transaction that wrote this row version, changes with every UPDATE, whoever makes it). The
 * cache then answers for exactly that (id, xmin) or the row is read again; an edited version is a
 * new key, so a stale one is never served. Rows the caller's own, unfinished transaction wrote are
 * never kept (they may change again before it commits, keeping the same xmin, or roll back).
 */
import db from '@adonisjs/lucid/services/db'
import ProgramVersion from '#models/program_version'

/** What a query under row-level security says about one version the caller may read. */
export interface VersionRef {
  tenantId: string
  id: string
  /** `xmin::text` of the row. */
  xmin: string
  /** True when the caller's own transaction wrote this row version: never cached. */
  own: boolean
}

/** The SQL that selects a VersionRef's columns for a `program_versions` alias. */
export function versionRefColumns(alias: string, prefix = 'version') {
  return (
    `${alias}.tenant_id as ${prefix}_tenant_id, ${alias}.id as ${prefix}_id, ` +
    `${alias}.xmin::text as ${prefix}_xmin, ` +
    `coalesce(${alias}.xmin = pg_current_xact_id_if_assigned()::xid, false) as ${prefix}_own`
  )
}

/** A VersionRef from a row selected with versionRefColumns(); null when the version was not visible. */
export function versionRefOf(row: Record<string, any>, prefix = 'version'): VersionRef | null {
  const id = row[`${prefix}_id`]
  if (!id) return null
  return {
    tenantId: row[`${prefix}_tenant_id`],
    id,
    xmin: String(row[`${prefix}_xmin`]),
    own: row[`${prefix}_own`] === true,
  }
}

const MAX_ENTRIES = 2000
const entries = new Map<string, ProgramVersion>()
let loads = 0

const keyOf = (ref: VersionRef) => `${ref.id}:${ref.xmin}`

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

function keep(ref: VersionRef, version: ProgramVersion) {
  // The configuration is shared by every request that reads this version: frozen, so that a
  // caller changing it by mistake fails loudly instead of changing it for everyone.
  for (const key of [
    'name',
    'description',
    'periods',
    'audience',
    'limits',
    'documents',
    'eligibilityRule',
    'params',
    'categories',
    'pluginSettings',
  ] as const) {
    deepFreeze((version as any)[key])
  }
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!)
  entries.set(keyOf(ref), version)
}

/**
 * The versions for these refs (the caller read them under row-level security in its scope), by
 * id: from the cache, the others in one query (in the caller's transaction).
 */
export async function versionsFor(
  refs: readonly VersionRef[]
): Promise<Map<string, ProgramVersion>> {
  const found = new Map<string, ProgramVersion>()
  const missing: VersionRef[] = []
  for (const ref of refs) {
    const hit = ref.own ? undefined : entries.get(keyOf(ref))
    if (hit) found.set(ref.id, hit)
    else missing.push(ref)
  }
  if (missing.length > 0) {
    loads++
    // By (tenant_id, id): the key a table distributed by tenant (Citus) routes on.
    const rows = await ProgramVersion.query()
      .select('*', db.raw('xmin::text as row_xmin'))
      .whereIn(
        ['tenant_id', 'id'],
        missing.map((ref) => [ref.tenantId, ref.id])
      )
    for (const version of rows) {
      found.set(version.id, version)
      const ref = missing.find((one) => one.id === version.id)
      // Kept only when the row read is the one the ref named (not changed in between).
      if (ref && !ref.own && version.$extras.row_xmin === ref.xmin) keep(ref, version)
    }
  }
  return found
}

/** The version for one ref (see versionsFor), or null when it is not readable. */
export async function versionFor(ref: VersionRef | null): Promise<ProgramVersion | null> {
  if (!ref) return null
  return (await versionsFor([ref])).get(ref.id) ?? null
}

/** How often versions were read from the database (tests and diagnostics). */
export function versionCacheLoads() {
  return loads
}
