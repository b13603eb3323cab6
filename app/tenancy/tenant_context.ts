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

/**
 * The generation counters (table `cache_generations`) as this unit of work's transaction read
 * them when it began: the in-process caches compare theirs with these before answering
 * (docs/decisions/0017-request-path-caches.md).
 */
export interface CacheGenerations {
  tenants: number
}

interface Store extends TenantScope {
  trx: TransactionClientContract
  generations: CacheGenerations
  /** The connection the transaction is on (to open the next one after outsideTransaction()). */
  connection: string
}

const storage = new AsyncLocalStorage<Store>()

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What the statement that opens a scope reads besides writing the settings. */
const GENERATIONS_SQL = `(select generation from cache_generations where name = 'tenants') as tenants_generation`

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

/** A scope value as an SQL literal: only UUIDs (or nothing) are accepted, never free text. */
function uuidLiteral(value: string | null, what: string) {
  if (value === null || value === '') return `''`
  if (!UUID.test(value)) throw new Error(`Tenant scope: ${what} is not a UUID`)
  return `'${value.toLowerCase()}'`
}

/**
 * The statement that follows BEGIN: the four settings (transaction-local) and the cache
 * generations. The values are UUIDs checked above or fixed words, written as literals because
 * it travels with BEGIN in one simple-protocol message (no parameters there).
 */
function scopeStatement(scope: TenantScope) {
  return (
    `select set_config('app.tenant_id', ${uuidLiteral(scope.tenantId, 'tenantId')}, true), ` +
    `set_config('app.user_id', ${uuidLiteral(scope.userId, 'userId')}, true), ` +
    `set_config('app.platform', '${scope.platform ? 'on' : ''}', true), ` +
    `set_config('app.staff', '${scope.staff ? 'on' : ''}', true), ` +
    `set_config('plan_cache_mode', 'force_generic_plan', true), ${GENERATIONS_SQL}`
  )
}

/** Passed through knex's transaction config to the hook below; filled when BEGIN has run. */
interface BeginBox {
  sql: string
  rows?: any[]
}
const BEGIN_WITH = Symbol.for('active-city.beginWith')

const hooked = new WeakSet<object>()

/**
 * Lets a top-level transaction of this knex client send its first statement together with
 * BEGIN, in one round trip: knex's own BEGIN is `this.query(conn, 'BEGIN;')` in
 * Transaction#begin (knex/lib/execution/transaction.js), which runs before any query of the
 * transaction. A transaction opened without the config key (nested ones: savepoints) is
 * unchanged. tests/contracts/tenant_isolation.spec.ts and pool_leak.spec.ts guard the result.
 */
function hookBegin(knexClient: any) {
  if (hooked.has(knexClient)) return
  if (typeof knexClient?.transaction !== 'function') {
    throw new Error('Tenant scope: unexpected knex client (no transaction())')
  }
  const original = knexClient.transaction
  knexClient.transaction = function (this: any, container: any, config: any, outerTx: any) {
    const transaction = original.call(this, container, config, outerTx)
    const box: BeginBox | undefined = config?.[BEGIN_WITH]
    if (box && !outerTx) {
      if (typeof transaction.query !== 'function' || typeof transaction.begin !== 'function') {
        throw new Error('Tenant scope: unexpected knex transaction (no query()/begin())')
      }
      transaction.begin = (connection: unknown) =>
        transaction.query(connection, `BEGIN; ${box.sql}`).then((result: any) => {
          // Simple query protocol, two statements: pg answers with one result per statement.
          const results = result?.response
          if (Array.isArray(results)) box.rows = results[results.length - 1]?.rows
          return result
        })
    }
    return transaction
  }
  hooked.add(knexClient)
}

/** Opens the transaction of a scope: BEGIN and the scope statement in one round trip. */
async function beginScoped(connection: string, scope: TenantScope) {
  const client = db.connection(connection)
  hookBegin((client.getWriteClient() as any).client)
  const box: BeginBox = { sql: scopeStatement(scope) }
  const trx = (await client.transaction(
    undefined as any,
    {
      [BEGIN_WITH]: box,
    } as any
  )) as TransactionClientContract
  const row = box.rows?.[0]
  if (!row) {
    // BEGIN or the scope statement failed (knex has already ended the transaction); never run
    // work in a transaction whose scope was not written.
    if (!trx.isCompleted) await trx.rollback().catch(() => {})
    await (trx as any).knexClient?.executionPromise
    throw new Error('Tenant scope: the transaction could not be opened with its settings')
  }
  const generations: CacheGenerations = { tenants: Number(row.tenants_generation ?? 0) }
  return { trx, generations }
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
  const connection = options.connection ?? 'app'
  const { trx, generations } = await beginScoped(connection, scope)
  // outsideTransaction() may replace the transaction while `work` runs: the store holds the
  // current one.
  const store: Store = { ...scope, trx, generations, connection }
  try {
    const result = await storage.run(store, work)
    await commitChecked(store.trx)
    return result
  } catch (error) {
    if (!store.trx.isCompleted) await store.trx.rollback()
    throw error
  }
}

async function commitChecked(trx: TransactionClientContract) {
  await trx.commit()
  // knex resolves commit() even when PostgreSQL refuses the COMMIT (e.g. a deferred
  // constraint); the refusal is on the transaction's execution promise.
  await (trx as any).knexClient.executionPromise
}

/**
 * Runs `work` (a call to a service outside the database that may take seconds: the population
 * register) with no transaction open, so a slow answer holds no database connection and no
 * snapshot. The unit of work's transaction must not have written anything yet: it is committed
 * (it only read), `work` runs with no scope at all (row-level security shows a query there
 * nothing), and a new transaction with the same scope is opened for the rest of the
 * unit of work, also when `work` throws. Model instances read before drop their old transaction
 * on commit (Lucid) and use the new one. Outside a scope, `work` simply runs.
 */
export async function outsideTransaction<T>(work: () => Promise<T>): Promise<T> {
  const store = storage.getStore()
  if (!store || store.trx.isCompleted) return work()
  const { rows } = await store.trx.rawQuery('select txid_current_if_assigned() as txid')
  if (rows[0]?.txid !== null && rows[0]?.txid !== undefined) {
    throw new Error(
      'outsideTransaction() after this unit of work has written: committing would split it in two'
    )
  }
  await commitChecked(store.trx)
  try {
    return await storage.exit(work)
  } finally {
    const { trx, generations } = await beginScoped(store.connection, store)
    store.trx = trx
    store.generations = generations
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

/**
 * The cache generations the current unit of work read when its transaction began, with that
 * transaction (to reload a cache in); undefined outside a scope.
 */
export function currentGenerations():
  { generations: CacheGenerations; trx: TransactionClientContract } | undefined {
  const store = storage.getStore()
  return store && !store.trx.isCompleted
    ? { generations: store.generations, trx: store.trx }
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
