/*
 * Tenants and their hosts, cached in the process (docs/decisions/0017-request-path-caches.md).
 *
 * Every request needs its tenant (by host, by /t/:slug, or the citizen's home tenant), and
 * tenants change only through `tenants:sync`, the tenant settings and the platform admin. The
 * whole table is small, so each app process keeps it in memory and checks it against the
 * `tenants` generation (table `cache_generations`, bumped by triggers in the same transaction as
 * any change to `tenants` or `tenant_domains`) that the unit of work read in the statement that
 * opened its transaction. A differing generation reloads both tables in that transaction first,
 * so a change committed before a request began is always seen by it, in every process.
 *
 * The models are shared by the requests of a snapshot and read-only: their attributes are frozen,
 * so a caller changing one (let alone saving it) fails loudly instead of changing it for everyone.
 * Code that changes a tenant reads it with a query (Tenant.findOrFail()).
 */
import Tenant from '#models/tenant'
import { currentGenerations } from '#tenancy/tenant_context'

interface Snapshot {
  generation: number
  byId: Map<string, Tenant>
  idBySlug: Map<string, string>
  idByHost: Map<string, string>
}

let snapshot: Snapshot | null = null
let reloads = 0

async function load(): Promise<Snapshot> {
  const scope = currentGenerations()
  if (!scope) throw new Error('The tenant cache is read inside a tenant scope only')
  if (snapshot && snapshot.generation === scope.generations.tenants) return snapshot
  // One after the other: both run in the unit of work's transaction (one connection).
  const head = await scope.trx.rawQuery(
    `select pg_current_xact_id_if_assigned() is null as clean,
       (select coalesce(json_agg(json_build_array(host, tenant_id)), '[]') from tenant_domains) as hosts`
  )
  const tenants = await scope.trx.rawQuery(`select * from tenants`)
  const loaded: Snapshot = {
    generation: scope.generations.tenants,
    byId: new Map(),
    idBySlug: new Map(),
    idByHost: new Map(),
  }
  for (const row of tenants.rows) {
    loaded.byId.set(row.id, readOnly(Tenant.$createFromAdapterResult(row) as Tenant))
    loaded.idBySlug.set(row.slug, row.id)
  }
  for (const [host, tenantId] of head.rows[0].hosts as [string, string][]) {
    loaded.idByHost.set(host, tenantId)
  }
  // A transaction that has written (it may have changed a tenant itself, not yet committed)
  // uses what it read but never shares it: other requests must not see uncommitted rows.
  if (head.rows[0].clean === true) {
    snapshot = loaded
    reloads++
  }
  return loaded
}

/** Freezes plain objects and arrays, deeply (not class instances such as dates). */
function freezeData(value: unknown) {
  if (!value || typeof value !== 'object' || Object.isFrozen(value)) return
  const proto = Object.getPrototypeOf(value)
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return
  Object.freeze(value)
  for (const child of Object.values(value)) freezeData(child)
}

function readOnly(tenant: Tenant) {
  for (const bag of [tenant.$attributes, tenant.$original]) {
    for (const value of Object.values(bag)) freezeData(value)
    Object.freeze(bag)
  }
  return tenant
}

function toModel(tenant: Tenant | undefined): Tenant | null {
  return tenant ?? null
}

/** The tenant with this id, or null. */
export async function cachedTenant(id: string | null | undefined): Promise<Tenant | null> {
  if (!id) return null
  return toModel((await load()).byId.get(id))
}

/** Tenants by id (those that exist), for a list of ids. */
export async function cachedTenants(ids: Iterable<string>): Promise<Map<string, Tenant>> {
  const current = await load()
  const found = new Map<string, Tenant>()
  for (const id of ids) {
    const tenant = toModel(current.byId.get(id))
    if (tenant) found.set(id, tenant)
  }
  return found
}

/** The tenant with this slug, or null. */
export async function cachedTenantBySlug(slug: string): Promise<Tenant | null> {
  const current = await load()
  const id = current.idBySlug.get(slug)
  return id ? toModel(current.byId.get(id)) : null
}

/** The id of the tenant a host name (lower case, no port) belongs to, or null. */
export async function cachedTenantIdByHost(host: string): Promise<string | null> {
  return (await load()).idByHost.get(host) ?? null
}

/**
 * The tenant id a host or slug maps to in the last snapshot, without checking its generation:
 * only to choose the scope a transaction opens with, which is re-checked inside it.
 */
export function lastKnownTenantId(input: { host?: string; slug?: string }): string | null {
  if (!snapshot) return null
  if (input.slug !== undefined) return snapshot.idBySlug.get(input.slug) ?? null
  if (input.host !== undefined) return snapshot.idByHost.get(input.host) ?? null
  return null
}

/** How often this process reloaded the tenants (tests and diagnostics). */
export function tenantCacheReloads() {
  return reloads
}

/** Forgets the snapshot, as a fresh process would have none (tests). */
export function resetTenantCache() {
  snapshot = null
}
