import { AsyncLocalStorage } from 'node:async_hooks'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/**
 * Who a unit of work (request, job, command) acts for, and the one transaction it runs in.
 */
export interface TenantScope {
  tenantId: string | null
  userId: string | null
  platform: boolean
  /** A staff request of the tenant (admin area, tenant workspace): may read its citizens' records. */
  staff?: boolean
}

interface Store extends TenantScope {
  trx: TransactionClientContract
}

const storage = new AsyncLocalStorage<Store>()

/**
 * Writes the scope into the transaction with set_config(..., true): local to this
 * transaction, so it can never leak to the next user of a pooled connection.
 */
async function applyScope(trx: TransactionClientContract, scope: TenantScope) {
  await trx.rawQuery(
    `select set_config('app.tenant_id', ?, true), set_config('app.user_id', ?, true), set_config('app.platform', ?, true), set_config('app.staff', ?, true)`,
    [scope.tenantId ?? '', scope.userId ?? '', scope.platform ? 'on' : '', scope.staff ? 'on' : '']
  )
}

/**
 * Runs `work` inside one transaction of the runtime role, scoped to a tenant.
 * Every Lucid model query made inside `work` goes through that transaction (see
 * providers/tenancy_provider.ts). Commits when `work` resolves, rolls back when it throws.
 */
export async function withTenantScope<T>(
  scope: TenantScope,
  work: () => Promise<T>,
  options: { connection?: string } = {}
): Promise<T> {
  const trx = await db.connection(options.connection ?? 'app').transaction()
  try {
    await applyScope(trx, scope)
    const result = await storage.run({ ...scope, trx }, work)
    await trx.commit()
    // knex resolves commit() even when PostgreSQL refuses the COMMIT (e.g. a deferred
    // constraint); the refusal is on the transaction's execution promise.
    await (trx as any).knexClient.executionPromise
    return result
  } catch (error) {
    if (!trx.isCompleted) await trx.rollback()
    throw error
  }
}

/**
 * Changes the scope of the transaction already open (for example once the tenant of an
 * admin request is known after reading the person's memberships).
 */
export async function rescope(patch: Partial<TenantScope>) {
  const store = storage.getStore()
  if (!store) throw new Error('rescope() called outside a tenant scope')
  Object.assign(store, patch)
  await applyScope(store.trx, store)
}

/**
 * Runs `work` in the current transaction as the person alone: no tenant, no staff, no platform
 * in scope, so only the row-level security policies that grant rows to the person themselves
 * (`app_user_id()`) apply, e.g. the vouchers they hold whichever tenant issued them, never the
 * rest of their home tenant's. The scope is restored afterwards.
 */
export async function asPersonOnly<T>(work: () => Promise<T>): Promise<T> {
  const store = storage.getStore()
  if (!store || store.trx.isCompleted)
    throw new Error('asPersonOnly() called outside a tenant scope')
  const personal: Store = { ...store, tenantId: null, staff: false, platform: false }
  await applyScope(store.trx, personal)
  let failed = false
  try {
    return await storage.run(personal, work)
  } catch (error) {
    failed = true
    throw error
  } finally {
    // After a failed statement the transaction is aborted and rolls back anyway.
    await applyScope(store.trx, store).catch((error) => {
      if (!failed) throw error
    })
  }
}

/** The transaction of the current unit of work, if any. */
export function currentTransaction(): TransactionClientContract | undefined {
  const store = storage.getStore()
  return store && !store.trx.isCompleted ? store.trx : undefined
}

/** The scope of the current unit of work, if any. */
export function currentScope(): TenantScope | undefined {
  const store = storage.getStore()
  return store
    ? { tenantId: store.tenantId, userId: store.userId, platform: store.platform }
    : undefined
}

/** The query client to use for explicit `db` queries: the scope's transaction. */
export function scopedClient(): TransactionClientContract {
  const trx = currentTransaction()
  if (!trx) throw new Error('No tenant scope is open: wrap the work in withTenantScope()')
  return trx
}

/**
 * Runs `callback` once the current scope's transaction has committed (mail, jobs, slow I/O),
 * or at once when no scope is open. Never runs after a rollback.
 */
export function afterCommit(callback: () => void | Promise<void>) {
  const trx = currentTransaction()
  const safe = () => {
    Promise.resolve()
      .then(callback)
      .catch((error) => console.error('afterCommit callback failed', error))
  }
  if (!trx) return safe()
  trx.after('commit', safe)
}
