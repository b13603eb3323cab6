/*
 * Named (prepared) statements for the runtime connection (docs/decisions/0021-prepared-statements.md).
 *
 * Knex sends every query as an unnamed statement, which PostgreSQL parses and plans afresh each
 * time; with row-level security the planning (the policies' conditions and subqueries) is most of
 * what a small query costs the database, several times its execution. Naming a statement by a hash
 * of its text lets the pg driver prepare it once per connection and PostgreSQL reuse its plan
 * (a generic plan once it has seen that custom plans are no better). Results are the same: a plan
 * never contains the values of the scope's settings (the policies call `current_setting()`, which
 * is evaluated at every execution), and PostgreSQL replans by itself after DDL or a change of role
 * or of row security.
 *
 * Limits: at most MAX_NAMED statements per connection (further texts run unnamed, so a query
 * built with a varying number of placeholders cannot fill a server's memory); a statement that
 * PostgreSQL refuses to reuse because a table changed shape under it ("cached plan must not
 * change result type", after a migration while the app runs) fails that once and then runs
 * unnamed on that connection. DB_PREPARED_STATEMENTS=false turns it off (for example behind a
 * connection pooler in transaction mode that does not keep prepared statements).
 */
import { createHash } from 'node:crypto'

/** Most named statements per connection. */
export const MAX_NAMED = 200

interface ConnectionState {
  named: Set<string>
  unnamed: Set<string>
}

const states = new WeakMap<object, ConnectionState>()
/** The configs of the knex clients that use named statements (transactions share their config). */
const enabled = new WeakSet<object>()
const hookedPrototypes = new WeakSet<object>()

function stateOf(connection: object) {
  let state = states.get(connection)
  if (!state) {
    state = { named: new Set(), unnamed: new Set() }
    states.set(connection, state)
  }
  return state
}

/** The statement name for a query text. */
export function statementName(sql: string) {
  return `ac_${createHash('sha1').update(sql).digest('base64url')}`
}

/**
 * Makes the queries of a knex pg client (the runtime connection's), and of its transactions,
 * named statements. Queries that carry their own options (a name, a row mode) and queries without
 * parameters (BEGIN, COMMIT, the scope statement: the simple protocol) are left as they are.
 */
export function usePreparedStatements(knexClient: any) {
  const prototype = Object.getPrototypeOf(knexClient)
  if (typeof prototype?._query !== 'function' || !knexClient.config) {
    throw new Error('Prepared statements: unexpected knex client (no _query())')
  }
  // A transaction's client is made from the same prototype with the same config object
  // (knex/lib/execution/transaction.js, makeTxClient), so the prototype is where to hook.
  enabled.add(knexClient.config)
  if (hookedPrototypes.has(prototype)) return
  hookedPrototypes.add(prototype)
  const original = prototype._query
  prototype._query = function (this: any, connection: object, obj: any) {
    if (
      !enabled.has(this.config) ||
      !obj?.sql ||
      !Array.isArray(obj.bindings) ||
      obj.bindings.length === 0 ||
      (obj.options && Object.keys(obj.options).length > 0)
    ) {
      return original.call(this, connection, obj)
    }
    const state = stateOf(connection)
    const name = statementName(obj.sql)
    if (state.unnamed.has(name) || (!state.named.has(name) && state.named.size >= MAX_NAMED)) {
      return original.call(this, connection, obj)
    }
    state.named.add(name)
    obj.options = { ...obj.options, name }
    return original.call(this, connection, obj).catch((error: any) => {
      // A table changed shape under the prepared statement: never reuse it on this connection.
      if (
        error?.code === '0A000' &&
        /cached plan must not change result type/.test(error.message)
      ) {
        state.unnamed.add(name)
      }
      throw error
    })
  }
}

/** How many statements a connection has named (tests and diagnostics). */
export function namedStatementCount(connection: object) {
  return states.get(connection)?.named.size ?? 0
}
