/*
 * Small SQL helpers shared by the ledger modules.
 */
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/** Anything that can run a raw query: a connection, a transaction or a savepoint. */
export type RawClient = Pick<QueryClientContract, 'rawQuery'>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True for a canonical UUID string. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

/**
 * A PostgreSQL array literal of UUIDs or integers, bound as one parameter (`?::uuid[]`);
 * knex would expand a JS array into several bindings. Only UUIDs and safe integers are
 * accepted, so nothing needs quoting.
 */
export function pgArray(values: readonly (string | number)[]): string {
  for (const value of values) {
    if (typeof value === 'number' ? !Number.isSafeInteger(value) : !/^[0-9A-Za-z-]+$/.test(value)) {
      throw new Error(`pgArray: unsafe element ${String(value)}`)
    }
  }
  return `{${values.join(',')}}`
}

/** Runs a raw query and returns its rows. */
export async function rows<T = Record<string, any>>(
  client: RawClient,
  sql: string,
  bindings: unknown[] = []
): Promise<T[]> {
  const result = await client.rawQuery(sql, bindings as any[])
  return result.rows as T[]
}
