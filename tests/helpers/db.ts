/*
 * Database helpers for the contract tests (tests/contracts).
 *
 * - The `owner` connection sets up and removes fixtures. It is the tables' owner (a superuser
 *   in the test launcher); its transactions also set app.platform = 'on', so fixtures still
 *   work if DATABASE_URL ever points at a non-superuser owner, which FORCE ROW LEVEL SECURITY
 *   would otherwise hide every row from.
 * - `withScopeOn()` repeats the pattern of withTenantScope() (app/tenancy/tenant_context.ts)
 *   on any named connection, because withTenantScope() always uses the `app` connection.
 */
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { TenantScope } from '#tenancy/tenant_context'

/** The demo tenants synced by the test launcher (tenants/<slug>/tenant.ts). */
export const DEMO_TENANT_SLUGS = [
  'praha-5',
  'praha-6',
  'praha-17',
  'olomouc',
  'crdm',
  'bydgoszcz',
] as const

/** The settings a tenant scope writes, as read back on a connection. */
export interface ScopeSettings {
  pid: number
  tenantId: string | null
  userId: string | null
  platform: string | null
  staff: string | null
}

const READ_SETTINGS = `select pg_backend_pid() as pid,
  current_setting('app.tenant_id', true) as tenant_id,
  current_setting('app.user_id', true) as user_id,
  current_setting('app.platform', true) as platform,
  current_setting('app.staff', true) as staff`

function toSettings(row: any): ScopeSettings {
  return {
    pid: Number(row.pid),
    tenantId: row.tenant_id,
    userId: row.user_id,
    platform: row.platform,
    staff: row.staff,
  }
}

/** True when none of the scope settings carries a value ('' or null: never set, or ended). */
export function isUnscoped(settings: ScopeSettings) {
  return !settings.tenantId && !settings.userId && !settings.platform && !settings.staff
}

/** Reads the scope settings (and backend pid) through a connection or transaction. */
export async function readSettings(client: { rawQuery: TransactionClientContract['rawQuery'] }) {
  const result = await client.rawQuery(READ_SETTINGS)
  return toSettings(result.rows[0])
}

/**
 * Runs `size` plain (non-transaction) queries at once on a named connection, each holding its
 * pooled connection for a moment, so that every idle connection of the pool gets used; returns
 * what each saw. Used to prove that no pooled connection carries a tenant setting.
 */
export async function sweepPool(connectionName: string, size: number): Promise<ScopeSettings[]> {
  const connection = db.connection(connectionName)
  const results = await Promise.all(
    Array.from({ length: size }, () =>
      connection.rawQuery(`${READ_SETTINGS}, pg_sleep(0.05) as slept`)
    )
  )
  return results.map((result) => toSettings(result.rows[0]))
}

/** The pool size configured for a named connection. */
export function poolMax(connectionName: string): number {
  const max = (db.manager.get(connectionName)?.config as any)?.pool?.max
  return typeof max === 'number' ? max : 10
}

/** Runs `work` in one transaction of the owner connection, in a platform context. */
export async function asOwner<T>(work: (trx: TransactionClientContract) => Promise<T>): Promise<T> {
  const trx = await db.connection('owner').transaction()
  try {
    await trx.rawQuery(`select set_config('app.platform', 'on', true)`)
    const result = await work(trx)
    await trx.commit()
    return result
  } catch (error) {
    if (!trx.isCompleted) await trx.rollback()
    throw error
  }
}

/** The ids of the demo tenants, by slug (read through the owner connection). */
export async function tenantIdsBySlug(): Promise<Map<string, string>> {
  const rows = await db
    .connection('owner')
    .from('tenants')
    .whereIn('slug', [...DEMO_TENANT_SLUGS])
    .select('id', 'slug')
  const ids = new Map<string, string>(rows.map((row: any) => [row.slug, row.id]))
  const missing = DEMO_TENANT_SLUGS.filter((slug) => !ids.has(slug))
  if (missing.length)
    throw new Error(`Demo tenants missing (was tenants:sync run?): ${missing.join(', ')}`)
  return ids
}

/**
 * A unique audit action prefix for one spec's fixture rows, so that the rows can be found,
 * counted and removed without touching anything else.
 */
export function fixtureMarker(spec: string) {
  // No '_' or '%': the marker is matched with LIKE.
  return `contract-test.${spec.replace(/[^a-z0-9-]/gi, '-')}.${randomUUID().slice(0, 8)}`
}

/** Inserts `perTenant` audit events for each tenant (owner connection); returns their ids. */
export async function seedAuditEvents(tenantIds: string[], perTenant: number, action: string) {
  const rows = tenantIds.flatMap((tenantId) =>
    Array.from({ length: perTenant }, (_, index) => ({
      tenant_id: tenantId,
      action,
      data: JSON.stringify({ index }),
    }))
  )
  return asOwner(async (trx) => {
    const inserted = await trx
      .insertQuery()
      .table('audit_events')
      .multiInsert(rows)
      .returning(['tenant_id', 'id'])
    return inserted as unknown as { tenant_id: string; id: string }[]
  })
}

/** Counts audit events whose action starts with a marker (owner connection: all tenants). */
export async function countAuditEvents(actionPrefix: string, tenantId?: string): Promise<number> {
  return asOwner(async (trx) => {
    const query = trx.from('audit_events').whereLike('action', `${actionPrefix}%`)
    if (tenantId) query.where('tenant_id', tenantId)
    const [{ count }] = await query.count('* as count')
    return Number(count)
  })
}

/** Deletes the audit events whose action starts with a marker (owner connection). */
export async function deleteAuditEvents(actionPrefix: string) {
  await asOwner((trx) => trx.from('audit_events').whereLike('action', `${actionPrefix}%`).delete())
}

/**
 * The pattern of withTenantScope() on a named connection: one transaction, the scope written
 * with set_config(..., true) (transaction-local), commit when `work` resolves, roll back
 * when it throws. `work` also receives the settings the pooled connection carried right
 * after BEGIN, before the scope was applied: they must always be empty.
 */
export async function withScopeOn<T>(
  connectionName: string,
  scope: TenantScope,
  work: (trx: TransactionClientContract, inherited: ScopeSettings) => Promise<T>
): Promise<T> {
  const trx = await db.connection(connectionName).transaction()
  try {
    const inherited = await readSettings(trx)
    await trx.rawQuery(
      `select set_config('app.tenant_id', ?, true), set_config('app.user_id', ?, true), set_config('app.platform', ?, true), set_config('app.staff', ?, true)`,
      [
        scope.tenantId ?? '',
        scope.userId ?? '',
        scope.platform ? 'on' : '',
        scope.staff ? 'on' : '',
      ]
    )
    const result = await work(trx, inherited)
    await trx.commit()
    return result
  } catch (error) {
    if (!trx.isCompleted) await trx.rollback()
    throw error
  }
}

/** A small seeded pseudo-random generator (mulberry32), so a failing run can be replayed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
